"""A union's events calendar: what happens when and where, with the partners involved and related articles."""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from tenants.models import utcnow
from tenants.scoping import TenantScoped

EVENT_KINDS = ("conference", "delegation", "festival", "exchange", "other")


class Event(TenantScoped, db.Model):
    """An event on the union's calendar. Times are stored in UTC (staff type them in Viet Nam time). An all-day
    event starts at midnight in Viet Nam and ends at the midnight after its last day (exclusive, as in iCalendar)."""

    __tablename__ = "event"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(sa.String(255))  # plain text
    kind: Mapped[str] = mapped_column(sa.String(16), default="other")
    starts_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True))
    ends_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True))
    all_day: Mapped[bool] = mapped_column(default=False)
    place: Mapped[str] = mapped_column(sa.String(255), default="")
    partners: Mapped[str] = mapped_column(sa.Text, default="")  # plain text: partner countries and organisations
    description_html: Mapped[str] = mapped_column(sa.Text, default="")  # sanitised on set
    published: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow, onupdate=utcnow)

    links: Mapped[list["EventArticle"]] = relationship(
        primaryjoin="and_(foreign(EventArticle.event_id) == Event.id, "
                    "foreign(EventArticle.tenant_id) == Event.tenant_id)",
        cascade="all, delete-orphan", order_by="EventArticle.id")

    __table_args__ = (
        sa.UniqueConstraint("tenant_id", "id"),
        sa.CheckConstraint("kind in ('conference', 'delegation', 'festival', 'exchange', 'other')", name="kind"),
        sa.CheckConstraint("ends_at >= starts_at", name="ends_after_start"),
        sa.Index("ix_event_listing", "tenant_id", "published", "starts_at"),
    )


class EventArticle(TenantScoped, db.Model):
    """A news article of the same union related to an event."""

    __tablename__ = "event_article"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(index=True)
    article_id: Mapped[int] = mapped_column(index=True)

    __table_args__ = (
        sa.UniqueConstraint("tenant_id", "id"),
        sa.UniqueConstraint("tenant_id", "event_id", "article_id"),
        sa.ForeignKeyConstraint(["tenant_id", "event_id"], ["event.tenant_id", "event.id"],
                                ondelete="CASCADE", name="fk_event_article_event_same_tenant"),
        sa.ForeignKeyConstraint(["tenant_id", "article_id"], ["news_article.tenant_id", "news_article.id"],
                                ondelete="CASCADE", name="fk_event_article_article_same_tenant"),
    )


@sa.event.listens_for(Event.description_html, "set", retval=True)
def _sanitise_description(target, value, oldvalue, initiator):
    """Every writer (console, demo, CLI) stores only the allowed HTML subset."""
    from app.core.sanitize import clean_html

    return clean_html(value)


@sa.event.listens_for(Event.title, "set", retval=True)
@sa.event.listens_for(Event.place, "set", retval=True)
def _plain_line(target, value, oldvalue, initiator):
    from app.core.sanitize import plain_line

    return plain_line(value)
