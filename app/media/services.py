"""The media library's rules: store an upload, change its text, delete it (rows and files together)."""

import hashlib
import secrets

import sqlalchemy as sa
from flask_babel import gettext as _

from app.core import audit
from app.extensions import db
from app.media import storage
from app.media.models import MediaItem
from app.media.validate import UploadRejected, process
from tenants.context import current_tenant_id


def store_upload(filename: str, data: bytes, *, alt_text: str = "", title: str = "",
                 uploaded_by_id: int | None = None) -> MediaItem:
    """Validate, normalise and keep one upload in the current tenant's library (commits)."""
    result = process(filename, data)
    if result.kind == "image" and not alt_text.strip():
        raise UploadRejected(_("Describe the image in the alternative text: people who cannot see it rely on it."))
    tenant_id = current_tenant_id()
    key = secrets.token_hex(16)
    written = [storage.path_for(tenant_id, key, result.extension)]
    storage.write(written[0], result.data)
    for width, body in result.renditions.items():
        written.append(storage.path_for(tenant_id, key, result.extension, width))
        storage.write(written[-1], body)
    item = MediaItem(kind=result.kind, storage_key=key, original_name=filename[-255:], extension=result.extension,
                     content_type=result.content_type, size_bytes=len(result.data),
                     sha256=hashlib.sha256(result.data).hexdigest(), width=result.width, height=result.height,
                     renditions=",".join(str(w) for w in sorted(result.renditions)), title=title.strip()[:255],
                     alt_text=alt_text.strip()[:300], uploaded_by_id=uploaded_by_id)
    try:
        db.session.add(item)
        db.session.flush()
        audit.record("media.upload", target=f"media:{item.id}", detail=item.original_name)
        db.session.commit()
    except Exception:
        db.session.rollback()
        storage.remove(written)  # nothing is kept for a row that was not
        raise
    return item


def files_of(item: MediaItem) -> list:
    """Every file of the item on disk: the original, its renditions and their WebP copies (made on request)."""
    sizes = [None, *item.widths]
    paths = [storage.path_for(item.tenant_id, item.storage_key, item.extension, w) for w in sizes]
    if item.is_image and item.extension != "webp":
        paths += [storage.path_for(item.tenant_id, item.storage_key, "webp", w) for w in sizes]
    return paths


def update_text(item: MediaItem, *, alt_text: str, title: str) -> None:
    if item.is_image and not alt_text.strip():
        raise UploadRejected(_("Describe the image in the alternative text: people who cannot see it rely on it."))
    item.alt_text, item.title = alt_text.strip()[:300], title.strip()[:255]
    audit.record("media.edit", target=f"media:{item.id}", detail=item.original_name)
    db.session.commit()


def delete(item: MediaItem) -> None:
    paths = files_of(item)
    audit.record("media.delete", target=f"media:{item.id}", detail=item.original_name)
    db.session.delete(item)
    db.session.commit()
    storage.remove(paths)  # after the commit: a failed delete never leaves a row without its file


def library() -> sa.Select:
    return sa.select(MediaItem).order_by(MediaItem.created_at.desc(), MediaItem.id.desc())
