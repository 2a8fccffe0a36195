"""National configuration of reporting (/national/reports/config/…): periods, templates and their versions.

Everyone with a national role reads; platform administrators change. A published version is frozen: every
edit route refuses it, so that a report pinned to it never changes underneath; "new version" copies it into a
draft, and reports opened after that draft is published pin the new version.
"""

import re
from dataclasses import dataclass

import sqlalchemy as sa
from flask import Blueprint, abort, flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy.exc import IntegrityError
from wtforms import SelectField

from app.accounts.permissions import can, permission_required
from app.core import audit
from app.core.pagination import paginate
from app.core.timeutil import utcnow
from app.extensions import db
from app.registries.forms import localise_messages
from app.reporting import config_forms as forms
from app.reporting.models import (
    DEFAULT_NARRATIVE_KEYS,
    NARRATIVE_LABELS,
    EmulationCriterion,
    Indicator,
    Report,
    ReportingPeriod,
    ReportTemplate,
    TemplateVersion,
)
from app.reporting.national import bp as reports_bp
from app.reporting.reminders import expected_unions
from app.reporting.sources import AUTO_SOURCES
from tenants.models import Tenant
from tenants.scoping import all_tenants

bp = Blueprint("config", __name__, template_folder="templates", url_prefix="/config")
reports_bp.register_blueprint(bp)

SUGGESTED_NAMES = {("half_year", "vi"): "Sơ kết 6 tháng đầu năm {year}", ("annual", "vi"): "Tổng kết năm {year}",
                   ("half_year", "en"): "Half-year review {year}", ("annual", "en"): "Annual review {year}"}
SECTION_KEY = re.compile(r"^[a-z][a-z0-9_]{0,63}$")
CHOOSE = _l("Choose one of the options in the list.")
MAX_DUE_DAYS = 366  # the due date at most a year after the window ends (dates far away overflow the date type)


def suggested_name(kind: str, year: int, locale: str) -> str:
    return SUGGESTED_NAMES[(kind, locale)].format(year=year)


def _validated(form: FlaskForm) -> bool:
    """validate_on_submit, with WTForms' own messages (numbers, dates, choices) in the user's language."""
    if form.validate_on_submit():
        return True
    localise_messages(form)
    for field in form:
        if isinstance(field, SelectField) and field.errors:
            field.errors = [CHOOSE]
    return False


def _reports_per(column, ids) -> dict[int, int]:
    """How many union reports name each of `ids` (periods or template versions), across every union."""
    if not ids:
        return {}
    with all_tenants("reporting configuration: count the reports of a period or template version"):
        return dict(db.session.execute(sa.select(column, sa.func.count(Report.id)).where(column.in_(ids))
                                       .group_by(column)).all())


# --- periods ----------------------------------------------------------------------------------------------

@bp.route("/")
@permission_required("national.view")
def index():
    page = paginate(sa.select(ReportingPeriod).order_by(ReportingPeriod.year.desc(), ReportingPeriod.kind),
                    per_page=20)
    templates = db.session.scalars(sa.select(ReportTemplate).order_by(ReportTemplate.code)).all()
    return render_template("reporting/config/index.html", page=page, templates=templates,
                           counts=_reports_per(Report.period_id, [p.id for p in page.items]),
                           kind_labels=forms.KIND_LABELS)


@bp.route("/periods/new", methods=["GET", "POST"])
@bp.route("/periods/<id:period_id>", methods=["GET", "POST"])
@permission_required("national.manage")
def period_edit(period_id: int | None = None):
    period = db.get_or_404(ReportingPeriod, period_id) if period_id is not None else None
    form = forms.PeriodForm(obj=period)
    form.template_id.choices = [(t.id, f"{t.code} — {t.name_vi}") for t in
                                db.session.scalars(sa.select(ReportTemplate).order_by(ReportTemplate.code))]
    has_reports = period is not None and bool(_reports_per(Report.period_id, [period.id]))
    if _validated(form) and _period_valid(form, period, has_reports):
        creating = period is None
        if creating:
            period = ReportingPeriod()
            db.session.add(period)
        for name in ("kind", "year", "window_start", "window_end", "due_date", "lock_after_days", "template_id"):
            setattr(period, name, getattr(form, name).data)
        period.name_vi = (form.name_vi.data or "").strip() or suggested_name(period.kind, period.year, "vi")
        period.name_en = (form.name_en.data or "").strip() or suggested_name(period.kind, period.year, "en")
        try:
            db.session.flush()
        except IntegrityError:  # the same kind and year saved a moment ago by someone else
            db.session.rollback()
            form.year.errors.append(_("There is already a period of this kind for %(year)d.", year=form.year.data))
            return render_template("reporting/config/period_form.html", form=form,
                                   period=None if creating else period, has_reports=has_reports), 400
        audit.record(f"reporting.period.{'create' if creating else 'edit'}", tenant_id=None,
                     target=f"reporting_period:{period.id}", detail=period.name_vi)
        told = announce(period) if creating else 0
        db.session.commit()
        flash(_("“%(name)s” was saved.", name=period.name_vi) + (
            " " + _("%(n)d people in the unions were told that it is open.", n=told) if creating else ""), "success")
        return redirect(url_for(".index"))
    return render_template("reporting/config/period_form.html", form=form, period=period,
                           has_reports=has_reports), 400 if form.errors else 200


def _period_valid(form: forms.PeriodForm, period: ReportingPeriod | None, has_reports: bool) -> bool:
    """The rules across fields, each error on its field; True when there is none."""
    start, end, due, year = form.window_start.data, form.window_end.data, form.due_date.data, form.year.data
    if end < start:
        form.window_end.errors.append(_("The window must end on or after the day it starts."))
    elif end.year != year:
        form.window_end.errors.append(_("The window must end in the period's year (%(year)d).", year=year))
    if due < start:
        form.due_date.errors.append(_("The due date cannot be before the window starts."))
    elif (due - end).days > MAX_DUE_DAYS:
        form.due_date.errors.append(_("The due date must be at most a year after the window ends."))
    taken = db.session.scalar(sa.select(ReportingPeriod.id).where(
        ReportingPeriod.kind == form.kind.data, ReportingPeriod.year == year,
        ReportingPeriod.id != (period.id if period else -1)))
    if taken is not None:
        form.year.errors.append(_("There is already a period of this kind for %(year)d.", year=year))
    template = db.session.get(ReportTemplate, form.template_id.data)
    if template is None:
        form.template_id.errors.append(CHOOSE)
    elif not any(v.published for v in template.versions):
        form.template_id.errors.append(_("This template has no published version yet: publish one first."))
    if has_reports and (period.kind, period.year, period.template_id) != (form.kind.data, year, form.template_id.data):
        form.kind.errors.append(_("Unions have reports for this period: its kind, year and template can no longer "
                                  "change."))
    return not form.errors


def announce(period: ReportingPeriod) -> int:
    """Tell the staff who write reports, in every union expected to report, that the period is open (once each)."""
    from app.notifications.emails import external_url
    from app.notifications.events import notify, tenant_staff
    from app.reporting.workflow import WRITER_ROLES

    context = {"period": period.name_vi, "due_date": period.due_date.strftime("%d/%m/%Y")}
    told = 0
    for tenant_id in expected_unions(period):
        slug = db.session.get(Tenant, tenant_id).slug
        told += len(notify("report.period_opened", tenant_staff(tenant_id, WRITER_ROLES), context,
                           tenant_id=tenant_id, link=external_url("console.reports.index", tenant_slug=slug),
                           key=f"period-opened:{period.id}"))
    return told


@bp.route("/periods/<id:period_id>/announce", methods=["POST"])
@permission_required("national.manage")
def period_announce(period_id: int):
    period = db.get_or_404(ReportingPeriod, period_id)
    if not FlaskForm().validate_on_submit():
        abort(400)
    told = announce(period)
    db.session.commit()
    flash(_("%(n)d people in the unions were told that “%(name)s” is open (those told before are not told again).",
            n=told, name=period.name_vi), "success")
    return redirect(url_for(".period_edit", period_id=period.id))


@bp.route("/periods/<id:period_id>/delete", methods=["GET", "POST"])
@permission_required("national.manage")
def period_delete(period_id: int):
    period = db.get_or_404(ReportingPeriod, period_id)
    count = _reports_per(Report.period_id, [period.id]).get(period.id, 0)
    blocked = _("Unions have %(n)d reports for this period: it cannot be deleted.", n=count) if count else None
    form = FlaskForm()
    if not blocked and form.validate_on_submit():
        audit.record("reporting.period.delete", tenant_id=None, target=f"reporting_period:{period.id}",
                     detail=period.name_vi)
        db.session.delete(period)
        db.session.commit()
        flash(_("“%(name)s” was deleted.", name=period.name_vi), "success")
        return redirect(url_for(".index"))
    return render_template("reporting/config/delete.html", name=period.name_vi, form=form, blocked=blocked,
                           back=url_for(".index")), 400 if blocked and form.is_submitted() else 200


# --- templates and versions -------------------------------------------------------------------------------

@bp.route("/templates/new", methods=["GET", "POST"])
@permission_required("national.manage")
def template_new():
    form = forms.TemplateForm()
    if _validated(form):
        if db.session.scalar(sa.select(ReportTemplate.id).where(ReportTemplate.code == form.code.data)):
            form.code.errors.append(_("Another template already uses this code."))
        else:
            template = ReportTemplate(code=form.code.data, name_vi=form.name_vi.data.strip(),
                                      name_en=form.name_en.data.strip())
            version = TemplateVersion(template=template, number=1, published=False,
                                      narrative_keys=DEFAULT_NARRATIVE_KEYS, narrative_labels=_default_labels())
            db.session.add(version)
            db.session.flush()
            audit.record("reporting.template.create", tenant_id=None, target=f"report_template:{template.id}",
                         detail=template.code)
            db.session.commit()
            flash(_("The template was created with a draft version 1: add its indicators, then publish it."),
                  "success")
            return redirect(url_for(".version", version_id=version.id))
    return render_template("reporting/config/template_form.html", form=form), 400 if form.errors else 200


def _default_labels() -> dict:
    from flask_babel import force_locale

    labels = {}
    for locale in ("vi", "en"):
        with force_locale(locale):
            for key, label in NARRATIVE_LABELS.items():
                labels.setdefault(key, {})[locale] = str(label)
    return labels


@bp.route("/templates/<id:template_id>")
@permission_required("national.view")
def template(template_id: int):
    template = db.get_or_404(ReportTemplate, template_id)
    return render_template("reporting/config/template.html", template=template,
                           pinned=_reports_per(Report.version_id, [v.id for v in template.versions]))


@bp.route("/templates/<id:template_id>/versions", methods=["POST"])
@permission_required("national.manage")
def version_new(template_id: int):
    template = db.get_or_404(ReportTemplate, template_id)
    if not FlaskForm().validate_on_submit():
        abort(400)
    latest = template.versions[-1]
    if not latest.published:
        flash(_("Version %(n)d is still a draft: edit it rather than starting another.", n=latest.number), "error")
        return redirect(url_for(".version", version_id=latest.id))
    version = copy_version(latest)
    audit.record("reporting.template.version", tenant_id=None, target=f"report_template:{template.id}",
                 detail=f"v{version.number} from v{latest.number}")
    db.session.commit()
    flash(_("Version %(n)d is a draft copy of version %(m)d.", n=version.number, m=latest.number), "success")
    return redirect(url_for(".version", version_id=version.id))


def _clone(row, **changes):
    values = {c.key: getattr(row, c.key) for c in sa.inspect(type(row)).column_attrs
              if c.key not in ("id", "version_id")}
    return type(row)(**{**values, **changes})


def copy_version(source: TemplateVersion) -> TemplateVersion:
    """A new draft of the same template holding a copy of `source`'s indicators, sections and criteria."""
    version = _clone(source, number=source.template.versions[-1].number + 1, published=False,
                     narrative_labels=dict(source.narrative_labels or {}), created_at=utcnow())
    version.indicators = [_clone(i) for i in source.indicators]
    version.criteria = [_clone(c) for c in source.criteria]
    db.session.add(version)
    db.session.flush()
    return version


@bp.route("/versions/<id:version_id>")
@permission_required("national.view")
def version(version_id: int):
    version = db.get_or_404(TemplateVersion, version_id)
    return render_template("reporting/config/version.html", version=version, unit_labels=forms.UNIT_LABELS,
                           aggregation_labels=forms.AGGREGATION_LABELS,
                           editable=not version.published and can("national.manage"),
                           pinned=_reports_per(Report.version_id, [version.id]).get(version.id, 0))


def _draft(version_id: int) -> TemplateVersion:
    """The version, if it may still change; a published one answers 409 with the reason."""
    version = db.get_or_404(TemplateVersion, version_id)
    if version.published:
        abort(make_response(render_template("reporting/config/frozen.html", version=version), 409))
    return version


@bp.route("/versions/<id:version_id>/publish", methods=["GET", "POST"])
@permission_required("national.manage")
def version_publish(version_id: int):
    version = _draft(version_id)
    blocked = None if version.indicators else _("Add at least one indicator before publishing.")
    form = FlaskForm()
    if not blocked and form.validate_on_submit():
        version.published = True
        audit.record("reporting.template.publish", tenant_id=None, target=f"report_template:{version.template_id}",
                     detail=f"v{version.number}")
        db.session.commit()
        flash(_("Version %(n)d is published: reports opened from now on use it.", n=version.number), "success")
        return redirect(url_for(".version", version_id=version.id))
    return render_template("reporting/config/publish.html", version=version, form=form, blocked=blocked), \
        400 if blocked and form.is_submitted() else 200


@bp.route("/versions/<id:version_id>/sections", methods=["GET", "POST"])
@permission_required("national.manage")
def sections(version_id: int):
    version = _draft(version_id)
    rows = [{"key": key, "vi": version.narrative_label(key, "vi"), "en": version.narrative_label(key, "en")}
            for key in version.narrative_sections]
    errors = []
    if request.method == "POST":
        keys, vis, ens = (request.form.getlist(name) for name in ("key", "label_vi", "label_en"))
        if not FlaskForm().validate_on_submit() or not len(keys) == len(vis) == len(ens):
            abort(400)
        rows = [{"key": k.strip(), "vi": vi.strip(), "en": en.strip()}
                for k, vi, en in zip(keys, vis, ens, strict=True)]
        rows = [r for r in rows if r["key"] or r["vi"] or r["en"]]
        errors = _sections_errors(rows)
        if not errors:
            version.narrative_keys = ",".join(r["key"] for r in rows)
            version.narrative_labels = {r["key"]: {"vi": r["vi"], "en": r["en"]} for r in rows}
            audit.record("reporting.template.sections", tenant_id=None,
                         target=f"report_template:{version.template_id}",
                         detail=f"v{version.number}: {version.narrative_keys}")
            db.session.commit()
            flash(_("The narrative sections were saved."), "success")
            return redirect(url_for(".version", version_id=version.id))
    return render_template("reporting/config/sections.html", version=version, rows=rows, errors=errors), \
        400 if errors else 200


def _sections_errors(rows: list[dict]) -> list[str]:
    errors, seen = [], set()
    for r in rows:
        if not SECTION_KEY.match(r["key"]):
            errors.append(_("“%(key)s”: a key is lower-case letters without accents, digits and underscores, "
                            "starting with a letter.", key=r["key"][:64]))
        elif r["key"] in seen:
            errors.append(_("“%(key)s” is listed twice.", key=r["key"]))
        if not r["vi"] or len(r["vi"]) > 255 or len(r["en"]) > 255:
            errors.append(_("“%(key)s”: a heading in Vietnamese is required; a heading has 255 characters at "
                            "most.", key=r["key"][:64]))
        seen.add(r["key"])
    if len(",".join(seen)) > 255:
        errors.append(_("Too many sections: their keys may take 255 characters together."))
    return errors


# --- indicators and criteria of a draft version -----------------------------------------------------------

@dataclass(frozen=True)
class Part:
    key: str  # the URL segment and the version's collection
    form: type
    model: type
    title: object
    fields: tuple[str, ...]


PARTS = {p.key: p for p in (
    Part("indicators", forms.IndicatorForm, Indicator, _l("Indicator"),
         ("code", "name_vi", "name_en", "unit", "aggregation", "required", "min_value", "max_value")),
    Part("criteria", forms.CriterionForm, EmulationCriterion, _l("Emulation criterion"),
         ("code", "name_vi", "name_en", "max_points")),
)}


def _part(version_id: int, kind: str, row_id: int | None):
    part = PARTS.get(kind) or abort(404)
    version = _draft(version_id)
    row = None
    if row_id is not None:
        row = next((r for r in getattr(version, part.key) if r.id == row_id), None) or abort(404)
    return part, version, row


@bp.route("/versions/<id:version_id>/<kind>/new", methods=["GET", "POST"])
@bp.route("/versions/<id:version_id>/<kind>/<id:row_id>", methods=["GET", "POST"])
@permission_required("national.manage")
def part_edit(version_id: int, kind: str, row_id: int | None = None):
    part, version, row = _part(version_id, kind, row_id)
    form = part.form(obj=row)
    if part.model is Indicator:
        form.auto_source.choices = [("", _("— typed by the union —"))] + [(k, k) for k in sorted(AUTO_SOURCES)]
        if row is not None and not form.is_submitted():
            form.outlier_percent.data = row.outlier_bp // 100 if row.outlier_bp is not None else None
    if _validated(form) and _part_valid(part, form, version, row):
        if row is None:
            row = part.model(position=len(getattr(version, part.key)))
            getattr(version, part.key).append(row)
        for name in part.fields:
            value = getattr(form, name).data
            setattr(row, name, value.strip() if isinstance(value, str) else value)
        if part.model is Indicator:
            row.outlier_bp = form.outlier_percent.data * 100 if form.outlier_percent.data is not None else None
            row.auto_source = form.auto_source.data or None
        audit.record(f"reporting.template.{kind}", tenant_id=None, target=f"report_template:{version.template_id}",
                     detail=f"v{version.number}: {row.code}")
        db.session.commit()
        flash(_("“%(code)s” was saved.", code=row.code), "success")
        return redirect(url_for(".version", version_id=version.id))
    return render_template("reporting/config/part_form.html", form=form, part=part, version=version, row=row), \
        400 if form.errors else 200


def _part_valid(part: Part, form, version: TemplateVersion, row) -> bool:
    if any(r.code == form.code.data and r is not row for r in getattr(version, part.key)):
        form.code.errors.append(_("Another row of this version already uses this code."))
    if part.model is Indicator:
        if form.auto_source.data not in dict(form.auto_source.choices):
            form.auto_source.errors.append(CHOOSE)
        _keeps_published_meaning(form, version)
    return not form.errors


def _keeps_published_meaning(form: forms.IndicatorForm, version: TemplateVersion) -> None:
    """A code published in the template keeps its unit and aggregation: rollups add up every version by code."""
    published = db.session.execute(
        sa.select(Indicator.unit, Indicator.aggregation)
        .join(TemplateVersion, TemplateVersion.id == Indicator.version_id)
        .where(TemplateVersion.template_id == version.template_id, TemplateVersion.published.is_(True),
               Indicator.code == form.code.data).limit(1)).first()
    if published is None:
        return
    unit, aggregation = published
    if form.unit.data != unit:
        form.unit.errors.append(_("“%(code)s” is published in %(unit)s: a published code keeps its unit (use a new "
                                  "code for another unit).", code=form.code.data, unit=forms.UNIT_LABELS[unit]))
    if form.aggregation.data != aggregation:
        form.aggregation.errors.append(_(
            "“%(code)s” is published with the aggregation “%(aggregation)s”: a published code keeps it (use a new "
            "code for another one).", code=form.code.data, aggregation=forms.AGGREGATION_LABELS[aggregation]))


@bp.route("/versions/<id:version_id>/<kind>/<id:row_id>/move", methods=["POST"])
@permission_required("national.manage")
def part_move(version_id: int, kind: str, row_id: int):
    part, version, row = _part(version_id, kind, row_id)
    step = {"up": -1, "down": 1}.get(request.form.get("direction", ""))
    if step is None or not FlaskForm().validate_on_submit():
        abort(400)
    rows = list(getattr(version, part.key))
    here = rows.index(row)
    there = min(max(here + step, 0), len(rows) - 1)
    rows[here], rows[there] = rows[there], rows[here]
    for position, r in enumerate(rows):
        r.position = position
    db.session.commit()
    return redirect(url_for(".version", version_id=version.id) + f"#{kind}")


@bp.route("/versions/<id:version_id>/<kind>/<id:row_id>/delete", methods=["GET", "POST"])
@permission_required("national.manage")
def part_delete(version_id: int, kind: str, row_id: int):
    part, version, row = _part(version_id, kind, row_id)
    form = FlaskForm()
    if form.validate_on_submit():
        getattr(version, part.key).remove(row)
        audit.record(f"reporting.template.{kind}.delete", tenant_id=None,
                     target=f"report_template:{version.template_id}", detail=f"v{version.number}: {row.code}")
        db.session.commit()
        flash(_("“%(code)s” was deleted.", code=row.code), "success")
        return redirect(url_for(".version", version_id=version.id))
    return render_template("reporting/config/delete.html", name=f"{row.code} — {row.name_vi}", form=form,
                           blocked=None, back=url_for(".version", version_id=version.id))
