"""A real browser (Debian's Chromium driven by Playwright) against the app served on a real socket."""

import os
import shutil

import pytest

from app.demo.loader import DEMO_PASSWORD

pytestmark = pytest.mark.e2e


def test_sign_in_and_open_the_console(live_server, page, tmp_path):
    base, _port = live_server
    page.goto(f"{base}/manage/")
    assert "/auth/login" in page.url
    page.get_by_label("Thư điện tử").fill("editor@hai-duong.demo")
    page.get_by_label("Mật khẩu").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url("**/manage/hai-duong/")
    assert page.get_by_role("heading", level=1).inner_text() == "Liên hiệp các tổ chức hữu nghị tỉnh Hải Dương"
    page.get_by_role("link", name="Trang", exact=True).click()
    assert page.get_by_role("link", name="Chức năng, nhiệm vụ").is_visible()
    page.screenshot(path=str(tmp_path / "console.png"), full_page=True)


def test_wrong_password_shows_an_inline_error(live_server, page):
    base, _port = live_server
    page.goto(f"{base}/auth/login")
    page.get_by_label("Thư điện tử").fill("editor@hai-duong.demo")
    page.get_by_label("Mật khẩu").fill("sai-mat-khau-roi")
    page.get_by_role("button", name="Đăng nhập").click()
    assert page.locator(".errors").inner_text().strip() != ""
    assert page.get_by_label("Mật khẩu").get_attribute("aria-invalid") == "true"


def test_tenant_site_on_its_own_host_and_language_switch(live_server, page, tmp_path):
    _base, port = live_server
    page.goto(f"http://vinh-phuc.localhost:{port}/")
    assert page.locator("html").get_attribute("lang") == "vi"
    assert "Vĩnh Phúc" in page.locator(".brand-name").inner_text()
    page.get_by_role("link", name="EN", exact=True).click()
    assert page.locator("html").get_attribute("lang") == "en"
    assert "Vinh Phuc Union of Friendship Organizations" in page.locator(".brand-name").inner_text()
    page.screenshot(path=str(tmp_path / "site.png"), full_page=True)
    if os.environ.get("LHHN_SCREENSHOT_DIR"):
        shutil.copy(tmp_path / "site.png", os.environ["LHHN_SCREENSHOT_DIR"])
