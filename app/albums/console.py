"""Photo albums in the console (/manage/<slug>/albums/…): list, create, edit, photos from the library, delete."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from app.accounts.permissions import can, permission_required
from app.albums import services
from app.albums.forms import AlbumForm, CaptionForm
from app.console.routes import bp as console_parent
from app.core.pagination import paginate
from app.extensions import db
from app.media.models import Album, AlbumPhoto
from app.news.forms import ActionForm

bp = Blueprint("albums", __name__, template_folder="templates", url_prefix="/<tenant_slug>/albums")
console_parent.register_blueprint(bp)

PER_PAGE = 30
CHOOSE_PER_PAGE = 60


def _album_or_404(album_id: int) -> Album:
    return db.get_or_404(Album, album_id)


def _photo_or_404(album: Album, photo_id: int) -> AlbumPhoto:
    photo = next((p for p in album.photos if p.id == photo_id), None)
    if photo is None:
        abort(404)
    return photo


@bp.route("/")
@permission_required("content.view")
def index():
    page = paginate(services.listing(), per_page=PER_PAGE)
    return render_template("albums/console/index.html", page=page, counts=services.photo_counts(page.items),
                           can_write=can("content.write"))


@bp.route("/new", methods=["GET", "POST"])
@permission_required("content.write")
def new():
    form = AlbumForm()
    if form.validate_on_submit():
        album = services.create(title=form.title.data, description=form.description.data or "",
                                taken_on=form.taken_on.data, published=form.published.data)
        flash(_("The album is created; now add its photos."), "success")
        return redirect(url_for(".photos", album_id=album.id))
    return render_template("albums/console/edit.html", form=form, album=None), 400 if form.errors else 200


@bp.route("/<id:album_id>", methods=["GET", "POST"])
@permission_required("content.view")
def edit(album_id: int):
    album = _album_or_404(album_id)
    form = AlbumForm(obj=album) if request.method == "GET" else AlbumForm()
    if request.method == "POST":
        if not can("content.write"):
            abort(403)
        if form.validate_on_submit():
            services.update(album, title=form.title.data, description=form.description.data or "",
                            taken_on=form.taken_on.data, published=form.published.data)
            flash(_("Saved."), "success")
            return redirect(url_for(".edit", album_id=album.id))
    return render_template("albums/console/edit.html", form=form, album=album, action=ActionForm(),
                           caption_form=CaptionForm, can_write=can("content.write")), 400 if form.errors else 200


@bp.route("/<id:album_id>/photos", methods=["GET", "POST"])
@permission_required("content.write")
def photos(album_id: int):
    """Choose several library images (checkboxes) to add at the end of the album."""
    album = _album_or_404(album_id)
    form = ActionForm()
    if request.method == "POST" and form.validate_on_submit():
        ids = [int(v) for v in request.form.getlist("media_id") if v.isdigit() and len(v) < 19]
        added = services.add_photos(album, ids)
        if added:
            flash(_("%(n)d photos added.", n=added), "success")
            return redirect(url_for(".edit", album_id=album.id))
        flash(_("Tick at least one image of the library."), "error")
    page = paginate(services.images_to_add(album), per_page=CHOOSE_PER_PAGE)
    return render_template("albums/console/photos.html", album=album, page=page, form=form)


@bp.route("/<id:album_id>/photos/<id:photo_id>/caption", methods=["POST"])
@permission_required("content.write")
def caption(album_id: int, photo_id: int):
    album = _album_or_404(album_id)
    photo = _photo_or_404(album, photo_id)
    form = CaptionForm()
    if form.validate_on_submit():
        services.set_caption(photo, form.caption.data or "")
        flash(_("Caption saved."), "success")
    else:
        flash(_("The caption is too long (at most 500 characters)."), "error")
    return redirect(url_for(".edit", album_id=album.id, _anchor=f"photo-{photo.id}"))


@bp.route("/<id:album_id>/photos/<id:photo_id>/<any(up, down):direction>", methods=["POST"])
@permission_required("content.write")
def move(album_id: int, photo_id: int, direction: str):
    album = _album_or_404(album_id)
    photo = _photo_or_404(album, photo_id)
    if ActionForm().validate_on_submit():
        services.move(album, photo, -1 if direction == "up" else 1)
    return redirect(url_for(".edit", album_id=album.id, _anchor=f"photo-{photo.id}"))


@bp.route("/<id:album_id>/photos/<id:photo_id>/remove", methods=["POST"])
@permission_required("content.write")
def remove(album_id: int, photo_id: int):
    album = _album_or_404(album_id)
    photo = _photo_or_404(album, photo_id)
    if ActionForm().validate_on_submit():
        services.remove_photo(album, photo)
        flash(_("The photo is taken out of the album (it stays in the media library)."), "success")
    return redirect(url_for(".edit", album_id=album.id))


@bp.route("/<id:album_id>/delete", methods=["GET", "POST"])
@permission_required("content.publish")
def delete(album_id: int):
    """GET asks for confirmation; POST deletes the album (its images stay in the library)."""
    album = _album_or_404(album_id)
    form = ActionForm()
    if request.method == "POST" and form.validate_on_submit():
        title = album.title
        services.delete(album)
        flash(_("The album “%(title)s” was deleted.", title=title), "success")
        return redirect(url_for(".index"))
    return render_template("albums/console/delete.html", album=album, form=form)
