"""The feeds as a real feed reader sees them: feedparser parses every one of them without complaint."""

from datetime import timedelta

import feedparser
import pytest

HOST_A = "tinh-a.localhost"


@pytest.fixture
def feeds_site(tenant_a, tenant_b, make_article, make_category):
    activities = make_category(tenant_a, "Tin tức hoạt động", "Activities")
    ids = {"activities": activities.id}  # plain values: the rows are tenant A's (a commit expires them)
    aid = make_category(tenant_a, "Vận động viện trợ", "Aid mobilisation")
    ids["aid"] = aid.id
    original = make_article(tenant_a, "Đoàn đại biểu Lào thăm và làm việc tại tỉnh", category=activities,
                            ago=timedelta(days=1), summary="Hai bên trao đổi về hợp tác giáo dục & y tế <2025>.",
                            body="<p>Nội dung có <strong>định dạng</strong> &amp; ký tự đặc biệt: “ngoặc kép”.</p>")
    make_article(tenant_a, "A Lao delegation visits the province", category=activities, locale="en",
                 original=original, ago=timedelta(days=1), summary="Education & health cooperation.")
    make_article(tenant_a, "Bàn giao công trình nhà vệ sinh cho trường tiểu học", category=aid,
                 ago=timedelta(days=2), source_line="Trịnh Thu")
    make_article(tenant_a, "Bản nháp không được lên nguồn cấp", status="draft", category=aid)
    make_article(tenant_b, "Tin của tỉnh B", ago=timedelta(days=1))
    return ids


def _parse(browser, path, lang="vi"):
    browser.get(f"/?lang={lang}", host=HOST_A)
    response = browser.get(path, host=HOST_A)
    assert response.status_code == 200, path
    parsed = feedparser.parse(response.get_data())
    assert not parsed.bozo, f"{path}: {parsed.get('bozo_exception')!r}"
    return parsed


@pytest.mark.parametrize("kind, version", [("atom", "atom10"), ("rss", "rss20")])
def test_site_feeds_parse_cleanly(browser, feeds_site, kind, version):
    parsed = _parse(browser, f"/feed.{kind}")
    assert parsed.version == version
    assert parsed.feed.title == "Liên hiệp các tổ chức hữu nghị tỉnh A"
    titles = [e.title for e in parsed.entries]
    assert titles == ["Đoàn đại biểu Lào thăm và làm việc tại tỉnh",
                      "Bàn giao công trình nhà vệ sinh cho trường tiểu học"]
    for entry in parsed.entries:
        assert entry.link.startswith(f"http://{HOST_A}/tin/")
        assert entry.published_parsed is not None
        assert entry.get("id")
    assert "giáo dục & y tế <2025>" in parsed.entries[0].summary  # escaped in XML, whole again once parsed


@pytest.mark.parametrize("kind", ["atom", "rss"])
def test_category_feeds_parse_and_hold_only_that_category(browser, feeds_site, kind):
    parsed = _parse(browser, f"/chuyen-muc/{feeds_site['aid']}/feed.{kind}")
    assert [e.title for e in parsed.entries] == ["Bàn giao công trình nhà vệ sinh cho trường tiểu học"]
    assert "Vận động viện trợ" in parsed.feed.title


def test_english_feed_shows_the_english_version(browser, feeds_site):
    parsed = _parse(browser, "/feed.atom", lang="en")
    assert parsed.entries[0].title == "A Lao delegation visits the province"
    assert parsed.feed.title == "Province A Union"
