"""An article a union offers to the national portal, and the national union's decision on it."""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from tenants.models import utcnow
from tenants.scoping import TenantScoped


class Nomination(TenantScoped, db.Model):
    __tablename__ = "news_nomination"

    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(index=True)
    status: Mapped[str] = mapped_column(sa.String(16), default="pending")
    nominated_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id", ondelete="SET NULL"))
    decided_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id", ondelete="SET NULL"))
    reason: Mapped[str] = mapped_column(sa.String(500), default="")
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    decided_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))

    __table_args__ = (
        sa.UniqueConstraint("tenant_id", "id"),
        sa.UniqueConstraint("tenant_id", "article_id"),  # one nomination per article (re-nominating reopens it)
        sa.ForeignKeyConstraint(["tenant_id", "article_id"], ["news_article.tenant_id", "news_article.id"],
                                ondelete="CASCADE", name="fk_news_nomination_article_same_tenant"),
        sa.CheckConstraint("status in ('pending', 'approved', 'declined')", name="status"),
    )
