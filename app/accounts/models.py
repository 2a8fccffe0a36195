"""People: users (platform-wide) and their memberships in tenants."""

import hashlib
import hmac
from datetime import datetime

import sqlalchemy as sa
from flask import current_app, has_app_context
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from app.accounts.roles import NationalRole, TenantRole
from app.extensions import db
from tenants.models import Tenant, utcnow


class User(UserMixin, db.Model):
    __page_cache__ = False  # never shown on public pages: changes do not invalidate them
    __tablename__ = "user_account"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(255), unique=True)
    name: Mapped[str] = mapped_column(sa.String(255))
    password_hash: Mapped[str] = mapped_column(sa.String(255))
    locale: Mapped[str | None] = mapped_column(sa.String(8))
    active: Mapped[bool] = mapped_column(default=True)
    national_role: Mapped[str | None] = mapped_column(sa.String(32))
    failed_logins: Mapped[int] = mapped_column(default=0)
    locked_until: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    last_login_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)

    memberships: Mapped[list["Membership"]] = relationship(back_populates="user", cascade="all, delete-orphan")

    __table_args__ = (
        sa.CheckConstraint("national_role is null or national_role in ('platform_admin', 'national_viewer')",
                           name="national_role"),
        {"sqlite_autoincrement": True},
    )

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive users
        return self.active

    def get_id(self) -> str:
        """The session's user reference: the id plus a fingerprint of the password hash, so changing
        the password ends every other session and every remember-me cookie."""
        return f"{self.id}.{self.session_fingerprint()}"

    def session_fingerprint(self) -> str:
        return hashlib.sha256(f"session:{self.password_hash}".encode()).hexdigest()[:16]

    @classmethod
    def from_session_id(cls, session_id: str) -> "User | None":
        user_id, _, fingerprint = session_id.partition(".")
        if not user_id.isdigit() or not fingerprint or len(user_id) > 10:
            return None
        user = db.session.get(cls, int(user_id))
        if user is None or not hmac.compare_digest(user.session_fingerprint(), fingerprint):
            return None
        return user

    def set_password(self, password: str) -> None:
        method = current_app.config.get("PASSWORD_HASH_METHOD", "scrypt") if has_app_context() else "scrypt"
        self.password_hash = generate_password_hash(password, method=method)

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    def role_in(self, tenant_id: int) -> str | None:
        return next((m.role for m in self.memberships if m.tenant_id == tenant_id), None)

    @property
    def is_platform_admin(self) -> bool:
        return self.national_role == NationalRole.PLATFORM_ADMIN

    def __repr__(self) -> str:
        return f"<User {self.email}>"


class Membership(db.Model):
    """A user's role in one tenant. Read across tenants for the tenant switcher, so not TenantScoped:
    every query on it names its tenant explicitly."""
    __page_cache__ = False  # never shown on public pages: changes do not invalidate them

    __tablename__ = "membership"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id", ondelete="CASCADE"))
    tenant_id: Mapped[int] = mapped_column(sa.ForeignKey("tenant.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(sa.String(16))
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)

    user: Mapped[User] = relationship(back_populates="memberships")
    tenant: Mapped[Tenant] = relationship()

    __table_args__ = (
        sa.UniqueConstraint("user_id", "tenant_id"),
        sa.CheckConstraint("role in ('admin', 'editor', 'author', 'reporter')", name="role"),
    )


ALL_TENANT_ROLES = [r.value for r in TenantRole]
