"""Business rules for documents (văn bản): listing and filtering, and the files under the instance dir."""

import os
import re
import secrets
import unicodedata
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import sqlalchemy as sa
from flask import current_app
from flask_babel import lazy_gettext as _l

from app.documents.models import DOCUMENT_TYPES, Document
from app.documents.text import queue_extraction
from app.extensions import db

DOCUMENT_TYPE_LABELS = {
    "directive": _l("Directive"),
    "plan": _l("Plan"),
    "decision": _l("Decision"),
    "decree": _l("Decree"),
    "notice": _l("Notice"),
    "report": _l("Report"),
    "official_letter": _l("Official letter"),
    "other": _l("Other document"),
}
assert set(DOCUMENT_TYPE_LABELS) == set(DOCUMENT_TYPES)  # the vocabulary and its labels agree

# What a document file may be served as; anything else is sent as application/octet-stream.
SAFE_CONTENT_TYPES = {
    ".pdf": "application/pdf",
    ".doc": "application/msword",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xls": "application/vnd.ms-excel",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".odt": "application/vnd.oasis.opendocument.text",
    ".ods": "application/vnd.oasis.opendocument.spreadsheet",
    ".zip": "application/zip",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
}
FALLBACK_CONTENT_TYPE = "application/octet-stream"


@dataclass(frozen=True)
class DocumentFilters:
    doc_type: str | None = None
    issuer: str | None = None
    year: int | None = None

    @property
    def active(self) -> bool:
        return bool(self.doc_type or self.issuer or self.year)


def published_documents_query(filters: DocumentFilters | None = None) -> sa.Select:
    """The current tenant's published documents matching `filters`, newest first (undated last)."""
    filters = filters or DocumentFilters()
    stmt = sa.select(Document).where(Document.published)
    if filters.doc_type:
        stmt = stmt.where(Document.doc_type == filters.doc_type)
    if filters.issuer:
        stmt = stmt.where(Document.issuer == filters.issuer)
    if filters.year:
        stmt = stmt.where(Document.issued_on.between(date(filters.year, 1, 1), date(filters.year, 12, 31)))
    return stmt.order_by(Document.issued_on.desc().nulls_last(), Document.id.desc())


def filter_options() -> tuple[list[str], list[int]]:
    """The issuers and years that occur among the current tenant's published documents."""
    issuers = db.session.scalars(sa.select(Document.issuer).where(Document.published).distinct()
                                 .order_by(Document.issuer))
    dates = db.session.scalars(sa.select(Document.issued_on).where(Document.published,
                                                                   Document.issued_on.is_not(None)).distinct())
    return list(issuers), sorted({d.year for d in dates}, reverse=True)


def published_document(document_id: int) -> Document | None:
    stmt = sa.select(Document).where(Document.id == document_id, Document.published)
    return db.session.scalars(stmt).first()


# --- files ---------------------------------------------------------------------------------------

def documents_root() -> Path:
    return Path(current_app.config["INSTANCE_DIR"]) / "documents"


def clean_filename(filename: str | None, fallback: str = "van-ban") -> str:
    """The name a download offers: no directories, no control characters, at most 255 characters."""
    name = re.split(r"[\\/]", filename or "")[-1]
    name = "".join(ch for ch in unicodedata.normalize("NFC", name) if unicodedata.category(ch)[0] != "C").strip()
    name = name.lstrip(".") or fallback
    stem, ext = os.path.splitext(name)
    return stem[: 255 - len(ext)] + ext if len(ext) <= 16 else name[:255]


def safe_content_type(filename: str) -> str:
    """The content type a file is served as, from its extension; never text/html or script."""
    ext = os.path.splitext(filename)[1].lower()
    return SAFE_CONTENT_TYPES.get(ext) or FALLBACK_CONTENT_TYPE


def served_content_type(document: Document) -> str:
    """The stored content type if it is one of the safe ones, else application/octet-stream."""
    known = set(SAFE_CONTENT_TYPES.values())
    return document.content_type if document.content_type in known else FALLBACK_CONTENT_TYPE


def viewable_inline(document: Document) -> bool:
    """Only a PDF is shown in the browser (its own viewer); every other file is downloaded."""
    return served_content_type(document) == "application/pdf" and \
        (document.file_path or "").lower().endswith(".pdf")


def store_file(document: Document, data: bytes, filename: str) -> None:
    """Write `data` as the document's file (replacing any previous one) under the tenant's folder."""
    write_file(document, data, filename)
    queue_extraction(document)  # its text is read by a task once this transaction commits


def write_file(document, data: bytes, filename: str) -> None:
    """Write `data` as the file of `document` — a Document, or any tenant row with the same four file columns
    (file_path, original_filename, content_type, size), e.g. a partner agreement's signed copy — replacing any
    previous one, under the tenant's folder of the documents' storage."""
    if document.id is None:
        db.session.flush()
    original = clean_filename(filename)
    ext = os.path.splitext(original)[1].lower()
    ext = ext if ext in SAFE_CONTENT_TYPES else ".bin"
    prefix = "" if isinstance(document, Document) else f"{document.__tablename__}-"
    relative = Path(str(document.tenant_id)) / f"{prefix}{document.id}-{secrets.token_hex(8)}{ext}"
    target = documents_root() / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(target.suffix + ".part")
    partial.write_bytes(data)
    partial.replace(target)
    previous = file_on_disk(document)
    document.file_path = relative.as_posix()
    document.original_filename = original
    document.content_type = safe_content_type(original)
    document.size = len(data)
    if previous is not None and previous != target:
        previous.unlink(missing_ok=True)


def file_on_disk(document: Document) -> Path | None:
    """The document's file if it exists inside its tenant's folder (a stored path never escapes it)."""
    if not document.file_path:
        return None
    root = (documents_root() / str(document.tenant_id)).resolve()
    path = (documents_root() / document.file_path).resolve()
    if not path.is_relative_to(root) or not path.is_file():
        return None
    return path
