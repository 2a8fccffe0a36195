"""What a merge did: the operation, each row it moved (where it came from) and the redirects it left."""

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from app.core.timeutil import utcnow
from app.extensions import db


class ReorgOperation(db.Model):
    """One merge of a union into its successor, effective on a day. Platform-level: national staff only."""

    __tablename__ = "reorg_operation"
    __page_cache__ = False

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(16), default="merge")
    source_tenant_id: Mapped[int] = mapped_column(sa.ForeignKey("tenant.id"), index=True)
    target_tenant_id: Mapped[int] = mapped_column(sa.ForeignKey("tenant.id"), index=True)
    effective_on: Mapped[date] = mapped_column(sa.Date)
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id", ondelete="SET NULL"))
    counts: Mapped[dict] = mapped_column(sa.JSON, default=dict)  # rows moved / merged / dropped per table
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)

    __table_args__ = (sa.UniqueConstraint("kind", "source_tenant_id", "target_tenant_id"),)


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
    """A public path of a merged union whose equivalent on the successor has another path (a page now under
    the archive section, a category folded into the successor's). Paths that did not change need no row:
    the predecessor's host answers them with the same path on the successor."""

    __tablename__ = "tenant_redirect"
    __page_cache__ = False

    id: Mapped[int] = mapped_column(primary_key=True)
    tenant_id: Mapped[int] = mapped_column(sa.ForeignKey("tenant.id", ondelete="CASCADE"))  # the predecessor
    old_path: Mapped[str] = mapped_column(sa.String(500))
    target_tenant_id: Mapped[int] = mapped_column(sa.ForeignKey("tenant.id", ondelete="CASCADE"))
    new_path: Mapped[str] = mapped_column(sa.String(500))
    operation_id: Mapped[int | None] = mapped_column(sa.ForeignKey("reorg_operation.id", ondelete="SET NULL"))

    __table_args__ = (sa.UniqueConstraint("tenant_id", "old_path"),)
