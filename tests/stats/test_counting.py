"""What counts as a page view and a visitor, through real requests to the public sites."""

import pytest

from app.stats.clock import local_day, now_utc
from app.stats.services import day_counts, visitor_widget
from app.stats.tracking import COOKIE

CHROME = ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
          "Chrome/131.0.0.0 Safari/537.36")
A_HOST = "tinh-a.localhost"


def today(tenant) -> tuple[int, int]:
    return day_counts(tenant.id, local_day(now_utc()))


def visit(browser, path="/", host=A_HOST, **headers):
    return browser.get(path, host=host, headers={"User-Agent": CHROME, **headers})


def test_a_page_view_is_counted_and_the_visitor_gets_a_private_cookie(browser, tenant_a):
    response = visit(browser)
    assert response.status_code == 200
    cookie = next(c for c in response.headers.getlist("Set-Cookie") if c.startswith(COOKIE + "="))
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Path=/" in cookie
    assert "127.0.0.1" not in cookie
    assert today(tenant_a) == (1, 1)


def test_the_same_cookie_is_one_visitor_a_new_browser_is_another(browser, browser_factory, tenant_a):
    visit(browser)
    second = visit(browser)
    assert not any(c.startswith(COOKIE) for c in second.headers.getlist("Set-Cookie"))  # kept, not reissued
    visit(browser, "/?lang=en")
    assert today(tenant_a) == (3, 1)
    visit(browser_factory())
    assert today(tenant_a) == (4, 2)
    assert visitor_widget(tenant_a.id)["today"] == 2
    assert visitor_widget(tenant_a.id)["online"] == 2


def test_a_forged_cookie_is_replaced_not_trusted(client, tenant_a):
    client.set_cookie(COOKIE, "x" * 300, domain=A_HOST)
    response = client.get("/", base_url=f"http://{A_HOST}", headers={"User-Agent": CHROME})
    assert any(c.startswith(COOKIE + "=") and "x" * 30 not in c for c in response.headers.getlist("Set-Cookie"))
    assert today(tenant_a) == (1, 1)


@pytest.mark.parametrize("agent", [
    "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
    "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
    "Mozilla/5.0 (compatible; coccocbot-web/1.0; +http://help.coccoc.com/searchengine)",
    "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
    "Mozilla/5.0 (compatible; AhrefsBot/7.0; +http://ahrefs.com/robot/)",
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/120.0 Safari/537.36",
    "curl/8.5.0", "python-requests/2.32.3", "Wget/1.21.4", "UptimeRobot/2.0", "",
])
def test_known_robots_are_not_counted_and_get_no_cookie(browser, tenant_a, agent):
    response = browser.get("/", host=A_HOST, headers={"User-Agent": agent})
    assert response.status_code == 200
    assert not any(c.startswith(COOKIE) for c in response.headers.getlist("Set-Cookie"))
    assert today(tenant_a) == (0, 0)


@pytest.mark.parametrize("agent", [
    CHROME,
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 14.5; rv:132.0) Gecko/20100101 Firefox/132.0",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Version/17.5 Mobile/15E148 Safari/604.1",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) coc_coc_browser/130.0.0 "
    "Chrome/124.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Linux; Android 14; SM-A546E) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 "
    "Mobile Safari/537.36 Zalo iOS/2411",
])
def test_browsers_are_counted(browser, tenant_a, agent):
    browser.get("/", host=A_HOST, headers={"User-Agent": agent})
    assert today(tenant_a) == (1, 1)


def test_head_errors_redirects_static_health_and_prefetch_are_not_counted(browser, make_tenant, national):
    tenant = make_tenant("tinh-a", aliases=("cu.tinh-a.localhost",))
    assert browser.client.head("/", base_url=f"http://{A_HOST}", headers={"User-Agent": CHROME}).status_code == 200
    assert visit(browser, "/trang/khong-co").status_code == 404
    assert visit(browser, "/", host="cu.tinh-a.localhost").status_code == 301
    assert visit(browser, "/static/css/site.css").status_code == 200
    assert visit(browser, "/healthz").status_code in (200, 503)
    assert visit(browser, "/", **{"Sec-Purpose": "prefetch"}).status_code == 200
    assert today(tenant) == (0, 0)


@pytest.mark.parametrize(("endpoint", "mimetype", "counted"), [
    ("site.home", "text/html", True),  # the control: the same request otherwise counts
    ("site.home", "application/atom+xml", False),
    ("site.feed", "text/html", False),
    ("news.category_rss", "application/rss+xml", False),
    ("site.sitemap", "application/xml", False),
    ("site.robots_txt", "text/plain", False),
    ("accounts.login", "text/html", False),
    ("static", "text/css", False),
])
def test_feeds_sitemaps_and_non_html_responses_are_not_counted(app, tenant_a, endpoint, mimetype, counted):
    from flask import Response, g, request
    from werkzeug.routing import Rule

    from app.stats.tracking import is_countable

    with app.test_request_context("/x", base_url=f"http://{A_HOST}", headers={"User-Agent": CHROME}):
        request.url_rule = Rule("/x", endpoint=endpoint)  # what routing would have matched
        g.tenant = tenant_a
        assert is_countable(Response("x", mimetype=mimetype)) is counted


def test_the_console_and_sign_in_are_not_counted(browser, make_user, tenant_a, national):
    make_user("admin@tinh-a.vn", tenant=tenant_a, role="admin")
    browser.login("admin@tinh-a.vn")
    assert browser.get("/manage/tinh-a/").status_code == 200  # Werkzeug's agent: not a robot
    assert browser.get("/manage/tinh-a/pages/").status_code == 200
    assert today(tenant_a) == (0, 0)
    assert today(national) == (0, 0)  # the login page and console live on the national portal's host


def test_counting_can_be_switched_off(app, browser, tenant_a, monkeypatch):
    monkeypatch.setitem(app.config, "STATS_COUNTING", False)
    visit(browser)
    assert today(tenant_a) == (0, 0)


def test_views_of_a_are_never_counted_for_b(browser, tenant_a, tenant_b):
    for _ in range(3):
        visit(browser)
    visit(browser, host="tinh-b.localhost")
    assert today(tenant_a) == (3, 1)
    assert today(tenant_b) == (1, 1)
    assert visitor_widget(tenant_b.id)["total"] == 1


def test_every_public_page_shows_the_widget_in_both_languages(browser, tenant_a, make_page):
    make_page(tenant_a, "Giới thiệu")
    for _ in range(2):
        visit(browser)
    html = visit(browser, "/trang/gioi-thieu").get_data(as_text=True)
    assert "Thống kê truy cập" in html and "Đang online" in html and "Tất cả" in html
    # the widget is rendered before this view is counted: two earlier views by one visitor
    assert '<dt>Hôm nay</dt><dd>1</dd>' in html
    english = visit(browser, "/?lang=en").get_data(as_text=True)
    assert "Visitor statistics" in english and "<dt>This month</dt>" in english


def test_the_console_shows_no_widget(browser, make_user, tenant_a, national):
    make_user("admin@tinh-a.vn", tenant=tenant_a, role="admin")
    browser.login("admin@tinh-a.vn")
    html = browser.get("/manage/tinh-a/").get_data(as_text=True)
    assert "visitor-widget" not in html


def test_the_cookie_is_secure_when_the_session_cookie_is(app, browser, tenant_a, monkeypatch):
    monkeypatch.setitem(app.config, "SESSION_COOKIE_SECURE", True)
    cookie = next(c for c in visit(browser).headers.getlist("Set-Cookie") if c.startswith(COOKIE + "="))
    assert "Secure" in cookie


def test_a_failing_widget_leaves_the_page_whole(app, browser, tenant_a, monkeypatch):
    import sqlalchemy as sa

    from app.stats import services

    def broken(tenant_id, visitor=None):
        raise sa.exc.OperationalError("select", {}, Exception("database is locked"))

    monkeypatch.setattr(services, "cached_visitor_widget", broken)
    response = visit(browser)
    assert response.status_code == 200
    assert "Thống kê truy cập" not in response.get_data(as_text=True)
    assert today(tenant_a) == (1, 1)  # counting does not depend on the widget


def test_the_flush_runs_on_the_beat_schedule(app):
    from workers.tasks.stats import flush_visit_counters

    entry = app.extensions["celery"].conf.beat_schedule["flush-visit-counters"]
    assert entry["task"] == flush_visit_counters.name
    assert entry["schedule"].total_seconds() <= 600
    assert flush_visit_counters.apply().get() == 0  # no counters waiting (and none at all when embedded)
