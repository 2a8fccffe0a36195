"""What an upload really is, decided from its bytes: images through Pillow, documents by their signatures.

Every refusal is an `UploadRejected` with a message for the person uploading (Vietnamese first)."""

import io
import warnings
import zipfile
from dataclasses import dataclass, field

from flask import current_app
from flask_babel import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

IMAGE_FORMATS = {"JPEG", "PNG", "WEBP", "GIF"}
RENDITION_WIDTHS = (320, 640, 1280)
# Documents a union publishes: the stored type comes from the bytes; the name's extension must agree.
DOCUMENT_TYPES = {
    "pdf": "application/pdf",
    "doc": "application/msword",
    "xls": "application/vnd.ms-excel",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


class UploadRejected(ValueError):
    """An upload refused, with the reason to show."""


@dataclass
class Processed:
    kind: str
    extension: str
    content_type: str
    data: bytes
    width: int | None = None
    height: int | None = None
    renditions: dict[int, bytes] = field(default_factory=dict)


def _mb(n: int) -> str:
    return f"{n / 1_000_000:.0f}"


def extension_of(filename: str) -> str:
    return filename.rsplit(".", 1)[-1].lower() if "." in filename else ""


def process(filename: str, data: bytes) -> Processed:
    """Check and normalise one upload; images come back re-encoded without metadata, with renditions."""
    if not data:
        raise UploadRejected(_("The file is empty."))
    ext = extension_of(filename)
    if ext in DOCUMENT_TYPES:
        return _document(ext, data)
    if ext in {"jpg", "jpeg", "png", "webp", "gif"}:
        return _image(data)
    raise UploadRejected(_("Files of type “.%(ext)s” are not accepted. Accepted: images (JPG, PNG, WebP, GIF), "
                           "PDF, Word (DOC, DOCX) and Excel (XLS, XLSX).", ext=ext or "?"))


def _document(ext: str, data: bytes) -> Processed:
    limit = current_app.config["MEDIA_MAX_FILE_BYTES"]
    if len(data) > limit:
        raise UploadRejected(_("The file is larger than %(mb)s MB.", mb=_mb(limit)))
    actual = _sniff(data)
    if actual is None or not (actual == ext or (actual == "ole" and ext in {"doc", "xls"})):
        raise UploadRejected(_("The file's content is not a .%(ext)s document (its name does not match what it "
                               "contains).", ext=ext))
    return Processed(kind="file", extension=ext, content_type=DOCUMENT_TYPES[ext], data=data)


def _sniff(data: bytes) -> str | None:
    if data.startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(_OLE):
        return "ole"
    if data.startswith(b"PK\x03\x04"):
        try:
            names = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
        except (zipfile.BadZipFile, ValueError):
            return None
        if "[Content_Types].xml" in names:
            if "word/document.xml" in names:
                return "docx"
            if "xl/workbook.xml" in names:
                return "xlsx"
    return None


def _image(data: bytes) -> Processed:
    limit = current_app.config["MEDIA_MAX_IMAGE_BYTES"]
    if len(data) > limit:
        raise UploadRejected(_("The image is larger than %(mb)s MB.", mb=_mb(limit)))
    max_pixels = current_app.config["MEDIA_MAX_PIXELS"]
    not_an_image = UploadRejected(_("The file is not a valid image (JPG, PNG, WebP or GIF)."))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            probe = Image.open(io.BytesIO(data))  # reads the header only
            if probe.format not in IMAGE_FORMATS:
                raise not_an_image
            width, height = probe.size
            if width * height > max_pixels:  # refused before any pixel is decoded
                raise UploadRejected(_("The image has too many pixels (%(w)d × %(h)d); the limit is %(mp)s "
                                       "megapixels.", w=width, h=height, mp=f"{max_pixels / 1e6:.0f}"))
            probe.verify()
            image = Image.open(io.BytesIO(data))
            image.load()
    except UploadRejected:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise UploadRejected(_("The image has too many pixels.")) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError):
        raise not_an_image from None
    image = ImageOps.exif_transpose(image)  # keep the intended orientation once EXIF is gone
    has_alpha = image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info)
    if has_alpha:
        image, fmt, ext, content_type = image.convert("RGBA"), "PNG", "png", "image/png"
    else:
        image, fmt, ext, content_type = image.convert("RGB"), "JPEG", "jpg", "image/jpeg"
    renditions = {}
    for target in RENDITION_WIDTHS:
        if target < image.width:
            copy = image.copy()
            copy.thumbnail((target, target * 10), Image.Resampling.LANCZOS)
            renditions[target] = _encode(copy, fmt)
    return Processed(kind="image", extension=ext, content_type=content_type, data=_encode(image, fmt),
                     width=image.width, height=image.height, renditions=renditions)


def _encode(image: Image.Image, fmt: str) -> bytes:
    """Encoded afresh: no EXIF, no XMP, no comments, no text chunks — only pixels leave this function."""
    out = io.BytesIO()
    if fmt == "JPEG":
        image.save(out, "JPEG", quality=85, optimize=True, progressive=True)
    else:
        image.save(out, "PNG", optimize=True)
    return out.getvalue()
