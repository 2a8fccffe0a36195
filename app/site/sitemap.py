"""sitemap.xml for one tenant: only its public URLs, on its primary domain, with hreflang alternates.

A feature adds its public URLs with `@sitemap.source`: a function returning `Url`s of the current tenant.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa
from flask import url_for

from app.core.templating import canonical_url
from app.extensions import db
from app.news import services as news
from app.news.models import Category
from app.pages.models import Page


@dataclass
class Url:
    loc: str
    lastmod: datetime | None = None
    alternates: dict[str, str] = field(default_factory=dict)  # hreflang -> absolute URL


_SOURCES: list[Callable[[], Iterable[Url]]] = []


def source(fn: Callable[[], Iterable[Url]]) -> Callable[[], Iterable[Url]]:
    _SOURCES.append(fn)
    return fn


def public_urls() -> list[Url]:
    urls: list[Url] = []
    for fn in _SOURCES:
        urls.extend(fn())
    return urls


@source
def _site() -> list[Url]:
    urls = [Url(canonical_url(url_for("site.home"))), Url(canonical_url(url_for("news.index")))]
    pages = db.session.scalars(sa.select(Page).where(Page.published)).all()
    languages: dict[int, list[str]] = {}
    for version in pages:
        if version.translation_of_id is not None:
            languages.setdefault(version.translation_of_id, []).append(version.locale)
    for page in pages:
        if page.translation_of_id is not None:
            continue
        address = canonical_url(url_for("site.page", path=page.path))
        alternates = {loc: f"{address}?lang={loc}" for loc in [page.locale, *languages[page.id]]} \
            if page.id in languages else {}
        urls.append(Url(address, page.updated_at, alternates))
    for category in db.session.scalars(sa.select(Category)):
        urls.append(Url(canonical_url(url_for("news.category", category_id=category.id, slug=category.slug))))
    return urls


@source
def _articles() -> list[Url]:
    urls = []
    for original in news.with_versions(news.ids_of(news.originals())):  # one statement, bodies left out
        versions = [original] + [t for t in original.translations if t.is_public]
        links = {v.locale: canonical_url(url_for("news.article", article_id=v.id, slug=v.slug)) for v in versions}
        alternates = links if len(versions) > 1 else {}
        for version in versions:
            urls.append(Url(links[version.locale], version.updated_at, alternates))
    return urls
