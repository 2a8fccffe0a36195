"""The editorial workflow in a real browser: an author writes in the Quill editor and submits, an editor
approves, and the article appears on the union's site and in its Atom feed — all under the CSP."""

import re

import pytest

from app.demo.loader import DEMO_PASSWORD

pytestmark = pytest.mark.e2e
TITLE = "Giao lưu hữu nghị với đoàn thanh niên Viêng Chăn"


def _sign_in(tab, base, email):
    tab.goto(f"{base}/auth/login")
    tab.get_by_label("Thư điện tử").fill(email)
    tab.get_by_label("Mật khẩu").fill(DEMO_PASSWORD)
    tab.get_by_role("button", name="Đăng nhập").click()
    tab.wait_for_url("**/manage/**")


def _watch_csp(tab) -> list[str]:
    violations = []
    tab.on("console", lambda msg: violations.append(msg.text)
            if "Content Security Policy" in msg.text or "Refused to" in msg.text else None)
    return violations


def test_author_writes_editor_approves_public_site_and_feed(live_server, page, tmp_path):  # noqa: F811
    base, port = live_server
    violations = _watch_csp(page)
    _sign_in(page, base, "author@hai-duong.demo")
    page.goto(f"{base}/manage/hai-duong/news/new")
    assert page.locator(".ql-toolbar").is_visible()  # the real editor mounted (script-src 'self' only)
    page.get_by_label("Tiêu đề", exact=True).fill(TITLE)
    page.get_by_label("Tóm tắt", exact=True).fill("Liên hiệp tiếp đoàn thanh niên thủ đô Viêng Chăn.")
    editor = page.locator(".ql-editor")
    editor.click()
    page.keyboard.type("Sáng nay, Liên hiệp đón đoàn ")
    page.get_by_role("button", name="Chữ đậm").click()
    page.keyboard.type("thanh niên Viêng Chăn")
    page.get_by_role("button", name="Chữ đậm").click()
    page.keyboard.type(" tại trụ sở.")
    page.keyboard.press("Enter")
    page.keyboard.type("Hai bên trao đổi kế hoạch giao lưu năm tới.")
    page.keyboard.press("Tab")  # Tab leaves the editor: keyboard users are not trapped
    assert page.evaluate("document.activeElement.classList.contains('ql-editor')") is False
    page.get_by_label("Nguồn tin", exact=True).fill("Nguồn tin: Ban Đối ngoại")
    page.get_by_role("button", name="Lưu", exact=True).click()
    page.wait_for_url(re.compile(r".*/manage/hai-duong/news/\d+$"))
    assert "Đã lưu bản nháp." in page.locator(".flashes").inner_text()
    article_url = page.url
    page.get_by_role("button", name="Gửi duyệt").click()
    assert "Đã gửi Ban biên tập duyệt." in page.locator(".flashes").inner_text()
    page.screenshot(path=str(tmp_path / "author.png"), full_page=True)

    editor_page = page.context.browser.new_context(locale="vi-VN").new_page()
    violations += _watch_csp(editor_page)
    _sign_in(editor_page, base, "editor@hai-duong.demo")
    editor_page.goto(f"{base}/manage/hai-duong/news/?status=in_review")
    editor_page.get_by_role("link", name=TITLE).click()
    assert editor_page.url == article_url
    body = editor_page.locator(".ql-editor")
    assert body.locator("strong").inner_text() == "thanh niên Viêng Chăn"
    editor_page.get_by_role("button", name="Duyệt và đăng").click()
    assert "Đã đăng bài viết." in editor_page.locator(".flashes").inner_text()

    site = f"http://hai-duong.localhost:{port}"
    editor_page.goto(f"{site}/")
    editor_page.get_by_role("link", name=TITLE).first.click()
    assert editor_page.get_by_role("heading", level=1).inner_text() == TITLE
    article = editor_page.locator("article").first.inner_html()
    assert "<strong>thanh niên Viêng Chăn</strong>" in article
    # the feed, fetched by the browser itself (it resolves *.localhost; the test process may not)
    feed = editor_page.evaluate("fetch('/feed.atom').then(r => r.ok ? r.text() : 'HTTP ' + r.status)")
    assert feed.startswith("<?xml") and f"<title>{TITLE}</title>" in feed
    assert violations == []


def test_an_editor_inserts_a_library_image_with_its_alt_text(live_server, page, tmp_path):  # noqa: F811
    """The editor's image button lists the union's library; the chosen image goes into the body with the library's
    alt text, shows in the console (platform host) and on the union's site."""
    from tests.fixtures.media import jpeg_bytes

    base, port = live_server
    violations = _watch_csp(page)
    _sign_in(page, base, "editor@hai-duong.demo")
    photo = tmp_path / "doan-lao.jpg"
    photo.write_bytes(jpeg_bytes(900, 600))
    page.goto(f"{base}/manage/hai-duong/media/")
    page.get_by_label("Tệp đính kèm").set_input_files(str(photo))
    page.get_by_label("Văn bản thay thế (bắt buộc với ảnh)").fill("Đoàn Lào chụp ảnh lưu niệm")
    page.get_by_role("button", name="Tải lên").click()
    page.wait_for_url(re.compile(r".*/manage/hai-duong/media/\d+$"))

    page.goto(f"{base}/manage/hai-duong/news/new")
    page.get_by_label("Tiêu đề", exact=True).fill("Ảnh lưu niệm với đoàn Lào")
    page.get_by_label("Tóm tắt", exact=True).fill("Hai đoàn chụp ảnh lưu niệm.")
    page.locator(".ql-editor").click()
    page.keyboard.type("Đoàn chụp ảnh lưu niệm.")
    page.get_by_role("button", name="Chèn ảnh từ thư viện").click()
    dialog = page.get_by_role("dialog", name="Chọn ảnh")
    dialog.get_by_role("button", name="Đoàn Lào chụp ảnh lưu niệm").click()
    inserted = page.locator(".ql-editor img")
    inserted.wait_for()
    assert inserted.get_attribute("alt") == "Đoàn Lào chụp ảnh lưu niệm"
    page.wait_for_function("document.querySelector('.ql-editor img').naturalWidth > 0")  # it loads in the console
    page.get_by_role("button", name="Lưu", exact=True).click()
    page.wait_for_url(re.compile(r".*/manage/hai-duong/news/\d+$"))
    page.get_by_role("button", name="Duyệt và đăng").click()
    assert "Đã đăng bài viết." in page.locator(".flashes").inner_text()

    page.goto(f"http://hai-duong.localhost:{port}/")
    page.get_by_role("link", name="Ảnh lưu niệm với đoàn Lào").first.click()
    image = page.locator("article img[alt='Đoàn Lào chụp ảnh lưu niệm']")
    assert re.fullmatch(r"/media/\d+/w640-doan-lao\.jpg", image.get_attribute("src"))
    page.wait_for_function("document.querySelector(\"article img[alt='Đoàn Lào chụp ảnh lưu niệm']\").naturalWidth > 0")
    assert violations == []
