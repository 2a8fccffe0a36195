"""Preview links: signed, expiring, valid only on the article's own tenant host."""

import re
import time

from app.news import preview


def _preview_path(browser, article_id):
    html = browser.get(f"/manage/tinh-a/news/{article_id}").get_data(as_text=True)
    match = re.search(r'href="http://tinh-a\.localhost(/xem-truoc/[^"]+)" id="preview-link"', html)
    assert match, "no preview link on the edit page"
    return match.group(1)


def test_draft_preview_works_on_its_host_only(browser, staff, make_article, tenant_a, tenant_b):
    article = make_article(tenant_a, "Bản nháp bí mật", status="draft", body="<p>Chưa công bố.</p>")
    browser.login("author@tinh-a.vn")
    path = _preview_path(browser, article.id)
    anonymous = browser.__class__(browser.client.application.test_client())
    shown = anonymous.get(path, host="tinh-a.localhost")
    assert shown.status_code == 200
    assert "Chưa công bố." in shown.get_data(as_text=True)
    assert shown.headers["X-Robots-Tag"] == "noindex, nofollow"
    assert "no-store" in shown.headers["Cache-Control"]
    assert anonymous.get(path, host="tinh-b.localhost").status_code == 404  # another tenant's host
    assert anonymous.get(path[:-3] + "abc", host="tinh-a.localhost").status_code == 404  # tampered
    assert anonymous.get(f"/tin/{article.id}/", host="tinh-a.localhost").status_code == 404  # still unpublished


def test_preview_expires(browser, staff, make_article, tenant_a, monkeypatch):
    article = make_article(tenant_a, "Bản nháp", status="draft")
    browser.login("editor@tinh-a.vn")
    path = _preview_path(browser, article.id)
    assert browser.get(path, host="tinh-a.localhost").status_code == 200
    later = time.time() + preview.DEFAULT_MAX_AGE + 60
    monkeypatch.setattr("itsdangerous.timed.time.time", lambda: later)
    assert browser.get(path, host="tinh-a.localhost").status_code == 404


def test_preview_of_a_deleted_article_is_404(browser, staff, make_article, tenant_a):
    article = make_article(tenant_a, "Bản nháp", status="draft")
    browser.login("editor@tinh-a.vn")
    path = _preview_path(browser, article.id)
    browser.post(f"/manage/tinh-a/news/{article.id}/delete", token_from=f"/manage/tinh-a/news/{article.id}/delete")
    assert browser.get(path, host="tinh-a.localhost").status_code == 404
