"""Drafts are saved as staff write: the article form posts its text to the autosave address; consecutive
autosaves refresh one revision; published articles and other people's drafts are not touched."""

import re

import sqlalchemy as sa

from app.extensions import db
from app.news.models import Article, ArticleRevision
from tenants.context import tenant_context
from tests.editorial.conftest import article_form

BASE = "/manage/tinh-a/news"


def _stored(tenant, article_id):
    with tenant_context(tenant.id):
        article = db.session.get(Article, article_id)
        db.session.refresh(article)
        notes = [r.note for r in db.session.scalars(sa.select(ArticleRevision).where(
            ArticleRevision.article_id == article_id).order_by(ArticleRevision.number))]
        return article.title, article.body_html, notes


def _draft(browser, category):
    response = browser.post(f"{BASE}/new", article_form(category), token_from=f"{BASE}/new")
    assert response.status_code == 302
    return int(response.headers["Location"].rstrip("/").split("/")[-1])


def test_author_draft_is_saved_as_they_write_in_one_revision(browser, staff, category, tenant_a):
    browser.login("author@tinh-a.vn")
    article_id = _draft(browser, category)
    page = browser.get(f"{BASE}/{article_id}").get_data(as_text=True)
    assert f'data-autosave="{BASE}/{article_id}/autosave"' in page and 'id="autosave-status"' in page
    for n in (1, 2, 3):
        response = browser.post(f"{BASE}/{article_id}/autosave",
                                {"title": f"Bản nháp {n}", "summary": "",
                                 "body_html": f"<p>Đoạn {n}</p><script>x</script>"},
                                token_from=f"{BASE}/{article_id}")
        assert response.status_code == 200 and response.json["saved"] is True
        assert re.search(r"\d\d:\d\d", response.json["message"])  # the time it was saved, in Viet Nam
    title, body, notes = _stored(tenant_a, article_id)
    assert (title, body) == ("Bản nháp 3", "<p>Đoạn 3</p>")  # sanitised like any save
    assert notes == ["created", "autosave"]  # three autosaves, one revision
    with tenant_context(tenant_a.id):
        last = db.session.scalars(sa.select(ArticleRevision).where(ArticleRevision.article_id == article_id)
                                  .order_by(ArticleRevision.number.desc())).first()
        assert last.body_html == "<p>Đoạn 3</p>"


def test_autosave_refuses_what_it_may_not_save(browser, browser_factory, staff, category, tenant_a,
                                               make_article):
    browser.login("author@tinh-a.vn")
    article_id = _draft(browser, category)
    empty = browser.post(f"{BASE}/{article_id}/autosave", {"title": " ", "body_html": "<p>x</p>"},
                         token_from=f"{BASE}/{article_id}")
    assert empty.status_code == 422 and empty.json["saved"] is False and empty.json["message"]
    too_long = browser.post(f"{BASE}/{article_id}/autosave", {"title": "x" * 301}, token_from=f"{BASE}/{article_id}")
    assert too_long.status_code == 422


    published = make_article(tenant_a, "Đã đăng", status="published")
    editor = browser_factory()
    editor.login("editor@tinh-a.vn")
    response = editor.post(f"{BASE}/{published.id}/autosave", {"title": "Đổi"}, token_from=f"{BASE}/{published.id}")
    assert response.status_code == 409
    assert _stored(tenant_a, published.id)[0] == "Đã đăng"
    assert 'data-autosave=' not in editor.get(f"{BASE}/{published.id}").get_data(as_text=True)

    other = browser_factory()
    other.login("reporter@tinh-a.vn")  # no content.write
    response = other.post(f"{BASE}/{article_id}/autosave", {"title": "Đổi"}, token_from="/manage/tinh-a/")
    assert response.status_code == 403
    assert _stored(tenant_a, article_id)[0] != "Đổi"


def test_autosave_without_a_csrf_token_is_refused(browser, staff, category, tenant_a):
    browser.login("author@tinh-a.vn")
    article_id = _draft(browser, category)
    response = browser.post_raw(f"{BASE}/{article_id}/autosave", {"title": "Đổi"})
    assert response.status_code == 400
    assert _stored(tenant_a, article_id)[0] != "Đổi"
