"""The menu editor in a real browser: staff add a menu item with a sub-item, the public header shows it and its
sub-menu opens and closes with the keyboard (Enter, Tab into it, Escape back to the button, Space)."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.test_editorial_browser import _sign_in, _watch_csp

pytestmark = pytest.mark.e2e


def _add(page, base, label, section, parent=None):
    query = "locale=vi" + (f"&parent={parent}" if parent else "")
    page.goto(f"{base}/manage/hai-duong/menu/new?{query}")
    page.locator("#label").fill(label)
    page.locator("#kind").select_option("section")
    page.locator("#target").select_option(f"section:{section}")
    page.locator("form.article-form button.primary").click()
    page.wait_for_url(re.compile(r".*/manage/hai-duong/menu/\?locale=vi#item-\d+$"))
    return int(page.url.rsplit("#item-", 1)[1])


def test_staff_build_a_menu_and_the_sub_menu_works_with_the_keyboard(live_server, page):
    base, port = live_server
    violations = _watch_csp(page)
    _sign_in(page, base, "admin@hai-duong.demo")
    top = _add(page, base, "Hợp tác quốc tế", "news")
    _add(page, base, "Album ảnh hoạt động", "albums", parent=top)
    entry = page.locator(f"#item-{top}")
    expect(entry).to_contain_text("Album ảnh hoạt động")
    expect(entry.locator(f"form[action$='/menu/{top}/up'] button")).to_have_count(0)  # the first one: no "up"

    page.goto(f"http://hai-duong.localhost:{port}/")
    nav = page.locator("nav.site-nav")
    item = nav.locator("li.has-sub", has_text="Hợp tác quốc tế")
    expect(item.get_by_role("link", name="Hợp tác quốc tế")).to_have_attribute("href", "/tin-tuc/")
    button = item.locator("button.submenu-toggle")
    submenu = page.locator("#" + button.get_attribute("aria-controls"))
    expect(button).to_be_visible()  # the script mounted (no inline script: CSP allows 'self' only)
    expect(button).to_have_attribute("aria-expanded", "false")
    expect(submenu).to_be_hidden()
    button.focus()
    page.keyboard.press("Enter")
    expect(button).to_have_attribute("aria-expanded", "true")
    expect(submenu).to_be_visible()
    page.keyboard.press("Tab")
    link = submenu.get_by_role("link", name="Album ảnh hoạt động")
    expect(link).to_be_focused()
    expect(link).to_have_attribute("href", "/album/")
    page.keyboard.press("Escape")
    expect(button).to_be_focused()
    expect(button).to_have_attribute("aria-expanded", "false")
    expect(submenu).to_be_hidden()
    page.keyboard.press("Space")
    expect(submenu).to_be_visible()
    expect(page.locator("nav.footer-nav")).to_contain_text("Hợp tác quốc tế")
    assert not violations, violations
