"""A tenant's news: categories, articles (with an optional English version of a Vietnamese one), tags."""

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from tenants.models import utcnow
from tenants.scoping import TenantScoped


class ArticleStatus(enum.StrEnum):
    DRAFT = "draft"
    IN_REVIEW = "in_review"
    PUBLISHED = "published"
    ARCHIVED = "archived"


class Category(TenantScoped, db.Model):
    __tablename__ = "news_category"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(sa.String(120))
    name_vi: Mapped[str] = mapped_column(sa.String(255))
    name_en: Mapped[str | None] = mapped_column(sa.String(255))
    position: Mapped[int] = mapped_column(default=0)
    show_in_menu: Mapped[bool] = mapped_column(default=True)

    __table_args__ = (
        sa.UniqueConstraint("tenant_id", "id"),
        sa.UniqueConstraint("tenant_id", "slug"),
    )

    def name(self, locale: str = "vi") -> str:
        return self.name_en if locale == "en" and self.name_en else self.name_vi

    def __repr__(self) -> str:
        return f"<Category {self.slug}>"


class Tag(TenantScoped, db.Model):
    __tablename__ = "news_tag"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(sa.String(120))
    name: Mapped[str] = mapped_column(sa.String(120))

    __table_args__ = (
        sa.UniqueConstraint("tenant_id", "id"),
        sa.UniqueConstraint("tenant_id", "slug"),
    )


_LISTED = sa.text("status = 'published' AND translation_of_id IS NULL")  # what public lists are made of


class Article(TenantScoped, db.Model):
    __tablename__ = "news_article"

    id: Mapped[int] = mapped_column(primary_key=True)
    category_id: Mapped[int] = mapped_column(index=True)
    translation_of_id: Mapped[int | None] = mapped_column(index=True)  # the Vietnamese original of an en version
    author_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id", ondelete="SET NULL"))
    locale: Mapped[str] = mapped_column(sa.String(8), default="vi")
    title: Mapped[str] = mapped_column(sa.String(300))
    slug: Mapped[str] = mapped_column(sa.String(160))
    summary: Mapped[str] = mapped_column(sa.Text, default="")
    body_html: Mapped[str] = mapped_column(sa.Text, default="")  # sanitised on save
    source_line: Mapped[str | None] = mapped_column(sa.String(255))  # "Nguồn tin: Trịnh Thu"
    cover_url: Mapped[str | None] = mapped_column(sa.String(500))
    cover_alt: Mapped[str | None] = mapped_column(sa.String(300))
    status: Mapped[str] = mapped_column(sa.String(16), default=ArticleStatus.DRAFT)
    featured: Mapped[bool] = mapped_column(default=False)  # "Tin nóng"
    share_national: Mapped[bool] = mapped_column(default=False)  # offered to the national portal
    published_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True), index=True)
    # when article_published was sent for the current publication (the scheduler sends it once, at published_at)
    announced_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    review_comment: Mapped[str | None] = mapped_column(sa.Text)  # the editor's note when returning a draft
    search_text: Mapped[str] = mapped_column(sa.Text, default="")  # folded title + summary + body + tags
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow, onupdate=utcnow)

    category: Mapped[Category] = relationship(
        primaryjoin="and_(foreign(Article.category_id) == Category.id, "
                    "foreign(Article.tenant_id) == Category.tenant_id)",
        lazy="joined", innerjoin=True)
    translation_of: Mapped["Article | None"] = relationship(
        primaryjoin="foreign(Article.translation_of_id) == remote(Article.id)", back_populates="translations")
    translations: Mapped[list["Article"]] = relationship(
        primaryjoin="remote(foreign(Article.translation_of_id)) == Article.id", back_populates="translation_of")
    tags: Mapped[list[Tag]] = relationship(
        secondary="news_article_tag",
        primaryjoin="Article.id == ArticleTag.article_id", secondaryjoin="ArticleTag.tag_id == Tag.id",
        order_by="Tag.name", viewonly=True)

    __table_args__ = (
        sa.UniqueConstraint("tenant_id", "id"),
        sa.ForeignKeyConstraint(["tenant_id", "category_id"], ["news_category.tenant_id", "news_category.id"],
                                ondelete="RESTRICT", name="fk_news_article_category_same_tenant"),
        sa.ForeignKeyConstraint(["tenant_id", "translation_of_id"], ["news_article.tenant_id", "news_article.id"],
                                name="fk_news_article_translation_same_tenant"),  # unlinked before a delete
        sa.CheckConstraint("status in ('draft', 'in_review', 'published', 'archived')", name="status"),
        sa.Index("ix_news_article_public", "tenant_id", "status", "published_at"),
        # The public lists (newest first, originals only): read backwards, a page or a home-page arm is a short
        # index range, whatever the tenant holds.
        sa.Index("ix_news_article_listing", "tenant_id", "published_at", "id", postgresql_where=_LISTED,
                 sqlite_where=_LISTED),
        sa.Index("ix_news_article_category_listing", "tenant_id", "category_id", "published_at", "id",
                 postgresql_where=_LISTED, sqlite_where=_LISTED),
        sa.Index("ix_news_article_search", sa.text("to_tsvector('simple', search_text)"),
                 postgresql_using="gin").ddl_if(dialect="postgresql"),
    )

    @property
    def is_public(self) -> bool:
        from app.core.timeutil import as_utc

        return self.status == ArticleStatus.PUBLISHED and self.published_at is not None \
            and as_utc(self.published_at) <= utcnow()

    def __repr__(self) -> str:
        return f"<Article {self.id} {self.slug}>"


class ArticleTag(TenantScoped, db.Model):
    __tablename__ = "news_article_tag"

    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(index=True)
    tag_id: Mapped[int] = mapped_column(index=True)

    __table_args__ = (
        sa.UniqueConstraint("tenant_id", "article_id", "tag_id"),
        sa.ForeignKeyConstraint(["tenant_id", "article_id"], ["news_article.tenant_id", "news_article.id"],
                                ondelete="CASCADE", name="fk_news_article_tag_article_same_tenant"),
        sa.ForeignKeyConstraint(["tenant_id", "tag_id"], ["news_tag.tenant_id", "news_tag.id"],
                                ondelete="CASCADE", name="fk_news_article_tag_tag_same_tenant"),
    )


class CoverWithoutAltText(ValueError):
    """A cover image needs a text alternative (TT 26/2020/TT-BTTTT, WCAG 1.1.1); forms say so before saving."""


@sa.event.listens_for(Article, "before_insert")
@sa.event.listens_for(Article, "before_update")
def _cover_needs_alt_text(mapper, connection, article: Article) -> None:
    if (article.cover_url or "").strip() and not (article.cover_alt or "").strip():
        raise CoverWithoutAltText(f"article {article.slug!r}: a cover image needs alt text")


@sa.event.listens_for(Article, "before_insert")
@sa.event.listens_for(Article, "before_update")
def _fold_for_search(mapper, connection, article: Article) -> None:
    """Keep the folded search text in step with what the article says (both databases search it)."""
    from app.core.vntext import fold, plain_text

    tags = " ".join(t.name for t in article.__dict__.get("tags", []))
    article.search_text = fold(" ".join((article.title or "", article.summary or "",
                                         plain_text(article.body_html or ""), tags)))


class ArticleRevision(TenantScoped, db.Model):
    """One saved state of an article (every save in the console keeps one)."""

    __tablename__ = "news_article_revision"

    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(index=True)
    number: Mapped[int] = mapped_column()  # 1, 2, 3… per article
    title: Mapped[str] = mapped_column(sa.String(300))
    summary: Mapped[str] = mapped_column(sa.Text, default="")
    body_html: Mapped[str] = mapped_column(sa.Text, default="")
    note: Mapped[str | None] = mapped_column(sa.String(255))  # "restored from revision 2", "submitted"…
    author_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)

    author = relationship("User", lazy="joined")

    __table_args__ = (
        sa.UniqueConstraint("tenant_id", "id"),
        sa.UniqueConstraint("tenant_id", "article_id", "number"),
        sa.ForeignKeyConstraint(["tenant_id", "article_id"], ["news_article.tenant_id", "news_article.id"],
                                ondelete="CASCADE", name="fk_news_article_revision_article_same_tenant"),
    )


@sa.event.listens_for(Article.body_html, "set", retval=True)
@sa.event.listens_for(ArticleRevision.body_html, "set", retval=True)
def _sanitise_body(target, value, oldvalue, initiator):
    """Every writer (console, CLI, demo, tasks) stores only the allowed HTML subset."""
    from app.core.sanitize import clean_html

    return clean_html(value)


@sa.event.listens_for(Article.title, "set", retval=True)
@sa.event.listens_for(ArticleRevision.title, "set", retval=True)
def _plain_title(target, value, oldvalue, initiator):
    from app.core.sanitize import plain_line

    return plain_line(value)


@sa.event.listens_for(Article, "before_insert")
def _already_public_is_announced(mapper, connection, article: Article) -> None:
    """An article stored already public (imports, the demo) needs no announcement from the scheduler."""
    from app.core.timeutil import as_utc

    if article.status == ArticleStatus.PUBLISHED and article.announced_at is None and article.published_at \
            and as_utc(article.published_at) <= utcnow():
        article.announced_at = article.published_at
