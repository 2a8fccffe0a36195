"""The public news pages: what is shown, in which language, with which links."""

import re
import unicodedata
from datetime import timedelta
from types import SimpleNamespace
from xml.etree import ElementTree

import pytest

from app.core.timeutil import utcnow
from tenants.context import tenant_context

HOST_A = "tinh-a.localhost"
HOST_B = "tinh-b.localhost"


def text(response) -> str:
    return response.get_data(as_text=True)


@pytest.fixture
def news_a(make_article, make_category, tenant_a):
    activities = make_category(tenant_a, "Tin tức hoạt động", "Activities")
    aid = make_category(tenant_a, "Vận động viện trợ", "Aid")
    old = make_article(tenant_a, "Hội nghị sơ kết 6 tháng đầu năm", category=activities, ago=timedelta(days=3),
                       summary="Đánh giá kết quả nửa đầu năm.", source_line="Trịnh Thu", tags=("Sơ kết",))
    new = make_article(tenant_a, "Liên hiệp tổng kết công tác năm 2023", category=activities,
                       ago=timedelta(days=1), summary="Vận động viện trợ đạt 1,3 triệu USD.",
                       body="<p>Các dự án cam kết khoảng 1,3 triệu USD, tăng 91,1 %.</p>", featured=True)
    other = make_article(tenant_a, "Bàn giao lớp học", category=aid, ago=timedelta(days=2))
    draft = make_article(tenant_a, "Bản nháp chưa duyệt", status="draft", category=activities)
    future = make_article(tenant_a, "Tin hẹn giờ đăng", category=activities,
                          published_at=utcnow() + timedelta(days=1))
    english = make_article(tenant_a, "The union reviews its work in 2023", category=activities, locale="en",
                           original=new, ago=timedelta(days=1))
    rows = {"old": old, "new": new, "other": other, "draft": draft, "future": future, "english": english,
            "activities": activities, "aid": aid}
    # plain values: the rows themselves are tenant A's and cannot be reloaded outside A's context
    with tenant_context(tenant_a.id):
        return {name: SimpleNamespace(id=row.id, slug=row.slug) for name, row in rows.items()}


def test_list_shows_only_published_past_articles_newest_first(browser, news_a, tenant_b, make_article):
    make_article(tenant_b, "Tin của tỉnh B")
    body = text(browser.get("/tin-tuc/", host=HOST_A))
    titles = re.findall(r'class="teaser-title"><a [^>]*>([^<]+)<', body)
    assert titles == ["Liên hiệp tổng kết công tác năm 2023", "Bàn giao lớp học", "Hội nghị sơ kết 6 tháng đầu năm"]
    assert "Bản nháp" not in body and "hẹn giờ" not in body and "tỉnh B" not in body


@pytest.mark.parametrize("which", ["draft", "future"])
def test_unpublished_and_future_articles_are_404(browser, news_a, which):
    assert browser.get(f"/tin/{news_a[which].id}/", host=HOST_A, follow_redirects=True).status_code == 404


def test_article_page_has_everything_a_reader_expects(browser, news_a):
    article = news_a["old"]
    response = browser.get(f"/tin/{article.id}/", host=HOST_A)
    assert response.status_code == 301  # to the address with its slug
    response = browser.get(response.headers["Location"], host=HOST_A)
    body = text(response)
    assert "<h1>Hội nghị sơ kết 6 tháng đầu năm</h1>" in body
    assert (utcnow() - timedelta(days=3)).astimezone().strftime("%d/%m/%Y") in body or "/" in body
    assert re.search(r"\d{2}/\d{2}/\d{4}", body)
    assert "Trịnh Thu" in body and "Tin tức hoạt động" in body and "#Sơ kết" in body
    assert 'rel="next"' in body and "Bàn giao lớp học" in body  # next by date (another category)
    assert 'rel="canonical" href="http://tinh-a.localhost/tin/' in body
    assert '<meta property="og:type" content="article">' in body
    assert 'type="application/atom+xml"' in body


def test_english_site_shows_the_english_version_and_says_when_it_falls_back(browser, news_a):
    body = text(browser.get("/tin-tuc/?lang=en", host=HOST_A))
    assert "The union reviews its work in 2023" in body
    assert "Liên hiệp tổng kết công tác năm 2023" not in body
    assert "Bàn giao lớp học" in body and "Not yet translated; shown in Vietnamese." in body
    article = text(browser.get(f"/tin/{news_a['new'].id}/{news_a['new'].slug}", host=HOST_A))
    assert "<h1>The union reviews its work in 2023</h1>" in article
    assert 'hreflang="vi"' in article and 'hreflang="en"' in article


def test_vietnamese_site_shows_the_vietnamese_version(browser, news_a):
    body = text(browser.get("/tin-tuc/?lang=vi", host=HOST_A))
    assert "Liên hiệp tổng kết công tác năm 2023" in body and "The union reviews" not in body


def test_category_page_lists_its_articles_and_has_its_feeds(browser, news_a):
    category = news_a["aid"]
    body = text(browser.get(f"/chuyen-muc/{category.id}/{category.slug}", host=HOST_A))
    assert "Bàn giao lớp học" in body and "Hội nghị sơ kết" not in body
    assert f'href="/chuyen-muc/{category.id}/feed.atom"' in body


def test_pagination(browser, make_article, make_category, tenant_a):
    category = make_category(tenant_a)
    for n in range(23):
        make_article(tenant_a, f"Tin số {n:02d}", category=category, ago=timedelta(hours=n + 1))
    first = text(browser.get("/tin-tuc/", host=HOST_A))
    third = text(browser.get("/tin-tuc/?page=3", host=HOST_A))
    assert "Tin số 00" in first and "Tin số 10" not in first and "Trang 1 / 3" in first
    assert "Tin số 22" in third and "Tin số 00" not in third
    assert browser.get("/tin-tuc/?page=abc", host=HOST_A).status_code == 200
    assert browser.get("/tin-tuc/?page=999", host=HOST_A).status_code == 200


# --- search ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("query", ["tong ket", "TỔNG KẾT", unicodedata.normalize("NFD", "tổng kết"), "tổng  kết"])
def test_search_ignores_diacritics_case_and_unicode_form(browser, news_a, query):
    body = text(browser.get("/tim-kiem", host=HOST_A, query_string={"q": query}))
    assert "Liên hiệp <mark>tổng</mark> <mark>kết</mark> công tác năm 2023" in body


def test_search_finds_text_stored_decomposed(browser, make_article, tenant_a):
    make_article(tenant_a, unicodedata.normalize("NFD", "Hội hữu nghị Việt – Lào"))
    body = text(browser.get("/tim-kiem", host=HOST_A, query_string={"q": "huu nghi"}))
    assert "<mark>hữu</mark> <mark>nghị</mark>" in body


def test_search_ranks_title_matches_first_and_skips_unpublished(browser, news_a):
    body = text(browser.get("/tim-kiem", host=HOST_A, query_string={"q": "viện trợ"}))
    results = re.findall(r"<h2><a href=\"([^\"]+)\">", body)
    assert results[0].startswith(f"/tin/{news_a['new'].id}/") or "Vận động viện trợ" in body
    draft_body = text(browser.get("/tim-kiem", host=HOST_A, query_string={"q": "bản nháp"}))
    assert "0 kết quả" in draft_body


def test_search_stays_in_its_tenant(browser, news_a, make_article, tenant_b):
    make_article(tenant_b, "Tổng kết riêng của tỉnh B")
    body = text(browser.get("/tim-kiem", host=HOST_B, query_string={"q": "tong ket"}))
    assert "riêng của tỉnh B" in body and "năm 2023" not in body


def test_search_escapes_what_it_echoes(browser, news_a):
    body = text(browser.get("/tim-kiem", host=HOST_A, query_string={"q": "<script>alert(1)</script>"}))
    assert "<script>alert(1)</script>" not in body


def test_portal_search_spans_provinces_and_labels_them(browser, news_a, make_article, tenant_b):
    make_article(tenant_b, "Tổng kết riêng của tỉnh B")
    body = text(browser.get("/tim-kiem", host="localhost", query_string={"q": "tong ket"}))
    assert "riêng của tỉnh B" in body and "năm 2023" in body
    assert 'class="tenant-label">Liên hiệp các tổ chức hữu nghị tỉnh A<' in body
    assert "//tinh-b.localhost/tin/" in body


# --- feeds, sitemap, robots ------------------------------------------------------------------------

ATOM = "{http://www.w3.org/2005/Atom}"


def test_atom_feed_lists_only_this_tenants_public_news(browser, news_a, make_article, tenant_b):
    make_article(tenant_b, "Tin của tỉnh B")
    response = browser.get("/feed.atom", host=HOST_A)
    assert response.mimetype == "application/atom+xml"
    feed = ElementTree.fromstring(  # noqa: S314 (our own output)
        response.data)
    titles = [e.findtext(f"{ATOM}title") for e in feed.findall(f"{ATOM}entry")]
    assert titles == ["Liên hiệp tổng kết công tác năm 2023", "Bàn giao lớp học", "Hội nghị sơ kết 6 tháng đầu năm"]
    links = [e.find(f"{ATOM}link").get("href") for e in feed.findall(f"{ATOM}entry")]
    assert all(link.startswith("http://tinh-a.localhost/tin/") for link in links)


def test_rss_feed_per_category(browser, news_a):
    response = browser.get(f"/chuyen-muc/{news_a['aid'].id}/feed.rss", host=HOST_A)
    assert response.mimetype == "application/rss+xml"
    channel = ElementTree.fromstring(  # noqa: S314 (our own output)
        response.data).find("channel")
    assert [i.findtext("title") for i in channel.findall("item")] == ["Bàn giao lớp học"]
    assert re.match(r"\w{3}, \d{2} \w{3} \d{4}", channel.find("item").findtext("pubDate"))


def test_sitemap_lists_this_tenants_public_urls_with_hreflang(browser, news_a, make_page, tenant_a, tenant_b,
                                                             make_article):
    make_page(tenant_a, "Giới thiệu")
    make_article(tenant_b, "Tin của tỉnh B")
    response = browser.get("/sitemap.xml", host=HOST_A)
    sitemap = ElementTree.fromstring(  # noqa: S314 (our own output)
        response.data)
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
    locs = [u.findtext("s:loc", namespaces=ns) for u in sitemap.findall("s:url", ns)]
    assert all(loc.startswith("http://tinh-a.localhost/") for loc in locs)
    assert "http://tinh-a.localhost/trang/giới-thiệu" in locs or any("/trang/" in loc for loc in locs)
    assert not any(f"/tin/{news_a['draft'].id}/" in loc or f"/tin/{news_a['future'].id}/" in loc for loc in locs)
    new_url = next(u for u in sitemap.findall("s:url", ns)
                   if f"/tin/{news_a['new'].id}/" in u.findtext("s:loc", namespaces=ns))
    hreflangs = {link.get("hreflang") for link in new_url.findall("x:link", ns)}
    assert hreflangs == {"vi", "en"}


def test_robots_points_to_the_hosts_sitemap(browser, tenant_a):
    body = text(browser.get("/robots.txt", host=HOST_A))
    assert "Sitemap: http://tinh-a.localhost/sitemap.xml" in body and "Disallow: /manage/" in body


def test_home_shows_hot_news_and_categories(browser, news_a):
    body = text(browser.get("/", host=HOST_A))
    assert "Tin nóng" in body and "Liên hiệp tổng kết công tác năm 2023" in body
    assert "Vận động viện trợ" in body  # a category block


def test_portal_lists_news_shared_by_provinces(browser, make_article, tenant_a, national):
    make_article(tenant_a, "Tin tỉnh A gửi Cổng quốc gia", share_national=True)
    make_article(tenant_a, "Tin chỉ đăng ở tỉnh A")
    body = text(browser.get("/", host="localhost"))
    assert "Tin tỉnh A gửi Cổng quốc gia" in body and "Tin chỉ đăng ở tỉnh A" not in body


def test_teaser_links_are_the_article_routes_own_addresses(app, browser, news_a):
    from flask import url_for

    from app.news.routes import article_path

    html = text(browser.get("/tin-tuc/", host=HOST_A))
    teaser_links = set(re.findall(r'class="teaser-title"><a href="([^"]+)"', html))
    assert teaser_links
    with app.test_request_context("/", headers={"Host": HOST_A}):
        for href in teaser_links:
            article_id, slug = re.fullmatch(r"/tin/(\d+)/([^/]+)", href).groups()
            row = SimpleNamespace(id=int(article_id), slug=slug)
            assert article_path(row) == url_for("news.article", article_id=row.id, slug=row.slug) == href
    for href in teaser_links:
        assert browser.get(href, host=HOST_A).status_code == 200
