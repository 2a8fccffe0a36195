"""A tenant's pages: a tree (Giới thiệu › Chức năng, nhiệm vụ; Cơ cấu tổ chức; Liên hệ…)."""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from tenants.models import utcnow
from tenants.scoping import TenantScoped


class Page(TenantScoped, db.Model):
    __tablename__ = "page"

    id: Mapped[int] = mapped_column(primary_key=True)
    parent_id: Mapped[int | None] = mapped_column(index=True)  # FK on (tenant_id, parent_id): same tenant only
    slug: Mapped[str] = mapped_column(sa.String(120))
    title: Mapped[str] = mapped_column(sa.String(255))
    body_html: Mapped[str] = mapped_column(sa.Text, default="")
    locale: Mapped[str] = mapped_column(sa.String(8), default="vi")
    position: Mapped[int] = mapped_column(default=0)
    show_in_menu: Mapped[bool] = mapped_column(default=True)
    published: Mapped[bool] = mapped_column(default=False)
    # The English (or other) version of a Vietnamese page: a row of its own outside the tree, linked to the original.
    translation_of_id: Mapped[int | None] = mapped_column(index=True)
    # A copy of a national template page: it follows the template until the union edits it (then overridden).
    template_key: Mapped[str | None] = mapped_column(sa.String(64), index=True)
    template_version: Mapped[int | None] = mapped_column()  # the template's version last copied in
    template_overridden: Mapped[bool] = mapped_column(default=False)
    overridden_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    overridden_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id", ondelete="SET NULL"))
    updated_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow, onupdate=utcnow)

    translation_of: Mapped["Page | None"] = relationship(
        primaryjoin="foreign(Page.translation_of_id) == remote(Page.id)", back_populates="translations")
    translations: Mapped[list["Page"]] = relationship(
        primaryjoin="remote(foreign(Page.translation_of_id)) == Page.id", back_populates="translation_of",
        cascade="all, delete-orphan")
    parent: Mapped["Page | None"] = relationship(
        primaryjoin="foreign(Page.parent_id) == remote(Page.id)", back_populates="children")
    children: Mapped[list["Page"]] = relationship(
        primaryjoin="remote(foreign(Page.parent_id)) == Page.id", back_populates="parent",
        order_by="Page.position", cascade="all, delete-orphan")

    __table_args__ = (
        sa.UniqueConstraint("tenant_id", "id"),  # the target of same-tenant foreign keys
        sa.ForeignKeyConstraint(["tenant_id", "parent_id"], ["page.tenant_id", "page.id"], ondelete="CASCADE",
                                name="fk_page_parent_same_tenant"),
        sa.ForeignKeyConstraint(["tenant_id", "translation_of_id"], ["page.tenant_id", "page.id"], ondelete="CASCADE",
                                name="fk_page_translation_same_tenant"),
        sa.UniqueConstraint("tenant_id", "parent_id", "slug", "locale"),
        sa.Index("uq_page_root_slug", "tenant_id", "slug", "locale", unique=True,
                 sqlite_where=sa.text("parent_id IS NULL"), postgresql_where=sa.text("parent_id IS NULL")),
    )

    def title_in(self, locale: str) -> str:
        """The title in `locale` when a published version has one (pages from the public tree carry them)."""
        return getattr(self, "title_versions", {}).get(locale) or self.title

    @property
    def path(self) -> str:
        parts, node = [], self
        while node is not None:
            parts.append(node.slug)
            node = node.parent
        return "/".join(reversed(parts))


class PageTemplate(db.Model):
    """A page of the national template (Chức năng, nhiệm vụ; Cơ cấu tổ chức; …), edited by the national union.

    Every union holds a copy (Page.template_key == key) that follows each new version until the union edits it."""

    __tablename__ = "page_template"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(sa.String(64), unique=True)  # the path of slugs, e.g. gioi-thieu/lich-su
    parent_key: Mapped[str | None] = mapped_column(sa.String(64))
    position: Mapped[int] = mapped_column(default=0)
    slug: Mapped[str] = mapped_column(sa.String(120))
    title_vi: Mapped[str] = mapped_column(sa.String(255))
    title_en: Mapped[str] = mapped_column(sa.String(255), default="")
    body_vi: Mapped[str] = mapped_column(sa.Text, default="")
    body_en: Mapped[str] = mapped_column(sa.Text, default="")
    version: Mapped[int] = mapped_column(default=1)
    updated_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow, onupdate=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id", ondelete="SET NULL"))


class PageRevision(TenantScoped, db.Model):
    """One saved state of a page (every save in the console keeps one)."""

    __tablename__ = "page_revision"

    id: Mapped[int] = mapped_column(primary_key=True)
    page_id: Mapped[int] = mapped_column(index=True)
    number: Mapped[int] = mapped_column()
    title: Mapped[str] = mapped_column(sa.String(255))
    body_html: Mapped[str] = mapped_column(sa.Text, default="")
    note: Mapped[str | None] = mapped_column(sa.String(255))
    author_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)

    author = relationship("User", lazy="joined")

    __table_args__ = (
        sa.UniqueConstraint("tenant_id", "id"),
        sa.UniqueConstraint("tenant_id", "page_id", "number"),
        sa.ForeignKeyConstraint(["tenant_id", "page_id"], ["page.tenant_id", "page.id"],
                                ondelete="CASCADE", name="fk_page_revision_page_same_tenant"),
    )


@sa.event.listens_for(Page.body_html, "set", retval=True)
@sa.event.listens_for(PageRevision.body_html, "set", retval=True)
@sa.event.listens_for(PageTemplate.body_vi, "set", retval=True)
@sa.event.listens_for(PageTemplate.body_en, "set", retval=True)
def _sanitise_body(target, value, oldvalue, initiator):
    """Every writer (console, CLI, demo, provisioning) stores only the allowed HTML subset."""
    from app.core.sanitize import clean_html

    return clean_html(value)


@sa.event.listens_for(Page.title, "set", retval=True)
@sa.event.listens_for(PageRevision.title, "set", retval=True)
@sa.event.listens_for(PageTemplate.title_vi, "set", retval=True)
@sa.event.listens_for(PageTemplate.title_en, "set", retval=True)
def _plain_title(target, value, oldvalue, initiator):
    from app.core.sanitize import plain_line

    return plain_line(value)
