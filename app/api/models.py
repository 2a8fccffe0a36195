"""Personal access tokens for the API: shown once, stored as a SHA-256 hash, scoped, expiring, revocable."""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.timeutil import as_utc, utcnow
from app.extensions import db
from tenants.scoping import TenantScoped


class ApiToken(TenantScoped, db.Model):
    """A staff member's token for one union (the national union's for `national:read`). The secret is never
    stored: `prefix` finds the row, `secret_hash` proves the rest."""

    __tablename__ = "api_token"
    __page_cache__ = False

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    prefix: Mapped[str] = mapped_column(sa.String(16), index=True)  # random: found across unions by it
    secret_hash: Mapped[str] = mapped_column(sa.String(64))
    scopes: Mapped[list] = mapped_column(sa.JSON, default=list)
    expires_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    last_used_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)

    user = relationship("User")

    __table_args__ = (sa.UniqueConstraint("tenant_id", "prefix"),)

    @property
    def is_live(self) -> bool:
        return self.revoked_at is None and as_utc(self.expires_at) > utcnow()
