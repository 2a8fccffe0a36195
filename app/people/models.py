"""Invitations to join a union's console, sent by e-mail as a signed link."""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from tenants.models import utcnow
from tenants.scoping import TenantScoped


class Invitation(TenantScoped, db.Model):
    __tablename__ = "invitation"
    __page_cache__ = False  # never shown on public pages

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(255))
    role: Mapped[str] = mapped_column(sa.String(16))
    invited_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    accepted_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))

    __table_args__ = (
        sa.UniqueConstraint("tenant_id", "id"),
        sa.CheckConstraint("role in ('admin', 'editor', 'author', 'reporter')", name="role"),
        {"sqlite_autoincrement": True},  # a token names its invitation's id: ids are never reused
    )

    @property
    def pending(self) -> bool:
        return self.accepted_at is None and self.revoked_at is None
