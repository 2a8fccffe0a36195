"""National summaries for the national union's own tools (scope national:read, a token of the national union):
the periods, and a period's completeness with each cluster's unions and rollups, stamped with when they were
computed — the figures of the national console's summary screen."""

import sqlalchemy as sa
from flask import abort, g
from flask_babel import get_locale
from marshmallow import fields

from app.api import tokens
from app.api.manage import SECURITY, blp
from app.api.schemas import Strict, UtcDateTime
from app.extensions import db


class CompletenessSchema(Strict):
    expected = fields.Integer(required=True)
    submitted = fields.Integer(required=True)
    accepted = fields.Integer(required=True)
    on_time = fields.Integer(required=True)
    late = fields.Integer(required=True)
    missing = fields.Integer(required=True)


class RollupSchema(Strict):
    indicator_code = fields.String(required=True)
    aggregation = fields.String(required=True)
    aggregate = fields.Integer(required=True)
    contributing_count = fields.Integer(required=True)
    previous_aggregate = fields.Integer(allow_none=True, required=True)
    growth_bp = fields.Integer(allow_none=True, required=True,
                               metadata={"description": "Change on a year earlier, in basis points (9110 = 91,1 %)."})
    as_of = UtcDateTime(required=True, metadata={"description": "When the rollup was computed."})


class UnionStatusSchema(Strict):
    slug = fields.String(required=True)
    name_vi = fields.String(required=True)
    report_status = fields.String(allow_none=True, required=True)


class ClusterSummarySchema(Strict):
    code = fields.String(required=True)
    name = fields.String(required=True)
    unions = fields.List(fields.Nested(UnionStatusSchema), required=True)
    completeness = fields.Nested(CompletenessSchema, required=True)
    rollups = fields.List(fields.Nested(RollupSchema), required=True)


class NationalSummarySchema(Strict):
    period_id = fields.Integer(required=True)
    year = fields.Integer(required=True)
    kind = fields.String(required=True)
    name = fields.String(required=True)
    accepted_only = fields.Boolean(required=True)
    completeness = fields.Nested(CompletenessSchema, required=True)
    clusters = fields.List(fields.Nested(ClusterSummarySchema), required=True)
    national = fields.List(fields.Nested(RollupSchema), required=True)


class SummaryArgs(Strict):
    accepted_only = fields.Boolean(load_default=False,
                                   metadata={"description": "Count only reports the cluster accepted."})


class NationalPeriodSchema(Strict):
    id = fields.Integer(required=True)
    kind = fields.String(required=True)
    year = fields.Integer(required=True)
    name = fields.String(required=True)
    due_date = fields.Date(required=True)


def _require_national() -> None:
    tokens.require("national:read")
    if not g.tenant.is_national:
        abort(403)


def _completeness(c) -> dict:
    return {"expected": c.expected, "submitted": c.submitted, "accepted": c.accepted, "on_time": c.on_time,
            "late": c.late, "missing": c.missing}


def _rollup(row) -> dict:
    return {name: getattr(row, name) for name in RollupSchema().fields}


@blp.route("/national/periods")
@blp.response(200, NationalPeriodSchema(many=True))
@blp.doc(security=SECURITY)
def national_periods():
    """Every reporting period, newest first (scope national:read)."""
    from app.reporting.models import ReportingPeriod

    _require_national()
    locale = str(get_locale())
    return [{"id": p.id, "kind": p.kind, "year": p.year, "name": p.name(locale), "due_date": p.due_date}
            for p in db.session.scalars(sa.select(ReportingPeriod).order_by(ReportingPeriod.due_date.desc(),
                                                                            ReportingPeriod.id.desc()))]


@blp.route("/national/periods/<id:period_id>/summary")
@blp.arguments(SummaryArgs, location="query")
@blp.response(200, NationalSummarySchema)
@blp.doc(security=SECURITY)
def national_summary(args, period_id: int):
    """A period's national completeness, each cluster's unions (with their report's status) and rollups, and the
    national rollups (scope national:read)."""
    from app.reporting import summary
    from app.reporting.models import ReportingPeriod

    _require_national()
    period = db.session.get(ReportingPeriod, period_id)
    if period is None:
        abort(404)
    total, clusters = summary.period_summary(period, args["accepted_only"])
    locale = str(get_locale())
    return {"period_id": period.id, "year": period.year, "kind": period.kind, "name": period.name(locale),
            "accepted_only": args["accepted_only"], "completeness": _completeness(total),
            "clusters": [{"code": c.cluster.code, "name": c.cluster.name(locale),
                          "unions": [{"slug": t.slug, "name_vi": t.name_vi, "report_status": status}
                                     for t, status in c.unions],
                          "completeness": _completeness(c.completeness),
                          "rollups": [_rollup(r) for r in c.rollups]} for c in clusters],
            "national": [_rollup(r) for r in summary.national_rollups(period, args["accepted_only"])]}


@blp.route("/national/iati.xml")
@blp.response(200, content_type="application/xml",
              description="Every union's public aid projects as one IATI 2.03 activity file.")
@blp.doc(security=SECURITY)
def national_iati():
    """The IATI export of the national console (scope national:read)."""
    from flask import Response

    from app.aid import iati

    _require_national()
    return Response(iati.national_activities(actor_id=g.api_user.id), mimetype="application/xml")
