"""A tenant's media library: images (re-encoded, with renditions) and documents (PDF, Word, Excel)."""

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from tenants.models import utcnow
from tenants.scoping import TenantScoped


class MediaItem(TenantScoped, db.Model):
    __tablename__ = "media_item"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(8))  # image | file
    storage_key: Mapped[str] = mapped_column(sa.String(64), unique=True)  # random; names on disk, never the user's
    original_name: Mapped[str] = mapped_column(sa.String(255))
    extension: Mapped[str] = mapped_column(sa.String(8))  # of the stored file: jpg, png, pdf, docx…
    content_type: Mapped[str] = mapped_column(sa.String(100))  # from what the bytes are, never from the client
    size_bytes: Mapped[int] = mapped_column(sa.BigInteger)
    sha256: Mapped[str] = mapped_column(sa.String(64))
    width: Mapped[int | None] = mapped_column()
    height: Mapped[int | None] = mapped_column()
    renditions: Mapped[str] = mapped_column(sa.String(64), default="")  # widths made, e.g. "320,640,1280"
    title: Mapped[str] = mapped_column(sa.String(255), default="")
    alt_text: Mapped[str] = mapped_column(sa.String(300), default="")  # required for images
    uploaded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)

    __table_args__ = (
        sa.UniqueConstraint("tenant_id", "id"),
        sa.CheckConstraint("kind in ('image', 'file')", name="kind"),
        sa.CheckConstraint("kind = 'file' or length(alt_text) > 0", name="image_alt_required"),
        sa.Index("ix_media_item_tenant_created", "tenant_id", "created_at"),
        {"sqlite_autoincrement": True},  # ids are never reused: file URLs are cached as immutable
    )

    @property
    def widths(self) -> list[int]:
        return [int(w) for w in self.renditions.split(",") if w]

    @property
    def is_image(self) -> bool:
        return self.kind == "image"

    def __repr__(self) -> str:
        return f"<MediaItem {self.id} {self.kind} {self.original_name}>"


class Album(TenantScoped, db.Model):
    """A photo album: a gallery page on the union's site (/album/<id>-<slug>)."""

    __tablename__ = "photo_album"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(sa.String(160))
    title: Mapped[str] = mapped_column(sa.String(255))
    description: Mapped[str] = mapped_column(sa.Text, default="")  # plain text
    published: Mapped[bool] = mapped_column(default=False)
    taken_on: Mapped[date | None] = mapped_column(sa.Date)
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow, onupdate=utcnow)

    photos: Mapped[list["AlbumPhoto"]] = relationship(
        primaryjoin="and_(foreign(AlbumPhoto.album_id) == Album.id, foreign(AlbumPhoto.tenant_id) == Album.tenant_id)",
        order_by="AlbumPhoto.position", cascade="all, delete-orphan")

    __table_args__ = (
        sa.UniqueConstraint("tenant_id", "id"),
        sa.Index("ix_photo_album_listing", "tenant_id", "published", "created_at"),
    )


class AlbumPhoto(TenantScoped, db.Model):
    __tablename__ = "photo_album_item"

    id: Mapped[int] = mapped_column(primary_key=True)
    album_id: Mapped[int] = mapped_column(index=True)
    media_id: Mapped[int] = mapped_column(index=True)
    position: Mapped[int] = mapped_column(default=0)
    caption: Mapped[str] = mapped_column(sa.String(500), default="")

    media: Mapped[MediaItem] = relationship(
        primaryjoin="and_(foreign(AlbumPhoto.media_id) == MediaItem.id, "
                    "foreign(AlbumPhoto.tenant_id) == MediaItem.tenant_id)", lazy="joined", innerjoin=True,
        overlaps="photos")

    __table_args__ = (
        sa.UniqueConstraint("tenant_id", "id"),
        sa.UniqueConstraint("tenant_id", "album_id", "media_id"),
        sa.ForeignKeyConstraint(["tenant_id", "album_id"], ["photo_album.tenant_id", "photo_album.id"],
                                ondelete="CASCADE", name="fk_photo_album_item_album_same_tenant"),
        sa.ForeignKeyConstraint(["tenant_id", "media_id"], ["media_item.tenant_id", "media_item.id"],
                                ondelete="CASCADE", name="fk_photo_album_item_media_same_tenant"),
    )
