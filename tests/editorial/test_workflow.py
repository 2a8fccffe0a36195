"""Every transition of an article through the console, and every forbidden one."""

from datetime import timedelta
from types import SimpleNamespace

import sqlalchemy as sa

from app.core.audit import AuditEntry
from app.core.timeutil import as_utc, utcnow
from app.extensions import db
from app.news.models import Article, ArticleRevision
from tenants.context import tenant_context
from tests.editorial.conftest import article_form

BASE = "/manage/tinh-a/news"


def _article(tenant, article_id):
    """The article as stored, as plain values read inside its tenant."""
    with tenant_context(tenant.id):
        article = db.session.get(Article, article_id)
        db.session.refresh(article)
        values = {c.key: getattr(article, c.key) for c in Article.__table__.columns}
        return SimpleNamespace(**values, tags=sorted(t.name for t in article.tags), is_public=article.is_public)


def _write_as_author(browser, category):
    browser.login("author@tinh-a.vn")
    response = browser.post(f"{BASE}/new", article_form(category), token_from=f"{BASE}/new")
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    return int(response.headers["Location"].rstrip("/").split("/")[-1])


def _actions(tenant):
    with tenant_context(tenant.id):
        return [a for (a,) in db.session.execute(sa.select(AuditEntry.action).where(
            AuditEntry.tenant_id == tenant.id, AuditEntry.action.like("article.%")).order_by(AuditEntry.id))]


def test_author_writes_submits_editor_publishes(browser, browser_factory, staff, category, tenant_a, sent):
    article_id = _write_as_author(browser, category)
    article = _article(tenant_a, article_id)
    assert (article.status, article.author_id, article.locale) == ("draft", staff["author"].id, "vi")
    assert article.tags == ["Hữu nghị", "Đối ngoại"]
    assert article.source_line == "Nguồn tin: Trịnh Thu"

    response = browser.post(f"{BASE}/{article_id}/submit", token_from=f"{BASE}/{article_id}")
    assert response.status_code == 302
    assert _article(tenant_a, article_id).status == "in_review"
    assert sent[-1][:3] == ("article_submitted", article_id, staff["author"].id)

    # once submitted, the author can no longer change it
    response = browser.post(f"{BASE}/{article_id}", article_form(category, title="Đổi"),
                            token_from=f"{BASE}/{article_id}")
    assert response.status_code == 403

    editor = browser_factory()
    editor.login("editor@tinh-a.vn")
    response = editor.post(f"{BASE}/{article_id}/approve", {"approve-publish_at": ""},
                           token_from=f"{BASE}/{article_id}")
    assert response.status_code == 302
    article = _article(tenant_a, article_id)
    assert article.status == "published" and article.is_public and article.announced_at is not None
    assert [e[0] for e in sent[-2:]] == ["article_approved", "article_published"]
    assert sent[-1][2] == staff["editor"].id
    assert _actions(tenant_a) == ["article.create", "article.submit", "article.publish"]

    public = browser.get(f"/tin/{article_id}/", host="tinh-a.localhost", follow_redirects=True)
    assert public.status_code == 200 and "Hội nghị tổng kết" in public.get_data(as_text=True)


def test_editor_returns_with_a_comment_and_the_author_resubmits(browser, browser_factory, staff, category,
                                                                 tenant_a, sent):
    article_id = _write_as_author(browser, category)
    browser.post(f"{BASE}/{article_id}/submit", token_from=f"{BASE}/{article_id}")
    editor = browser_factory()
    editor.login("editor@tinh-a.vn")
    empty = editor.post(f"{BASE}/{article_id}/return", {"return-comment": "  "}, token_from=f"{BASE}/{article_id}")
    assert empty.status_code == 302 and _article(tenant_a, article_id).status == "in_review"
    response = editor.post(f"{BASE}/{article_id}/return", {"return-comment": "Bổ sung số liệu viện trợ."},
                           token_from=f"{BASE}/{article_id}")
    assert response.status_code == 302
    article = _article(tenant_a, article_id)
    assert (article.status, article.review_comment) == ("draft", "Bổ sung số liệu viện trợ.")
    assert sent[-1] == ("article_returned", article_id, staff["editor"].id, {"comment": "Bổ sung số liệu viện trợ."})
    page = browser.get(f"{BASE}/{article_id}").get_data(as_text=True)
    assert "Bổ sung số liệu viện trợ." in page
    edited = browser.post(f"{BASE}/{article_id}", article_form(category, summary="Đã bổ sung."),
                          token_from=f"{BASE}/{article_id}")
    assert edited.status_code == 302
    assert browser.post(f"{BASE}/{article_id}/submit", token_from=f"{BASE}/{article_id}").status_code == 302
    assert _article(tenant_a, article_id).status == "in_review"


def test_editor_schedules_then_unpublishes_and_archives(browser, staff, make_article, category, tenant_a, sent):
    article = make_article(tenant_a, "Bài chờ duyệt", status="in_review")
    browser.login("editor@tinh-a.vn")
    response = browser.post(f"{BASE}/{article.id}/approve", {"approve-publish_at": "2099-01-02T08:30"},
                            token_from=f"{BASE}/{article.id}")
    assert response.status_code == 302
    scheduled = _article(tenant_a, article.id)
    assert scheduled.status == "published" and not scheduled.is_public and scheduled.announced_at is None
    assert as_utc(scheduled.published_at).isoformat() == "2099-01-02T01:30:00+00:00"  # 08:30 in Hà Nội
    assert [e[0] for e in sent] == ["article_approved"]
    assert "lên lịch" in browser.get(f"{BASE}/").get_data(as_text=True)

    assert browser.post(f"{BASE}/{article.id}/unpublish", token_from=f"{BASE}/{article.id}").status_code == 302
    assert _article(tenant_a, article.id).status == "draft"
    assert sent[-1][0] == "article_unpublished"
    assert browser.post(f"{BASE}/{article.id}/archive", token_from=f"{BASE}/{article.id}").status_code == 302
    assert _article(tenant_a, article.id).status == "archived"
    assert "article.unpublish" in _actions(tenant_a) and "article.archive" in _actions(tenant_a)


def test_archiving_a_published_article_takes_it_off_the_site(browser, staff, make_article, tenant_a, sent):
    article = make_article(tenant_a, "Bài đã đăng")
    browser.login("admin@tinh-a.vn")
    assert browser.post(f"{BASE}/{article.id}/archive", token_from=f"{BASE}/{article.id}").status_code == 302
    assert sent[-1][:2] == ("article_unpublished", article.id)
    assert browser.get(f"/tin/{article.id}/", host="tinh-a.localhost").status_code == 404


def test_editor_deletes_after_confirmation(browser, staff, make_article, tenant_a):
    article = make_article(tenant_a, "Bài sẽ xoá")
    browser.login("editor@tinh-a.vn")
    confirm = browser.get(f"{BASE}/{article.id}/delete")
    assert confirm.status_code == 200 and "Bài sẽ xoá" in confirm.get_data(as_text=True)
    assert browser.post(f"{BASE}/{article.id}/delete", token_from=f"{BASE}/{article.id}/delete").status_code == 302
    with tenant_context(tenant_a.id):
        assert db.session.get(Article, article.id) is None
    assert _actions(tenant_a)[-1] == "article.delete"


def test_author_cannot_publish_unpublish_archive_or_delete(browser, staff, make_article, category, tenant_a, sent):
    article_id = _write_as_author(browser, category)
    published = make_article(tenant_a, "Bài đã đăng")
    for path, data in ((f"{article_id}/approve", {"approve-publish_at": ""}), (f"{published.id}/unpublish", {}),
                       (f"{published.id}/archive", {}), (f"{published.id}/delete", {}),
                       (f"{article_id}/return", {"return-comment": "x"})):
        response = browser.post(f"{BASE}/{path}", data, token_from=f"{BASE}/{article_id}")
        assert response.status_code == 403, path
    assert _article(tenant_a, article_id).status == "draft"
    assert _article(tenant_a, published.id).status == "published"
    assert [e for e in sent if e[0] != "article_submitted"] == []
    page = browser.get(f"{BASE}/{article_id}").get_data(as_text=True)
    assert "Duyệt và đăng" not in page


def test_author_cannot_edit_someone_elses_draft(browser, make_user, staff, category, tenant_a, browser_factory):
    article_id = _write_as_author(browser, category)
    make_user("author2@tinh-a.vn", tenant=tenant_a, role="author")
    other = browser_factory()
    other.login("author2@tinh-a.vn")
    response = other.post(f"{BASE}/{article_id}", article_form(category, title="Chiếm quyền"),
                          token_from=f"{BASE}/{article_id}")
    assert response.status_code == 403
    assert other.post(f"{BASE}/{article_id}/submit", token_from=f"{BASE}/{article_id}").status_code == 302
    assert _article(tenant_a, article_id).status == "draft"  # refused with a message, nothing changed
    assert _article(tenant_a, article_id).title != "Chiếm quyền"


def test_reporter_cannot_see_or_edit_news(browser, staff, make_article, category, tenant_a):
    article = make_article(tenant_a, "Bài đã đăng")
    browser.login("reporter@tinh-a.vn")
    assert browser.get(f"{BASE}/").status_code == 403
    assert browser.get(f"{BASE}/new").status_code == 403
    assert browser.get(f"{BASE}/{article.id}").status_code == 403
    response = browser.post(f"{BASE}/{article.id}", article_form(category, title="Sửa"), token_from="/manage/tinh-a/")
    assert response.status_code == 403
    assert _article(tenant_a, article.id).title == "Bài đã đăng"


def test_editor_of_b_gets_404_for_a(browser, make_user, make_article, staff, category, tenant_a, tenant_b):
    article = make_article(tenant_a, "Bài của A", status="in_review")
    make_user("editor@tinh-b.vn", tenant=tenant_b, role="editor")
    browser.login("editor@tinh-b.vn")
    for slug in ("tinh-b", "tinh-a"):
        assert browser.get(f"/manage/{slug}/news/{article.id}").status_code == 404
        response = browser.post(f"/manage/{slug}/news/{article.id}/approve", {"approve-publish_at": ""},
                                token_from="/manage/tinh-b/")
        assert response.status_code == 404
    assert "Bài của A" not in browser.get("/manage/tinh-b/news/").get_data(as_text=True)
    assert _article(tenant_a, article.id).status == "in_review"


def test_wrong_transitions_are_refused_with_a_message(browser, staff, make_article, tenant_a, sent):
    article = make_article(tenant_a, "Bài đã đăng")
    browser.login("editor@tinh-a.vn")
    response = browser.post(f"{BASE}/{article.id}/approve", {"approve-publish_at": ""},
                            token_from=f"{BASE}/{article.id}", follow_redirects=True)
    assert response.status_code == 200
    assert "Chỉ bản nháp hoặc bài đang chờ duyệt" in response.get_data(as_text=True)
    bad_time = browser.post(f"{BASE}/{article.id}/approve", {"approve-publish_at": "ngày mai"},
                            token_from=f"{BASE}/{article.id}")
    assert bad_time.status_code == 302
    assert sent == []


def test_form_errors_are_inline_and_in_vietnamese(browser, staff, category, tenant_a):
    browser.login("author@tinh-a.vn")
    response = browser.post(f"{BASE}/new", article_form(category, title="", cover_media_id="javascript:alert(1)"),
                            token_from=f"{BASE}/new")
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "Nhập tiêu đề." in html and 'aria-invalid="true"' in html
    response = browser.post(f"{BASE}/new", article_form(category, cover_media_id="999999"), token_from=f"{BASE}/new")
    assert response.status_code == 400  # not an image of this union's library
    with tenant_context(tenant_a.id):
        assert db.session.scalar(sa.select(sa.func.count(Article.id))) == 0


def test_english_version_links_to_its_original(browser, staff, make_article, category, tenant_a):
    original = make_article(tenant_a, "Bản tiếng Việt")
    browser.login("editor@tinh-a.vn")
    response = browser.post(f"{BASE}/new", article_form(category, title="English version", locale="en",
                                                        translation_of_id=str(original.id)), token_from=f"{BASE}/new")
    assert response.status_code == 302
    with tenant_context(tenant_a.id):
        english = db.session.scalars(sa.select(Article).where(Article.locale == "en")).one()
        assert english.translation_of_id == original.id
    page = browser.get(f"{BASE}/{original.id}").get_data(as_text=True)
    assert "English version" in page
    refused = browser.post(f"{BASE}/new", article_form(category, title="Sai", locale="vi",
                                                       translation_of_id=str(original.id)), token_from=f"{BASE}/new")
    assert refused.status_code == 400


def test_list_filters_and_pagination(browser, staff, make_article, make_category, tenant_a):
    other = make_category(tenant_a, "Văn bản chỉ đạo", name_en=None)
    other_id = other.id
    for i in range(23):
        make_article(tenant_a, f"Tin số {i}", status="draft" if i % 2 else "published")
    make_article(tenant_a, "Tin chỉ đạo", category=other, locale="en")
    browser.login("editor@tinh-a.vn")
    html = browser.get(f"{BASE}/?status=draft").get_data(as_text=True)
    assert "Tin số 1<" in html and "Tin số 2<" not in html
    response = browser.get(f"{BASE}/?category={other_id}")
    html = response.get_data(as_text=True)
    assert response.status_code == 200, html
    assert "Tin chỉ đạo" in html and "Tin số 1<" not in html
    en = browser.get(f"{BASE}/?locale=en")
    assert en.status_code == 200 and "Tin chỉ đạo" in en.get_data(as_text=True), en.get_data(as_text=True)[-3000:]
    first = browser.get(f"{BASE}/").get_data(as_text=True)
    assert "Trang 1 / 2" in first or "page=2" in first
    second = browser.get(f"{BASE}/?status=published&page=2").get_data(as_text=True)
    assert browser.get(f"{BASE}/?page=abc&status=nonsense&category=x").status_code == 200
    assert "status=published" in browser.get(f"{BASE}/?status=&page=1").get_data(as_text=True) or second


def test_every_save_keeps_a_revision(browser, staff, category, tenant_a):
    article_id = _write_as_author(browser, category)
    browser.post(f"{BASE}/{article_id}", article_form(category, body_html="<p>Bản hai.</p>"),
                 token_from=f"{BASE}/{article_id}")
    with tenant_context(tenant_a.id):
        numbers = db.session.scalars(sa.select(ArticleRevision.number).where(
            ArticleRevision.article_id == article_id).order_by(ArticleRevision.number)).all()
    assert numbers == [1, 2]
    assert "article.edit" in _actions(tenant_a)


def test_scheduled_time_in_the_past_publishes_now(browser, staff, make_article, tenant_a, sent):
    article = make_article(tenant_a, "Bài nháp", status="draft")
    browser.login("editor@tinh-a.vn")
    past = (utcnow() - timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    browser.post(f"{BASE}/{article.id}/approve", {"approve-publish_at": past}, token_from=f"{BASE}/{article.id}")
    assert _article(tenant_a, article.id).is_public
    assert [e[0] for e in sent] == ["article_approved", "article_published"]


def test_dashboard_lists_my_drafts_and_what_awaits_review(browser, browser_factory, staff, make_article, category,
                                                          tenant_a):
    article_id = _write_as_author(browser, category)
    dashboard = browser.get("/manage/tinh-a/").get_data(as_text=True)
    assert "Bản nháp của tôi" in dashboard and f"/manage/tinh-a/news/{article_id}" in dashboard
    assert "Chờ tôi duyệt" not in dashboard  # authors do not review
    browser.post(f"{BASE}/{article_id}/submit", token_from=f"{BASE}/{article_id}")
    editor = browser_factory()
    editor.login("editor@tinh-a.vn")
    dashboard = editor.get("/manage/tinh-a/").get_data(as_text=True)
    assert "Chờ tôi duyệt" in dashboard and "Hội nghị tổng kết công tác đối ngoại nhân dân" in dashboard
    reporter = browser_factory()
    reporter.login("reporter@tinh-a.vn")
    assert "Bản nháp của tôi" not in reporter.get("/manage/tinh-a/").get_data(as_text=True)


def test_bad_choices_and_lengths_get_vietnamese_messages(browser, staff, category, tenant_a):
    browser.login("author@tinh-a.vn")
    response = browser.post(f"{BASE}/new", article_form(category, category_id="99999", translation_of_id="abc",
                                                        locale="fr", title="x" * 400), token_from=f"{BASE}/new")
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "Tối đa 300 ký tự." in html and html.count("Hãy chọn một mục trong danh sách.") == 3
    assert "Not a valid" not in html and "could not coerce" not in html
