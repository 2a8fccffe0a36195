"""Webhooks: registered in the console, fed by the events in their own transaction, delivered through the outbox
to a real HTTP receiver on loopback, signed (HMAC-SHA256 over timestamp and body), retried with back-off."""

import hashlib
import hmac
import json
import re
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
import sqlalchemy as sa

from app.api import webhooks
from app.extensions import db
from app.notifications import outbox
from app.notifications.models import OutboxMessage
from tenants.context import tenant_context

HOOKS = "/manage/tinh-a/webhooks/"


class Receiver:
    """An HTTP server on 127.0.0.1 that records each POST and answers with the next status of `answers`."""

    def __init__(self, answers=(200,)):
        self.requests, self.answers = [], list(answers)
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - the stdlib's name
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.requests.append((self.headers, body))  # names case-insensitive, as HTTP says
                status = receiver.answers.pop(0) if len(receiver.answers) > 1 else receiver.answers[0]
                self.send_response(status)
                self.end_headers()
                self.wfile.write(b"ok" if status < 300 else b"busy")

            def log_message(self, *args):
                return None

        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hooks"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver(app, monkeypatch, eager_tasks):
    """A receiver maker; deliveries are handed to Celery after each commit and, Celery being eager here in both
    modes, attempted at once (later attempts: `_deliver_all`, as the worker's sweep would)."""
    monkeypatch.setitem(app.config, "WEBHOOK_ALLOW_PRIVATE_HOSTS", True)  # the receiver is on loopback
    monkeypatch.setitem(app.config, "NOTIFY_RETRY_BASE_SECONDS", 0)  # retries are due at once
    made = []

    def make(answers=(200,)):
        made.append(Receiver(answers))
        return made[-1]

    yield make
    for one in made:
        one.close()


def _deliveries(tenant) -> list[OutboxMessage]:
    with tenant_context(tenant.id):
        rows = db.session.scalars(sa.select(OutboxMessage).where(OutboxMessage.channel == "webhook")
                                  .order_by(OutboxMessage.id)).all()
        for row in rows:
            db.session.expunge(row)  # readable after leaving the tenant
        return rows


def _register(tenant, url, events):
    with tenant_context(tenant.id):
        hook = webhooks.register(tenant, url, events)
        secret, hook_id = hook.secret, hook.id
        db.session.commit()
    return hook_id, secret


def _deliver_all(tenant) -> None:
    """What the worker (or its sweep) does: every due delivery, now."""
    for message in _deliveries(tenant):
        with tenant_context(tenant.id):
            outbox.deliver(message.id)


def test_a_published_article_is_posted_signed_to_the_endpoint(app, receiver, tenant_a, tenant_b, make_article,
                                                              make_user):
    from app.news import workflow

    hook = receiver()
    _, secret = _register(tenant_a, hook.url, ["article.published"])
    other = receiver()
    _register(tenant_b, other.url, ["article.published"])
    editor = make_user("bien-tap@tinh-a.vn", tenant=tenant_a, role="editor")
    article_id = make_article(tenant_a, "Đoàn công tác thăm tỉnh bạn", status="in_review").id
    with app.test_request_context(), tenant_context(tenant_a.id):
        from app.news.models import Article

        workflow.approve(db.session.get(Article, article_id), editor)
    _deliver_all(tenant_a)
    [(headers, body)] = hook.requests
    assert other.requests == []  # B's endpoint hears nothing of A
    event = json.loads(body)
    assert event["event"] == "article.published" and event["union"] == "tinh-a"
    assert event["data"]["id"] == article_id and event["data"]["api"] == f"/api/v1/articles/{article_id}"
    expected = "sha256=" + hmac.new(secret.encode(), headers["X-LHHN-Timestamp"].encode() + b"." + body,
                                    hashlib.sha256).hexdigest()
    assert hmac.compare_digest(headers["X-LHHN-Signature"], expected)
    assert headers["X-LHHN-Event"] == "article.published"
    [delivery] = _deliveries(tenant_a)
    assert delivery.status == "sent" and delivery.last_response.startswith("200")


def test_a_failing_endpoint_is_retried_with_back_off_then_succeeds(app, receiver, tenant_a, make_document):
    from datetime import timedelta

    from app.core.timeutil import as_utc, utcnow

    app.config["NOTIFY_RETRY_BASE_SECONDS"] = 60
    hook = receiver(answers=(503, 503, 200))
    _register(tenant_a, hook.url, ["document.added"])
    document_id = make_document(tenant_a, "Kế hoạch đối ngoại nhân dân năm 2026").id  # published: announced
    [first] = _deliveries(tenant_a)  # and tried at the commit
    assert json.loads(first.raw_message)["data"]["id"] == document_id
    assert (first.status, first.attempts) == ("pending", 1) and first.last_response.startswith("503")
    assert as_utc(first.next_attempt_at) - utcnow() > timedelta(seconds=50)  # waits a minute
    _deliver_all(tenant_a)
    assert _deliveries(tenant_a)[0].attempts == 1  # not due yet: nothing sent
    waits = []
    for _ in range(2):
        with tenant_context(tenant_a.id):  # the wait is over
            db.session.execute(sa.update(OutboxMessage).values(next_attempt_at=utcnow()))
            db.session.commit()
        before = utcnow()
        _deliver_all(tenant_a)
        [delivery] = _deliveries(tenant_a)
        waits.append((delivery.status, delivery.attempts, round((as_utc(delivery.next_attempt_at) - before)
                                                                 .total_seconds() / 60)))
    assert waits[0] == ("pending", 2, 2)  # twice as long the second time
    assert waits[1][:2] == ("sent", 3) and len(hook.requests) == 3
    _deliver_all(tenant_a)
    assert len(hook.requests) == 3  # sent once: never again


def test_a_redirect_is_not_followed(receiver, tenant_a, make_document):
    inside = receiver()
    hook = receiver(answers=(302,))
    _register(tenant_a, hook.url, ["document.added"])
    make_document(tenant_a, "Kế hoạch năm 2026")
    _deliver_all(tenant_a)
    [delivery] = _deliveries(tenant_a)
    assert (delivery.status, delivery.attempts, len(hook.requests)) == ("failed", 1, 1)
    assert inside.requests == []


def test_an_endpoint_that_refuses_is_not_retried(receiver, tenant_a, make_document):
    hook = receiver(answers=(410,))
    _register(tenant_a, hook.url, ["document.added"])
    make_document(tenant_a, "Kế hoạch năm 2026")
    _deliver_all(tenant_a)
    _deliver_all(tenant_a)
    [delivery] = _deliveries(tenant_a)
    assert (delivery.status, delivery.attempts, len(hook.requests)) == ("failed", 1, 1)
    assert delivery.last_response.startswith("410")


def test_report_events_reach_the_unions_and_the_national_unions_endpoints(app, receiver, cluster_world_lite,
                                                                          make_period, make_report, make_document):
    from app.reporting import workflow
    from app.reporting.models import Report

    a, national, reporter = cluster_world_lite
    own, everyone = receiver(), receiver()
    _register(a, own.url, ["report.submitted"])
    with tenant_context(national.id):
        hook = webhooks.register(national, everyone.url, ["report.submitted", "document.added"], all_unions=True)
        db.session.commit()
        assert hook.all_unions
    period = make_period(2025)
    report = make_report(a, period, {"aid_vnd": 1})
    with app.test_request_context(), tenant_context(a.id):
        workflow.submit(db.session.get(Report, report.id), reporter)
        db.session.commit()
    _deliver_all(a)
    _deliver_all(national)
    assert [json.loads(b)["event"] for _, b in own.requests] == ["report.submitted"]
    assert [json.loads(b)["union"] for _, b in everyone.requests] == ["tinh-a"]
    make_document(a, "Văn bản của tỉnh A")  # not a report event: the national endpoint hears nothing of it
    _deliver_all(national)
    assert [json.loads(b)["event"] for _, b in everyone.requests] == ["report.submitted"]


@pytest.fixture
def cluster_world_lite(national, tenant_a, make_user, report_template):
    return tenant_a, national, make_user("bao-cao@tinh-a.vn", tenant=tenant_a, role="reporter")


def test_private_addresses_are_refused_unless_allowed(app, tenant_a):
    with tenant_context(tenant_a.id):
        for url in ("http://127.0.0.1:6379/", "http://10.0.0.5/hooks", "ftp://example.com/", "http://u:p@x.vn/"):
            with pytest.raises(ValueError):
                webhooks.register(tenant_a, url, ["article.published"])
        with pytest.raises(ValueError):
            webhooks.register(tenant_a, "https://8.8.8.8/hooks", ["khong-co"])
    db.session.rollback()


def test_the_console_registers_shows_the_secret_once_pings_and_removes(browser, browser_factory, receiver, tenant_a,
                                                                       make_user):
    hook = receiver()
    make_user("admin@tinh-a.vn", tenant=tenant_a, role="admin")
    make_user("tac-gia@tinh-a.vn", tenant=tenant_a, role="author")
    browser.login("admin@tinh-a.vn")
    created = browser.post(HOOKS, {"url": hook.url, "events": ["article.published", "report.submitted"]},
                           token_from=HOOKS)
    assert created.status_code == 200
    secret = re.search(r'id="secret-text" type="text" readonly value="([0-9a-f]{64})"',
                       created.get_data(as_text=True)).group(1)
    assert secret not in browser.get(HOOKS).get_data(as_text=True)
    bad = browser.post(HOOKS, {"url": "javascript:alert(1)", "events": ["article.published"]}, token_from=HOOKS)
    assert bad.status_code == 400
    with tenant_context(tenant_a.id):
        hook_id = db.session.scalars(sa.select(webhooks.Webhook.id)).one()
    db.session.rollback()
    assert browser.post(f"{HOOKS}{hook_id}/ping", {}, token_from=HOOKS).status_code == 302
    _deliver_all(tenant_a)
    assert [json.loads(b)["event"] for _, b in hook.requests] == ["ping"]
    assert "200 OK" in browser.get(HOOKS).get_data(as_text=True)  # the last answer, shown
    assert browser.post(f"{HOOKS}{hook_id}/delete", {}, token_from=HOOKS).status_code == 302
    with tenant_context(tenant_a.id):
        assert db.session.scalars(sa.select(webhooks.Webhook)).all() != []  # not without the confirmation
    db.session.rollback()
    browser.post(f"{HOOKS}{hook_id}/delete", {"confirm": "y"}, token_from=HOOKS)
    with tenant_context(tenant_a.id):
        assert db.session.scalars(sa.select(webhooks.Webhook)).all() == []
    db.session.rollback()
    author = browser_factory()
    author.login("tac-gia@tinh-a.vn")
    assert author.get(HOOKS).status_code == 403  # administrators only


def test_another_unions_endpoint_cannot_be_pinged_or_removed(browser, receiver, tenant_a, tenant_b, make_user):
    hook = receiver()
    hook_id, _ = _register(tenant_a, hook.url, ["article.published"])
    make_user("admin@tinh-b.vn", tenant=tenant_b, role="admin")
    browser.login("admin@tinh-b.vn")
    theirs = "/manage/tinh-b/webhooks/"
    assert browser.post(f"{theirs}{hook_id}/ping", {}, token_from=theirs).status_code == 404
    assert browser.post(f"{theirs}{hook_id}/delete", {"confirm": "y"}, token_from=theirs).status_code == 404
    assert hook.requests == [] and _deliveries(tenant_a) == []
    assert hook.url not in browser.get(theirs).get_data(as_text=True)
