"""A report's private attachments: checked like media uploads, kept under INSTANCE_DIR/reports/<tenant id>/.

Never in the public media library: the bytes are served only through the console's download route.
"""

import hashlib
import secrets
from pathlib import Path

import sqlalchemy as sa
from flask import current_app
from flask_babel import lazy_gettext as _l

from app.extensions import db
from app.media import storage
from app.media.validate import UploadRejected, process
from app.reporting.models import Report, ReportAttachment
from app.reporting.workflow import ReportLocked, record_event

MAX_PER_REPORT = 20


def path_for(item: ReportAttachment) -> Path:
    root = Path(current_app.config["INSTANCE_DIR"]) / "reports"
    return root / str(int(item.tenant_id)) / f"{item.storage_key}.{item.extension}"


def of_report(report: Report) -> list[ReportAttachment]:
    return list(db.session.scalars(sa.select(ReportAttachment).where(ReportAttachment.report_id == report.id)
                                   .order_by(ReportAttachment.created_at, ReportAttachment.id)))


def _require_editable(report: Report) -> None:
    if not report.editable:
        raise ReportLocked(_l("This report is locked: it can no longer be changed."))


def store(report: Report, filename: str, data: bytes, actor=None) -> ReportAttachment:
    """Check one upload (type from its bytes, size) and attach it to an editable report (commits)."""
    _require_editable(report)
    if len(of_report(report)) >= MAX_PER_REPORT:
        raise UploadRejected(_l("A report holds at most %(n)d attachments.", n=MAX_PER_REPORT))
    result = process(filename, data)
    name = filename.replace("\\", "/").rsplit("/", 1)[-1][-255:] or f"tep.{result.extension}"
    item = ReportAttachment(report_id=report.id, storage_key=secrets.token_hex(16), original_name=name,
                            extension=result.extension, content_type=result.content_type, size_bytes=len(result.data),
                            sha256=hashlib.sha256(result.data).hexdigest(), uploaded_by_id=getattr(actor, "id", None))
    db.session.add(item)
    db.session.flush()
    path = path_for(item)
    storage.write(path, result.data)
    try:
        record_event(report, "attachment_added", actor, name)
        db.session.commit()
    except Exception:
        db.session.rollback()
        storage.remove([path])  # no file is kept for a row that was not
        raise
    return item


def delete(report: Report, item: ReportAttachment, actor=None) -> None:
    """Remove an attachment of an editable report, row and file (commits)."""
    _require_editable(report)
    path = path_for(item)
    record_event(report, "attachment_removed", actor, item.original_name)
    db.session.delete(item)
    db.session.commit()
    storage.remove([path])  # after the commit: a failed delete never leaves a row without its file
