"""A union's reports in the staff console (/manage/<slug>/reports/…): periods, the report form with autosave,
attachments, history, submission and unlock requests. Admins and reporters write; other staff read."""


import sqlalchemy as sa
from flask import Blueprint, abort, current_app, flash, g, redirect, render_template, request, url_for
from flask_babel import format_datetime, get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy.orm import selectinload

from app.accounts.models import User
from app.accounts.permissions import permission_required
from app.console.routes import bp as console_parent
from app.core.pagination import paginate
from app.core.timeutil import utcnow, vn_date, vn_today
from app.extensions import db
from app.media.validate import UploadRejected
from app.reporting import attachments, views, workflow
from app.reporting.forms import ActionForm, AttachmentForm, ReportForm, UnlockForm, figure_input, read_report_form
from app.reporting.models import (
    COUNTED_STATUSES,
    Report,
    ReportAttachment,
    ReportEvent,
    ReportingPeriod,
    ReportScore,
    ReportValue,
)
from app.reporting.validation import blocking, validate

bp = Blueprint("reports", __name__, template_folder="templates", url_prefix="/<tenant_slug>/reports")
console_parent.register_blueprint(bp)

UNIT_LABELS = {"VND": _l("in đồng (VND)"), "USD": _l("in US dollars, cents allowed"),
               "percent": _l("in percent, one decimal"), "count": _l("a number")}
ACTION_LABELS = {"created": _l("Report opened"), "saved": _l("Changes saved"), "submitted": _l("Submitted"),
                 "returned": _l("Returned by the cluster leader"), "accepted": _l("Accepted by the cluster leader"),
                 "finalized": _l("Final acceptance by the national union"),
                 "unlock_requested": _l("Unlock requested"), "unlocked": _l("Unlocked by the national union"),
                 "attachment_added": _l("Attachment added"), "attachment_removed": _l("Attachment removed")}


# --- loading and access ------------------------------------------------------------------------------

def _report_or_404(report_id: int) -> Report:
    """The report with its figures and their indicators in two queries (the form reads every one)."""
    return db.get_or_404(Report, report_id, options=[
        selectinload(Report.values).joinedload(ReportValue.indicator), selectinload(Report.narratives)])


def _may_write() -> bool:
    return workflow.may_write(current_user, g.tenant.id)


def _writable(report: Report) -> Report:
    """403 for staff who only read; 409 once the report is locked (nothing is written). A POST locks the report's
    row first (workflow.lock_row): a second tab's autosave waits for a submission and then finds it locked."""
    if not _may_write():
        abort(403)
    if request.method == "POST":
        workflow.lock_row(report)
    if not report.editable:
        abort(409, description=_("This report is locked: it can no longer be changed."))
    return report


def _late(period: ReportingPeriod, report: Report | None) -> bool:
    if report is not None and report.status in COUNTED_STATUSES and report.submitted_at:
        return vn_date(report.submitted_at) > period.due_date
    return vn_today() > period.due_date


# --- periods -----------------------------------------------------------------------------------------

@bp.route("/")
@permission_required("reports.view")
def index():
    stmt = sa.select(ReportingPeriod).order_by(ReportingPeriod.due_date.desc(), ReportingPeriod.id.desc())
    page = paginate(stmt, per_page=20)
    reports = {r.period_id: r for r in db.session.scalars(
        sa.select(Report).where(Report.period_id.in_([p.id for p in page.items])))}
    rows = [{"period": p, "report": reports.get(p.id), "late": _late(p, reports.get(p.id)),
             "closed": workflow.period_closed(p, vn_today())} for p in page.items]
    return render_template("reporting/console/index.html", page=page, rows=rows, may_write=_may_write(),
                           action=ActionForm())


@bp.route("/periods/<id:period_id>/open", methods=["POST"])
@permission_required("reports.write")
def open_(period_id: int):
    period = db.get_or_404(ReportingPeriod, period_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    if not _may_write():
        abort(403)
    try:
        report = workflow.open_report(period, current_user)
    except workflow.ReportError as error:
        db.session.rollback()
        flash(str(error.message), "error")
        return redirect(url_for(".index"))
    db.session.commit()
    return redirect(url_for(".report", report_id=report.id))


# --- the report form ---------------------------------------------------------------------------------

def _figure_rows(report: Report, issues) -> list[dict]:
    by_code = {}
    for issue in issues:
        by_code.setdefault(issue.code, []).append(issue)
    rows = sorted(report.values, key=lambda v: v.indicator.position)
    return [{"value": v, "indicator": v.indicator, "input": figure_input(v.value, v.indicator.unit),
             "prefilled": v.prefilled, "overridden": v.prefilled is not None and v.value != v.prefilled,
             "issues": by_code.get(v.indicator.code, [])} for v in rows]


def _scores(report: Report) -> list[tuple]:
    rows = {s.criterion_id: s for s in db.session.scalars(sa.select(ReportScore)
                                                          .where(ReportScore.report_id == report.id))}
    return [(c, rows.get(c.id)) for c in report.version.criteria]


def _last_return(report: Report) -> ReportEvent | None:
    if report.status != "returned":
        return None
    return db.session.scalars(sa.select(ReportEvent).where(
        ReportEvent.report_id == report.id, ReportEvent.action.in_(("returned", "unlocked")))
        .order_by(ReportEvent.id.desc()).limit(1)).first()


def _render(report: Report, errors: dict | None = None, status: int = 200, upload_form=None):
    issues = validate(report)
    narratives = {n.key: n.body_html for n in report.narratives}
    locale = str(get_locale())
    sections = [(key, report.version.narrative_label(key, locale), narratives.get(key, ""))
                for key in report.version.narrative_sections]
    may_write = _may_write()
    return render_template(
        "reporting/console/report.html", report=report, rows=_figure_rows(report, issues), sections=sections,
        scores=_scores(report), unit_labels=UNIT_LABELS, attachments=attachments.of_report(report), errors=errors or {},
        typed=request.form if errors else {}, editable=may_write and report.editable, may_write=may_write,
        blocking_count=len(blocking(issues)), last_return=_last_return(report), form=ReportForm(),
        upload_form=upload_form or AttachmentForm(), closed=workflow.period_closed(report.period, vn_today()),
        autosave_seconds=current_app.config.get("REPORT_AUTOSAVE_SECONDS", 30)), status


def _save_from_form(report: Report) -> dict:
    """Save what the form sent, all or nothing; returns the per-field errors (empty when saved)."""
    data = read_report_form(report, request.form)
    if data.errors:
        return data.errors
    try:
        workflow.save(report, current_user, **data.changes())
    except workflow.ReportLocked:
        db.session.rollback()
        abort(409, description=_("This report is locked: it can no longer be changed."))
    except workflow.ReportError as error:
        db.session.rollback()
        return {"_form": error.message}
    db.session.commit()
    return {}


@bp.route("/<id:report_id>", methods=["GET", "POST"])
@permission_required("reports.view")
def report(report_id: int):
    report = _report_or_404(report_id)
    if request.method == "GET":
        return _render(report)
    _writable(report)
    if not ReportForm().validate_on_submit():
        abort(400)
    errors = _save_from_form(report)
    if errors:
        return _render(report, errors, 400)
    flash(_("The report is saved."), "success")
    return redirect(url_for(".report", report_id=report.id))


@bp.route("/<id:report_id>/autosave", methods=["POST"])
@permission_required("reports.write")
def autosave(report_id: int):
    """The same form, posted by the page's script every ~30 s when it changed; answers JSON."""
    report = _report_or_404(report_id)
    if not _may_write():
        return {"saved": False, "message": _("You may not change this union's report.")}, 403
    if not workflow.lock_row(report).editable:
        return {"saved": False, "message": _("This report is locked: it can no longer be changed.")}, 409
    if not ReportForm().validate_on_submit():
        return {"saved": False, "message": _("The form expired. Reload the page and try again.")}, 400
    errors = _save_from_form(report)
    if errors:
        return {"saved": False, "errors": {k: str(v) for k, v in errors.items()},
                "message": _("Not saved: correct the marked fields.")}, 400
    return {"saved": True, "message": _("Saved at %(time)s", time=format_datetime(utcnow(), "HH:mm"))}


# --- history -------------------------------------------------------------------------------------------

def _describe(event: ReportEvent, report: Report) -> str:
    """What a save changed, in words: indicator and criterion names, section titles."""
    if event.action != "saved":
        return event.detail or ""
    locale = str(get_locale())
    indicators = {i.code: i.name(locale) for i in report.version.indicators}
    criteria = {c.code: c.name(locale) for c in report.version.criteria}
    parts = []
    for token in (event.detail or "").split(", "):
        kind, _sep, code = token.rpartition(":")
        if kind == "comment":
            parts.append(_("explanation of “%(name)s”", name=indicators.get(code, code)))
        elif kind == "narrative":
            parts.append(report.version.narrative_label(code, locale))
        elif kind == "score":
            parts.append(_("self-assessment: %(name)s", name=criteria.get(code, code)))
        else:
            parts.append(indicators.get(code, code))
    return "; ".join(parts)


@bp.route("/<id:report_id>/history")
@permission_required("reports.view")
def history(report_id: int):
    report = _report_or_404(report_id)
    stmt = (sa.select(ReportEvent, User.name).outerjoin(User, User.id == ReportEvent.actor_id)
            .where(ReportEvent.report_id == report.id).order_by(ReportEvent.at.desc(), ReportEvent.id.desc()))
    page = paginate(stmt, per_page=50, load=lambda limited: db.session.execute(limited).all())
    return render_template("reporting/console/history.html", report=report, page=page, labels=ACTION_LABELS,
                           describe=lambda event: _describe(event, report))


# --- submission and unlock -----------------------------------------------------------------------------

@bp.route("/<id:report_id>/submit", methods=["GET", "POST"])
@permission_required("reports.write")
def submit(report_id: int):
    """GET lists what blocks the submission (or asks to confirm); POST submits and locks the report."""
    report = _writable(_report_or_404(report_id))
    form = ActionForm()
    issues = blocking(validate(report))
    if request.method == "POST" and form.validate_on_submit():
        try:
            workflow.submit(report, current_user, vn_today())
        except workflow.ReportLocked as error:
            db.session.rollback()
            abort(409, description=str(error.message))
        except workflow.ReportForbidden:
            db.session.rollback()
            abort(403)
        except workflow.ReportError as error:
            db.session.rollback()
            issues = error.issues
        else:
            db.session.commit()
            flash(_("The report is submitted; it is now locked and the cluster leader is told."), "success")
            return redirect(url_for(".report", report_id=report.id))
    names = {i.code: i.name(str(get_locale())) for i in report.version.indicators}
    return render_template("reporting/console/submit.html", report=report, issues=issues, names=names, form=form,
                           closed=workflow.period_closed(report.period, vn_today())), \
        400 if request.method == "POST" else 200


@bp.route("/<id:report_id>/unlock", methods=["GET", "POST"])
@permission_required("reports.write")
def unlock_request(report_id: int):
    report = _report_or_404(report_id)
    if not _may_write():
        abort(403)
    if request.method == "POST":
        workflow.lock_row(report)
    if report.editable:
        abort(409, description=_("This report is not locked."))
    form = UnlockForm()
    if form.validate_on_submit():
        workflow.request_unlock(report, current_user, form.reason.data)
        db.session.commit()
        flash(_("The unlock request is sent to the national union."), "success")
        return redirect(url_for(".report", report_id=report.id))
    return render_template("reporting/console/unlock.html", report=report, form=form), 400 if form.errors else 200


# --- attachments --------------------------------------------------------------------------------------

def _attachment_or_404(attachment_id: int) -> tuple[ReportAttachment, Report]:
    item = db.get_or_404(ReportAttachment, attachment_id)
    return item, _report_or_404(item.report_id)


@bp.route("/<id:report_id>/attachments", methods=["POST"])
@permission_required("reports.write")
def attach(report_id: int):
    report = _writable(_report_or_404(report_id))
    form = AttachmentForm()
    if form.validate_on_submit():
        upload = form.file.data
        try:
            item = attachments.store(report, upload.filename or "", upload.read(), current_user)
        except UploadRejected as refusal:
            form.file.errors = [*form.file.errors, str(refusal)]
        else:
            flash(_("“%(name)s” is attached.", name=item.original_name), "success")
            return redirect(url_for(".report", report_id=report.id, _anchor="attachments"))
    return _render(report, status=400, upload_form=form)


@bp.route("/attachments/<id:attachment_id>")
@permission_required("reports.view")
def download(attachment_id: int):
    """The file, to the union's staff only (never through the public /media URLs)."""
    item, _report = _attachment_or_404(attachment_id)
    return views.send_attachment(item.report_id, item.id)


@bp.route("/attachments/<id:attachment_id>/delete", methods=["GET", "POST"])
@permission_required("reports.write")
def attachment_delete(attachment_id: int):
    """GET asks for confirmation; POST removes the file."""
    item, report = _attachment_or_404(attachment_id)
    _writable(report)
    form = ActionForm()
    if form.validate_on_submit():
        name = item.original_name
        attachments.delete(report, item, current_user)
        flash(_("“%(name)s” is removed from the report.", name=name), "success")
        return redirect(url_for(".report", report_id=report.id, _anchor="attachments"))
    return render_template("reporting/console/attachment_delete.html", item=item, report=report, form=form)
