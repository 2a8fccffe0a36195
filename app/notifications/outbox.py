"""The transactional outbox: e-mail (and webhook) rows written with the event, delivered once after commit.

- `queue_email()` adds an OutboxMessage to the caller's transaction (nothing is sent if it rolls back).
- After the transaction commits, each new message is handed to Celery; if the broker is unreachable the
  row simply stays pending and the beat `sweep()` delivers it later (an outage delays, never loses).
- `deliver()` claims a row with one conditional UPDATE (pending and due → sending), so two workers, a
  retry and the sweep can race for it and exactly one sends; failures back off exponentially.
"""

import logging
import smtplib
import uuid
from collections import Counter
from datetime import timedelta

import sqlalchemy as sa
from flask import current_app
from sqlalchemy import event

from app.core import mail
from app.core.timeutil import utcnow
from app.extensions import db
from app.notifications.emails import compose
from app.notifications.models import OutboxMessage, OutboxStatus
from tenants.context import TenantContextMissing, current_tenant_id, tenant_context
from tenants.models import Tenant
from tenants.scoping import TenantSession

log = logging.getLogger("lhhn.notifications")
_DISPATCH_KEY = "lhhn_outbox_dispatch"
STALE_CLAIM = timedelta(minutes=10)  # a worker that died while sending: its claim lapses


def queue_email(*, to: str, subject: str, text: str, html: str, event_type: str, key: str | None = None,
                tenant_id: int | None = None, headers: dict[str, str] | None = None) -> OutboxMessage | None:
    """Add one e-mail to the current transaction's outbox; None if `key` was queued before."""
    tenant_id = tenant_id or current_tenant_id()
    if tenant_id is None:
        raise TenantContextMissing("an outbox message needs a tenant")
    key = key or f"{event_type}:{uuid.uuid4().hex}"
    raw = compose(to, subject, text, html, key=f"{tenant_id}:{key}", headers=headers).as_string()
    with tenant_context(tenant_id):
        if db.session.scalar(sa.select(OutboxMessage.id).where(OutboxMessage.idempotency_key == key)):
            return None
        message = OutboxMessage(idempotency_key=key, event_type=event_type, to_address=to,
                                subject=subject[:300], raw_message=raw, next_attempt_at=utcnow())
        db.session.add(message)
        db.session.flush()
    db.session.info.setdefault(_DISPATCH_KEY, []).append((message.id, tenant_id))
    return message


def queue_webhook(tenant_id: int, webhook_id: int, url: str, event_type: str, body: str, *, key: str) -> int:
    """Add one webhook delivery (of `tenant_id`'s endpoint) to the current transaction's outbox; handed to the
    worker after the commit, like an e-mail. One INSERT statement, no flush: events raised while the session
    flushes call this too, and a national endpoint's delivery is the national union's row."""
    with tenant_context(tenant_id):
        message_id = db.session.execute(sa.insert(OutboxMessage).returning(OutboxMessage.id), [{
            "tenant_id": tenant_id, "idempotency_key": key[:200], "event_type": event_type, "to_address": url[:255],
            "subject": event_type, "raw_message": body, "channel": "webhook", "webhook_id": webhook_id,
            "status": OutboxStatus.PENDING, "attempts": 0, "next_attempt_at": utcnow(), "created_at": utcnow()}]
        ).scalar_one()
    db.session.info.setdefault(_DISPATCH_KEY, []).append((message_id, tenant_id))
    return message_id


# --- hand-off to Celery after commit -------------------------------------------------------------

@event.listens_for(TenantSession, "after_commit")
def _dispatch_after_commit(session) -> None:
    pending = session.info.pop(_DISPATCH_KEY, [])
    if pending:
        dispatch(pending)


@event.listens_for(TenantSession, "after_rollback")
def _forget_on_rollback(session) -> None:
    session.info.pop(_DISPATCH_KEY, None)


def dispatch(pending: list[tuple[int, int]]) -> int:
    """Queue a delivery task per message; a broker failure is logged, never raised (the sweep catches up)."""
    deliver_outbox_message = delivery_task()
    queued = 0
    for message_id, tenant_id in pending:
        try:
            deliver_outbox_message.apply_async(args=[message_id], kwargs={"tenant_id": tenant_id}, retry=False)
            queued += 1
        except Exception as error:  # noqa: BLE001 - the broker being down must not fail the event
            log.warning("%d outbox message(s) not queued (%s); the sweep will deliver them",
                        len(pending) - queued, error)
            break  # the broker is down: do not wait on it once per message
    return queued


def delivery_task():
    """The delivery task as registered on this Flask app's Celery app (not whichever Celery app was made last)."""
    import workers.tasks.notifications  # noqa: F401  (registers the task)

    return current_app.extensions["celery"].tasks["workers.tasks.notifications.deliver_outbox_message"]


# --- delivery --------------------------------------------------------------------------------------

def _due(now):
    return sa.or_(
        sa.and_(OutboxMessage.status == OutboxStatus.PENDING, OutboxMessage.next_attempt_at <= now),
        sa.and_(OutboxMessage.status == OutboxStatus.SENDING, OutboxMessage.claimed_at < now - STALE_CLAIM),
    )


def claim(message_id: int) -> tuple[str, int, str, int | None] | None:
    """Atomically take a due message (one conditional UPDATE … RETURNING): (raw message, attempt, channel,
    webhook id) or None."""
    now = utcnow()
    row = db.session.execute(
        sa.update(OutboxMessage).where(OutboxMessage.id == message_id, _due(now))
        .values(status=OutboxStatus.SENDING, claimed_at=now, attempts=OutboxMessage.attempts + 1)
        .returning(OutboxMessage.raw_message, OutboxMessage.attempts, OutboxMessage.channel,
                   OutboxMessage.webhook_id)
        .execution_options(synchronize_session=False)).first()
    db.session.commit()
    return tuple(row) if row else None


def backoff(attempt: int) -> timedelta:
    """Exponential: base, 2×base, 4×base … capped."""
    base = current_app.config.get("NOTIFY_RETRY_BASE_SECONDS", 60)
    cap = current_app.config.get("NOTIFY_RETRY_MAX_SECONDS", 6 * 3600)
    return timedelta(seconds=min(base * 2 ** max(attempt - 1, 0), cap))


def _permanent(error: Exception) -> bool:
    """A 5xx answer (unknown mailbox, refused recipient) will not improve with retries, nor a webhook endpoint
    that is gone or refuses the request itself."""
    if getattr(error, "permanent", False):
        return True
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return True
    return isinstance(error, smtplib.SMTPResponseException) and 500 <= error.smtp_code < 600


def deliver(message_id: int) -> str:
    """Send one outbox message if it is due and nobody else has it: 'sent', 'retry', 'failed' or 'skipped'."""
    claimed = claim(message_id)
    if claimed is None:
        return "skipped"
    raw, attempt, channel, webhook_id = claimed
    answer = None
    try:
        if channel == "webhook":
            from app.api import webhooks

            answer = webhooks.post(webhook_id, raw)
        else:
            mail.deliver(raw)
    except Exception as error:  # noqa: BLE001 - every failure is recorded on the row
        return _record_failure(message_id, attempt, error)
    db.session.execute(sa.update(OutboxMessage).where(OutboxMessage.id == message_id)
                       .values(status=OutboxStatus.SENT, sent_at=utcnow(), last_error=None, last_response=answer)
                       .execution_options(synchronize_session=False))
    db.session.commit()
    return "sent"


def _record_failure(message_id: int, attempt: int, error: Exception) -> str:
    give_up = _permanent(error) or attempt >= current_app.config.get("NOTIFY_MAX_ATTEMPTS", 8)
    status = OutboxStatus.FAILED if give_up else OutboxStatus.PENDING
    log.warning("outbox message %s attempt %s failed: %s", message_id, attempt, error)
    db.session.execute(sa.update(OutboxMessage).where(OutboxMessage.id == message_id)
                       .values(status=status, last_error=f"{type(error).__name__}: {error}"[:2000],
                               last_response=getattr(error, "response", None),
                               next_attempt_at=utcnow() + backoff(attempt), claimed_at=None)
                       .execution_options(synchronize_session=False))
    db.session.commit()
    return "failed" if give_up else "retry"


def sweep(limit: int = 500) -> Counter:
    """Deliver every due message of every tenant (the beat task's safety net); counts by outcome."""
    outcomes: Counter = Counter()
    for tenant_id in db.session.scalars(sa.select(Tenant.id).order_by(Tenant.id)).all():
        with tenant_context(tenant_id):
            ids = db.session.scalars(sa.select(OutboxMessage.id).where(_due(utcnow()))
                                     .order_by(OutboxMessage.id).limit(limit)
                                     .with_for_update(skip_locked=True)).all()
            db.session.commit()
            for message_id in ids:
                outcomes[deliver(message_id)] += 1
    return outcomes


def retry_now(message: OutboxMessage) -> None:
    """An admin's 'try again': a failed (or waiting) message becomes due at once."""
    if message.status in (OutboxStatus.FAILED, OutboxStatus.PENDING):
        message.status = OutboxStatus.PENDING
        message.next_attempt_at = utcnow()
        db.session.flush()
        db.session.info.setdefault(_DISPATCH_KEY, []).append((message.id, message.tenant_id))
