"""The console's registries (/manage/<slug>/registries/<kind>/…): news categories, member organisations,
partner localities, their agreements, and documents — list, create, edit, delete after confirmation."""

from collections.abc import Callable
from dataclasses import dataclass, field

import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy.exc import IntegrityError

from app.accounts.permissions import permission_required
from app.console.routes import bp as console_parent
from app.core import audit
from app.core.pagination import paginate
from app.core.vntext import slugify
from app.documents.models import Document
from app.documents.services import DOCUMENT_TYPE_LABELS, store_file, write_file
from app.documents.text import STATUS_SHORT as TEXT_STATUS_SHORT
from app.extensions import db
from app.media.validate import UploadRejected, extension_of, process
from app.members.models import MemberOrganization, PartnerAgreement, PartnerLocality
from app.members.services import AGREEMENT_KIND_LABELS, LOCALITY_LEVEL_LABELS, MEMBER_KIND_LABELS
from app.news.models import Article, Category
from app.registries import forms

bp = Blueprint("registries", __name__, template_folder="templates", url_prefix="/<tenant_slug>/registries")
AGREEMENT_FILE_TYPES = ("pdf", "docx")  # a signed agreement's copy: checked by its bytes like a document's
console_parent.register_blueprint(bp)


@dataclass
class Registry:
    key: str
    model: type
    form: type
    title: str
    columns: list[tuple[str, Callable]]
    order_by: Callable
    name_of: Callable
    slugged: bool = False
    in_use: Callable | None = None  # obj -> message if it cannot be deleted
    prepare: Callable | None = None  # form -> None (choices)
    fields: list[str] = field(default_factory=list)  # form fields copied onto the row


def _category_in_use(category):
    count = db.session.scalar(sa.select(sa.func.count(Article.id)).where(Article.category_id == category.id))
    return _("%(n)d articles are in this category: move them to another one first.", n=count) if count else None


def _locality_choices(form):
    form.locality_id.choices = [(p.id, p.name_vi) for p in db.session.scalars(
        sa.select(PartnerLocality).order_by(PartnerLocality.position, PartnerLocality.name_vi))]
    if not form.locality_id.choices:
        form.locality_id.choices = [(0, _("— add a partner locality first —"))]


REGISTRIES = {r.key: r for r in (
    Registry("categories", Category, forms.CategoryForm, _l("News categories"),
             [(_l("Name"), lambda c: c.name_vi), (_l("Order"), lambda c: c.position),
              (_l("In the menu"), lambda c: _("yes") if c.show_in_menu else _("no"))],
             lambda: (Category.position, Category.name_vi), lambda c: c.name_vi, slugged=True,
             in_use=_category_in_use, fields=["name_vi", "name_en", "slug", "position", "show_in_menu"]),
    Registry("members", MemberOrganization, forms.MemberForm, _l("Member organisations"),
             [(_l("Name"), lambda m: m.name_vi), (_l("Kind"), lambda m: MEMBER_KIND_LABELS.get(m.kind, m.kind)),
              (_l("Published"), lambda m: _("yes") if m.published else _("no"))],
             lambda: (MemberOrganization.position, MemberOrganization.name_vi), lambda m: m.name_vi, slugged=True,
             fields=["name_vi", "name_en", "slug", "kind", "country_code", "congress_number", "term_start", "term_end",
                     "leader_name", "leader_title", "chapters_count", "member_count", "description_html", "contact",
                     "founded_on", "dissolved_on", "position", "published"]),
    Registry("partners", PartnerLocality, forms.PartnerForm, _l("Partner localities"),
             [(_l("Name"), lambda p: p.name_vi), (_l("Country"), lambda p: p.country_code),
              (_l("Level"), lambda p: LOCALITY_LEVEL_LABELS.get(p.level, p.level)),
              (_l("Published"), lambda p: _("yes") if p.published else _("no"))],
             lambda: (PartnerLocality.position, PartnerLocality.name_vi), lambda p: p.name_vi,
             in_use=lambda p: _("Delete its agreements first.") if p.agreements else None,
             fields=["name_vi", "name_en", "country_code", "level", "description", "position", "published"]),
    Registry("agreements", PartnerAgreement, forms.AgreementForm, _l("Agreements with partners"),
             [(_l("Title"), lambda a: a.title), (_l("Partner locality"), lambda a: a.locality.name_vi),
              (_l("Kind"), lambda a: AGREEMENT_KIND_LABELS.get(a.kind, a.kind)),
              (_l("Signed on"), lambda a: a.signed_on.strftime("%d/%m/%Y") if a.signed_on else "")],
             lambda: (PartnerAgreement.signed_on.desc(), PartnerAgreement.id.desc()), lambda a: a.title,
             prepare=_locality_choices,
             fields=["locality_id", "title", "kind", "signed_on", "period_start", "period_end", "summary"]),
    Registry("documents", Document, forms.DocumentForm, _l("Documents"),
             [(_l("Number / symbol"), lambda d: d.number), (_l("Title"), lambda d: d.title),
              (_l("Type"), lambda d: DOCUMENT_TYPE_LABELS.get(d.doc_type, d.doc_type)),
              (_l("Text of the file"), lambda d: TEXT_STATUS_SHORT.get(d.text_status, d.text_status)),
              (_l("Published"), lambda d: _("yes") if d.published else _("no"))],
             lambda: (Document.issued_on.desc(), Document.id.desc()), lambda d: d.title,
             fields=["number", "doc_type", "issuer", "issued_on", "title", "summary", "published"]),
)}


def _registry(kind: str) -> Registry:
    registry = REGISTRIES.get(kind)
    if registry is None:
        abort(404)
    return registry


@bp.route("/")
@permission_required("content.publish")
def home():
    return render_template("registries/home.html", registries=REGISTRIES.values())


@bp.route("/<kind>/")
@permission_required("content.publish")
def index(kind: str):
    registry = _registry(kind)
    page = paginate(sa.select(registry.model).order_by(*registry.order_by()), per_page=25)
    return render_template("registries/list.html", registry=registry, page=page)


@bp.route("/<kind>/new", methods=["GET", "POST"])
@bp.route("/<kind>/<id:row_id>", methods=["GET", "POST"])
@permission_required("content.publish")
def edit(kind: str, row_id: int | None = None):
    registry = _registry(kind)
    row = db.get_or_404(registry.model, row_id) if row_id is not None else None
    form = registry.form(obj=row)
    if registry.prepare:
        registry.prepare(form)
    if form.validate_on_submit():
        error = _save(registry, form, row)
        if error is None:
            flash(_("Saved."), "success")
            return redirect(url_for("console.registries.index", kind=kind))
        flash(error, "error")
    forms.localise_messages(form)
    return render_template("registries/edit.html", registry=registry, form=form, row=row), \
        400 if form.errors or form.is_submitted() else 200


def _save(registry: Registry, form, row) -> str | None:
    creating = row is None
    if creating:
        row = registry.model()
        db.session.add(row)
    for name in registry.fields:
        value = getattr(form, name).data
        if isinstance(value, str):
            value = value.strip()
            if name == "country_code":
                value = value.upper() or None
            elif value == "" and name not in ("name_vi", "title", "number", "issuer", "summary", "description",
                                              "description_html"):
                value = None
        setattr(row, name, value)
    if registry.slugged and not row.slug:
        row.slug = slugify(row.name_vi, 120)
    if registry.key == "agreements" and not db.session.get(PartnerLocality, row.locality_id):
        db.session.rollback()
        return _("Choose a partner locality.")
    try:
        db.session.flush()
        if registry.key == "documents" and form.file.data and getattr(form.file.data, "filename", ""):
            upload = form.file.data
            processed = process(upload.filename, upload.read())
            name = upload.filename if processed.kind == "file" else \
                upload.filename.rsplit(".", 1)[0] + "." + processed.extension
            store_file(row, processed.data, name)
        if registry.key == "agreements" and form.file.data and getattr(form.file.data, "filename", ""):
            upload = form.file.data
            if extension_of(upload.filename) not in AGREEMENT_FILE_TYPES:
                raise UploadRejected(_("The signed copy must be a PDF or Word (.docx) file."))
            write_file(row, process(upload.filename, upload.read()).data, upload.filename)
        audit.record(f"{registry.key}.{'create' if creating else 'edit'}",
                     target=f"{registry.model.__tablename__}:{row.id}", detail=registry.name_of(row))
        db.session.commit()
    except UploadRejected as refusal:
        db.session.rollback()
        form.file.errors = [str(refusal)]
        return str(refusal)
    except IntegrityError:
        db.session.rollback()
        return _("Another entry already uses this address (or these values): change it and save again.")
    return None


@bp.route("/<kind>/<id:row_id>/delete", methods=["GET", "POST"])
@permission_required("content.publish")
def delete(kind: str, row_id: int):
    registry = _registry(kind)
    row = db.get_or_404(registry.model, row_id)
    blocked = registry.in_use(row) if registry.in_use else None
    form = FlaskForm()
    if not blocked and form.validate_on_submit():
        name = registry.name_of(row)
        audit.record(f"{registry.key}.delete", target=f"{registry.model.__tablename__}:{row.id}", detail=name)
        db.session.delete(row)
        db.session.commit()
        flash(_("“%(name)s” was deleted.", name=name), "success")
        return redirect(url_for("console.registries.index", kind=kind))
    return render_template("registries/delete.html", registry=registry, row=row, form=form, blocked=blocked), \
        400 if blocked and form.is_submitted() else 200


from app.registries import history  # noqa: E402,F401  (a member's terms and chapters, on this blueprint)
