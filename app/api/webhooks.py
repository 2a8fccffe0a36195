"""Webhooks: a union (or the national union) registers URLs for events; each event becomes an outbox message per
endpoint, written in the event's own transaction, delivered after the commit by the outbox's worker with its
retries and back-off (app/notifications/outbox.py), and visible with its last response in the console.

A delivery is a POST of the event as JSON, signed: `X-LHHN-Signature: sha256=<hex>` is HMAC-SHA256 with the
endpoint's secret over `<X-LHHN-Timestamp>.<body>`; a receiver recomputes it and refuses an old timestamp.
Endpoints must be public hosts (no loopback or private network) unless WEBHOOK_ALLOW_PRIVATE_HOSTS is on.
"""

import hashlib
import hmac
import http.client
import ipaddress
import json
import secrets
import socket
import ssl
import time
from datetime import datetime
from urllib.parse import urlsplit

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column

from app.core.timeutil import as_utc, utcnow
from app.extensions import db
from tenants.context import current_tenant_id
from tenants.scoping import TenantScoped

EVENTS = {
    "article.published": _l("an article is published"),
    "document.added": _l("a document is published"),
    "report.submitted": _l("a report is submitted"),
    "report.returned": _l("a report is returned to its union"),
    "report.accepted": _l("a report is accepted"),
}
REPORT_EVENTS = {"submitted": "report.submitted", "returned": "report.returned", "accepted": "report.accepted"}
TIMEOUT_SECONDS = 10
REFUSALS = (400, 401, 403, 404, 405, 410, 413, 422)  # answers that retrying will not change


class WebhookError(Exception):
    """A delivery that did not succeed; `permanent` when retrying cannot help."""

    def __init__(self, message: str, *, response: str | None = None, permanent: bool = False):
        super().__init__(message)
        self.response, self.permanent = response, permanent


class Webhook(TenantScoped, db.Model):
    """An endpoint of a union: where its events are posted, signed with `secret`."""

    __tablename__ = "webhook"
    __page_cache__ = False

    id: Mapped[int] = mapped_column(primary_key=True)
    url: Mapped[str] = mapped_column(sa.String(2000))
    secret: Mapped[str] = mapped_column(sa.String(64))  # the HMAC key: shown once to the union, kept to sign
    events: Mapped[list] = mapped_column(sa.JSON, default=list)
    all_unions: Mapped[bool] = mapped_column(default=False)  # national union only: report events of every union
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)

    __table_args__ = (sa.UniqueConstraint("tenant_id", "id"),)


# --- registering -----------------------------------------------------------------------------------

def check_url(url: str) -> str:
    """The URL, if it is an http(s) address of a host the platform may post to (else ValueError, for a person)."""
    _checked(url)
    return url.strip()


def _checked(url: str) -> tuple:
    """(the URL's parts, the address to connect to): one lookup, checked; the delivery connects to that very
    address, so a second lookup (DNS rebinding) cannot send it elsewhere."""
    url = (url or "").strip()
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname or len(url) > 2000:
        raise ValueError(gettext("Give an http:// or https:// address."))
    if parts.username or parts.password:
        raise ValueError(gettext("The address may not carry a user name or password."))
    try:
        parts.port  # noqa: B018 - raises on a port that is not a number
    except ValueError:
        raise ValueError(gettext("Give an http:// or https:// address.")) from None
    addresses = _addresses(parts.hostname)
    if not current_app.config.get("WEBHOOK_ALLOW_PRIVATE_HOSTS", False):
        for address in addresses:
            if not address.is_global:
                raise ValueError(gettext("%(host)s is not a public address.", host=parts.hostname))
    return parts, str(addresses[0])


def _addresses(host: str) -> list:
    try:
        return [ipaddress.ip_address(host)]
    except ValueError:
        pass
    try:
        found = [ipaddress.ip_address(info[4][0].split("%", 1)[0]) for info in socket.getaddrinfo(host, None)]
    except (socket.gaierror, UnicodeError, ValueError):
        raise ValueError(gettext("%(host)s cannot be found.", host=host)) from None
    if not found:
        raise ValueError(gettext("%(host)s cannot be found.", host=host))
    return found


class _PinnedHTTP(http.client.HTTPConnection):
    """An HTTP connection to the address checked, whatever the host name resolves to now."""

    def __init__(self, host, port, address, **kwargs):
        super().__init__(host, port, **kwargs)
        self._address = address

    def connect(self):
        self.sock = socket.create_connection((self._address, self.port), self.timeout)


class _PinnedHTTPS(http.client.HTTPSConnection):
    def __init__(self, host, port, address, **kwargs):
        super().__init__(host, port, context=ssl.create_default_context(), **kwargs)
        self._address = address

    def connect(self):
        sock = socket.create_connection((self._address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)  # the certificate of the host name


def register(tenant, url: str, events: list[str], *, all_unions: bool = False) -> Webhook:
    unknown = set(events) - set(EVENTS)
    if unknown or not events:
        raise ValueError(gettext("Choose one or more of the events offered."))
    hook = Webhook(tenant_id=tenant.id, url=check_url(url), secret=secrets.token_hex(32), events=sorted(set(events)),
                   all_unions=bool(all_unions and tenant.is_national))
    db.session.add(hook)
    db.session.flush()
    from app.core import audit

    audit.record("webhook.created", tenant_id=tenant.id, target=f"webhook:{hook.id}",
                 detail=f"{hook.url}: {' '.join(hook.events)}")
    return hook


def sign(secret: str, timestamp: int, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), str(timestamp).encode() + b"." + body, hashlib.sha256).hexdigest()


# --- events → outbox --------------------------------------------------------------------------------

def emit(event: str, data: dict, tenant_id: int | None = None) -> int:
    """Queue `event` for every active endpoint of the union that wants it (and the national union's endpoints for
    every union, for report events) in the current transaction; returns how many."""
    from app.notifications import outbox
    from tenants.models import Tenant, TenantKind
    from tenants.scoping import all_tenants

    tenant_id = tenant_id or current_tenant_id()
    with all_tenants("webhooks: the endpoints an event goes to", public_read=True):
        national = db.session.scalar(sa.select(Tenant.id).where(Tenant.kind == TenantKind.NATIONAL))
        wanted = [Webhook.tenant_id == tenant_id]
        if event in REPORT_EVENTS.values():  # the national union's "every union" endpoints take report events
            wanted.append(sa.and_(Webhook.tenant_id == national, Webhook.all_unions.is_(True)))
        hooks = db.session.scalars(sa.select(Webhook).where(Webhook.active.is_(True), sa.or_(*wanted))).all()
        targets = [(h.id, h.tenant_id, h.url) for h in hooks if event in (h.events or [])]
    union = db.session.get(Tenant, tenant_id)
    sent_at = utcnow()
    for hook_id, owner, url in targets:
        delivery = f"{event}:{data.get('id')}:{hook_id}:{int(sent_at.timestamp() * 1000)}"
        body = json.dumps({"event": event, "delivery": delivery, "union": union.slug if union else None,
                           "occurred_at": sent_at.isoformat(), "data": data}, ensure_ascii=False, default=str)
        outbox.queue_webhook(owner, hook_id, url, event, body, key=delivery)
    return len(targets)


def _article_published(article, actor=None, **_):
    from tenants.models import Tenant

    tenant = db.session.get(Tenant, article.tenant_id)
    host = tenant.primary_domain.host if tenant and tenant.primary_domain else None
    scheme = current_app.config.get("PREFERRED_URL_SCHEME", "https")
    emit("article.published", {"id": article.id, "title": article.title, "locale": article.locale,
                               "published_at": as_utc(article.published_at).isoformat() if article.published_at
                               else None, "url": f"{scheme}://{host}/tin/{article.id}/{article.slug}" if host else None,
                               "api": f"/api/v1/articles/{article.id}"}, article.tenant_id)


def _report_transitioned(report, to: str, **_):
    event = REPORT_EVENTS.get(to)
    if event:
        emit(event, {"id": report.id, "period_id": report.period_id, "status": to}, report.tenant_id)


def _documents_flushed(session, flush_context) -> None:
    """after_flush: a published document (new, or published just now) is announced once, in the transaction that
    published it (its id is known by now; the flush's lists and attribute history still show what it wrote)."""
    from app.documents.models import Document

    announced = session.info.setdefault("lhhn_webhook_documents", set())
    for obj in list(session.new) + list(session.dirty):
        if not isinstance(obj, Document) or not obj.published or obj.id in announced:
            continue
        if obj not in session.new and not sa.inspect(obj).attrs.published.history.added:
            continue
        announced.add(obj.id)
        emit("document.added", {"id": obj.id, "number": obj.number, "title": obj.title, "issuer": obj.issuer,
                                "api": f"/api/v1/documents/{obj.id}"}, obj.tenant_id)


def _forget_documents(session) -> None:
    session.info.pop("lhhn_webhook_documents", None)


def init_app(app) -> None:
    from sqlalchemy import event

    from app.news import signals
    from app.reporting import workflow
    from tenants.scoping import TenantSession

    signals.article_published.connect(_article_published, weak=False)
    workflow.report_transitioned.connect(_report_transitioned, weak=False)
    if not event.contains(TenantSession, "after_flush", _documents_flushed):
        event.listen(TenantSession, "after_flush", _documents_flushed)
        event.listen(TenantSession, "after_commit", _forget_documents)
        event.listen(TenantSession, "after_rollback", _forget_documents)
    app.config.setdefault("WEBHOOK_ALLOW_PRIVATE_HOSTS", False)


# --- delivering (called by the outbox's worker) -----------------------------------------------------

def post(hook_id: int, body: str) -> str:
    """POST one delivery to its endpoint; its answer ("200 OK: …") or WebhookError."""
    hook = db.session.get(Webhook, hook_id)
    if hook is None or not hook.active:
        raise WebhookError("the endpoint was removed or switched off", permanent=True)
    try:
        parts, address = _checked(hook.url)  # again: the host's addresses may have changed since it was registered
    except ValueError as refusal:
        raise WebhookError(str(refusal), permanent=True) from None
    data, event = body.encode(), json.loads(body)
    timestamp = int(time.time())
    headers = {"Content-Type": "application/json; charset=utf-8", "User-Agent": "LHHN-Webhooks/1",
               "X-LHHN-Event": event["event"], "X-LHHN-Delivery": event["delivery"],
               "X-LHHN-Timestamp": str(timestamp), "X-LHHN-Signature": sign(hook.secret, timestamp, data)}
    kind = _PinnedHTTPS if parts.scheme == "https" else _PinnedHTTP
    connection = kind(parts.hostname, parts.port, address, timeout=TIMEOUT_SECONDS)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    try:
        connection.request("POST", path, body=data, headers=headers)
        answer = connection.getresponse()
        summary = f"{answer.status} {answer.reason}: {answer.read(500).decode('utf-8', 'replace')}"
    except (OSError, http.client.HTTPException) as error:
        raise WebhookError(f"no answer: {error}") from None
    finally:
        connection.close()
    if 200 <= answer.status < 300:
        return summary
    # Redirects are not followed (they could lead inside the network); a 4xx will not change on its own.
    refused = 300 <= answer.status < 400 or answer.status in REFUSALS
    raise WebhookError(f"the endpoint answered {answer.status}", response=summary, permanent=refused)
