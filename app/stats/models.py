"""Visit counts: one row per tenant and day, plus (embedded mode only) who was seen today."""

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from tenants.models import utcnow
from tenants.scoping import TenantScoped


class VisitDaily(TenantScoped, db.Model):
    """A tenant's public page views and distinct visitors on one day (Asia/Ho_Chi_Minh)."""
    __page_cache__ = False  # never shown on public pages: changes do not invalidate them

    __tablename__ = "visit_daily"

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(sa.Date)
    page_views: Mapped[int] = mapped_column(sa.BigInteger, default=0)
    visitors: Mapped[int] = mapped_column(sa.BigInteger, default=0)
    updated_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow, onupdate=utcnow)

    __table_args__ = (
        sa.UniqueConstraint("tenant_id", "id"),
        sa.UniqueConstraint("tenant_id", "day"),
    )


class VisitVisitor(TenantScoped, db.Model):
    """Embedded mode (no Redis): a visitor cookie seen on a day, so that a visitor is counted once per
    day and 'online' can be answered. Holds no IP address; rows older than yesterday are purged."""
    __page_cache__ = False  # never shown on public pages: changes do not invalidate them

    __tablename__ = "visit_visitor"

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(sa.Date)
    visitor: Mapped[str] = mapped_column(sa.String(32))
    last_seen: Mapped[int] = mapped_column(sa.BigInteger)  # Unix seconds: portable and cheap to compare

    __table_args__ = (
        sa.UniqueConstraint("tenant_id", "id"),
        sa.UniqueConstraint("tenant_id", "day", "visitor"),
        sa.Index("ix_visit_visitor_tenant_last_seen", "tenant_id", "last_seen"),
    )
