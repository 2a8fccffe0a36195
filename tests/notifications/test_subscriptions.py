"""Public subscriptions: double opt-in, one-click unsubscribe, new articles in batches, never twice, per tenant."""

import re
from datetime import timedelta
from urllib.parse import urlsplit

import sqlalchemy as sa

from app.core.timeutil import utcnow
from app.extensions import db
from app.notifications import subscriptions
from app.notifications.models import NewsletterWatermark, Subscriber
from tenants.context import tenant_context


def subscribe(browser, host, email):
    return browser.post("/dang-ky-nhan-tin", {"email": email}, host=host, token_from="/dang-ky-nhan-tin")


def link_in(message, pattern):
    match = re.search(rf"https?://[^\s\"<>]+{pattern}[^\s\"<>]*", message.get_body(("plain",)).get_content())
    assert match, message.get_body(("plain",)).get_content()
    return match.group(0)


def status_of(tenant, email):
    with tenant_context(tenant.id):
        return db.session.scalar(sa.select(Subscriber.status).where(Subscriber.email == email))


def test_double_opt_in_then_news_then_one_click_unsubscribe(browser, tenant_a, make_article, mailbox):
    make_article(tenant_a, "Tin cũ từ dữ liệu mẫu", ago=timedelta(days=30))  # history: never sent
    page = browser.get("/dang-ky-nhan-tin", host="tinh-a.localhost")
    assert page.status_code == 200 and 'autocomplete="email"' in page.get_data(as_text=True)
    assert subscribe(browser, "tinh-a.localhost", "Ban-Doc@Example.vn").status_code == 302
    (confirmation,) = mailbox.wait(1)
    assert confirmation["To"].addresses[0].addr_spec == "ban-doc@example.vn"
    assert str(confirmation["Subject"]).startswith("Xác nhận đăng ký nhận tin")

    make_article(tenant_a, "Tin trước khi xác nhận", ago=timedelta(seconds=-1))
    assert subscriptions.send_new_articles(now=utcnow() + timedelta(minutes=2)) == 0  # unconfirmed: nothing
    assert len(mailbox.wait(1, timeout=1)) == 1

    link = urlsplit(link_in(confirmation, "/dang-ky-nhan-tin/xac-nhan/"))
    assert link.hostname == "tinh-a.localhost"
    assert browser.get(link.path, host=link.hostname).status_code == 200
    assert status_of(tenant_a, "ban-doc@example.vn") == "confirmed"

    make_article(tenant_a, "Giao lưu hữu nghị Việt – Lào", ago=timedelta(minutes=-1))
    assert subscriptions.send_new_articles(now=utcnow() + timedelta(minutes=3)) == 1
    assert subscriptions.send_new_articles(now=utcnow() + timedelta(minutes=3)) == 0  # never twice
    messages = mailbox.wait(2)
    assert len(messages) == 2
    news = messages[1]
    assert str(news["Subject"]) == "Giao lưu hữu nghị Việt – Lào"
    assert news["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    header_link = news["List-Unsubscribe"].strip("<>")
    assert header_link == link_in(news, "/huy-dang-ky/")
    assert "/tin/" in link_in(news, "/tin/")

    path = urlsplit(header_link).path
    assert browser.get(path, host="tinh-a.localhost").status_code == 200  # a page with a button; GET changes nothing
    assert status_of(tenant_a, "ban-doc@example.vn") == "confirmed"
    one_click = browser.post_raw(path, {"List-Unsubscribe": "One-Click"}, host="tinh-a.localhost")
    assert one_click.status_code == 200
    assert status_of(tenant_a, "ban-doc@example.vn") == "unsubscribed"
    make_article(tenant_a, "Tin sau khi hủy", ago=timedelta(minutes=-2))
    assert subscriptions.send_new_articles(now=utcnow() + timedelta(minutes=5)) == 0


def test_bad_tokens_and_another_tenants_tokens_are_refused(browser, tenant_a, tenant_b, make_subscriber):
    sub = make_subscriber(tenant_a, "a@example.vn")
    token = subscriptions.unsubscribe_token(sub)
    assert browser.post_raw(f"/huy-dang-ky/{token}", host="tinh-b.localhost").status_code == 400
    assert browser.post_raw("/huy-dang-ky/gia-mao", host="tinh-a.localhost").status_code == 400
    assert browser.get("/dang-ky-nhan-tin/xac-nhan/gia-mao", host="tinh-a.localhost").status_code == 400
    assert status_of(tenant_a, "a@example.vn") == "confirmed"


def test_expired_confirmation_is_refused(app, browser, tenant_a, mailbox, monkeypatch):
    subscribe(browser, "tinh-a.localhost", "cham@example.vn")
    path = urlsplit(link_in(mailbox.wait(1)[0], "/xac-nhan/")).path
    monkeypatch.setattr(subscriptions, "CONFIRM_DAYS", 0)
    import time

    time.sleep(1.1)
    assert browser.get(path, host="tinh-a.localhost").status_code == 400
    assert status_of(tenant_a, "cham@example.vn") == "pending"


def test_asking_again_sends_no_second_mail_and_says_the_same(browser, tenant_a, make_subscriber, mailbox):
    make_subscriber(tenant_a, "da-co@example.vn")
    first = subscribe(browser, "tinh-a.localhost", "moi@example.vn")
    again = subscribe(browser, "tinh-a.localhost", "moi@example.vn")
    existing = subscribe(browser, "tinh-a.localhost", "da-co@example.vn")
    assert first.status_code == again.status_code == existing.status_code == 302
    assert len(mailbox.wait(1, timeout=2)) == 1


def test_invalid_address_is_explained_and_rate_limit_applies(browser, tenant_a):
    bad = subscribe(browser, "tinh-a.localhost", "khong-phai-email")
    assert bad.status_code == 422 and "Địa chỉ thư điện tử không hợp lệ." in bad.get_data(as_text=True)
    codes = [subscribe(browser, "tinh-a.localhost", f"nguoi{i}@example.vn").status_code for i in range(6)]
    assert codes[-1] == 429 and 302 in codes


def test_subscribers_of_a_never_get_b_news_and_batches_never_repeat(tenant_a, tenant_b, make_subscriber,
                                                                   make_article, mailbox):
    for i in range(3):
        make_subscriber(tenant_a, f"a{i}@example.vn")
    make_subscriber(tenant_b, "b@example.vn")
    make_article(tenant_b, "Tin riêng của B", ago=timedelta(minutes=-1))
    make_article(tenant_a, "Tin của A", ago=timedelta(minutes=-1))
    later = utcnow() + timedelta(minutes=3)
    assert subscriptions.send_new_articles(batch_size=2, now=later) == 3  # A: 2 of 3, B: 1
    with tenant_context(tenant_a.id):
        assert db.session.scalar(sa.select(NewsletterWatermark.last_article_id)) == 0  # A's article not finished
    assert subscriptions.send_new_articles(batch_size=2, now=later) == 1
    assert subscriptions.send_new_articles(batch_size=2, now=later) == 0
    messages = mailbox.wait(4)
    got = sorted((m["To"].addresses[0].addr_spec, str(m["Subject"])) for m in messages)
    assert got == [("a0@example.vn", "Tin của A"), ("a1@example.vn", "Tin của A"), ("a2@example.vn", "Tin của A"),
                   ("b@example.vn", "Tin riêng của B")]


def test_scheduled_articles_go_when_they_become_public(tenant_a, make_subscriber, make_article, mailbox):
    make_subscriber(tenant_a, "hen-gio@example.vn")
    make_article(tenant_a, "Tin hẹn giờ", published_at=utcnow() + timedelta(hours=2))
    assert subscriptions.send_new_articles(now=utcnow() + timedelta(minutes=5)) == 0
    assert subscriptions.send_new_articles(now=utcnow() + timedelta(hours=2, minutes=2)) == 1


def test_footer_links_to_the_form(browser, tenant_a):
    home = browser.get("/", host="tinh-a.localhost").get_data(as_text=True)
    assert 'href="/dang-ky-nhan-tin"' in home
