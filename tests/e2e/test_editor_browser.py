"""The article editor in a real browser: one content field (the rich editor; the textarea is hidden), a YouTube
video embedded through the allow-list, drafts saved automatically, and no serious accessibility finding."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.test_accessibility import blocking_violations, describe
from tests.e2e.test_editorial_browser import _sign_in, _watch_csp

pytestmark = pytest.mark.e2e


def test_one_content_field_video_embed_and_autosave(live_server, page):
    base, _port = live_server
    violations = _watch_csp(page)
    _sign_in(page, base, "author@hai-duong.demo")
    page.goto(f"{base}/manage/hai-duong/news/new")
    assert page.locator(".ql-editor").is_visible()
    assert page.locator("textarea#body_html").is_hidden()  # one content field, not the HTML and the editor
    assert page.locator("textarea#body_html").count() == 1
    page.get_by_label("Tiêu đề", exact=True).fill("Liên hoan hữu nghị Việt – Lào")
    page.locator(".ql-editor").click()
    page.keyboard.type("Đoạn mở đầu.")
    page.get_by_role("button", name="Lưu", exact=True).click()
    page.wait_for_url(re.compile(r".*/manage/hai-duong/news/\d+$"))
    draft_url = page.url

    found = blocking_violations(page)
    assert not found, describe(found)

    # embed a video: a foreign address is refused in the dialog, a YouTube address becomes the nocookie player
    page.locator(".ql-editor").click()
    page.keyboard.press("End")
    page.get_by_role("button", name="Nhúng video (YouTube hoặc Vimeo)").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("Địa chỉ video trên YouTube hoặc Vimeo").fill("https://evil.example/video/1")
    dialog.get_by_role("button", name="Nhúng", exact=True).click()
    assert "YouTube" in dialog.get_by_role("alert").inner_text()
    dialog.get_by_label("Địa chỉ video trên YouTube hoặc Vimeo").fill("https://www.youtube.com/watch?v=dQw4w9WgXcQ")
    dialog.get_by_role("button", name="Nhúng", exact=True).click()
    assert page.locator(".ql-editor iframe").get_attribute("src") == "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"
    page.keyboard.type("Đoạn sau video.")

    # saved automatically, without pressing Save
    expect(page.locator("#autosave-status")).to_contain_text("tự động lưu bản nháp lúc", timeout=45_000)
    page.goto(draft_url)
    src = page.locator(".ql-editor iframe").get_attribute("src")
    assert src == "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"
    body = page.locator("textarea#body_html").input_value()
    assert body.index("Đoạn mở đầu.") < body.index("<iframe") < body.index("Đoạn sau video.")
    assert not [v for v in violations if "frame" not in v], violations  # no script or style refused
