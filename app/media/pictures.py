"""Responsive pictures of library images: srcset of the renditions, a WebP source, the OpenGraph image.

A page names its pictures by address (`cover_url` holds `/media/<id>/<name>`): the tenant's images are read
once per content generation (one statement), so a list of thirty covers costs no query of its own."""

import re
from dataclasses import dataclass
from urllib.parse import quote

import sqlalchemy as sa
from flask import g, request

from app.extensions import db
from app.media.models import MediaItem

_LIBRARY_PATH = re.compile(r"^/media/(\d{1,18})/[^/?#]+$")
FALLBACK_WIDTH = 640
OG_WIDTH = 1280


@dataclass(frozen=True)
class Picture:
    id: int
    stem: str  # the file name without its extension
    extension: str
    widths: tuple[int, ...]  # renditions made (each narrower than the image)
    width: int
    height: int
    alt: str

    def url(self, width: int | None = None, extension: str | None = None) -> str:
        name = f"{f'w{width}-' if width else ''}{self.stem}.{extension or self.extension}"
        return f"{request.script_root}/media/{self.id}/{quote(name, safe='')}"

    def srcset(self, extension: str | None = None) -> str:
        sizes = [(self.url(w, extension), w) for w in self.widths] + [(self.url(None, extension), self.width)]
        return ", ".join(f"{url} {w}w" for url, w in sizes)

    def fallback(self) -> str:
        """The `src` of browsers without srcset: a rendition of a reasonable size."""
        fitting = [w for w in self.widths if w <= FALLBACK_WIDTH]
        return self.url(max(fitting) if fitting else None)

    def og_url(self) -> str:
        return self.url(OG_WIDTH if OG_WIDTH in self.widths else None)

    def scaled_height(self, width: int) -> int:
        return round(self.height * width / self.width) if self.width else width


def of_item(item: MediaItem) -> Picture | None:
    if not item.is_image or not item.width or not item.height:
        return None
    return Picture(item.id, item.original_name.rsplit(".", 1)[0], item.extension, tuple(item.widths), item.width,
                   item.height, item.alt_text)


def _load_library() -> dict[int, tuple]:
    rows = db.session.execute(sa.select(MediaItem.id, MediaItem.original_name, MediaItem.extension,
                                        MediaItem.renditions, MediaItem.width, MediaItem.height, MediaItem.alt_text)
                              .where(MediaItem.kind == "image"))
    return {row.id: (row.original_name.rsplit(".", 1)[0], row.extension,
                     tuple(int(w) for w in row.renditions.split(",") if w), row.width or 0, row.height or 0,
                     row.alt_text) for row in rows}


def library() -> dict[int, tuple]:
    """The current tenant's images: id -> (stem, extension, widths, width, height, alt); kept per generation."""
    if "library_pictures" not in g:
        from app.site.page_cache import per_generation

        g.library_pictures = per_generation("library_pictures", _load_library)
    return g.library_pictures


def picture_of(source) -> Picture | None:
    """The library picture an address (or a MediaItem) names, if it is one of the current tenant's images."""
    if isinstance(source, MediaItem):
        return of_item(source)
    if isinstance(source, Picture):
        return source
    match = _LIBRARY_PATH.match(source or "")
    if match is None or g.get("tenant") is None:
        return None
    found = library().get(int(match.group(1)))
    if found is None or not found[3] or not found[4]:
        return None
    return Picture(int(match.group(1)), *found)


def og_image_url(source) -> str | None:
    """An absolute address for og:image: the 1280 px rendition of a library picture, else the address as it is."""
    from app.core.templating import canonical_url

    if not source:
        return None
    found = picture_of(source)
    if found is not None:
        return canonical_url(found.og_url())
    if isinstance(source, str):
        return source if "://" in source else canonical_url(source)
    return None
