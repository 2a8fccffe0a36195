"""The outbox: written with the event, delivered after commit exactly once, retried with backoff, swept."""

import smtplib
from datetime import timedelta

import sqlalchemy as sa
from flask_babel import force_locale, gettext

from app.core.timeutil import utcnow
from app.extensions import db
from app.notifications import outbox
from app.notifications.events import notify
from app.notifications.models import OutboxMessage
from tenants.context import tenant_context
from tests.notifications.conftest import notifications_of, outbox_rows


def test_an_event_writes_rows_and_mail_only_when_it_commits(app, staff, tenant_a, mailbox):
    notify("article.submitted", [staff["a_editor"]], {"title": "Giao lưu hữu nghị", "actor": "Tác Giả"},
           tenant_id=tenant_a.id)
    db.session.rollback()  # the event's transaction fails: nothing is left, nothing is sent
    assert outbox_rows(tenant_a) == [] and notifications_of(tenant_a) == []
    assert mailbox.wait(0, timeout=1) == []

    notify("article.submitted", [staff["a_editor"]], {"title": "Giao lưu hữu nghị", "actor": "Tác Giả"},
           tenant_id=tenant_a.id)
    db.session.commit()
    (msg,) = mailbox.wait(1)
    assert [a.addr_spec for a in msg["To"].addresses] == ["bien-tap@tinh-a.vn"]
    assert [(r[1], r[2], r[3]) for r in outbox_rows(tenant_a)] == [("bien-tap@tinh-a.vn", "sent", 1)]


def test_subject_is_rfc2047_and_parts_are_in_the_recipients_language(app, staff, tenant_a, mailbox):
    notify("report.returned", [staff["a_admin"], staff["a_reporter"]],
           {"period": "Tổng kết 2025", "reason": "Thiếu số liệu viện trợ"}, tenant_id=tenant_a.id,
           link="http://localhost/manage/tinh-a/")
    db.session.commit()
    messages = {m["To"].addresses[0].addr_spec: m for m in mailbox.wait(2)}
    with tenant_context(tenant_a.id):
        raw_vi = db.session.scalar(sa.select(OutboxMessage.raw_message)
                                   .where(OutboxMessage.to_address == "admin@tinh-a.vn"))
    subject_line = next(line for line in raw_vi.splitlines() if line.startswith("Subject:"))
    assert "=?utf-8?" in subject_line.lower() and subject_line.isascii()  # encoded words on the wire
    with force_locale("vi"):
        vi_subject = gettext("Report returned: %(period)s", period="Tổng kết 2025")
    assert vi_subject != "Report returned: Tổng kết 2025", "no vi catalog"
    vi = messages["admin@tinh-a.vn"]
    assert str(vi["Subject"]) == vi_subject
    assert "Thiếu số liệu viện trợ" in vi.get_body(("plain",)).get_content()
    assert '<html lang="vi">' in vi.get_body(("html",)).get_content()
    en = messages["reporter@tinh-a.vn"]
    assert str(en["Subject"]) == "Report returned: Tổng kết 2025"
    assert '<html lang="en">' in en.get_body(("html",)).get_content()
    assert "http://localhost/manage/tinh-a/" in en.get_body(("plain",)).get_content()


def test_delivery_runs_twice_and_sends_once(app, staff, tenant_a, mailbox, no_dispatch):
    notify("article.published", [staff["a_author"]], {"title": "Tin mới"}, tenant_id=tenant_a.id)
    db.session.commit()
    ((message_id, tenant_id),) = no_dispatch
    with tenant_context(tenant_id):
        assert outbox.deliver(message_id) == "sent"
        assert outbox.deliver(message_id) == "skipped"
    assert len(mailbox.wait(1)) == 1
    assert outbox.sweep() == {}  # nothing left to do


def test_a_failure_backs_off_then_the_sweep_delivers(app, staff, tenant_a, mailbox, no_dispatch, monkeypatch):
    notify("article.published", [staff["a_author"]], {"title": "Tin mới"}, tenant_id=tenant_a.id)
    db.session.commit()
    real_deliver = outbox.mail.deliver

    def refuse(raw):
        raise ConnectionRefusedError("SMTP server down")

    monkeypatch.setattr(outbox.mail, "deliver", refuse)
    assert outbox.sweep() == {"retry": 1}
    ((_, _, status, attempts, error, _),) = outbox_rows(tenant_a)
    assert (status, attempts) == ("pending", 1) and "SMTP server down" in error
    with tenant_context(tenant_a.id):
        wait = db.session.scalar(sa.select(OutboxMessage.next_attempt_at)) .replace(tzinfo=None) \
            - utcnow().replace(tzinfo=None)
    assert timedelta(seconds=50) < wait <= timedelta(seconds=60)
    assert outbox.sweep() == {}  # not due yet
    assert outbox.backoff(2) == timedelta(seconds=120) and outbox.backoff(3) == timedelta(seconds=240)
    assert outbox.backoff(30) == timedelta(hours=6)

    monkeypatch.setattr(outbox.mail, "deliver", real_deliver)
    with tenant_context(tenant_a.id):
        db.session.execute(sa.update(OutboxMessage).values(next_attempt_at=utcnow() - timedelta(seconds=1)))
        db.session.commit()
    assert outbox.sweep() == {"sent": 1}
    assert len(mailbox.wait(1)) == 1
    assert outbox_rows(tenant_a)[0][2:4] == ("sent", 2)


def test_a_permanent_refusal_fails_at_once_and_shows_its_error(app, staff, tenant_a, no_dispatch, monkeypatch):
    notify("article.published", [staff["a_author"]], {"title": "Tin mới"}, tenant_id=tenant_a.id)
    db.session.commit()

    def refuse(raw):
        raise smtplib.SMTPRecipientsRefused({"tac-gia@tinh-a.vn": (550, b"No such user")})

    monkeypatch.setattr(outbox.mail, "deliver", refuse)
    assert outbox.sweep() == {"failed": 1}
    assert outbox_rows(tenant_a)[0][2] == "failed"
    assert "No such user" in outbox_rows(tenant_a)[0][4]


def test_attempts_stop_at_the_limit(app, staff, tenant_a, no_dispatch, monkeypatch):
    monkeypatch.setitem(app.config, "NOTIFY_MAX_ATTEMPTS", 2)
    monkeypatch.setitem(app.config, "NOTIFY_RETRY_BASE_SECONDS", 0)
    notify("article.published", [staff["a_author"]], {"title": "Tin mới"}, tenant_id=tenant_a.id)
    db.session.commit()
    monkeypatch.setattr(outbox.mail, "deliver", lambda raw: (_ for _ in ()).throw(OSError("timeout")))
    assert outbox.sweep() == {"retry": 1}
    assert outbox.sweep() == {"failed": 1}
    assert outbox.sweep() == {}


def test_broker_down_while_events_happen_then_the_sweep_delivers_each_once(app, staff, tenant_a, tenant_b,
                                                                           mailbox, monkeypatch):
    """The after-commit hand-off really calls Celery and the broker refuses; the rows wait for the sweep."""
    deliver_outbox_message = outbox.delivery_task()

    def broker_refuses(*args, **kwargs):
        raise ConnectionRefusedError("broker unreachable")

    with monkeypatch.context() as broker_down:
        broker_down.setattr(deliver_outbox_message, "apply_async", broker_refuses)
        for i in range(3):
            notify("article.published", [staff["a_author"]], {"title": f"Tin {i}"}, tenant_id=tenant_a.id)
            db.session.commit()  # the event itself succeeds
        notify("tenant.suspended", [staff["b_admin"]], {"union": "Tỉnh B"}, tenant_id=tenant_b.id)
        db.session.commit()
    assert [r[2] for r in outbox_rows(tenant_a) + outbox_rows(tenant_b)] == ["pending"] * 4
    assert mailbox.wait(0, timeout=1) == []
    assert outbox.sweep() == {"sent": 4}
    assert outbox.sweep() == {}
    messages = mailbox.wait(4)
    assert sorted(str(m["Subject"]).split(": ", 1)[1] for m in messages) == ["Tin 0", "Tin 1", "Tin 2", "Tỉnh B"]
    assert len({m["Message-ID"] for m in messages}) == 4


def test_a_stale_claim_is_taken_over(app, staff, tenant_a, mailbox, no_dispatch):
    """A worker died after claiming: after the claim lapses the sweep sends it."""
    notify("article.published", [staff["a_author"]], {"title": "Tin mới"}, tenant_id=tenant_a.id)
    db.session.commit()
    with tenant_context(tenant_a.id):
        db.session.execute(sa.update(OutboxMessage).values(status="sending", claimed_at=utcnow()))
        db.session.commit()
    assert outbox.sweep() == {}
    with tenant_context(tenant_a.id):
        db.session.execute(sa.update(OutboxMessage).values(claimed_at=utcnow() - outbox.STALE_CLAIM
                                                           - timedelta(seconds=1)))
        db.session.commit()
    assert outbox.sweep() == {"sent": 1}
    assert len(mailbox.wait(1)) == 1


def test_password_reset_goes_through_the_outbox(app, browser, make_user, tenant_a, mailbox, national):
    make_user("quen@tinh-a.vn", tenant=tenant_a, role="author")
    browser.post("/auth/forgot", {"email": "quen@tinh-a.vn"}, token_from="/auth/forgot")
    (msg,) = mailbox.wait(1)
    assert "/auth/reset/" in msg.get_body(("plain",)).get_content()
    rows = outbox_rows(national)
    assert [(r[1], r[5]) for r in rows] == [("quen@tinh-a.vn", "account.password_reset")]
