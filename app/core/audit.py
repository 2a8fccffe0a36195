"""The audit log: who did what, when, in which tenant."""

import logging
from datetime import datetime

import sqlalchemy as sa
from flask import has_request_context, request
from flask_login import current_user
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from tenants.context import current_tenant_id
from tenants.models import utcnow

log = logging.getLogger("lhhn.audit")


class AuditEntry(db.Model):
    """Written by the kernel and the services; tenant_id is null for platform-level actions.
    Not TenantScoped because national admins read every tenant's entries: readers filter explicitly."""
    __page_cache__ = False  # never shown on public pages: changes do not invalidate them

    __tablename__ = "audit_entry"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow, index=True)
    tenant_id: Mapped[int | None] = mapped_column(sa.ForeignKey("tenant.id", ondelete="SET NULL"), index=True)
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id", ondelete="SET NULL"))
    action: Mapped[str] = mapped_column(sa.String(64), index=True)
    target: Mapped[str | None] = mapped_column(sa.String(255))
    detail: Mapped[str | None] = mapped_column(sa.Text)
    ip: Mapped[str | None] = mapped_column(sa.String(64))


def _who(actor_id):
    if actor_id is None and has_request_context() and current_user and current_user.is_authenticated:
        actor_id = current_user.id
    ip = request.remote_addr if has_request_context() else None
    return actor_id, ip


def record(action: str, *, target: str | None = None, detail: str | None = None,
           actor_id: int | None = None, tenant_id: int | None = None) -> AuditEntry:
    """Add an audit entry to the current transaction (it commits or rolls back with the action)."""
    actor_id, ip = _who(actor_id)
    entry = AuditEntry(action=action, target=target, detail=detail, actor_id=actor_id, ip=ip,
                       tenant_id=tenant_id if tenant_id is not None else current_tenant_id())
    db.session.add(entry)
    return entry


def record_detached(action: str, *, detail: str | None = None, actor_id: int | None = None) -> None:
    """Write an audit entry in its own transaction, so that it stays even if the caller rolls back."""
    actor_id, ip = _who(actor_id)
    log.info("audit %s actor=%s detail=%s", action, actor_id, detail)
    values = {"at": utcnow(), "action": action, "detail": detail, "actor_id": actor_id, "ip": ip,
              "tenant_id": current_tenant_id()}
    try:
        with db.engine.begin() as conn:
            if conn.dialect.name == "sqlite":  # the caller may hold SQLite's only write lock: do not wait on it
                conn.exec_driver_sql("PRAGMA busy_timeout = 200")
            conn.execute(sa.insert(AuditEntry).values(**values))
    except sa.exc.OperationalError:
        log.warning("audit entry %s written with the caller's transaction (database busy)", action)
        db.session.add(AuditEntry(**values))
