"""Notification rows (in-app), the e-mail outbox, preferences, and public news subscribers."""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.accounts.models import User
from app.extensions import db
from tenants.models import utcnow
from tenants.scoping import TenantScoped


class Notification(TenantScoped, db.Model):
    """One in-app notification for one user in one tenant (the national tenant for national work)."""
    __page_cache__ = False  # never shown on public pages: changes do not invalidate them

    __tablename__ = "notification"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    event_type: Mapped[str] = mapped_column(sa.String(64))
    title: Mapped[str] = mapped_column(sa.String(300))  # rendered in the recipient's language
    body: Mapped[str] = mapped_column(sa.Text, default="")
    link: Mapped[str | None] = mapped_column(sa.String(500))
    idempotency_key: Mapped[str | None] = mapped_column(sa.String(200))
    digest_state: Mapped[str | None] = mapped_column(sa.String(16))  # None, 'pending' or 'sent'
    read_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)

    user: Mapped[User] = relationship()

    __table_args__ = (
        sa.UniqueConstraint("tenant_id", "id"),
        sa.UniqueConstraint("tenant_id", "idempotency_key"),
        sa.Index("ix_notification_unread", "tenant_id", "user_id", "read_at"),
        sa.CheckConstraint("digest_state is null or digest_state in ('pending', 'sent')", name="digest_state"),
    )


class OutboxStatus:
    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"


class OutboxMessage(TenantScoped, db.Model):
    """One e-mail to send, written in the transaction of the event; delivered (once) after commit."""
    __page_cache__ = False  # never shown on public pages: changes do not invalidate them

    __tablename__ = "outbox_message"

    id: Mapped[int] = mapped_column(primary_key=True)
    idempotency_key: Mapped[str] = mapped_column(sa.String(200))
    event_type: Mapped[str] = mapped_column(sa.String(64))
    to_address: Mapped[str] = mapped_column(sa.String(255))
    subject: Mapped[str] = mapped_column(sa.String(300))
    raw_message: Mapped[str] = mapped_column(sa.Text)  # the whole MIME message, composed at event time
    status: Mapped[str] = mapped_column(sa.String(16), default=OutboxStatus.PENDING)
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    claimed_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    sent_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    last_error: Mapped[str | None] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    # A webhook delivery (app/api/webhooks.py) rides the same outbox: the JSON body in raw_message, the endpoint
    # in webhook_id, the URL in to_address (shortened), the endpoint's last answer in last_response.
    channel: Mapped[str] = mapped_column(sa.String(16), default="email", server_default="email")
    webhook_id: Mapped[int | None] = mapped_column(index=True)
    last_response: Mapped[str | None] = mapped_column(sa.Text)

    __table_args__ = (
        sa.UniqueConstraint("tenant_id", "id"),
        sa.UniqueConstraint("tenant_id", "idempotency_key"),
        sa.CheckConstraint("channel in ('email', 'webhook')", name="channel"),
        sa.Index("ix_outbox_message_due", "status", "next_attempt_at"),
        sa.CheckConstraint("status in ('pending', 'sending', 'sent', 'failed')", name="status"),
    )


class NotificationPreference(db.Model):
    """How a user wants one event type: in the console only, by e-mail, or in a daily digest.
    A person's own setting, across every tenant they belong to (so not tenant-scoped)."""
    __page_cache__ = False  # never shown on public pages: changes do not invalidate them

    __tablename__ = "notification_preference"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id", ondelete="CASCADE"))
    event_type: Mapped[str] = mapped_column(sa.String(64))
    channel: Mapped[str] = mapped_column(sa.String(16))

    __table_args__ = (
        sa.UniqueConstraint("user_id", "event_type"),
        sa.CheckConstraint("channel in ('in_app', 'email', 'digest')", name="channel"),
    )


class SubscriberStatus:
    PENDING = "pending"
    CONFIRMED = "confirmed"
    UNSUBSCRIBED = "unsubscribed"


class Subscriber(TenantScoped, db.Model):
    """A member of the public who asked for a union's news by e-mail (double opt-in)."""
    __page_cache__ = False  # never shown on public pages: changes do not invalidate them

    __tablename__ = "news_subscriber"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(255))
    locale: Mapped[str] = mapped_column(sa.String(8), default="vi")
    status: Mapped[str] = mapped_column(sa.String(16), default=SubscriberStatus.PENDING)
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    confirmation_sent_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    confirmed_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    unsubscribed_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))

    __table_args__ = (
        sa.UniqueConstraint("tenant_id", "id"),
        sa.UniqueConstraint("tenant_id", "email"),
        sa.CheckConstraint("status in ('pending', 'confirmed', 'unsubscribed')", name="status"),
    )


class NewsletterWatermark(TenantScoped, db.Model):
    """The last published article (time, id) already handed to a union's subscribers."""
    __page_cache__ = False  # never shown on public pages: changes do not invalidate them

    __tablename__ = "newsletter_watermark"

    id: Mapped[int] = mapped_column(primary_key=True)
    last_published_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True))
    last_article_id: Mapped[int] = mapped_column(default=0)
    updated_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow, onupdate=utcnow)

    __table_args__ = (
        sa.UniqueConstraint("tenant_id"),
        sa.UniqueConstraint("tenant_id", "id"),
    )
