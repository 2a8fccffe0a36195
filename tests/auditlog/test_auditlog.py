"""The audit log views: a union's admins read their own entries; national admins read everyone's."""

from datetime import UTC, datetime

import pytest

from app.core.audit import AuditEntry
from app.extensions import db

LOG = "/manage/tinh-a/audit/"


@pytest.fixture
def entries(tenant_a, tenant_b, make_user):
    actor = make_user("bien-tap@a.vn", tenant=tenant_a, role="editor")
    rows = [
        AuditEntry(tenant_id=tenant_a.id, actor_id=actor.id, action="article.publish", target="article:1",
                   detail="Tin của A", at=datetime(2025, 3, 9, 16, 59, tzinfo=UTC)),  # 23:59 on 9/3 in Viet Nam
        AuditEntry(tenant_id=tenant_a.id, action="page.edit", target="page:2", detail="Trang của A",
                   at=datetime(2025, 3, 9, 17, 1, tzinfo=UTC)),  # 00:01 on 10/3 in Viet Nam
        AuditEntry(tenant_id=tenant_b.id, action="article.publish", target="article:9", detail="Tin của B",
                   at=datetime(2025, 3, 9, 12, 0, tzinfo=UTC)),
    ]
    db.session.add_all(rows)
    db.session.commit()


def text(response):
    return response.get_data(as_text=True)


@pytest.fixture
def admin_a(browser, make_user, tenant_a):
    make_user("quan-tri@a.vn", tenant=tenant_a, role="admin")
    browser.login("quan-tri@a.vn")
    return browser


def test_a_union_admin_sees_only_their_union(admin_a, entries):
    body = text(admin_a.get(LOG))
    assert "Tin của A" in body and "Trang của A" in body and "Tin của B" not in body
    assert "bien-tap@a.vn" in body


@pytest.mark.parametrize(("query", "present", "absent"), [
    ("?action=article", ["Tin của A"], ["Trang của A"]),
    ("?actor=bien-tap", ["Tin của A"], ["Trang của A"]),
    ("?since=2025-03-10", ["Trang của A"], ["Tin của A"]),  # days are Viet Nam's days
    ("?until=09/03/2025", ["Tin của A"], ["Trang của A"]),
    ("?action=%25&actor=_", [], ["Tin của A", "Trang của A"]),  # LIKE characters are literal
])
def test_filters(admin_a, entries, query, present, absent):
    body = text(admin_a.get(LOG + query))
    assert all(p in body for p in present) and not any(a in body for a in absent)


@pytest.mark.parametrize("query", ["?since=31/02/2025", "?until=ngày-mai", "?since=2025-03-10&until=2025-03-01"])
def test_bad_dates_say_so(admin_a, entries, query):
    response = admin_a.get(LOG + query)
    assert response.status_code == 400 and 'role="alert"' in text(response)


def test_editors_and_other_unions_cannot_read_it(browser, make_user, entries, tenant_b):
    browser.login("bien-tap@a.vn")
    assert browser.get(LOG).status_code == 403


def test_national_admins_read_every_union_and_filter_by_union(browser, make_user, entries):
    make_user("quan-tri@vufo.vn", national_role="platform_admin")
    browser.login("quan-tri@vufo.vn")
    body = text(browser.get("/national/audit/"))
    assert "Tin của A" in body and "Tin của B" in body
    only_b = text(browser.get("/national/audit/?tenant=tinh-b"))
    assert "Tin của B" in only_b and "Tin của A" not in only_b


def test_national_viewers_cannot(browser, make_user, entries):
    make_user("xem@vufo.vn", national_role="national_viewer")
    browser.login("xem@vufo.vn")
    assert browser.get("/national/audit/").status_code == 403


def test_pages_keep_the_filters(admin_a, tenant_a):
    db.session.add_all(AuditEntry(tenant_id=tenant_a.id, action="page.edit", detail=f"Sửa trang {i}")
                       for i in range(60))
    db.session.commit()
    body = text(admin_a.get(LOG + "?action=page"))
    assert 'href="/manage/tinh-a/audit/?action=page&amp;page=2"' in body
    assert "Sửa trang" in text(admin_a.get(LOG + "?action=page&page=2"))


def test_the_dashboard_shows_unread_notifications_and_recent_activity(admin_a, entries, tenant_a):
    import sqlalchemy as sa

    from app.accounts.models import User
    from app.notifications.models import Notification
    from tenants.context import tenant_context

    admin_id = db.session.scalar(sa.select(User.id).where(User.email == "quan-tri@a.vn"))
    with tenant_context(tenant_a.id):
        db.session.add(Notification(user_id=admin_id, event_type="article.submitted", title="Bài mới chờ duyệt"))
        db.session.add(Notification(user_id=admin_id, event_type="article.submitted", title="Bài đã đọc",
                                    read_at=datetime(2025, 1, 1, tzinfo=UTC)))
        db.session.commit()
    body = text(admin_a.get("/manage/tinh-a/"))
    assert "Bài mới chờ duyệt" in body and "Bài đã đọc" not in body
    assert "Trang của A" in body and "Tin của B" not in body  # this union's activity only


def test_the_dashboard_shows_the_next_report_deadline(admin_a, tenant_a, make_period):
    from datetime import date

    make_period(date.today().year + 1)  # due 14/12 next year
    body = text(admin_a.get("/manage/tinh-a/"))
    assert f"14/12/{date.today().year + 1}" in body and "chưa bắt đầu" in body
