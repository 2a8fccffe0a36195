"""The text of a document's file (PDF with pypdf, Word .docx with python-docx), read for site search.

`queue_extraction()` marks a document "pending" and, once the upload's transaction commits, hands it to the
`workers.tasks.documents.extract_document_text` task (run at once in the embedded mode). `extract()` never
raises: a file it cannot read (corrupted, encrypted, only scanned images) leaves the document "failed" with a
message for staff, and the file is kept and served as before.
"""

import io
import logging
import re
import unicodedata
from dataclasses import dataclass

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import event

from app.extensions import db
from tenants.scoping import TenantSession

log = logging.getLogger("lhhn.documents")
MAX_TEXT = 200_000  # characters kept of a file's text (a long decree is ~100,000)
_DISPATCH_KEY = "lhhn_document_text_dispatch"
READABLE = (".pdf", ".docx")

STATUS_LABELS = {
    "none": _l("No text is read from this file"),
    "pending": _l("Reading the text of the file…"),
    "ok": _l("Text read: the document can be found by the words of its file"),
    "failed": _l("The text of the file could not be read"),
}

STATUS_SHORT = {"none": _l("none"), "pending": _l("being read"), "ok": _l("searchable"), "failed": _l("not readable")}


def N_(message: str) -> str:  # noqa: N802 - marks a message id for extraction; translated where it is shown
    return message


# Stored on the row in English (the message id); error_message() shows it in the reader's language.
MESSAGES = {
    "encrypted": N_("The PDF is encrypted: its text could not be read; the file is kept."),
    "corrupted_pdf": N_("The PDF is damaged or not a PDF: its text could not be read; the file is kept."),
    "no_text": N_("The PDF has no text layer (a scan or images only): nothing to search; the file is kept."),
    "corrupted_docx": N_("The Word file is damaged or not a .docx file: its text could not be read; "
                         "the file is kept."),
    "empty_docx": N_("The Word file has no text: nothing to search; the file is kept."),
    "missing": N_("The file was not found on the server."),
    "unexpected": N_("The text of the file could not be read (an unexpected error); the file is kept."),
}


@dataclass(frozen=True)
class Extracted:
    status: str  # "none" | "ok" | "failed"
    text: str = ""
    error: str | None = None  # a key of MESSAGES


def _clean(text: str) -> str:
    """NFC, no control characters (but newlines), runs of spaces collapsed, at most MAX_TEXT characters."""
    text = unicodedata.normalize("NFC", text)
    text = "".join(ch if ch in "\n\t" or unicodedata.category(ch)[0] != "C" else " " for ch in text)
    text = re.sub(r"[ \t]+", " ", text)
    text = re.sub(r"\s*\n\s*", "\n", text).strip()
    return text[:MAX_TEXT]


def pdf_text(data: bytes) -> Extracted:
    from pypdf import PdfReader

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            try:
                opened = reader.decrypt("")
            except Exception:  # noqa: BLE001 - an algorithm pypdf cannot handle is as closed as a password
                opened = 0
            if not opened:
                return Extracted("failed", error="encrypted")
        parts, length = [], 0
        for page in reader.pages:
            part = page.extract_text() or ""
            parts.append(part)
            length += len(part)
            if length > MAX_TEXT:
                break
    except Exception as error:  # noqa: BLE001 - whatever pypdf raises on a broken file
        log.info("PDF text not read: %s", error)
        return Extracted("failed", error="corrupted_pdf")
    text = _clean("\n".join(parts))
    if not re.search(r"\w", text):
        return Extracted("failed", error="no_text")
    return Extracted("ok", text)


def docx_text(data: bytes) -> Extracted:
    import docx

    try:
        document = docx.Document(io.BytesIO(data))
        parts = [p.text for p in document.paragraphs]
        for table in document.tables:
            for row in table.rows:
                seen = set()
                for cell in row.cells:
                    if id(cell._tc) not in seen:  # a merged cell appears once per column it spans
                        seen.add(id(cell._tc))
                        parts.append(cell.text)
    except Exception as error:  # noqa: BLE001 - whatever python-docx raises on a broken file
        log.info("DOCX text not read: %s", error)
        return Extracted("failed", error="corrupted_docx")
    text = _clean("\n".join(parts))
    if not re.search(r"\w", text):
        return Extracted("failed", error="empty_docx")
    return Extracted("ok", text)


def extract_bytes(data: bytes, filename: str) -> Extracted:
    """The text of a file by its name's extension; other kinds have none ("none"). Never raises."""
    name = (filename or "").lower()
    try:
        if name.endswith(".pdf"):
            return pdf_text(data)
        if name.endswith(".docx"):
            return docx_text(data)
    except Exception:  # noqa: BLE001 - never into the caller
        log.exception("document text extraction failed")
        return Extracted("failed", error="unexpected")
    return Extracted("none")


def readable(filename: str | None) -> bool:
    return (filename or "").lower().endswith(READABLE)


# --- the document's row ---------------------------------------------------------------------------

def queue_extraction(document) -> None:
    """Mark the document's text as pending; its task is queued after the current transaction commits."""
    if not document.file_path or not readable(document.file_path):
        document.text_status, document.text_content, document.text_error = "none", "", None
        return
    document.text_status, document.text_content, document.text_error = "pending", "", None
    if document.id is None or document.tenant_id is None:
        db.session.flush()
    db.session.info.setdefault(_DISPATCH_KEY, []).append((document.id, document.tenant_id))


def extract_document(document_id: int) -> str:
    """Read the current tenant's document's file and store its text and status; the status, or "missing"."""
    from app.documents.models import Document
    from app.documents.services import file_on_disk

    document = db.session.get(Document, document_id)
    if document is None:
        return "missing"
    path = file_on_disk(document)
    if path is None:
        result = Extracted("failed", error="missing") if document.file_path else Extracted("none")
    else:
        try:
            data = path.read_bytes()
        except OSError:
            result = Extracted("failed", error="missing")
        else:
            result = extract_bytes(data, document.file_path)
    document.text_content = result.text
    document.text_status = result.status
    document.text_error = MESSAGES[result.error] if result.error else None
    db.session.commit()
    return result.status


def error_message(document) -> str | None:
    """The stored error in the reader's language."""
    from flask_babel import gettext

    return gettext(document.text_error) if document.text_error else None


def task():
    """The extraction task as registered on this Flask app's Celery app."""
    import workers.tasks.documents  # noqa: F401  (registers the task)

    return current_app.extensions["celery"].tasks["workers.tasks.documents.extract_document_text"]


@event.listens_for(TenantSession, "after_commit")
def _dispatch_after_commit(session) -> None:
    pending = session.info.pop(_DISPATCH_KEY, [])
    for document_id, tenant_id in dict.fromkeys(pending):
        try:
            task().apply_async(args=[document_id], kwargs={"tenant_id": tenant_id}, retry=False)
        except Exception as error:  # noqa: BLE001 - the broker is down: the document stays "pending"
            log.warning("text of document %s not queued: %s", document_id, error)


@event.listens_for(TenantSession, "after_rollback")
def _forget_on_rollback(session) -> None:
    session.info.pop(_DISPATCH_KEY, None)

