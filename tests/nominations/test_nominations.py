"""Sharing with the national portal: an editor nominates, a national administrator decides."""

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.nominations.models import Nomination
from tenants.context import tenant_context

NOMINATIONS = "/manage/tinh-a/nominations/"


def nominations(tenant):
    with tenant_context(tenant.id):
        rows = db.session.scalars(sa.select(Nomination)).all()
        for row in rows:
            db.session.expunge(row)
        return rows


@pytest.fixture
def editor_a(browser, make_user, tenant_a):
    make_user("bien-tap@a.vn", tenant=tenant_a, role="editor")
    browser.login("bien-tap@a.vn")
    return browser


@pytest.fixture
def platform(browser_factory, make_user, national):
    make_user("quan-tri@vufo.vn", national_role="platform_admin")
    client = browser_factory()
    client.login("quan-tri@vufo.vn")
    return client


def test_nominate_then_approve_puts_it_on_the_portal(editor_a, platform, make_article, tenant_a, browser_factory):
    article_id = make_article(tenant_a, "Tỉnh A đón đoàn thanh niên Lào").id  # plain: A's row expires
    visitor = browser_factory()
    assert "Tỉnh A đón đoàn thanh niên Lào" not in visitor.get("/").get_data(as_text=True)
    assert editor_a.post(f"{NOMINATIONS}{article_id}", {}, token_from=NOMINATIONS).status_code == 302
    [nomination] = nominations(tenant_a)
    assert nomination.status == "pending"
    assert "Tỉnh A đón đoàn thanh niên Lào" not in visitor.get("/").get_data(as_text=True)  # not before approval
    assert "Tỉnh A đón đoàn thanh niên Lào" in platform.get("/national/nominations/").get_data(as_text=True)
    assert platform.post(f"/national/nominations/tinh-a/{nomination.id}/approve", {},
                         token_from="/national/nominations/").status_code == 302
    assert nominations(tenant_a)[0].status == "approved"
    portal = visitor.get("/").get_data(as_text=True)
    assert "Tỉnh A đón đoàn thanh niên Lào" in portal and "tỉnh A" in portal


def test_declining_needs_a_reason_and_the_author_is_told(editor_a, platform, make_user, make_article, tenant_a):
    author = make_user("tac-gia@a.vn", tenant=tenant_a, role="author")
    article_id, author_id = make_article(tenant_a, "Tin chưa phù hợp với Cổng").id, author.id
    with tenant_context(tenant_a.id):
        from app.news.models import Article

        db.session.get(Article, article_id).author_id = author_id
        db.session.commit()
    editor_a.post(f"{NOMINATIONS}{article_id}", {}, token_from=NOMINATIONS)
    nomination = nominations(tenant_a)[0]
    platform.post(f"/national/nominations/tinh-a/{nomination.id}/decline", {"reason": ""},
                  token_from="/national/nominations/")
    assert nominations(tenant_a)[0].status == "pending"
    platform.post(f"/national/nominations/tinh-a/{nomination.id}/decline", {"reason": "Tin mang tính nội bộ"},
                  token_from="/national/nominations/")
    assert nominations(tenant_a)[0].status == "declined"
    from app.notifications.models import Notification

    with tenant_context(tenant_a.id):
        told = db.session.scalars(sa.select(Notification).where(Notification.user_id == author_id)).all()
    assert told, "the author hears about the decision"
    # a declined article may be offered again
    assert editor_a.post(f"{NOMINATIONS}{article_id}", {}, token_from=NOMINATIONS).status_code == 302
    assert nominations(tenant_a)[0].status == "pending"


@pytest.mark.parametrize("kind", ["draft", "future", "twice"])
def test_only_published_originals_once(editor_a, make_article, tenant_a, kind):
    from datetime import timedelta

    from app.core.timeutil import utcnow

    if kind == "draft":
        article_id = make_article(tenant_a, "Bản nháp", status="draft").id
    elif kind == "future":
        article_id = make_article(tenant_a, "Hẹn giờ", published_at=utcnow() + timedelta(days=1)).id
    else:
        article_id = make_article(tenant_a, "Tin đã đề nghị").id
        editor_a.post(f"{NOMINATIONS}{article_id}", {}, token_from=NOMINATIONS)
    response = editor_a.post(f"{NOMINATIONS}{article_id}", {}, token_from=NOMINATIONS, follow_redirects=True)
    assert 'flash-error' in response.get_data(as_text=True)
    assert len(nominations(tenant_a)) == (1 if kind == "twice" else 0)


def test_authors_cannot_nominate_and_unions_cannot_decide(browser, make_user, make_nomination, tenant_a):
    nomination = make_nomination(tenant_a)
    make_user("tac-gia@a.vn", tenant=tenant_a, role="author")
    browser.login("tac-gia@a.vn")
    assert browser.get(NOMINATIONS).status_code == 403
    assert browser.post(f"/national/nominations/tinh-a/{nomination.id}/approve", {},
                        token_from="/manage/tinh-a/").status_code == 403


def test_the_wrong_union_in_the_national_url_is_404(platform, make_nomination, tenant_a, tenant_b):
    nomination = make_nomination(tenant_a)
    assert platform.post(f"/national/nominations/tinh-b/{nomination.id}/approve", {},
                         token_from="/national/nominations/").status_code == 404
    assert nominations(tenant_a)[0].status == "pending"
