"""Issue 16, axe-core in Debian's Chromium: the pages showing pictures — a demo union's home page, a category's news
list, an article, an album gallery (and its lightbox, opened and closed by keyboard) — and the console's article
editor have no serious or critical accessibility violation (WCAG 2.1 AA, TT 26/2020/TT-BTTTT)."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.test_accessibility import check
from tests.e2e.test_editorial_browser import _sign_in

pytestmark = pytest.mark.e2e

UNION = "hai-duong"  # a big demo union: covers on every article and a photo album (app/demo/pictures.py)


def _report(failures: dict) -> str:
    return "serious or critical axe-core violations:\n" + "\n".join(
        f"{where}\n{what}" for where, what in failures.items())


def test_public_pages_with_pictures_have_no_serious_violations(live_server, page):
    _base, port = live_server
    site = f"http://{UNION}.localhost:{port}"
    failures: dict[str, str] = {}

    page.goto(f"{site}/")
    expect(page.locator("main picture").first).to_be_visible()
    check(page, "home", failures)

    # a category's list (its address from the page's links: the menu is the union's own)
    page.goto(site + page.locator("a[href^='/chuyen-muc/']").first.get_attribute("href"))
    page.wait_for_url(re.compile(r"/chuyen-muc/\d+/"))
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    expect(page.locator("main picture").first).to_be_attached()
    check(page, "category list", failures)

    # an article of that list, with its cover
    page.locator("main .teaser-title a").first.click()
    page.wait_for_url(re.compile(r"/tin/\d+/"))
    expect(page.locator("article figure.cover picture")).to_have_count(1)
    check(page, "article", failures)

    # the albums and a gallery
    page.goto(f"{site}/album/")
    check(page, "albums", failures)
    page.locator("main .album-card h2 a").first.click()
    page.wait_for_url(re.compile(r"/album/\d+-.+"))
    links = page.locator("main .gallery a[data-lightbox]")
    expect(links.first).to_be_visible()
    assert links.count() >= 2
    check(page, "album", failures)

    # the lightbox by keyboard: Enter on a photo opens it (focus on Close), → moves on, Esc closes it and the focus
    # goes back to the photo shown
    second = links.nth(1)
    second.focus()
    expect(second).to_be_focused()
    page.keyboard.press("Enter")
    viewer = page.get_by_role("dialog", name="Trình xem ảnh")
    expect(viewer).to_be_visible()
    shown = viewer.locator("img")
    expect(shown).to_have_attribute("src", site + second.get_attribute("href"))
    expect(shown).to_have_attribute("alt", second.get_attribute("data-full-alt"))
    assert shown.get_attribute("alt").strip(), "the enlarged photo has its alt text"
    expect(viewer.get_by_role("button", name="Đóng")).to_be_focused()
    expect(viewer.locator(".lightbox-position")).to_have_text(f"Ảnh 2 trên {links.count()}")
    assert shown.evaluate("i => i.decode().then(() => i.naturalWidth > 0)")
    check(page, "album with the lightbox open", failures)

    page.keyboard.press("ArrowRight")
    expect(shown).to_have_attribute("src", site + links.nth(2 % links.count()).get_attribute("href"))
    page.keyboard.press("ArrowLeft")
    expect(shown).to_have_attribute("src", site + second.get_attribute("href"))
    page.keyboard.press("Escape")
    expect(viewer).to_be_hidden()
    expect(second).to_be_focused()

    # it opens again (the dialog is reused) and the Close button closes it as well
    page.keyboard.press("Enter")
    expect(viewer).to_be_visible()
    page.keyboard.press("Enter")  # on the focused Close button
    expect(viewer).to_be_hidden()
    expect(second).to_be_focused()

    assert not failures, _report(failures)


def test_console_article_editor_has_no_serious_violations(live_server, page):
    base, _port = live_server
    failures: dict[str, str] = {}
    _sign_in(page, base, f"editor@{UNION}.demo")
    page.goto(f"{base}/manage/{UNION}/news/")
    page.locator("main table a[href*='/news/']").first.click()
    page.wait_for_url(re.compile(rf"/manage/{UNION}/news/\d+$"))
    expect(page.locator(".ql-editor")).to_be_visible()  # the rich editor mounted
    opener = page.get_by_role("button", name="Chọn từ thư viện…")
    expect(opener).to_be_visible()
    expect(page.locator("img.cover-preview")).to_be_visible()
    check(page, "article editor", failures)

    opener.click()
    picker = page.get_by_role("dialog", name="Ảnh trong thư viện")
    expect(picker.locator("button.image-choice[aria-pressed='true']")).to_be_focused()  # the current cover
    check(page, "article editor with the cover picker open", failures)
    page.keyboard.press("Escape")
    expect(picker).to_have_count(0)
    expect(opener).to_be_focused()

    assert not failures, _report(failures)
