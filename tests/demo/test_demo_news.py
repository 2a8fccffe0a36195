"""The demo's generated news: enough public articles per tenant for pagination, search and feeds, over
several years and categories, some in English; drafts and scheduled items stay out of sight."""

import html
import re

import sqlalchemy as sa

from app.core.timeutil import as_utc, utcnow
from app.demo.loader import load_demo
from app.demo.stories import stories
from app.extensions import db
from app.news import services
from app.news.models import Article, ArticleStatus
from tenants.context import tenant_context
from tenants.models import Tenant
from tenants.scoping import all_tenants


def snapshot() -> set[tuple]:
    with all_tenants("test: demo news snapshot"):
        return set(db.session.execute(sa.select(Article.tenant_id, Article.id, Article.locale, Article.slug,
                                                Article.status, Article.published_at,
                                                Article.translation_of_id)).all())


def test_generated_stories_are_deterministic_and_distinct():
    args = ("hai-duong", "Liên hiệp các tổ chức hữu nghị tỉnh Hải Dương",
            "Hai Duong Union of Friendship Organizations", "Hải Dương", "Hai Duong", 37)
    first, again = stories(*args), stories(*args)
    assert [(s.title, s.day, s.paragraphs) for s in first] == [(s.title, s.day, s.paragraphs) for s in again]
    assert len({s.title for s in first}) == len(first)
    other = stories("vinh-phuc", *args[1:])
    assert [s.title for s in other] != [s.title for s in first]


def test_every_demo_tenant_has_thirty_public_articles_over_years_and_categories(app, browser):
    load_demo()
    first = snapshot()
    load_demo()
    assert snapshot() == first, "a second load changes no article"

    tenants = db.session.scalars(sa.select(Tenant).where(Tenant.status == "active").order_by(Tenant.slug)).all()
    assert len(tenants) >= 9
    for tenant in tenants:
        host = tenant.primary_domain.host
        with tenant_context(tenant.id):
            public = db.session.scalars(services.originals()).all()
            years = {as_utc(a.published_at).year for a in public}
            categories = {a.category_id for a in public}
            english = db.session.scalars(sa.select(Article).where(
                Article.locale == "en", Article.translation_of_id.is_not(None), services.public_filter())).all()
            hidden = db.session.scalars(sa.select(Article).where(sa.not_(services.public_filter()))).all()
            hidden_ids = [(a.id, a.slug, a.status, as_utc(a.published_at)) for a in hidden]
            english_pairs = [(a.id, a.translation_of_id, a.title) for a in english]
        assert len(public) >= 30, tenant.slug
        assert len(years) >= 3 and {2021, 2026} <= years, (tenant.slug, years)
        assert len(categories) >= 2, tenant.slug
        assert len(english_pairs) >= 3, tenant.slug
        assert {status for _id, _slug, status, _at in hidden_ids} >= {ArticleStatus.DRAFT, ArticleStatus.IN_REVIEW}
        assert any(status == ArticleStatus.PUBLISHED and at > utcnow() for _id, _slug, status, at in hidden_ids)

        listing = browser.get("/tin-tuc/", host=host).get_data(as_text=True)
        match = re.search(r"Trang 1 / (\d+)|Page 1 of (\d+)", listing)
        assert match and int(match.group(1) or match.group(2)) >= 3, tenant.slug
        second = browser.get("/tin-tuc/?page=2", host=host)
        assert second.status_code == 200 and 'rel="prev"' in second.get_data(as_text=True)
        for article_id, slug, _status, _at in hidden_ids[:4]:
            assert browser.get(f"/tin/{article_id}/{slug}", host=host).status_code == 404
            assert slug not in listing
        article_id, original_id, title = english_pairs[0]
        page = browser.get(f"/tin/{original_id}/", host=host, query_string={"lang": "en"}, follow_redirects=True)
        assert page.status_code == 200 and title in html.unescape(page.get_data(as_text=True))
