"""Public, read-only API of each union: what its site publishes. No token; CORS open to every origin.

Every path exists twice: `/api/v1/<what>` on a union's own host (that union), and `/api/v1/tenants/{slug}/<what>`
on any host (the union named). Only what the public site shows is here: published, not in the future.
"""

from datetime import datetime, time, timedelta

import sqlalchemy as sa
from flask import abort, g, request
from flask_smorest import Blueprint
from sqlalchemy.orm import defer, selectinload

from app.api import paging
from app.api.schemas import (
    AidListSchema,
    ArticleArgs,
    ArticleListSchema,
    ArticleSchema,
    CategorySchema,
    DocumentArgs,
    DocumentListSchema,
    DocumentSchema,
    LimitArgs,
    MemberSchema,
    PageArgs,
    PageDetailSchema,
    PageSchema,
    PartnerSchema,
    PortalNewsSchema,
    TagSchema,
    UnionSchema,
    VisitsSchema,
)
from app.core.timeutil import VN_TZ, utcnow
from app.core.vntext import fold
from app.extensions import db
from tenants.models import Tenant, TenantStatus

blp = Blueprint("api_public", __name__, url_prefix="/api/v1", description="Public content of the unions (no token).")
CORS_HEADERS = {"Access-Control-Allow-Origin": "*", "Access-Control-Expose-Headers": "ETag, Link, X-Total-Count",
                "Access-Control-Allow-Headers": "Accept-Language, If-None-Match"}


@blp.after_request
def _cors(response):
    response.headers.update(CORS_HEADERS)
    return paging.add_headers(response)


SLUG = {"in": "path", "name": "slug", "required": True, "description": "The union's short name (see /tenants).",
        "schema": {"type": "string", "minLength": 1, "maxLength": 63, "example": "tinh-a"}}


def both(path: str, name: str):
    """Route a view on the union's host and under /tenants/{slug} on any host."""

    def decorator(view):
        blp.route(f"/tenants/<slug>{path}", endpoint=f"{name}_of", parameters=[SLUG])(view)
        return blp.route(path, endpoint=name)(view)

    return decorator


def union(slug: str | None) -> Tenant:
    """The union the request is about, entered as the current tenant (404 for an unknown or merged one)."""
    if slug is None:
        return g.tenant
    from tenants.resolver import enter_tenant

    tenant = db.session.scalars(sa.select(Tenant).where(Tenant.slug == slug)).first()
    if tenant is None or tenant.status in (TenantStatus.MERGED, TenantStatus.SUSPENDED):
        abort(404, description="No union has this short name (a merged union's content is its successor's).")
    if tenant.id != g.tenant.id:
        g.tenant_generations = None  # the host's cached generations say nothing of this union
        enter_tenant(tenant)
    return tenant


def site_url(tenant: Tenant, path: str) -> str:
    from app.core.templating import host_port

    host = tenant.primary_domain.host if tenant.primary_domain is not None else request.host.split(":")[0]
    return f"{request.scheme}://{host}{host_port()}{path}"


def _category(tenant, c) -> dict:
    return {"id": c.id, "slug": c.slug, "name_vi": c.name_vi, "name_en": c.name_en,
            "url": site_url(tenant, f"/chuyen-muc/{c.id}/{c.slug}")}


def _tag(tenant, t) -> dict:
    return {"id": t.id, "slug": t.slug, "name": t.name, "url": site_url(tenant, f"/the/{t.id}/{t.slug}")}


def _article(tenant, a, *, full: bool = False) -> dict:
    data = {"id": a.id, "locale": a.locale, "title": a.title, "slug": a.slug, "summary": a.summary or "",
            "category": _category(tenant, a.category), "tags": [_tag(tenant, t) for t in a.tags],
            "published_at": a.published_at, "cover_url": a.cover_url, "translation_of_id": a.translation_of_id,
            "url": site_url(tenant, f"/tin/{a.id}/{a.slug}")}
    if full:
        data["body_html"], data["source_line"] = a.body_html or "", a.source_line
    return data


def _published():
    from app.news.models import Article, ArticleStatus

    return sa.and_(Article.status == ArticleStatus.PUBLISHED, Article.published_at <= utcnow())


@both("/articles", "articles")
@blp.arguments(ArticleArgs, location="query")
@blp.response(200, ArticleListSchema)
def articles(args, slug=None):
    """Published articles, newest first: filter by category, tag, dates, words (`q`) and language."""
    from app.news.models import Article, ArticleTag, Category, Tag

    tenant = union(slug)
    stmt = sa.select(Article).where(_published())
    if args["locale"] == "en":
        stmt = stmt.where(Article.locale == "en")
    else:
        stmt = stmt.where(Article.translation_of_id.is_(None))
    if "category" in args:
        stmt = stmt.where(Article.category_id.in_(sa.select(Category.id).where(Category.slug == args["category"])))
    if "tag" in args:
        stmt = stmt.where(Article.id.in_(sa.select(ArticleTag.article_id).join(Tag, Tag.id == ArticleTag.tag_id)
                                         .where(Tag.slug == args["tag"])))
    if "since" in args:
        stmt = stmt.where(Article.published_at >= datetime.combine(args["since"], time(), VN_TZ))
    if "until" in args:
        stmt = stmt.where(Article.published_at < datetime.combine(args["until"] + timedelta(days=1), time(), VN_TZ))
    for word in fold(args.get("q", "")).split()[:10]:
        stmt = stmt.where(Article.search_text.contains(word, autoescape=True))
    stmt = stmt.options(selectinload(Article.tags)).order_by(Article.published_at.desc(), Article.id.desc())
    page = paging.page_of(stmt, args)
    return paging.listed(page, [_article(tenant, a) for a in page.items])


@both("/articles/<id:article_id>", "article")
@blp.response(200, ArticleSchema)
def article(article_id: int, slug=None):
    """One published article, with its text and its other language versions."""
    from app.news.models import Article

    tenant = union(slug)
    found = db.session.scalars(sa.select(Article).where(Article.id == article_id, _published())
                               .options(selectinload(Article.tags))).first()
    if found is None:
        abort(404)
    original = found.translation_of_id or found.id
    versions = db.session.scalars(sa.select(Article).where(
        _published(), Article.id != found.id,
        sa.or_(Article.id == original, Article.translation_of_id == original))).all()
    data = _article(tenant, found, full=True)
    data["versions"] = [{"id": v.id, "locale": v.locale, "url": site_url(tenant, f"/tin/{v.id}/{v.slug}")}
                        for v in versions]
    return data


@both("/categories", "categories")
@blp.response(200, CategorySchema(many=True))
def categories(slug=None):
    """The union's news categories, in menu order."""
    from app.news.models import Category

    tenant = union(slug)
    return [_category(tenant, c) for c in db.session.scalars(sa.select(Category)
                                                              .order_by(Category.position, Category.name_vi))]


@both("/tags", "tags")
@blp.response(200, TagSchema(many=True))
def tags(slug=None):
    """The tags of the union's published articles, by name."""
    from app.news.models import Article, ArticleTag, Tag

    tenant = union(slug)
    used = sa.select(ArticleTag.tag_id).join(Article, Article.id == ArticleTag.article_id).where(_published())
    return [_tag(tenant, t) for t in db.session.scalars(sa.select(Tag).where(Tag.id.in_(used)).order_by(Tag.name))]


def _page(tenant, p, paths: dict[int, str]) -> dict:
    return {"id": p.id, "parent_id": p.parent_id, "slug": p.slug, "title": p.title, "locale": p.locale,
            "updated_at": p.updated_at, "url": site_url(tenant, f"/trang/{paths[p.id]}")}


def _reachable_pages() -> tuple[dict, dict[int, str]]:
    """The published pages whose every parent is published too (what the site can show), and their paths."""
    from app.pages.models import Page

    rows = {p.id: p for p in db.session.scalars(sa.select(Page).where(Page.published, Page.translation_of_id.is_(None))
                                                 .options(defer(Page.body_html)).order_by(Page.position, Page.id))}
    paths: dict[int, str] = {}

    def path(page_id: int) -> str | None:
        if page_id in paths:
            return paths[page_id]
        page = rows.get(page_id)
        if page is None:
            return None
        above = "" if page.parent_id is None else path(page.parent_id)
        if above is None:
            return None
        paths[page_id] = f"{above}/{page.slug}".lstrip("/")
        return paths[page_id]

    for page_id in rows:
        path(page_id)
    return {i: p for i, p in rows.items() if i in paths}, paths


@both("/pages", "pages")
@blp.response(200, PageSchema(many=True))
def pages(slug=None):
    """The union's published pages (Chức năng, nhiệm vụ; Cơ cấu tổ chức…), in menu order."""
    tenant = union(slug)
    rows, paths = _reachable_pages()
    return [_page(tenant, p, paths) for p in rows.values()]


@both("/pages/<id:page_id>", "page")
@blp.response(200, PageDetailSchema)
def page(page_id: int, slug=None):
    """One published page, with its text."""
    tenant = union(slug)
    rows, paths = _reachable_pages()
    if page_id not in rows:
        abort(404)
    from app.pages.models import Page

    data = _page(tenant, rows[page_id], paths)
    data["body_html"] = db.session.scalar(sa.select(Page.body_html).where(Page.id == page_id)) or ""
    return data


def _document(tenant, d) -> dict:
    return {"id": d.id, "number": d.number, "doc_type": d.doc_type, "issuer": d.issuer, "issued_on": d.issued_on,
            "title": d.title, "summary": d.summary or "", "size": d.size,
            "file_url": site_url(tenant, f"/van-ban/{d.id}/tai-ve") if d.file_path else None,
            "url": site_url(tenant, f"/van-ban/{d.id}")}


@both("/documents", "documents")
@blp.arguments(DocumentArgs, location="query")
@blp.response(200, DocumentListSchema)
def documents(args, slug=None):
    """Published documents, newest first: filter by number (số / ký hiệu), issuer and year."""
    from app.documents.models import Document

    tenant = union(slug)
    stmt = sa.select(Document).where(Document.published)
    if "number" in args:
        stmt = stmt.where(Document.number.icontains(args["number"], autoescape=True))
    if "issuer" in args:
        stmt = stmt.where(Document.issuer.icontains(args["issuer"], autoescape=True))
    if "year" in args:
        stmt = stmt.where(sa.extract("year", Document.issued_on) == args["year"])
    stmt = stmt.order_by(Document.issued_on.desc().nulls_last(), Document.id.desc())
    page = paging.page_of(stmt, args)
    return paging.listed(page, [_document(tenant, d) for d in page.items])


@both("/documents/<id:document_id>", "document")
@blp.response(200, DocumentSchema)
def document(document_id: int, slug=None):
    """One published document."""
    from app.documents.models import Document

    tenant = union(slug)
    found = db.session.scalars(sa.select(Document).where(Document.id == document_id, Document.published)).first()
    if found is None:
        abort(404)
    return _document(tenant, found)


@both("/members", "members")
@blp.response(200, MemberSchema(many=True))
def members(slug=None):
    """The union's member organisations (published), in their order."""
    from app.members.models import MemberOrganization as M

    tenant = union(slug)
    rows = db.session.scalars(sa.select(M).where(M.published).order_by(M.position, M.name_vi))
    return [{**{name: getattr(m, name) for name in MemberSchema().fields if name != "url"},
             "url": site_url(tenant, f"/to-chuc-thanh-vien/{m.slug}")} for m in rows]


@blp.route("/tenants")
@blp.response(200, UnionSchema(many=True))
def unions():
    """Every union on the platform that publishes (the portal's directory), by name."""
    from app.core.templating import host_port

    rows = db.session.scalars(sa.select(Tenant).where(Tenant.status.in_((TenantStatus.ACTIVE, TenantStatus.ARCHIVED)))
                              .options(selectinload(Tenant.domains)).order_by(Tenant.kind, Tenant.name_vi))
    return [{"slug": t.slug, "name_vi": t.name_vi, "name_en": t.name_en, "kind": str(t.kind), "status": str(t.status),
             "site": f"{request.scheme}://{t.primary_domain.host}{host_port()}/" if t.primary_domain else None,
             "api": f"{request.scheme}://{request.host}/api/v1/tenants/{t.slug}/"} for t in rows]


@both("/partners", "partners")
@blp.response(200, PartnerSchema(many=True))
def partners(slug=None):
    """The union's partner localities abroad (published), each with its agreements."""
    from app.members.models import PartnerLocality as P

    tenant = union(slug)
    rows = db.session.scalars(sa.select(P).where(P.published).options(selectinload(P.agreements))
                              .order_by(P.position, P.name_vi))
    return [{"id": p.id, "name_vi": p.name_vi, "name_en": p.name_en, "country_code": p.country_code,
             "level": p.level, "description": p.description or "", "url": site_url(tenant, f"/doi-tac/{p.id}"),
             "agreements": [{"id": a.id, "title": a.title, "kind": a.kind, "signed_on": a.signed_on,
                             "period_start": a.period_start, "period_end": a.period_end, "summary": a.summary or "",
                             "url": site_url(tenant, f"/doi-tac/thoa-thuan/{a.id}")} for a in p.agreements]}
            for p in rows]


def _totals(totals) -> dict:
    return {"committed": [{"amount": m.minor, "currency": m.currency}
                          for m in (totals.committed_vnd, totals.committed_usd)],
            "disbursed": [{"amount": m.minor, "currency": m.currency}
                          for m in (totals.disbursed_vnd, totals.disbursed_usd)]}


@both("/aid-projects", "aid_projects")
@blp.arguments(PageArgs, location="query")
@blp.response(200, AidListSchema)
def aid_projects(args, slug=None):
    """The union's public aid projects, newest first, each with its committed and disbursed totals (VND and USD),
    and the totals of them all."""
    from app.aid import services as aid
    from app.aid.models import AidProject

    tenant = union(slug)
    stmt = sa.select(AidProject).where(AidProject.public.is_(True)).order_by(
        AidProject.start_date.desc().nulls_last(), AidProject.id.desc())
    page = paging.page_of(stmt, args)
    totals = aid.project_totals()
    items = [{**{name: getattr(p, name) for name in ("id", "title_vi", "title_en", "sector_code", "status",
                                                     "district", "commune", "start_date", "end_date",
                                                     "beneficiaries")},
              "totals": _totals(totals.get(p.id, aid.Totals())), "url": site_url(tenant, f"/vien-tro/{p.id}")}
             for p in page.items]
    return {**paging.listed(page, items), "totals": _totals(aid.union_totals(public_only=True))}


@both("/visits", "visits")
@blp.response(200, VisitsSchema)
def visits(slug=None):
    """The site's visitor counter: visits (one visitor on one day) by period, and visitors online now."""
    from app.stats import services as stats

    tenant = union(slug)
    return stats.visitor_widget(tenant.id)


@blp.route("/portal/news")
@blp.arguments(LimitArgs, location="query")
@blp.response(200, PortalNewsSchema(many=True))
def portal_news(args):
    """The unions' articles the national portal shows (offered by a union, approved nationally), newest first."""
    from app.core.templating import host_port
    from app.news.services import shared_with_portal

    scheme, items = request.scheme, shared_with_portal(limit=args["limit"])
    return [{"article_id": i.article_id, "title": i.title, "summary": i.summary or "", "published_at": i.published_at,
             "union": i.tenant_name,
             "url": f"{scheme}://{i.host}{host_port()}/tin/{i.article_id}/{i.slug}" if i.host else None}
            for i in items]
