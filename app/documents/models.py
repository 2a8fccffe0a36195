"""Official documents (văn bản): directives, plans, decisions, decrees… with their file."""

import re
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from tenants.models import utcnow
from tenants.scoping import TenantScoped

_WORD = re.compile(r"[^\W_]+")  # as app.core.vntext.terms splits a query

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
    # The file's text (PDF, DOCX), read by a task after the upload: "none" no file (or a kind whose text is not
    # read), "pending", "ok", "failed" (text_error says why, for staff; the file is kept either way).
    text_content: Mapped[str] = mapped_column(sa.Text, default="", server_default="", deferred=True)
    text_status: Mapped[str] = mapped_column(sa.String(16), default="none", server_default="none")
    text_error: Mapped[str | None] = mapped_column(sa.String(300))
    # Folded number + title + issuer + summary + text (app.core.vntext.fold), what site search looks in.
    search_text: Mapped[str] = mapped_column(sa.Text, default="", server_default="", deferred=True)
    published: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow, onupdate=utcnow)

    __table_args__ = (
        sa.UniqueConstraint("tenant_id", "id"),
        sa.CheckConstraint("doc_type in (" + ", ".join(repr(t) for t in DOCUMENT_TYPES) + ")", name="doc_type"),
        sa.CheckConstraint("size is null or size >= 0", name="size_not_negative"),
        sa.Index("ix_document_tenant_issued", "tenant_id", "issued_on"),
        sa.CheckConstraint("text_status in ('none', 'pending', 'ok', 'failed')", name="text_status"),
        sa.Index("ix_document_search", sa.text("to_tsvector('simple', search_text)"),
                 postgresql_using="gin").ddl_if(dialect="postgresql"),
    )

    @property
    def has_file(self) -> bool:
        return bool(self.file_path)


@sa.event.listens_for(Document, "before_insert")
@sa.event.listens_for(Document, "before_update")
def _fold_for_search(mapper, connection, document: Document) -> None:
    """Keep the folded search text in step with what the document says and what its file contains: its words
    only, one space apart, so that PostgreSQL's parser reads "308/qd-ubnd" or "80/2020/nd-cp" as words (it
    would take each for a single file-path token, which a search for "QĐ-UBND" would never match)."""
    from app.core.vntext import fold

    text = fold(" ".join((document.number or "", document.title or "", document.issuer or "",
                          document.summary or "", document.text_content or "")))
    document.search_text = " ".join(_WORD.findall(text))
