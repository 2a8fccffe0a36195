"""The public page cache: per tenant, locale and URL; invalidated for the changed tenant only; ETag and 304."""

import re
import time
from datetime import timedelta

import pytest
import sqlalchemy as sa

from app.core.timeutil import utcnow
from app.extensions import db
from app.news import signals
from app.news.models import Article
from tenants.context import tenant_context

HOST_A, HOST_B = "tinh-a.localhost", "tinh-b.localhost"


def text(response) -> str:
    return response.get_data(as_text=True)


@pytest.fixture
def sites(tenant_a, tenant_b, make_article):
    make_article(tenant_a, "Tin đầu tiên của tỉnh A")
    make_article(tenant_b, "Tin đầu tiên của tỉnh B")
    return tenant_a, tenant_b


def test_second_view_is_served_from_the_cache_without_rendering(browser, sites, app, monkeypatch):
    monkeypatch.setitem(app.config, "STATS_COUNTING", False)  # counting writes (embedded mode), measured elsewhere
    first = browser.get("/", host=HOST_A)
    assert first.status_code == 200 and first.headers["X-Page-Cache"] == "miss"
    from tests.members.test_statement_counts import counting

    with counting() as statements:
        second = browser.get("/", host=HOST_A)
    assert second.headers["X-Page-Cache"] == "hit"
    assert text(second) == text(first)
    assert len(statements) <= 2, statements  # the host's tenant only; no page query ran


def test_publishing_invalidates_that_tenant_only(browser, sites, make_article):
    tenant_a, _ = sites
    for host in (HOST_A, HOST_B):
        browser.get("/", host=host)
        assert browser.get("/", host=host).headers["X-Page-Cache"] == "hit"
    make_article(tenant_a, "Tin mới vừa đăng của tỉnh A")
    a_home, b_home = browser.get("/", host=HOST_A), browser.get("/", host=HOST_B)
    assert a_home.headers["X-Page-Cache"] == "miss" and "Tin mới vừa đăng của tỉnh A" in text(a_home)
    assert b_home.headers["X-Page-Cache"] == "hit"  # B's pages were not touched
    assert "Tin mới vừa đăng" not in text(b_home)


def test_a_draft_never_leaks_through_the_cache(browser, sites, make_article):
    tenant_a, _ = sites
    draft = make_article(tenant_a, "Bản nháp bí mật", status="draft")
    browser.get("/tin-tuc/", host=HOST_A)
    assert "Bản nháp bí mật" not in text(browser.get("/tin-tuc/", host=HOST_A))
    with tenant_context(tenant_a.id):
        db.session.get(Article, draft.id).status = "published"
        db.session.commit()
    assert "Bản nháp bí mật" in text(browser.get("/tin-tuc/", host=HOST_A))


def test_bulk_updates_invalidate_too(browser, sites):
    tenant_a, _ = sites
    browser.get("/tin-tuc/", host=HOST_A)
    with tenant_context(tenant_a.id):
        db.session.execute(sa.update(Article).values(title="Tiêu đề sửa hàng loạt"))
        db.session.commit()
    assert "Tiêu đề sửa hàng loạt" in text(browser.get("/tin-tuc/", host=HOST_A))


def test_a_rolled_back_change_keeps_the_cache(browser, sites):
    tenant_a, _ = sites
    browser.get("/", host=HOST_A)
    with tenant_context(tenant_a.id):
        db.session.execute(sa.select(Article)).scalars().first().title = "Không lưu"
        db.session.flush()
        db.session.rollback()
    assert browser.get("/", host=HOST_A).headers["X-Page-Cache"] == "hit"


def test_scheduled_publication_signal_invalidates_the_tenant(browser, sites, make_article):
    """An item whose time comes changes no row: the scheduler's signal is what tells the cache."""
    tenant_a, _ = sites
    soon = make_article(tenant_a, "Tin hẹn giờ", published_at=utcnow() + timedelta(seconds=2))
    assert "Tin hẹn giờ" not in text(browser.get("/", host=HOST_A))
    time.sleep(2.1)
    assert browser.get("/", host=HOST_A).headers["X-Page-Cache"] == "hit"  # still the page cached before
    with tenant_context(tenant_a.id):
        signals.article_published.send(db.session.get(Article, soon.id), actor=None)
    assert "Tin hẹn giờ" in text(browser.get("/", host=HOST_A))


def test_etag_gives_304_until_the_content_changes(browser, sites, make_article, monkeypatch, app):
    monkeypatch.setitem(app.config, "STATS_COUNTING", False)  # keep the footer numbers still
    tenant_a, _ = sites
    first = browser.get("/tin-tuc/", host=HOST_A)
    etag = first.headers["ETag"]
    assert first.headers["Cache-Control"] == "no-cache" and "Cookie" in first.headers["Vary"]
    again = browser.get("/tin-tuc/", host=HOST_A, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.get_data() == b""
    make_article(tenant_a, "Tin thay đổi nội dung")
    changed = browser.get("/tin-tuc/", host=HOST_A, headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["ETag"] != etag


def test_locales_are_cached_separately(browser, sites):
    assert browser.get("/", host=HOST_A).headers["X-Page-Cache"] == "miss"
    english = browser.get("/?lang=en", host=HOST_A)
    assert 'lang="en"' in text(english) and "X-Page-Cache" not in english.headers  # the switch itself
    again = browser.get("/", host=HOST_A)
    assert again.headers["X-Page-Cache"] == "miss" and '<html lang="en">' in text(again)
    assert browser.get("/", host=HOST_A).headers["X-Page-Cache"] == "hit"
    browser.get("/?lang=vi", host=HOST_A)
    assert '<html lang="vi">' in text(browser.get("/", host=HOST_A))


def test_signed_in_visitors_get_a_fresh_page(browser, sites, make_user):
    """Staff sign in on the platform host, which is also the national portal's."""
    make_user("quoc-gia@vufo.vn", national_role="national_viewer")
    assert browser.get("/").headers["X-Page-Cache"] == "miss"
    assert browser.get("/").headers["X-Page-Cache"] == "hit"
    browser.login("quoc-gia@vufo.vn")
    response = browser.get("/")
    assert response.status_code == 200 and "X-Page-Cache" not in response.headers


def test_another_tenants_cached_article_is_still_404_on_this_host(browser, sites):
    tenant_a, _ = sites
    with tenant_context(tenant_a.id):
        article = db.session.scalars(sa.select(Article)).first()
        path = f"/tin/{article.id}/{article.slug}"
    assert browser.get(path, host=HOST_A).status_code == 200
    assert browser.get(path, host=HOST_A).headers["X-Page-Cache"] == "hit"
    assert browser.get(path, host=HOST_B).status_code == 404


def test_the_visitor_widget_is_live_on_a_cached_page(browser_factory, sites, app, monkeypatch):
    monkeypatch.setitem(app.config, "STATS_WIDGET_CACHE_SECONDS", 0)

    def today(response) -> int:
        return int(re.search(r"<dt>Hôm nay</dt><dd>([\d.]+)</dd>", text(response)).group(1).replace(".", ""))

    first = browser_factory().get("/", host=HOST_A)
    counts = [today(first)]
    for _ in range(2):
        response = browser_factory().get("/", host=HOST_A)  # a new visitor each time
        assert response.headers["X-Page-Cache"] == "hit"
        counts.append(today(response))
    assert counts[0] < counts[1] < counts[2]
    assert "lhhn:visitor-widget" not in text(response)


def test_feeds_and_sitemaps_are_cached_and_invalidated(browser, sites, make_article):
    tenant_a, _ = sites
    assert browser.get("/feed.atom", host=HOST_A).headers["X-Page-Cache"] == "miss"
    assert browser.get("/feed.atom", host=HOST_A).headers["X-Page-Cache"] == "hit"
    make_article(tenant_a, "Tin cho nguồn cấp")
    assert "Tin cho nguồn cấp" in text(browser.get("/feed.atom", host=HOST_A))


def test_the_portal_follows_provincial_changes(browser, sites, make_article):
    tenant_a, _ = sites
    browser.get("/")
    make_article(tenant_a, "Tin chia sẻ lên cổng quốc gia", share_national=True)
    assert "Tin chia sẻ lên cổng quốc gia" in text(browser.get("/"))


def test_static_files_are_fingerprinted_and_long_lived(browser, sites):
    home = text(browser.get("/", host=HOST_A))
    href = re.search(r'href="(/static/css/site\.css\?v=[0-9a-f]{12})"', home).group(1)
    asset = browser.get(href, host=HOST_A)
    assert asset.status_code == 200
    assert "immutable" in asset.headers["Cache-Control"] and "max-age=31536000" in asset.headers["Cache-Control"]
    stale = browser.get("/static/css/site.css?v=000000000000", host=HOST_A)
    assert "immutable" not in stale.headers.get("Cache-Control", "")


def test_search_and_unknown_query_strings_are_not_cached(browser, sites):
    for path in ("/tim-kiem?q=hữu+nghị", "/tin-tuc/?utm_source=x", "/tin-tuc/?page=" + "9" * 60):
        assert "X-Page-Cache" not in browser.get(path, host=HOST_A).headers, path
    assert browser.get("/tin-tuc/?page=1", host=HOST_A).headers["X-Page-Cache"] == "miss"
