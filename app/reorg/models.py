"""What a merge or a split did: the operation, each row it moved (where it came from), the redirects it left,
and the run that carried it out in the background (its progress)."""

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from app.core.timeutil import utcnow
from app.extensions import db


class ReorgOperation(db.Model):
    """One merge of a union into its successor, or one split of a part of a union into another, effective on a
    day. Platform-level: national staff only."""

    __tablename__ = "reorg_operation"
    __page_cache__ = False

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(16), default="merge")
    source_tenant_id: Mapped[int] = mapped_column(sa.ForeignKey("tenant.id"), index=True)
    target_tenant_id: Mapped[int] = mapped_column(sa.ForeignKey("tenant.id"), index=True)
    effective_on: Mapped[date] = mapped_column(sa.Date)
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id", ondelete="SET NULL"))
    counts: Mapped[dict] = mapped_column(sa.JSON, default=dict)  # rows moved / merged / dropped per table
    selection: Mapped[dict | None] = mapped_column(sa.JSON)  # a split: the categories, tags and dates chosen
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)

    # One merge per pair; a union can give several parts to the same union (one split each).
    __table_args__ = (sa.Index("uq_reorg_operation_merge", "source_tenant_id", "target_tenant_id", unique=True,
                               postgresql_where=sa.text("kind = 'merge'"), sqlite_where=sa.text("kind = 'merge'")),)


class MovedRow(db.Model):
    """A row a merge moved (same id, new tenant) or folded into one of the successor's (`merged_into_id`)."""

    __tablename__ = "reorg_moved_row"
    __page_cache__ = False

    id: Mapped[int] = mapped_column(primary_key=True)
    operation_id: Mapped[int] = mapped_column(sa.ForeignKey("reorg_operation.id", ondelete="CASCADE"), index=True)
    table_name: Mapped[str] = mapped_column(sa.String(63))
    row_id: Mapped[int] = mapped_column()
    from_tenant_id: Mapped[int] = mapped_column(sa.ForeignKey("tenant.id"))
    merged_into_id: Mapped[int | None] = mapped_column()  # the successor's row it was folded into

    __table_args__ = (sa.UniqueConstraint("operation_id", "table_name", "row_id"),
                      sa.Index("ix_reorg_moved_row_lookup", "table_name", "row_id"))


class TenantRedirect(db.Model):
    """A public path of a union that now lives on another union: after a merge, the paths whose equivalent on
    the successor differs (a page under the archive section, a category folded into the successor's; paths
    that did not change need no row, the predecessor's host answers them with the same path on the successor);
    after a split, every moved article's and category's path (the union itself stays, so each is recorded).
    A row ending in "/" stands for every path under it."""

    __tablename__ = "tenant_redirect"
    __page_cache__ = False

    id: Mapped[int] = mapped_column(primary_key=True)
    tenant_id: Mapped[int] = mapped_column(sa.ForeignKey("tenant.id", ondelete="CASCADE"))  # the predecessor
    old_path: Mapped[str] = mapped_column(sa.String(500))
    target_tenant_id: Mapped[int] = mapped_column(sa.ForeignKey("tenant.id", ondelete="CASCADE"))
    new_path: Mapped[str] = mapped_column(sa.String(500))
    operation_id: Mapped[int | None] = mapped_column(sa.ForeignKey("reorg_operation.id", ondelete="SET NULL"))

    __table_args__ = (sa.UniqueConstraint("tenant_id", "old_path"),)


RUN_STATUSES = ("queued", "running", "done", "failed")


class ReorgRun(db.Model):
    """A merge or a split asked for in the national console, carried out by a Celery task; its progress (steps
    done of total, the current step) is written as it goes, so the console shows a bar. Running it again after
    a failure is safe: what is done already is skipped (each union's move is all or nothing)."""

    __tablename__ = "reorg_run"
    __page_cache__ = False

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(16))  # merge | split
    status: Mapped[str] = mapped_column(sa.String(8), default="queued")
    params: Mapped[dict] = mapped_column(sa.JSON, default=dict)  # what was asked (see app/reorg/runs.py)
    total: Mapped[int] = mapped_column(default=0)
    done: Mapped[int] = mapped_column(default=0)
    step: Mapped[str | None] = mapped_column(sa.String(200))
    operation_ids: Mapped[list] = mapped_column(sa.JSON, default=list)
    error: Mapped[str | None] = mapped_column(sa.Text)
    requested_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    finished_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))

    __table_args__ = (sa.CheckConstraint("status IN ('queued', 'running', 'done', 'failed')", name="status"),)
