"""A tenant's media library: images (re-encoded, with renditions) and documents (PDF, Word, Excel)."""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

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
