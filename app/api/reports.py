"""The report exchange (scope reports:write): a union's statistics system reads the period's template, puts its
figures, comments and narratives, and submits, through the very workflow and validation rules of the console
(app/reporting/workflow.py, validation.py): the same figures give the same report and the same rollups."""

import sqlalchemy as sa
from flask import abort, g
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_smorest import abort as smorest_abort
from marshmallow import fields, validate
from sqlalchemy.orm import selectinload

from app.api import tokens
from app.api.manage import SECURITY, blp
from app.api.schemas import Strict, UtcDateTime
from app.core.timeutil import vn_today
from app.extensions import db
from app.reporting.models import LARGEST_FIGURE


class IndicatorSchema(Strict):
    code = fields.String(required=True)
    name = fields.String(required=True)
    unit = fields.String(required=True, metadata={"description": "count, vnd or usd (amounts in whole units)."})
    required = fields.Boolean(required=True)
    min_value = fields.Integer(allow_none=True, required=True)
    max_value = fields.Integer(allow_none=True, required=True)
    auto_source = fields.String(allow_none=True, required=True,
                                metadata={"description": "Pre-filled from the platform's own records when set."})


class IssueSchema(Strict):
    code = fields.String(required=True)
    level = fields.String(required=True, validate=validate.OneOf(["error", "warning"]))
    message = fields.String(required=True)
    blocking = fields.Boolean(required=True)


class FigureSchema(Strict):
    code = fields.String(required=True)
    value = fields.Integer(allow_none=True, required=True)
    prefilled = fields.Integer(allow_none=True, required=True)
    comment = fields.String(allow_none=True, required=True)


class ReportStateSchema(Strict):
    id = fields.Integer(required=True)
    status = fields.String(required=True)
    submitted_at = UtcDateTime(allow_none=True, required=True)
    figures = fields.List(fields.Nested(FigureSchema), required=True)
    narratives = fields.Dict(keys=fields.String(), values=fields.String(), required=True)
    issues = fields.List(fields.Nested(IssueSchema), required=True)


class PeriodSchema(Strict):
    id = fields.Integer(required=True)
    kind = fields.String(required=True)
    year = fields.Integer(required=True)
    name = fields.String(required=True)
    window_start = fields.Date(required=True)
    window_end = fields.Date(required=True)
    due_date = fields.Date(required=True)
    closed = fields.Boolean(required=True)
    report_status = fields.String(allow_none=True, required=True)


class PeriodDetailSchema(PeriodSchema):
    indicators = fields.List(fields.Nested(IndicatorSchema), required=True)
    narrative_sections = fields.List(fields.String(), required=True)
    report = fields.Nested(ReportStateSchema, allow_none=True, required=True)


class FiguresInSchema(Strict):
    values = fields.Dict(keys=fields.String(validate=validate.Length(min=1, max=64)),
                         values=fields.Integer(allow_none=True, strict=True,
                                               validate=validate.Range(min=-LARGEST_FIGURE, max=LARGEST_FIGURE)),
                         load_default=dict,
                         metadata={"description": "{indicator code: whole number or null}"})
    comments = fields.Dict(keys=fields.String(validate=validate.Length(min=1, max=64)),
                           values=fields.String(validate=validate.Length(max=2000)), load_default=dict)
    narratives = fields.Dict(keys=fields.String(validate=validate.Length(min=1, max=64)),
                             values=fields.String(validate=validate.Length(max=200_000)), load_default=dict,
                             metadata={"description": "{section key: HTML}, cleaned like the console's."})


def _period_or_404(period_id: int):
    from app.reporting.models import ReportingPeriod

    period = db.session.get(ReportingPeriod, period_id)
    if period is None or g.tenant.is_national:
        abort(404)
    return period


def _report(period):
    from app.reporting.models import Report, ReportValue

    return db.session.scalars(sa.select(Report).where(Report.period_id == period.id).options(
        selectinload(Report.values).joinedload(ReportValue.indicator), selectinload(Report.narratives))).first()


def _period(period, report) -> dict:
    from app.reporting import workflow

    return {"id": period.id, "kind": period.kind, "year": period.year, "name": period.name(str(get_locale())),
            "window_start": period.window_start, "window_end": period.window_end, "due_date": period.due_date,
            "closed": workflow.period_closed(period, vn_today()),
            "report_status": report.status if report is not None else None}


def _state(report) -> dict:
    from app.reporting.validation import validate as check

    order = {i.id: i.position for i in report.version.indicators}
    return {"id": report.id, "status": report.status, "submitted_at": report.submitted_at,
            "figures": [{"code": v.indicator.code, "value": v.value, "prefilled": v.prefilled, "comment": v.comment}
                        for v in sorted(report.values, key=lambda v: order.get(v.indicator_id, 0))],
            "narratives": {n.key: n.body_html for n in report.narratives},
            "issues": [{"code": i.code, "level": i.level, "message": str(i.message), "blocking": i.blocking}
                       for i in check(report)]}


@blp.route("/reports/periods")
@blp.response(200, PeriodSchema(many=True))
@blp.doc(security=SECURITY)
def periods():
    """The reporting periods, newest first, with the state of the union's report in each (scope reports:write)."""
    from app.reporting.models import Report, ReportingPeriod

    tokens.require("reports:write")
    if g.tenant.is_national:
        return []
    rows = db.session.scalars(sa.select(ReportingPeriod).order_by(ReportingPeriod.due_date.desc(),
                                                                  ReportingPeriod.id.desc())).all()
    reports = {r.period_id: r for r in db.session.scalars(sa.select(Report))}
    return [_period(p, reports.get(p.id)) for p in rows]


@blp.route("/reports/periods/<id:period_id>")
@blp.response(200, PeriodDetailSchema)
@blp.doc(security=SECURITY)
def period(period_id: int):
    """The period's template (indicators with their rules, narrative sections) and the union's report so far."""
    from app.reporting import workflow

    tokens.require("reports:write")
    found = _period_or_404(period_id)
    report = _report(found)
    try:
        version = report.version if report is not None else workflow.current_version(found)
    except workflow.ReportError as error:
        abort(409, description=str(error.message))
    locale = str(get_locale())
    return {**_period(found, report),
            "indicators": [{"code": i.code, "name": i.name(locale), "unit": i.unit, "required": i.required,
                            "min_value": i.min_value, "max_value": i.max_value, "auto_source": i.auto_source}
                           for i in version.indicators],
            "narrative_sections": version.narrative_sections,
            "report": _state(report) if report is not None else None}


def _writable_report(period):
    """The union's report of the period, opened (pre-filled) on first use and locked for this transaction."""
    from app.reporting import workflow

    if not workflow.may_write(g.api_user, g.tenant.id):
        abort(403)
    try:
        report = _report(period) or workflow.open_report(period, g.api_user)
    except workflow.ReportError as error:
        db.session.rollback()
        abort(409, description=str(error.message))
    workflow.lock_row(report)
    if not report.editable:
        db.session.rollback()
        abort(409, description=_("This report is locked: it can no longer be changed."))
    return report


@blp.route("/reports/periods/<id:period_id>/figures", methods=["PUT"])
@blp.arguments(FiguresInSchema)
@blp.response(200, ReportStateSchema)
@blp.doc(security=SECURITY)
def put_figures(data, period_id: int):
    """Put figures, comments and narratives into the union's report of the period (only those sent change); the
    answer lists what the console's rules say of the report now."""
    from app.reporting import workflow

    tokens.require("reports:write")
    report = _writable_report(_period_or_404(period_id))
    try:
        workflow.save(report, g.api_user, values=data["values"], comments=data["comments"],
                      narratives=data["narratives"])
    except workflow.ReportLocked as error:
        db.session.rollback()
        abort(409, description=str(error.message))
    except workflow.ReportError as error:
        db.session.rollback()
        smorest_abort(422, message=str(error.message))
    db.session.commit()
    return _state(_report(report.period))


@blp.route("/reports/periods/<id:period_id>/submit", methods=["POST"])
@blp.response(200, ReportStateSchema)
@blp.doc(security=SECURITY)
def submit_report(period_id: int):
    """Submit the union's report (locked from then on; the cluster leader is told), if nothing blocks it."""
    from app.reporting import workflow

    tokens.require("reports:write")
    report = _writable_report(_period_or_404(period_id))
    try:
        workflow.submit(report, g.api_user, vn_today())
    except workflow.ReportLocked as error:
        db.session.rollback()
        abort(409, description=str(error.message))
    except workflow.ReportForbidden:
        db.session.rollback()
        abort(403)
    except workflow.ReportError as error:
        db.session.rollback()
        smorest_abort(422, message=str(error.message),
                      errors={i.code: [str(i.message)] for i in error.issues})
    db.session.commit()
    return _state(_report(report.period))
