"""Revision history: every save kept, a readable (escaped) diff between two, restore as a new revision."""

import sqlalchemy as sa

from app.editorial.revisions import text_lines
from app.extensions import db
from app.news.models import Article, ArticleRevision
from tenants.context import tenant_context
from tests.editorial.conftest import article_form

BASE = "/manage/tinh-a/news"


def _new(browser, category, **fields):
    response = browser.post(f"{BASE}/new", article_form(category, **fields), token_from=f"{BASE}/new")
    assert response.status_code == 302
    return int(response.headers["Location"].rstrip("/").split("/")[-1])


def _save(browser, category, article_id, **fields):
    response = browser.post(f"{BASE}/{article_id}", article_form(category, **fields), token_from=f"{BASE}/{article_id}")
    assert response.status_code == 302


def test_text_lines_read_blocks_as_lines():
    assert text_lines("<h2>Mục một</h2><p>Câu &amp; chữ<br>dòng hai</p><ul><li>a</li><li>b</li></ul>") == [
        "Mục một", "Câu & chữ", "dòng hai", "a", "b"]


def test_diff_shows_added_and_removed_lines_escaped(browser, staff, category, tenant_a):
    browser.login("editor@tinh-a.vn")
    article_id = _new(browser, category, body_html="<p>Đoạn giữ nguyên.</p><p>Đoạn cũ sẽ bỏ.</p>")
    _save(browser, category, article_id, title="Tiêu đề mới <b>đậm</b>",
          body_html="<p>Đoạn giữ nguyên.</p><p>Đoạn mới &lt;script&gt;alert(1)&lt;/script&gt;.</p>")
    page = browser.get(f"{BASE}/{article_id}/revisions/diff?from=1&to=2")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert '<li class="diff-same">Đoạn giữ nguyên.</li>' in html
    assert "Đoạn cũ sẽ bỏ.</del>" in html
    assert "Đoạn mới &lt;script&gt;alert(1)&lt;/script&gt;.</ins>" in html  # text, escaped: never markup
    assert "Tiêu đề mới &lt;b&gt;đậm&lt;/b&gt;</ins>" in html
    assert "<script>alert" not in html
    history = browser.get(f"{BASE}/{article_id}/revisions").get_data(as_text=True)
    assert "Tiêu đề mới &lt;b&gt;" in history and "diff?from=1&amp;to=2" in history


def test_restore_brings_back_old_text_as_a_new_revision(browser, staff, category, tenant_a):
    browser.login("editor@tinh-a.vn")
    article_id = _new(browser, category, title="Bản đầu", body_html="<p>Nội dung đầu.</p>")
    _save(browser, category, article_id, title="Bản sau", body_html="<p>Nội dung sau.</p>")
    response = browser.post(f"{BASE}/{article_id}/revisions/1/restore", token_from=f"{BASE}/{article_id}/revisions")
    assert response.status_code == 302
    with tenant_context(tenant_a.id):
        article = db.session.get(Article, article_id)
        assert (article.title, article.body_html) == ("Bản đầu", "<p>Nội dung đầu.</p>")
        revs = db.session.execute(sa.select(ArticleRevision.number, ArticleRevision.title, ArticleRevision.note)
                                  .where(ArticleRevision.article_id == article_id)
                                  .order_by(ArticleRevision.number)).all()
    assert [tuple(r) for r in revs] == [(1, "Bản đầu", "created"), (2, "Bản sau", None),
                                        (3, "Bản đầu", "restored from 1")]


def test_bad_revision_numbers_are_404(browser, staff, category, tenant_a):
    browser.login("editor@tinh-a.vn")
    article_id = _new(browser, category)
    assert browser.get(f"{BASE}/{article_id}/revisions/diff?from=1&to=9").status_code == 404
    assert browser.get(f"{BASE}/{article_id}/revisions/diff?from=x&to=1").status_code == 404
    assert browser.get(f"{BASE}/{article_id}/revisions/diff").status_code == 404
    assert browser.post(f"{BASE}/{article_id}/revisions/7/restore",
                        token_from=f"{BASE}/{article_id}/revisions").status_code == 404


def test_author_cannot_restore_once_submitted(browser, staff, category, tenant_a):
    browser.login("author@tinh-a.vn")
    article_id = _new(browser, category, title="Bản đầu")
    _save(browser, category, article_id, title="Bản sau")
    browser.post(f"{BASE}/{article_id}/submit", token_from=f"{BASE}/{article_id}")
    browser.post(f"{BASE}/{article_id}/revisions/1/restore", token_from=f"{BASE}/{article_id}/revisions")
    with tenant_context(tenant_a.id):
        assert db.session.get(Article, article_id).title == "Bản sau"
