"""National console: reporting periods with completeness, and a period's summary per cluster (read only)."""

from decimal import Decimal

import sqlalchemy as sa
from flask import Blueprint, render_template, request
from flask_babel import format_decimal
from flask_babel import lazy_gettext as _l

from app.accounts.permissions import permission_required
from app.core.pagination import paginate
from app.extensions import db
from app.national.routes import bp as national_parent
from app.reporting.models import Indicator, ReportingPeriod
from app.reporting.summary import national_rollups, period_summary

bp = Blueprint("reports", __name__, template_folder="templates", url_prefix="/reports")
national_parent.register_blueprint(bp)


@bp.app_template_filter("growth")
def growth_filter(basis_points: int | None) -> str:
    """+91,1 % from 9110 basis points; a dash without a base year."""
    if basis_points is None:
        return "—"
    sign = "+" if basis_points > 0 else ""
    return f"{sign}{format_decimal(Decimal(basis_points) / 100, format='#,##0.0')} %"


@bp.app_template_filter("figure")
def figure_filter(value: int | None, unit: str = "count") -> str:
    """A stored figure for the screen: percent from basis points, VND with ₫, USD from cents."""
    if value is None:
        return "—"
    if unit == "percent":
        return f"{format_decimal(Decimal(value) / 100, format='#,##0.0')} %"
    if unit == "USD":
        return f"{format_decimal(Decimal(value) / 100, format='#,##0.00')} USD"
    return format_decimal(value) + (" ₫" if unit == "VND" else "")


STATUS_LABELS = {"draft": _l("Draft"), "submitted": _l("Submitted"), "returned": _l("Returned"),
                 "accepted": _l("Accepted"), "final": _l("Final"), None: _l("Missing")}


@bp.app_context_processor
def _labels():
    return {"report_status_label": lambda status: STATUS_LABELS.get(status, status)}


@bp.route("/")
@permission_required("national.view")
def periods():
    stmt = sa.select(ReportingPeriod).order_by(ReportingPeriod.year.desc(), ReportingPeriod.kind)
    return render_template("reporting/periods.html", page=paginate(stmt, per_page=20))


@bp.route("/<id:period_id>")
@permission_required("national.view")
def period(period_id: int):
    period = db.get_or_404(ReportingPeriod, period_id)
    accepted_only = request.args.get("accepted_only") == "1"
    total, clusters = period_summary(period, accepted_only)
    names = {i.code: i for i in db.session.scalars(sa.select(Indicator).order_by(Indicator.id))}
    return render_template("reporting/period.html", period=period, total=total, clusters=clusters,
                           national=national_rollups(period, accepted_only), names=names,
                           accepted_only=accepted_only)
