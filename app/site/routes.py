"""The public site of whichever tenant the host names; on the platform host, the national portal."""

from dataclasses import dataclass, field

import sqlalchemy as sa
from flask import Blueprint, abort, current_app, g, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import defer, selectinload
from sqlalchemy.orm.attributes import set_committed_value

from app.core.pagination import Page as ResultPage
from app.core.templating import canonical_url
from app.extensions import db
from app.news import services as news
from app.pages.models import Page
from app.site import page_cache, sitemap
from app.site import search as site_search
from app.site.theme import bp as theme_bp
from tenants.models import Province, Tenant, TenantKind, TenantStatus

SEARCH_PER_PAGE = 10

bp = Blueprint("site", __name__, template_folder="templates")
bp.register_blueprint(theme_bp)  # /theme.css (site.theme.stylesheet): not a cached page, see app/site/theme.py


def published_pages() -> dict[int | None, list[Page]]:
    """The tenant's published pages by parent id (None: the roots), in menu order: one statement, then kept in
    this process until the tenant's content changes (the rows are detached, read-only).

    Children and parents are wired from this one load, so walking the tree (menus, paths, page lookups)
    never queries again; a page below an unpublished parent is unreachable, as it should be."""
    if "published_pages" not in g:
        g.published_pages = page_cache.per_generation("published_pages", _load_published_pages)
    return g.published_pages


def _load_published_pages() -> dict[int | None, list[Page]]:
    rows = db.session.scalars(sa.select(Page).where(Page.published).options(defer(Page.body_html))
                              .order_by(Page.position, Page.id)).all()
    pages = [p for p in rows if p.translation_of_id is None]
    titles: dict[int, dict[str, str]] = {}
    for version in rows:  # the published translations lend their titles to menus in their language
        if version.translation_of_id is not None:
            titles.setdefault(version.translation_of_id, {})[version.locale] = version.title
    by_parent: dict[int | None, list[Page]] = {}
    for p in pages:
        p.title_versions = titles.get(p.id, {})
        by_parent.setdefault(p.parent_id, []).append(p)
    by_id = {p.id: p for p in pages}
    for p in pages:
        set_committed_value(p, "children", by_parent.get(p.id, []))
        set_committed_value(p, "parent", by_id.get(p.parent_id))  # None for a root (or below a hidden page)
    for p in rows:
        if p in db.session:
            db.session.expunge(p)
    return by_parent


def menu_pages() -> list[Page]:
    """The tenant's published top-level pages shown in the menu, each with its published children."""
    return [p for p in published_pages().get(None, []) if p.show_in_menu]


@bp.app_context_processor
def _site_context():
    return {"menu_pages": menu_pages if g.get("tenant") is not None else list}


@bp.route("/")
def home():
    locale = str(get_locale())
    home = news.home_news(featured=5, latest=6, per_category=4)
    context = {
        "featured": news.shown(home.featured, locale),
        "latest": news.shown(home.latest, locale),
        "by_category": [(c, news.shown(items, locale)) for c, items in home.by_category],
    }
    if g.tenant.is_national:
        context["provinces"] = provincial_directory()
        context["shared"] = news.shared_with_portal(8)
    return render_template("site/home.html", **context)


@dataclass
class DirectoryEntry:
    unit: Province  # one of the units in force today (34 since 1 July 2025)
    predecessors: list[Province]
    unions: list[Tenant]  # the unit's union and the unions of the units it continues
    merged: dict[int, list[Tenant]] = field(default_factory=dict)  # union id -> the unions merged into it


def provincial_directory() -> list[DirectoryEntry]:
    """Today's provincial units, each with the units it continues and the unions that serve them."""
    unions = db.session.scalars(
        sa.select(Tenant).where(Tenant.kind == TenantKind.PROVINCIAL, Tenant.status == TenantStatus.ACTIVE)
        .options(selectinload(Tenant.domains)).order_by(Tenant.name_vi)).all()
    by_province: dict[int, list[Tenant]] = {}
    for union in unions:
        by_province.setdefault(union.province_id, []).append(union)
    merged: dict[int, list[Tenant]] = {}
    for union in db.session.scalars(sa.select(Tenant).where(Tenant.status == TenantStatus.MERGED,
                                                            Tenant.successor_id.is_not(None)).order_by(Tenant.name_vi)):
        merged.setdefault(union.successor_id, []).append(union)
    entries = []
    units = db.session.scalars(sa.select(Province).where(Province.valid_to.is_(None))
                               .options(selectinload(Province.predecessors)).order_by(Province.name)).all()
    for unit in units:
        predecessors = sorted((p for p in unit.predecessors if p.name != unit.name), key=lambda p: p.name)
        served = by_province.get(unit.id, []) + [u for p in unit.predecessors for u in by_province.get(p.id, [])]
        entries.append(DirectoryEntry(unit, predecessors, served,
                                      {u.id: merged[u.id] for u in served if u.id in merged}))
    return entries


SECTIONS = (("members.index", _l("Member organisations")), ("members.partners", _l("Partner localities")),
            ("documents.index", _l("Documents")), ("aid_site.public_index", _l("Aid projects")),
            ("albums.index", _l("Photo albums")))


@bp.app_context_processor
def _sections_context():
    def public_sections():
        return [(endpoint, label) for endpoint, label in SECTIONS if endpoint in current_app.view_functions]

    return {"public_sections": public_sections}


@bp.route("/tim-kiem")
def search():
    query = site_search.prepare(request.args.get("q", ""))
    kind = request.args.get("kind")
    kind = kind if kind in site_search.KINDS else None
    found = site_search.find(query.text, cross_tenant=g.tenant.is_national, kind=kind,
                             number=request.args.get("page", 1, type=int) or 1, per_page=SEARCH_PER_PAGE)
    page = ResultPage(found.hits, found.number, SEARCH_PER_PAGE, found.total)
    return render_template("site/search.html", query=query.text, notes=query.notes, searched=bool(query.words),
                           page=page, counts=found.counts, kind=kind, kinds=site_search.KINDS)


@bp.route("/sitemap.xml")
def sitemap_xml():
    body = render_template("site/sitemap.xml", urls=sitemap.public_urls())
    return body, 200, {"Content-Type": "application/xml; charset=utf-8"}


@bp.route("/robots.txt")
def robots_txt():
    body = render_template("site/robots.txt")
    return body, 200, {"Content-Type": "text/plain; charset=utf-8"}


@bp.route("/trang/<path:path>")
def page(path: str):
    tree = published_pages()
    node = None
    for slug in path.strip("/").split("/"):
        node = next((p for p in tree.get(node.id if node else None, []) if p.slug == slug), None)
        if node is None:
            abort(404)
    locale = str(get_locale())
    version = None
    if locale != node.locale and locale in node.title_versions:
        version = db.session.execute(sa.select(Page.title, Page.body_html, Page.locale).where(
            Page.translation_of_id == node.id, Page.locale == locale, Page.published)).first()
    if version is not None:
        title, body, shown_locale = version
    else:
        title, shown_locale = node.title, node.locale
        body = db.session.scalar(sa.select(Page.body_html).where(Page.id == node.id))
    here = url_for("site.page", path=node.path)
    alternates = {}
    if node.title_versions:
        alternates = {loc: canonical_url(here) + f"?lang={loc}" for loc in (node.locale, *node.title_versions)}
    return render_template("site/page.html", page=node, title=title, body_html=body or "", shown_locale=shown_locale,
                           alternates=alternates, only_in=None if shown_locale == locale else node.locale)
