"""Atom 1.0 and RSS 2.0 feeds of a tenant's newest public articles (all news, or one category)."""

from email.utils import format_datetime as rfc2822

from flask import g, render_template, url_for
from flask_babel import get_locale

from app.core.timeutil import as_utc, utcnow
from app.news import services
from app.news.models import Article, Category

FEED_SIZE = 20


def _entries(category: Category | None) -> list[services.Shown]:
    stmt = services.originals()
    if category is not None:
        stmt = stmt.where(Article.category_id == category.id)
    from app.extensions import db

    return services.shown(db.session.scalars(stmt.limit(FEED_SIZE)), str(get_locale()))


def _context(category: Category | None) -> dict:
    entries = _entries(category)
    updated = max((as_utc(e.article.updated_at or e.article.published_at) for e in entries), default=utcnow())
    title = g.tenant.name(str(get_locale()))
    if category is not None:
        title = f"{category.name(str(get_locale()))} — {title}"
    home = url_for("news.category", category_id=category.id, slug=category.slug, _external=True) \
        if category else url_for("site.home", _external=True)
    return {"entries": entries, "updated": updated, "title": title, "home": home, "category": category,
            "rfc2822": lambda value: rfc2822(as_utc(value)), "as_utc": as_utc}


def atom(category: Category | None):
    body = render_template("news/feed.atom.xml", **_context(category))
    return body, 200, {"Content-Type": "application/atom+xml; charset=utf-8"}


def rss(category: Category | None):
    body = render_template("news/feed.rss.xml", **_context(category))
    return body, 200, {"Content-Type": "application/rss+xml; charset=utf-8"}
