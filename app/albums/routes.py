"""Photo albums on the union's site: /album/ (published albums) and /album/<id>-<slug> (the gallery)."""

import sqlalchemy as sa
from flask import Blueprint, abort, redirect, render_template, url_for

from app.albums import services
from app.core.pagination import paginate
from app.core.templating import canonical_url
from app.extensions import db
from app.media.models import Album
from app.site import sitemap
from app.site.sitemap import Url

bp = Blueprint("albums", __name__, template_folder="templates", url_prefix="/album")
PER_PAGE = 12


@bp.route("/")
def index():
    page = paginate(services.listing(published_only=True), per_page=PER_PAGE)
    return render_template("albums/site/index.html", page=page, covers=services.covers(page.items))


@bp.route("/<id:album_id>")
@bp.route("/<id:album_id>-<slug>")
def album(album_id: int, slug: str | None = None):
    album = db.session.scalar(sa.select(Album).where(Album.id == album_id, Album.published))
    if album is None:
        abort(404)
    if slug != album.slug:
        return redirect(url_for("albums.album", album_id=album.id, slug=album.slug), 301)
    return render_template("albums/site/album.html", album=album)


@sitemap.source
def sitemap_urls() -> list[Url]:
    albums = db.session.scalars(services.listing(published_only=True)).all()
    urls = [Url(canonical_url(url_for("albums.index")))] if albums else []
    return urls + [Url(canonical_url(url_for("albums.album", album_id=a.id, slug=a.slug)), a.updated_at)
                   for a in albums]
