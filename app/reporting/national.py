"""National console: reporting periods, a period's summary per cluster with its completeness drill-down, a union's
report read only, final acceptance, and the unlock requests."""

from decimal import Decimal

import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import format_decimal
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from app.accounts.permissions import permission_required
from app.core.pagination import paginate
from app.extensions import db
from app.national.routes import bp as national_parent
from app.reporting import views, workflow
from app.reporting.models import Indicator, Report, ReportingPeriod
from app.reporting.review_forms import ConfirmForm, ReasonForm
from app.reporting.summary import CATEGORIES, drilldown, national_rollups, period_summary
from tenants.models import Cluster, Tenant
from tenants.scoping import all_tenants

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


CATEGORY_LABELS = {"missing": _l("Missing"), "late": _l("Late"), "on_time": _l("On time"),
                   "submitted": _l("Submitted"), "accepted": _l("Accepted")}
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
                           accepted_only=accepted_only, category_labels=CATEGORY_LABELS)


@bp.route("/<id:period_id>/completeness/<any(missing, late, on_time, submitted, accepted):category>")
@permission_required("national.view")
def completeness(period_id: int, category: str):
    """The unions behind one count of the period page, nationally or (?cluster=<id>) in one cluster."""
    period = db.get_or_404(ReportingPeriod, period_id)
    cluster = None
    if request.args.get("cluster"):
        cluster_id = request.args.get("cluster", type=int)
        if cluster_id is None:
            abort(400, description=_("The cluster must be given by its number."))
        cluster = db.get_or_404(Cluster, cluster_id)
    return render_template("reporting/completeness.html", period=period, cluster=cluster, category=category,
                           label=CATEGORY_LABELS[category], categories=CATEGORIES, category_labels=CATEGORY_LABELS,
                           unions=drilldown(period, category, cluster.id if cluster else None))


def _report_id(period_id: int, tenant_id: int) -> int:
    with all_tenants(f"reporting: national view of tenant {tenant_id}'s report for period {period_id}"):
        report_id = db.session.scalar(sa.select(Report.id).where(Report.period_id == period_id,
                                                                  Report.tenant_id == tenant_id))
    if report_id is None:
        abort(404)
    return report_id


def _union_report(period_id: int, tenant_id: int, template: str, status: int = 200, **extra):
    period = db.get_or_404(ReportingPeriod, period_id)
    report_id = _report_id(period.id, tenant_id)
    with workflow.report_for_review(report_id) as report:
        context = views.report_context(report, attachment_url=lambda a: url_for(
            "national.reports.attachment", period_id=period_id, tenant_id=tenant_id, attachment_id=a.id))
    return render_template(template, period=period, **context, **extra), status


def _refused(error: workflow.ReportError, period_id: int, tenant_id: int):
    db.session.rollback()
    if isinstance(error, workflow.ReportForbidden):
        abort(403)
    flash(str(error.message), "error")
    return _union_report(period_id, tenant_id, "reporting/union_report.html", 400, form=ConfirmForm())


@bp.route("/<id:period_id>/unions/<id:tenant_id>")
@permission_required("national.view")
def union_report(period_id: int, tenant_id: int):
    return _union_report(period_id, tenant_id, "reporting/union_report.html", form=ConfirmForm())


@bp.route("/<id:period_id>/unions/<id:tenant_id>/attachments/<id:attachment_id>")
@permission_required("national.view")
def attachment(period_id: int, tenant_id: int, attachment_id: int):
    report_id = _report_id(period_id, tenant_id)
    with workflow.report_for_review(report_id):
        return views.send_attachment(report_id, attachment_id)


@bp.route("/<id:period_id>/unions/<id:tenant_id>/finalize", methods=["GET", "POST"])
@permission_required("national.manage")
def finalize(period_id: int, tenant_id: int):
    """Final acceptance, after a confirmation page: the report is locked for good (unless unlocked on request)."""
    form = ConfirmForm()
    if form.validate_on_submit():
        try:
            workflow.finalize(_report_id(period_id, tenant_id), current_user)
        except workflow.ReportError as error:
            return _refused(error, period_id, tenant_id)
        flash(_("The report is finally accepted and locked."), "success")
        return redirect(url_for("national.reports.union_report", period_id=period_id, tenant_id=tenant_id))
    return _union_report(period_id, tenant_id, "reporting/finalize.html", form=form)


@bp.route("/<id:period_id>/unions/<id:tenant_id>/unlock", methods=["GET", "POST"])
@permission_required("national.manage")
def unlock(period_id: int, tenant_id: int):
    """Reopen a locked report the union asked to unlock, with a reason (audited): it goes back as returned."""
    form = ReasonForm()
    if form.validate_on_submit():
        try:
            workflow.unlock(_report_id(period_id, tenant_id), current_user, form.reason.data)
        except workflow.ReportError as error:
            return _refused(error, period_id, tenant_id)
        flash(_("The report is unlocked and back with the union."), "success")
        return redirect(url_for("national.reports.unlock_requests"))
    return _union_report(period_id, tenant_id, "reporting/unlock.html", 400 if form.errors else 200, form=form)


@bp.route("/unlock-requests")
@permission_required("national.view")
def unlock_requests():
    stmt = (sa.select(Report.period_id, Report.tenant_id, Report.status, Report.unlock_requested_at,
                      Report.unlock_reason, Tenant, ReportingPeriod)
            .join(Tenant, Tenant.id == Report.tenant_id).join(ReportingPeriod, ReportingPeriod.id == Report.period_id)
            .where(Report.unlock_requested_at.is_not(None)).order_by(Report.unlock_requested_at))
    with all_tenants("reporting: the national list of unlock requests"):
        page = paginate(stmt, per_page=25, load=lambda limited: db.session.execute(limited).all())
    return render_template("reporting/unlock_requests.html", page=page)
