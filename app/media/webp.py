"""WebP copies of a library image and its renditions: encoded once, on the first request, then kept beside them."""

import io
from pathlib import Path

from PIL import Image

from app.media import storage
from app.media.models import MediaItem

WEBP_QUALITY = 80


def path_of(item: MediaItem, width: int | None = None) -> Path:
    return storage.path_for(item.tenant_id, item.storage_key, "webp", width)


def ensure(item: MediaItem, width: int | None = None) -> Path | None:
    """The WebP copy of the image (or of its rendition at `width`), made now if it is not on disk yet."""
    target = path_of(item, width)
    if target.is_file():
        return target
    source = storage.path_for(item.tenant_id, item.storage_key, item.extension, width)
    if not source.is_file():
        return None
    storage.write(target, encode(source))  # atomic: a reader sees the whole file or none
    return target


def encode(source: Path) -> bytes:
    with Image.open(source) as image:
        image.load()
        out = io.BytesIO()
        lossless = image.mode == "RGBA"
        image.save(out, "WEBP", quality=WEBP_QUALITY, method=4, lossless=lossless)
        return out.getvalue()
