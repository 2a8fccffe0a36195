"""An article's cover, chosen from the union's media library (the form's side: choices, checks, stored values).

The article keeps `cover_url = media_url(item)` (the API, feeds and reorganisations read that address) and its
alt text: the library's description unless the editor wrote another. An older cover typed as an address stays
until another is chosen."""

import json
import re

from flask import url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms.validators import ValidationError

from app.extensions import db
from app.media import services as media
from app.media.models import MediaItem

NO_COVER, KEEP_COVER = 0, -1
CHOICES = 200
_LIBRARY_URL = re.compile(r"^/media/(\d{1,18})/")


def library_id(cover_url: str | None) -> int | None:
    match = _LIBRARY_URL.match(cover_url or "")
    return int(match.group(1)) if match else None


def _label(item: MediaItem) -> str:
    name = item.title or item.original_name
    return f"{name} — {item.alt_text[:80]}" if item.alt_text and item.alt_text != name else name


def prepare(form, article=None) -> None:
    """Fill the cover choices (newest library images) and, on a GET, the current choice."""
    from flask import request

    items = list(db.session.scalars(media.library().where(MediaItem.kind == "image").limit(CHOICES)))
    current = db.session.get(MediaItem, library_id(article.cover_url)) if article and article.cover_url and \
        library_id(article.cover_url) else None
    if current is not None and current not in items and current.is_image:
        items.append(current)
    external = article is not None and article.cover_url and current is None
    form.kept_cover = (article.cover_url, article.cover_alt) if external else None
    form.current_cover = (article.cover_url, article.cover_alt) if article is not None and article.cover_url else None
    form.cover_media_id.choices = [(NO_COVER, _("No cover image"))] + (
        [(KEEP_COVER, _("The current picture (%(url)s)", url=article.cover_url[:80]))] if external else []) + [
        (item.id, _label(item)) for item in items]
    form.cover_media_id.render_kw = {
        "data-cover-images": url_for("console.media.images_json"),
        "data-cover-labels": json.dumps({"open": _("Choose from the library…"), "title": _("Library images"),
                                         "close": _("Close"), "none": _("The library has no image yet."),
                                         "preview": _("Chosen cover")}, ensure_ascii=False)}
    if request.method == "GET" and article is not None:
        form.cover_media_id.data = current.id if current is not None else (KEEP_COVER if external else NO_COVER)
        if current is not None and article.cover_alt == current.alt_text:
            form.cover_alt.data = ""  # the library's own description: follows the library's


def validate(form, field) -> None:
    """The chosen image must be one of this union's library images (another union's id is simply not found)."""
    form.cover_item = None
    if not field.raw_data:  # not sent at all (an older client): the cover stays as it is
        return
    if field.data is None or (field.data == KEEP_COVER and getattr(form, "kept_cover", None) is None):
        raise ValidationError(_l("Choose one of the listed options."))
    if field.data in (NO_COVER, KEEP_COVER):
        return
    item = db.session.get(MediaItem, field.data) if field.data > 0 else None
    if item is None or not item.is_image:
        raise ValidationError(_l("Choose an image of this union's media library."))
    form.cover_item = item


def chosen(form) -> tuple[str | None, str | None]:
    """(cover_url, cover_alt) to store for the form's choice."""
    if not form.cover_media_id.raw_data:
        return getattr(form, "current_cover", None) or (None, None)
    override = (form.cover_alt.data or "").strip() or None
    item = getattr(form, "cover_item", None)
    if item is not None:
        from app.media.routes import media_url

        return media_url(item), override or item.alt_text
    kept = getattr(form, "kept_cover", None)
    if form.cover_media_id.data == KEEP_COVER and kept is not None:
        return kept[0], override or kept[1]
    return None, None
