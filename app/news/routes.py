"""Public news pages on a tenant's host: lists, categories, tags, articles, feeds."""

from urllib.parse import quote

import sqlalchemy as sa
from flask import Blueprint, abort, g, redirect, render_template, request, url_for
from flask_babel import get_locale

from app.core.pagination import Page, count_rows, page_number
from app.core.timeutil import utcnow
from app.extensions import db
from app.news import feeds, services
from app.news.models import Category, Tag
from app.site.page_cache import per_generation
from tenants.scoping import built_statement

bp = Blueprint("news", __name__, template_folder="templates")
PER_PAGE = 10


def _locale() -> str:
    return str(get_locale())


def _page_of(build, list_key: str) -> Page:
    """A page of originals and their translations, in one statement built once per process (its page window and
    the time are parameters); the list's count is kept in this process until the tenant's content changes."""
    total = per_generation(f"news_count:{list_key}", lambda: count_rows(build()))
    number = page_number(total, PER_PAGE)
    stmt = built_statement("news_page", list_key, lambda: services.versions_statement(
        services.ids_of(build(services.NOW)).limit(sa.bindparam("limit")).offset(sa.bindparam("offset")),
        services.NOW))
    items = services.load_versions(stmt, {"limit": PER_PAGE, "offset": (number - 1) * PER_PAGE, "now": utcnow()})
    return Page(items=items, number=number, per_page=PER_PAGE, total=total)


@bp.route("/tin-tuc/")
def index():
    page = _page_of(services.originals, "all")
    return render_template("news/list.html", page=page, items=services.shown(page.items, _locale()),
                           heading=None, feed_category=None)


@bp.route("/chuyen-muc/<id:category_id>/")
@bp.route("/chuyen-muc/<id:category_id>/<slug>")
def category(category_id: int, slug: str | None = None):
    category = services.category_or_none(category_id)  # from the menu's categories: no extra statement
    if category is None:
        abort(404)
    if slug != category.slug:
        return redirect(url_for("news.category", category_id=category.id, slug=category.slug), 301)
    page = _page_of(lambda now=None: services.originals(now).where(services.Article.category_id == category.id),
                    f"category:{category.id}")
    return render_template("news/list.html", page=page, items=services.shown(page.items, _locale()),
                           heading=category.name(_locale()), category=category, feed_category=category)


@bp.route("/the/<id:tag_id>/")
@bp.route("/the/<id:tag_id>/<slug>")
def tag(tag_id: int, slug: str | None = None):
    tag = db.get_or_404(Tag, tag_id)
    if slug != tag.slug:
        return redirect(url_for("news.tag", tag_id=tag.id, slug=tag.slug), 301)
    page = _page_of(lambda now=None: services.tagged(tag, now), f"tag:{tag.id}")
    return render_template("news/list.html", page=page, items=services.shown(page.items, _locale()),
                           heading=f"#{tag.name}", feed_category=None)


@bp.route("/tin/<id:article_id>/")
@bp.route("/tin/<id:article_id>/<slug>")  # article_path() below builds this address
def article(article_id: int, slug: str | None = None):
    """An article; the address of an English version shows it, the Vietnamese one shows the visitor's language."""
    article = services.public_article(article_id)
    if article is None:
        abort(404)
    if slug != article.slug:
        return redirect(url_for("news.article", article_id=article.id, slug=article.slug), 301)
    shown = services.for_locale(article, _locale()) if article.translation_of_id is None else \
        services.Shown(article, article.translation_of or article, False)
    around = services.around(shown.original)
    from app.reorg.services import moved_from

    return render_template("news/article.html", shown=shown, article=shown.article,
                           origin=moved_from(shown.original.id),
                           related=services.shown(around.related, _locale()),
                           previous=around.previous, following=around.following)


@bp.route("/feed.atom")
@bp.route("/chuyen-muc/<id:category_id>/feed.atom")
def atom(category_id: int | None = None):
    return feeds.atom(_feed_category(category_id))


@bp.route("/feed.rss")
@bp.route("/chuyen-muc/<id:category_id>/feed.rss")
def rss(category_id: int | None = None):
    return feeds.rss(_feed_category(category_id))


def _feed_category(category_id: int | None) -> Category | None:
    return db.get_or_404(Category, category_id) if category_id is not None else None


@bp.app_template_global()
def article_path(article) -> str:
    """url_for("news.article", article_id=…, slug=…) without its per-call cost (lists build dozens): the rule is
    fixed and slugs are ASCII letters, digits and hyphens (app.core.vntext.slugify)."""
    return f"{request.script_root}/tin/{article.id}/{quote(article.slug, safe='-')}"


@bp.app_context_processor
def _news_context():
    if g.get("tenant") is None or g.get("console_slug"):
        return {}
    return {"news_categories": _menu_categories}


def _menu_categories() -> list[Category]:
    return [c for c in services.categories() if c.show_in_menu]
