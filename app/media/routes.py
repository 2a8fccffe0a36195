"""Media library: the console (/manage/<slug>/media/…) and the files themselves on each tenant's host."""

import sqlalchemy as sa
from flask import Blueprint, abort, flash, g, jsonify, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.accounts.permissions import permission_required
from app.console.routes import bp as console_parent
from app.core.pagination import paginate
from app.extensions import db
from app.media import pictures, services, storage, webp
from app.media.forms import DeleteForm, TextForm, UploadForm
from app.media.models import MediaItem
from app.media.validate import UploadRejected

console_bp = Blueprint("media", __name__, template_folder="templates", url_prefix="/<tenant_slug>/media")
public_bp = Blueprint("media_files", __name__, url_prefix="/media")
console_parent.register_blueprint(console_bp)

PER_PAGE = 24
IMAGE_CHOICES = 48
# The bytes are ours (re-encoded or signature-checked); still, nothing served here may run or be sniffed.
FILE_HEADERS = {"X-Content-Type-Options": "nosniff", "Content-Security-Policy": "default-src 'none'; sandbox",
                "Cross-Origin-Resource-Policy": "same-site"}


@console_bp.route("/", methods=["GET", "POST"])
@permission_required("content.view")
def index():
    form = UploadForm()
    if request.method == "POST":
        if not _can_write():
            abort(403)
        if form.validate_on_submit():
            upload = form.file.data
            try:
                item = services.store_upload(upload.filename or "", upload.read(), alt_text=form.alt_text.data or "",
                                             title=form.title.data or "", uploaded_by_id=current_user.id)
            except UploadRejected as refusal:
                form.file.errors = [*form.file.errors, str(refusal)]
            else:
                flash(_("“%(name)s” was added to the library.", name=item.original_name), "success")
                return redirect(url_for("console.media.detail", item_id=item.id))
    page = paginate(services.library(), per_page=PER_PAGE)
    return render_template("media/index.html", page=page, form=form, can_write=_can_write()), \
        400 if form.errors else 200


@console_bp.route("/images.json")
@permission_required("content.view")
def images_json():
    """The newest images of the library, for the editor's image button (src is the 640 px rendition when made)."""
    stmt = services.library().where(MediaItem.kind == "image").limit(IMAGE_CHOICES)
    return jsonify({"images": [{"id": item.id, "src": media_url(item, 640 if 640 in item.widths else None),
                                "thumb": media_url(item, item.widths[0] if item.widths else None),
                                "alt": item.alt_text, "title": item.title or item.original_name}
                               for item in db.session.scalars(stmt)],
                    "library": url_for("console.media.index")})


@console_bp.route("/<id:item_id>", methods=["GET", "POST"])
@permission_required("content.view")
def detail(item_id: int):
    item = db.get_or_404(MediaItem, item_id)
    form = TextForm(obj=item)
    if request.method == "POST":
        if not _can_write():
            abort(403)
        if form.validate_on_submit():
            try:
                services.update_text(item, alt_text=form.alt_text.data or "", title=form.title.data or "")
            except UploadRejected as refusal:
                form.alt_text.errors = [*form.alt_text.errors, str(refusal)]
            else:
                flash(_("Saved."), "success")
                return redirect(url_for("console.media.detail", item_id=item.id))
    return render_template("media/detail.html", item=item, form=form, can_write=_can_write()), \
        400 if form.errors else 200


@console_bp.route("/<id:item_id>/delete", methods=["GET", "POST"])
@permission_required("content.publish")
def delete(item_id: int):
    """GET asks for confirmation; POST deletes the row and its files."""
    item = db.get_or_404(MediaItem, item_id)
    form = DeleteForm()
    if form.validate_on_submit():
        name = item.original_name
        services.delete(item)
        flash(_("“%(name)s” was deleted.", name=name), "success")
        return redirect(url_for("console.media.index"))
    return render_template("media/delete.html", item=item, form=form)


def _can_write() -> bool:
    from app.accounts.permissions import can

    return can("content.write")


@public_bp.route("/<id:item_id>/<name>")
def serve(item_id: int, name: str):
    """/media/<id>/<name>: the file; /media/<id>/w<width>-<name>: an image rendition. Immutable per URL.

    On a union's host, that union's files (public). On the platform host, where the console shows thumbnails, covers
    and images in the editor, also the files of a union the signed-in user may see the content of (private cache)."""
    item = db.session.get(MediaItem, item_id)
    staff_copy = False
    if item is None and g.get("platform_host"):
        item, staff_copy = _staff_item(item_id), True
    if item is None:
        abort(404)
    width = None
    if name.startswith("w") and "-" in name:
        prefix = name.split("-", 1)[0][1:]
        if not prefix.isdigit() or int(prefix) not in item.widths:
            abort(404)
        width = int(prefix)
    as_webp = item.is_image and name.lower().endswith(".webp") and item.extension != "webp"
    if as_webp:
        path, mimetype, etag = webp.ensure(item, width), "image/webp", f"{item.sha256[:16]}-{width or 0}-webp"
    else:
        path = storage.path_for(item.tenant_id, item.storage_key, item.extension, width)
        mimetype, etag = item.content_type, f"{item.sha256[:16]}-{width or 0}"
    if path is None or not path.is_file():
        abort(404)
    response = send_file(path, mimetype=mimetype, as_attachment=not item.is_image,
                         download_name=item.original_name if not item.is_image else None, max_age=365 * 24 * 3600,
                         conditional=True, etag=etag)
    response.headers.update(FILE_HEADERS)
    if staff_copy:
        response.cache_control.public = False
        response.cache_control.private = True
        response.cache_control.max_age = 3600
        response.vary.add("Cookie")
        return response
    response.cache_control.public = True
    response.cache_control.immutable = True
    return response


def _staff_item(item_id: int) -> MediaItem | None:
    """Another union's file for its staff on the platform host (the console), else None."""
    from app.accounts.permissions import can
    from tenants.context import tenant_context
    from tenants.models import Tenant
    from tenants.scoping import all_tenants

    if not current_user.is_authenticated:
        return None
    with all_tenants(f"media: whose file is {item_id}, for a console preview"):
        tenant_id = db.session.scalar(sa.select(MediaItem.tenant_id).where(MediaItem.id == item_id))
    tenant = db.session.get(Tenant, tenant_id) if tenant_id is not None else None
    if tenant is None or not can("content.view", tenant=tenant):
        return None
    with tenant_context(tenant.id):
        item = db.session.get(MediaItem, item_id)
        db.session.expunge(item)  # read after the context closes: a plain snapshot
        return item


def media_url(item: MediaItem, width: int | None = None) -> str:
    name = item.original_name if not width else f"w{width}-{item.original_name}"
    if item.is_image:
        name = name.rsplit(".", 1)[0] + "." + item.extension
    return url_for("media_files.serve", item_id=item.id, name=name)


@console_bp.app_context_processor
def _media_context():
    return {"media_url": media_url}


public_bp.add_app_template_global(pictures.picture_of, "picture_of")
public_bp.add_app_template_global(pictures.og_image_url, "og_image_url")
