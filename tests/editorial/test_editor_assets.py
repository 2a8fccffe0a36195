"""The editor is served from the application (no CDN) and its pages work under the strict CSP."""

import re
from pathlib import Path

STATIC = Path(__file__).resolve().parents[2] / "app" / "static"


def test_editor_pages_load_only_local_scripts_under_the_csp(browser, staff, make_page, tenant_a):
    page_id = make_page(tenant_a, "Giới thiệu", slug="gioi-thieu").id
    browser.login("editor@tinh-a.vn")
    for url in ("/manage/tinh-a/news/new", f"/manage/tinh-a/pages/{page_id}/edit"):
        response = browser.get(url)
        assert response.status_code == 200
        csp = response.headers["Content-Security-Policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "unsafe-eval" not in csp
        html = response.get_data(as_text=True)
        scripts = re.findall(r"<script([^>]*)>(.*?)</script>", html, re.S)
        assert scripts and all(body.strip() == "" for _, body in scripts)  # no inline script
        sources = [src.split("?v=")[0] for src in re.findall(r'<script[^>]*src="([^"]+)"', html)]  # fingerprint
        assert "/static/vendor/quill/quill.js" in sources and "/static/js/editor.js" in sources
        assert all(src.startswith("/static/") for src in sources)
        assert not re.search(r"\son[a-z]+=", html)  # no inline event handlers
        assert 'data-editor="rich"' in html


def test_vendored_editor_ships_with_its_licence(client):
    for name in ("quill.js", "quill.snow.css", "LICENSE", "README.md"):
        assert (STATIC / "vendor" / "quill" / name).is_file(), name
    assert "BSD" in (STATIC / "vendor" / "quill" / "LICENSE").read_text() or \
        "Redistribution and use" in (STATIC / "vendor" / "quill" / "LICENSE").read_text()
    response = client.get("/static/vendor/quill/quill.js")
    assert response.status_code == 200 and "javascript" in response.content_type
    response.close()


def test_without_javascript_the_body_is_a_labelled_textarea(browser, staff):
    browser.login("author@tinh-a.vn")
    html = browser.get("/manage/tinh-a/news/new").get_data(as_text=True)
    assert re.search(r'<label[^>]*for="body_html"[^>]*>Nội dung</label>', html)
    assert re.search(r'<textarea[^>]*id="body_html"', html)
