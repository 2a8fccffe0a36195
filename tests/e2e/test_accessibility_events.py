"""Issue 17, axe-core in Debian's Chromium: the events list, a month of the calendar and an event's page on a demo
union's site, and the portal's list of every union's events, have no serious or critical accessibility violation."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.test_accessibility import check

pytestmark = pytest.mark.e2e


def test_the_calendar_pages_have_no_serious_violations(live_server, page):
    _base, port = live_server
    site = f"http://hai-duong.localhost:{port}"
    failures: dict[str, str] = {}

    page.goto(f"{site}/su-kien/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    expect(page.locator("a[href$='.ics']").first).to_be_attached()  # the union's iCal feed is offered
    check(page, "events list", failures)

    page.locator("main a[href^='/su-kien/thang/']").first.click()
    page.wait_for_url(re.compile(r"/su-kien/thang/\d{4}-\d{2}"))
    expect(page.locator("main table caption")).to_be_visible()
    check(page, "month view", failures)

    page.goto(f"{site}/su-kien/")
    page.locator("main a[href^='/su-kien/']").filter(has_not_text=re.compile("^$")).locator(
        "xpath=self::a[not(contains(@href, 'thang')) and not(contains(@href, '.ics'))]").first.click()
    page.wait_for_url(re.compile(r"/su-kien/\d+"))
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    check(page, "event page", failures)

    page.goto(f"http://localhost:{port}/su-kien/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    check(page, "portal events", failures)

    assert not failures, "serious or critical axe-core violations:\n" + "\n".join(
        f"{where}\n{what}" for where, what in failures.items())


def test_the_search_pages_have_no_serious_violations(live_server, page):
    """The site search (a decree found by its PDF's text, typed without accents, with the facet bar) and the
    portal's search, and the members page with each organisation's terms."""
    _base, port = live_server
    site = f"http://hai-duong.localhost:{port}"
    failures: dict[str, str] = {}

    page.goto(f"{site}/")
    page.get_by_role("searchbox").first.fill("nghi dinh 80")
    page.get_by_role("searchbox").first.press("Enter")
    page.wait_for_url(re.compile(r"/tim-kiem|search|q=nghi"))
    facets = page.get_by_role("navigation", name=re.compile("Loại kết quả|Kinds of results"))
    expect(facets).to_be_visible()
    expect(page.locator("main").get_by_text("308/QĐ-UBND").first).to_be_visible()
    check(page, "site search", failures)

    facets.get_by_role("link", name=re.compile("Văn bản|Documents")).click()
    expect(facets.locator("[aria-current='page']")).to_contain_text(re.compile("Văn bản|Documents"))
    check(page, "site search, one kind", failures)

    page.goto(f"http://localhost:{port}/tim-kiem?q=huu+nghi")
    check(page, "portal search", failures)

    page.goto(f"{site}/to-chuc-thanh-vien")
    expect(page.locator(".member-terms-line").first).to_be_visible()
    check(page, "members", failures)

    assert not failures, "serious or critical axe-core violations:\n" + "\n".join(
        f"{where}\n{what}" for where, what in failures.items())
