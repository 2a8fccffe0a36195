"""Console views: the bell on every page, the list, read / all read (CSRF), preferences, delivery status."""

import re

from app.extensions import db
from app.notifications.events import channel_for
from tests.notifications.conftest import outbox_rows


def bell_count(html: str) -> int:
    match = re.search(r'class="bell-count">(\d+)<', html)
    assert match, "no bell on the page"
    return int(match.group(1))


def test_bell_list_read_and_read_all(browser, staff, tenant_a, make_notification):
    me = staff["a_editor"]
    first_id = make_notification(tenant_a, me, "Chờ duyệt: Bài một").id
    make_notification(tenant_a, me, "Chờ duyệt: Bài hai")
    make_notification(tenant_a, staff["a_admin"], "Của người khác")
    make_notification(tenant_a, me, "Đã đọc", read=True)
    browser.login("bien-tap@tinh-a.vn")
    for path in ("/manage/tinh-a/", "/manage/tinh-a/pages/", "/manage/tinh-a/notifications/"):
        assert bell_count(browser.get(path).get_data(as_text=True)) == 2, path
    listing = browser.get("/manage/tinh-a/notifications/").get_data(as_text=True)
    assert "Bài một" in listing and "Đã đọc" in listing and "Của người khác" not in listing
    assert "Đã đọc" not in browser.get("/manage/tinh-a/notifications/?unread=1").get_data(as_text=True)

    url = f"/manage/tinh-a/notifications/{first_id}/read"
    assert browser.post_raw(url).status_code == 400  # no CSRF token
    assert browser.post(url, token_from="/manage/tinh-a/notifications/").status_code == 302
    assert bell_count(browser.get("/manage/tinh-a/").get_data(as_text=True)) == 1
    assert browser.post("/manage/tinh-a/notifications/read-all",
                        token_from="/manage/tinh-a/notifications/").status_code == 302
    assert bell_count(browser.get("/manage/tinh-a/").get_data(as_text=True)) == 0


def test_someone_elses_notification_is_404(browser, staff, tenant_a, make_notification):
    theirs_id = make_notification(tenant_a, staff["a_admin"], "Của quản trị").id
    browser.login("bien-tap@tinh-a.vn")
    response = browser.post(f"/manage/tinh-a/notifications/{theirs_id}/read", token_from="/manage/tinh-a/")
    assert response.status_code == 404


def test_list_is_paginated_and_bad_page_numbers_do_not_fail(browser, staff, tenant_a, make_notification):
    for i in range(30):
        make_notification(tenant_a, staff["a_author"], f"Thông báo số {i}")
    browser.login("tac-gia@tinh-a.vn")
    page1 = browser.get("/manage/tinh-a/notifications/").get_data(as_text=True)
    assert "Thông báo số 29" in page1 and "Thông báo số 0<" not in page1 and 'rel="next"' in page1
    assert browser.get("/manage/tinh-a/notifications/?page=abc").status_code == 200
    assert "Thông báo số 0<" in browser.get("/manage/tinh-a/notifications/?page=99").get_data(as_text=True)


def test_preferences_page_saves_choices(browser, staff):
    browser.login("tac-gia@tinh-a.vn")
    page = browser.get("/manage/tinh-a/notifications/preferences")
    assert page.status_code == 200 and 'name="article.returned"' in page.get_data(as_text=True)
    response = browser.post("/manage/tinh-a/notifications/preferences", {"article.returned": "digest"},
                            token_from="/manage/tinh-a/notifications/preferences")
    assert response.status_code == 302
    db.session.expire_all()
    assert channel_for(staff["a_author"], "article.returned") == "digest"
    bad = browser.post("/manage/tinh-a/notifications/preferences", {"article.returned": "pigeon"},
                       token_from="/manage/tinh-a/notifications/preferences")
    assert bad.status_code == 400


def test_delivery_status_for_admins_only(browser, browser_factory, staff, tenant_a, tenant_b, national,
                                         make_user, make_outbox_message):
    make_outbox_message(tenant_a, "Thư lỗi của A", last_error="SMTPDataError: 554 hộp thư đầy")
    make_outbox_message(tenant_b, "Thư của B")
    browser.login("admin@tinh-a.vn")
    page = browser.get("/manage/tinh-a/notifications/outbox/").get_data(as_text=True)
    assert "Thư lỗi của A" in page and "hộp thư đầy" in page and "Thư của B" not in page
    assert "Thư của B" not in browser.get("/manage/tinh-a/notifications/outbox/?status=sent").get_data(as_text=True)
    editor = browser_factory()
    editor.login("bien-tap@tinh-a.vn")
    assert editor.get("/manage/tinh-a/notifications/outbox/").status_code == 403
    assert editor.get("/manage/tinh-a/notifications/subscribers/").status_code == 403

    make_user("platform@vufo.vn", national_role="platform_admin")
    boss = browser_factory()
    boss.login("platform@vufo.vn")
    national_page = boss.get("/national/notifications/outbox/").get_data(as_text=True)
    assert "Thư lỗi của A" in national_page and "Thư của B" in national_page
    assert bell_count(boss.get("/national/").get_data(as_text=True)) == 0


def test_retry_sends_a_failed_message(browser, staff, tenant_a, make_outbox_message, mailbox):
    message_id = make_outbox_message(tenant_a, "Gửi lại giúp tôi").id
    browser.login("admin@tinh-a.vn")
    detail = f"/manage/tinh-a/notifications/outbox/{message_id}"
    assert "SMTPDataError" in browser.get(detail).get_data(as_text=True)
    assert browser.post(detail + "/retry", token_from=detail).status_code == 302
    assert len(mailbox.wait(1)) == 1
    assert outbox_rows(tenant_a)[0][2] == "sent"


def test_subscriber_removal_needs_confirmation(browser, staff, tenant_a, make_subscriber):
    from app.notifications.models import Subscriber
    from tenants.context import tenant_context

    sub_id = make_subscriber(tenant_a, "xoa@example.vn").id
    browser.login("admin@tinh-a.vn")
    url = f"/manage/tinh-a/notifications/subscribers/{sub_id}/remove"
    browser.post(url, token_from="/manage/tinh-a/notifications/subscribers/")
    with tenant_context(tenant_a.id):
        assert db.session.get(Subscriber, sub_id).status == "confirmed"
    browser.post(url, {"confirm": "1"}, token_from="/manage/tinh-a/notifications/subscribers/")
    with tenant_context(tenant_a.id):
        assert db.session.get(Subscriber, sub_id).status == "unsubscribed"
