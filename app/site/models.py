"""What makes a union's site its own while the layout stays one: its menu and its theme.

The national union keeps the default menu (MenuTemplateItem); a union follows it until it builds its own
(MenuItem rows of its own replace it; removing them all goes back to the default)."""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from tenants.models import utcnow
from tenants.scoping import TenantScoped

# What a menu entry can point at: a page, a news category, a document, a member organisation (by id, always the
# union's own), a public section of the site (by name), or any web address.
MENU_KINDS = ("page", "category", "document", "member", "section", "url")
TEMPLATE_MENU_KINDS = ("page", "section", "url")  # the default menu names template pages by their key


class MenuItem(TenantScoped, db.Model):
    __tablename__ = "menu_item"

    id: Mapped[int] = mapped_column(primary_key=True)
    parent_id: Mapped[int | None] = mapped_column(index=True)  # two levels: a parent has no parent
    locale: Mapped[str] = mapped_column(sa.String(8), default="vi")
    position: Mapped[int] = mapped_column(default=0)
    label: Mapped[str] = mapped_column(sa.String(120))
    kind: Mapped[str] = mapped_column(sa.String(16))
    target_id: Mapped[int | None] = mapped_column()  # page, category, document or member id
    target: Mapped[str | None] = mapped_column(sa.String(500))  # a section's name or a web address

    children: Mapped[list["MenuItem"]] = relationship(
        primaryjoin="remote(foreign(MenuItem.parent_id)) == MenuItem.id", order_by="MenuItem.position",
        cascade="all, delete-orphan")

    __table_args__ = (
        sa.UniqueConstraint("tenant_id", "id"),
        sa.ForeignKeyConstraint(["tenant_id", "parent_id"], ["menu_item.tenant_id", "menu_item.id"],
                                ondelete="CASCADE", name="fk_menu_item_parent_same_tenant"),
        sa.CheckConstraint("kind in ('page', 'category', 'document', 'member', 'section', 'url')", name="kind"),
        sa.Index("ix_menu_item_tenant_locale", "tenant_id", "locale", "position"),
    )


class MenuTemplateItem(db.Model):
    """An entry of the national default menu (every union without a menu of its own shows it)."""

    __tablename__ = "menu_template_item"

    id: Mapped[int] = mapped_column(primary_key=True)
    parent_id: Mapped[int | None] = mapped_column(sa.ForeignKey("menu_template_item.id", ondelete="CASCADE"),
                                                  index=True)
    locale: Mapped[str] = mapped_column(sa.String(8), default="vi")
    position: Mapped[int] = mapped_column(default=0)
    label: Mapped[str] = mapped_column(sa.String(120))
    kind: Mapped[str] = mapped_column(sa.String(16))
    target: Mapped[str | None] = mapped_column(sa.String(500))  # a template page's key, a section, an address

    children: Mapped[list["MenuTemplateItem"]] = relationship(
        order_by="MenuTemplateItem.position", cascade="all, delete-orphan")

    __table_args__ = (sa.CheckConstraint("kind in ('page', 'section', 'url')", name="kind"),)


class SiteTheme(TenantScoped, db.Model):
    """A union's look: banner, accent colour (checked for WCAG AA contrast), footer blocks. The logo is the
    tenant's logo_url. One row per union, made on the first save."""

    __tablename__ = "site_theme"

    id: Mapped[int] = mapped_column(primary_key=True)
    accent: Mapped[str | None] = mapped_column(sa.String(7))  # #rrggbb; None: the platform's colour
    banner_url: Mapped[str | None] = mapped_column(sa.String(500))  # an image of the union's media library
    banner_alt: Mapped[str] = mapped_column(sa.String(300), default="")
    footer_blocks: Mapped[list] = mapped_column(sa.JSON, default=list)  # [{"title": …, "html": …}], sanitised
    updated_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow, onupdate=utcnow)

    __table_args__ = (
        sa.UniqueConstraint("tenant_id", "id"),
        sa.UniqueConstraint("tenant_id"),
        sa.CheckConstraint("accent is null or length(accent) = 7", name="accent_hex"),
    )
