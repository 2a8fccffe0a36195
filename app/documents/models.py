"""Official documents (văn bản): directives, plans, decisions, decrees… with their file."""

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from tenants.models import utcnow
from tenants.scoping import TenantScoped

# The fixed vocabulary of document types (labels in app.documents.services.DOCUMENT_TYPE_LABELS).
DOCUMENT_TYPES = ("directive", "plan", "decision", "decree", "notice", "report", "official_letter", "other")


class Document(TenantScoped, db.Model):
    __tablename__ = "document"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(sa.String(64))  # số / ký hiệu, e.g. "124-KH/TU"
    doc_type: Mapped[str] = mapped_column(sa.String(24), default="other")
    issuer: Mapped[str] = mapped_column(sa.String(255))  # free text: "Ban Bí thư Trung ương", "UBND tỉnh"
    issued_on: Mapped[date | None] = mapped_column(sa.Date)
    title: Mapped[str] = mapped_column(sa.String(500))
    summary: Mapped[str] = mapped_column(sa.Text, default="")  # plain text
    # The file, under the instance dir: documents/<tenant_id>/<name>; never served from a static path.
    file_path: Mapped[str | None] = mapped_column(sa.String(500))
    original_filename: Mapped[str | None] = mapped_column(sa.String(255))
    content_type: Mapped[str | None] = mapped_column(sa.String(127))
    size: Mapped[int | None]
    published: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow, onupdate=utcnow)

    __table_args__ = (
        sa.UniqueConstraint("tenant_id", "id"),
        sa.CheckConstraint("doc_type in (" + ", ".join(repr(t) for t in DOCUMENT_TYPES) + ")", name="doc_type"),
        sa.CheckConstraint("size is null or size >= 0", name="size_not_negative"),
        sa.Index("ix_document_tenant_issued", "tenant_id", "issued_on"),
    )

    @property
    def has_file(self) -> bool:
        return bool(self.file_path)
