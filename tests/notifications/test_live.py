"""Services mode: a live Celery worker on Redis delivers through a real SMTP server (aiosmtpd); an outage of
the broker while events happen loses nothing and duplicates nothing."""

import re
import time
from collections import Counter
from datetime import timedelta
from email import message_from_bytes, policy
from urllib.parse import urlsplit

import pytest

from app.core.timeutil import utcnow
from app.extensions import db
from app.notifications import outbox, subscriptions
from app.notifications.events import notify
from tests.notifications.conftest import outbox_rows

pytestmark = pytest.mark.services


def point_broker(celery_app, url: str) -> None:
    """Repoint the app's producer at another broker URL (fresh connection pools)."""
    celery_app.conf.broker_url = url
    celery_app._pool = None
    celery_app.__dict__["amqp"]._producer_pool = None


def test_live_worker_delivers_over_smtp_in_each_readers_language(app, live_worker, smtp_server, mailbox, staff,
                                                                  tenant_a):
    notify("article.returned", [staff["a_author"], staff["a_reporter"]],
           {"title": "Hội thảo hữu nghị", "actor": "Biên Tập", "comment": "Bổ sung ảnh"}, tenant_id=tenant_a.id)
    db.session.commit()
    messages = mailbox.wait(2)
    assert len(messages) == 2, live_worker.log_path.read_text()[-3000:]
    by_to = {m["To"].addresses[0].addr_spec: m for m in messages}
    assert str(by_to["tac-gia@tinh-a.vn"]["Subject"]) == "Trả lại để sửa: Hội thảo hữu nghị"
    assert str(by_to["reporter@tinh-a.vn"]["Subject"]) == "Returned for changes: Hội thảo hữu nghị"
    envelopes = smtp_server.handler.messages[mailbox.start:]
    assert sorted(e.rcpt_tos[0] for e in envelopes) == ["reporter@tinh-a.vn", "tac-gia@tinh-a.vn"]
    assert {r[2] for r in outbox_rows(tenant_a)} == {"sent"}


def test_live_subscription_confirm_news_and_unsubscribe_over_smtp(app, live_worker, mailbox, browser, tenant_a,
                                                                   make_article):
    browser.post("/dang-ky-nhan-tin", {"email": "doc-gia@example.vn"}, host="tinh-a.localhost",
                 token_from="/dang-ky-nhan-tin")
    (confirmation,) = mailbox.wait(1)
    link = re.search(r"https?://\S+/xac-nhan/\S+", confirmation.get_body(("plain",)).get_content()).group(0)
    assert browser.get(urlsplit(link).path, host="tinh-a.localhost").status_code == 200
    make_article(tenant_a, "Tin mới của tỉnh A", ago=timedelta(minutes=-1))
    assert subscriptions.send_new_articles(now=utcnow() + timedelta(minutes=3)) == 1
    messages = mailbox.wait(2)
    assert len(messages) == 2
    news = messages[1]
    assert news["To"].addresses[0].addr_spec == "doc-gia@example.vn"
    assert str(news["Subject"]) == "Tin mới của tỉnh A"
    unsubscribe = urlsplit(news["List-Unsubscribe"].strip("<>"))
    assert browser.post_raw(unsubscribe.path, {"List-Unsubscribe": "One-Click"},
                            host="tinh-a.localhost").status_code == 200
    make_article(tenant_a, "Tin sau khi hủy", ago=timedelta(minutes=-2))
    assert subscriptions.send_new_articles(now=utcnow() + timedelta(minutes=5)) == 0


def test_broker_outage_loses_nothing_and_sends_nothing_twice(app, live_worker, smtp_server, mailbox, staff,
                                                             tenant_a, tenant_b):
    from workers.tasks.notifications import sweep_outbox

    celery_app = app.extensions["celery"]
    redis_url = celery_app.conf.broker_url
    expected = Counter()
    point_broker(celery_app, "redis://127.0.0.1:1/0")  # nothing listens there
    try:
        for i in range(5):
            started = time.monotonic()
            notify("article.published", [staff["a_author"], staff["a_reporter"]], {"title": f"Tin số {i}"},
                   tenant_id=tenant_a.id)
            notify("tenant.suspended", [staff["b_admin"]], {"union": f"Tỉnh B {i}"}, tenant_id=tenant_b.id)
            db.session.commit()  # the events succeed although the broker is down
            assert time.monotonic() - started < 5
            expected.update({"tac-gia@tinh-a.vn": 1, "reporter@tinh-a.vn": 1, "admin@tinh-b.vn": 1})
    finally:
        point_broker(celery_app, redis_url)
    time.sleep(1)
    assert len(smtp_server.handler.messages) == mailbox.start  # nothing went while the broker was down
    assert {r[2] for r in outbox_rows(tenant_a) + outbox_rows(tenant_b)} == {"pending"}

    sweep_outbox.delay()  # the broker is back: beat's sweep, run by the live worker
    sweep_outbox.delay()  # and a second sweep racing it
    total = sum(expected.values())
    messages = mailbox.wait(total, timeout=60, settle=2)
    assert outbox.sweep() == {}  # and a third, here: nothing left
    received = Counter(m["To"].addresses[0].addr_spec for m in messages)
    ids = Counter(m["Message-ID"] for m in messages)
    lost = total - len(set(ids))
    duplicates = sum(n - 1 for n in ids.values())
    assert (lost, duplicates) == (0, 0), live_worker.log_path.read_text()[-3000:]
    assert received == expected
    assert {r[2] for r in outbox_rows(tenant_a) + outbox_rows(tenant_b)} == {"sent"}
    raw = [message_from_bytes(e.content, policy=policy.default) for e in smtp_server.handler.messages[mailbox.start:]]
    assert len(raw) == total
