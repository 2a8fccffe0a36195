"""The national console's reorganisation screens: merge a union (into an existing successor or one created from the
province registry), split a part of a union off to another, and follow the run that does it (app/reorg)."""

from datetime import date

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, SelectField, SelectMultipleField, StringField, SubmitField
from wtforms.validators import DataRequired, Length, Optional

from app.accounts.permissions import permission_required
from app.accounts.roles import TenantRole
from app.core.templating import role_label
from app.extensions import db
from app.national.manage import tenants_bp
from app.reorg import runs, services, split
from app.reorg.models import ReorgRun
from tenants.context import tenant_context
from tenants.models import Tenant, TenantKind, TenantStatus
from tenants.resolver import tenant_by_slug_or_404

NEW = "province:"  # a successor choice that creates the union of a current provincial unit


def _union_or_404(slug: str) -> Tenant:
    tenant = tenant_by_slug_or_404(slug)
    if tenant.is_national:
        abort(404)
    return tenant


def _live_unions(but: Tenant):
    return db.session.scalars(sa.select(Tenant).where(
        Tenant.kind == TenantKind.PROVINCIAL, Tenant.id != but.id,
        Tenant.status.in_((TenantStatus.ACTIVE, TenantStatus.SUSPENDED))).order_by(Tenant.name_vi)).all()


class MergeForm(FlaskForm):
    into = SelectField(_l("Successor union"), choices=[], validators=[DataRequired()])
    host = StringField(_l("Domain name of the new union"), validators=[Optional(), Length(max=253)],
                       description=_l("Only when the successor is created now; by default <short name>.<platform>."))
    effective = DateField(_l("Effective from"), default=date(2025, 7, 1), validators=[DataRequired()])
    confirm = BooleanField(_l("I have read the preview: merge now (this cannot be undone from here)"))
    preview = SubmitField(_l("Preview"))
    submit = SubmitField(_l("Merge"))


def _staff_choices(preview) -> dict[str, str]:
    """The role chosen in the preview for each predecessor staff member not yet in the successor."""
    allowed = {role.value for role in TenantRole} | {services.NO_ACCESS}
    chosen = {}
    for member in preview.staff:
        value = request.form.get(f"staff-{member.user_id}", "")
        if member.there is None and value in allowed and value != member.role:
            chosen[str(member.user_id)] = value
    return chosen


@tenants_bp.route("/<slug>/merge", methods=["GET", "POST"])
@permission_required("national.manage")
def merge(slug: str):
    """A preview first (what moves, every conflict and how it is resolved, the staff and their roles), then the
    merge itself, queued as a run whose progress the next page shows."""
    source = _union_or_404(slug)
    form = MergeForm()
    candidates = _live_unions(source)
    to_be = services.unions_to_be()
    form.into.choices = [(t.slug, t.name_vi) for t in candidates] + [
        (f"{NEW}{p.id}", _("New union: %(name)s (from the province registry)", name=services.successor_names(p)[0]))
        for p in to_be]
    preview = None
    if form.validate_on_submit():
        try:
            target, params = _successor(form, candidates, to_be)
            preview = services.preview_merge(source, target, form.effective.data)
            if form.submit.data and not form.confirm.data:
                form.confirm.errors = [_("Tick the confirmation to merge.")]
            elif form.submit.data:
                params.update(sources=[source.slug], effective=form.effective.data.isoformat(),
                              staff_roles=_staff_choices(preview))
                run = runs.start_run("merge", params, current_user.id)
                return redirect(url_for(".run", run_id=run.id))
        except services.MergeError as refusal:
            db.session.rollback()
            form.into.errors = [*form.into.errors, str(refusal)]
    roles = [(role.value, role_label(role.value)) for role in TenantRole]
    return render_template("national/tenant_merge.html", form=form, source=source, preview=preview, roles=roles,
                           no_access=services.NO_ACCESS), 400 if form.errors else 200


def _successor(form: MergeForm, candidates, to_be) -> tuple[Tenant, dict]:
    """The chosen successor (a planned one, not saved, for a new union) and how the run finds or creates it."""
    if form.into.data.startswith(NEW):
        province = next(p for p in to_be if f"{NEW}{p.id}" == form.into.data)  # the choices were validated
        host = (form.host.data or "").strip().lower() or None
        return services.planned_successor(province, host), {"into": None, "province_id": province.id, "host": host}
    return next(t for t in candidates if t.slug == form.into.data), {"into": form.into.data}


class SplitForm(FlaskForm):
    into = SelectField(_l("Union that receives the part"), choices=[], validators=[DataRequired()])
    categories = SelectMultipleField(_l("Categories"), choices=[], validators=[Optional()])
    tags = SelectMultipleField(_l("Tags"), choices=[], validators=[Optional()])
    since = DateField(_l("Published from"), validators=[Optional()])
    until = DateField(_l("Published until"), validators=[Optional()])
    effective = DateField(_l("Effective from"), default=date(2025, 7, 1), validators=[DataRequired()])
    confirm = BooleanField(_l("I have read the preview: move this part now"))
    preview = SubmitField(_l("Preview"))
    submit = SubmitField(_l("Move"))


@tenants_bp.route("/<slug>/split", methods=["GET", "POST"])
@permission_required("national.manage")
def split_off(slug: str):
    """Move the articles of chosen categories, tags or dates to another union: a preview, then a run."""
    from app.news.models import Category, Tag

    source = _union_or_404(slug)
    form = SplitForm()
    candidates = _live_unions(source)
    form.into.choices = [(t.slug, t.name_vi) for t in candidates]
    with tenant_context(source.id):
        form.categories.choices = [(c.slug, c.name_vi) for c in db.session.scalars(
            sa.select(Category).order_by(Category.position, Category.name_vi))]
        form.tags.choices = [(t.slug, t.name) for t in db.session.scalars(sa.select(Tag).order_by(Tag.name))]
    preview = None
    if form.validate_on_submit():
        target = next(t for t in candidates if t.slug == form.into.data)
        try:
            selection = split.Selection(tuple(form.categories.data or ()), tuple(form.tags.data or ()),
                                        form.since.data, form.until.data)
            preview = split.preview_split(source, target, selection, form.effective.data)
            if form.submit.data and not form.confirm.data:
                form.confirm.errors = [_("Tick the confirmation to move this part.")]
            elif form.submit.data:
                run = runs.start_run("split", {"source": source.slug, "into": target.slug,
                                               "selection": selection.as_dict(),
                                               "effective": form.effective.data.isoformat()}, current_user.id)
                return redirect(url_for(".run", run_id=run.id))
        except services.MergeError as refusal:
            db.session.rollback()
            form.into.errors = [*form.into.errors, str(refusal)]
    return render_template("national/tenant_split.html", form=form, source=source, preview=preview), \
        400 if form.errors else 200


@tenants_bp.route("/runs/<id:run_id>")
@permission_required("national.view")
def run(run_id: int):
    run = db.get_or_404(ReorgRun, run_id)
    return render_template("national/reorg_run.html", run=run, state=runs.as_json(run))


@tenants_bp.route("/runs/<id:run_id>.json")
@permission_required("national.view")
def run_progress(run_id: int):
    return runs.as_json(db.get_or_404(ReorgRun, run_id))


@tenants_bp.route("/runs/<id:run_id>/retry", methods=["POST"])
@permission_required("national.manage")
def run_retry(run_id: int):
    run = db.get_or_404(ReorgRun, run_id)
    if not FlaskForm().validate_on_submit():
        abort(400)
    if not runs.as_json(run)["may_retry"]:
        flash(_("Only a failed run can be run again."), "error")
    else:
        runs.retry(run)
    return redirect(url_for(".run", run_id=run_id))


def operations_of(run: ReorgRun) -> list[dict]:
    """What each operation of a finished run moved, for its page."""
    from app.reorg.models import ReorgOperation

    names = dict(db.session.execute(sa.select(Tenant.id, Tenant.name_vi)).all())
    return [{"source": names.get(op.source_tenant_id), "target": names.get(op.target_tenant_id),
             "effective_on": op.effective_on, "rows": (op.counts or {}).get("rows") or {}}
            for op in db.session.scalars(sa.select(ReorgOperation).where(
                ReorgOperation.id.in_(run.operation_ids or [])).order_by(ReorgOperation.id))]


tenants_bp.add_app_template_global(operations_of, "reorg_operations_of")
