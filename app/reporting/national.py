"""National console: reporting periods, a period's national and cluster summaries with each union's figures,
their exports and the dashboards; the completeness drill-down, a union's report read only, final acceptance and the
unlock requests; the review (return, accept, score) of a cluster leader's own report when its cluster has no deputy
that year (review.py's handlers)."""

import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from app.accounts.permissions import permission_required
from app.core.pagination import paginate
from app.core.urls import parse_id
from app.extensions import db
from app.national.routes import bp as national_parent
from app.reporting import charts, exports, review, scoring, views, workflow
from app.reporting.formats import excerpt, format_figure, format_growth, including, status_label
from app.reporting.models import COUNTED_STATUSES, NationalRollup, Report, ReportingPeriod
from app.reporting.review_forms import ConfirmForm, ReasonForm
from app.reporting.summary import AID_CODES, CATEGORIES, aid_by_year, cluster_view, drilldown, national_view, shares
from tenants.models import Cluster, Tenant
from tenants.scoping import all_tenants

bp = Blueprint("reports", __name__, template_folder="templates", url_prefix="/reports")
national_parent.register_blueprint(bp)


bp.add_app_template_filter(format_growth, "growth")
bp.add_app_template_filter(format_figure, "figure")

CATEGORY_LABELS = {"missing": _l("Missing"), "late": _l("Late"), "on_time": _l("On time"),
                   "submitted": _l("Submitted"), "accepted": _l("Accepted")}


@bp.app_context_processor
def _labels():
    return {"report_status_label": status_label, "narrative_excerpt": excerpt,
            "including": including, "category_labels": CATEGORY_LABELS}


@bp.route("/")
@permission_required("national.view")
def periods():
    stmt = sa.select(ReportingPeriod).order_by(ReportingPeriod.year.desc(), ReportingPeriod.kind)
    return render_template("reporting/periods.html", page=paginate(stmt, per_page=20))


def _flag(name: str) -> bool:
    return request.args.get(name) == "1"


def _bad_request(message: str):
    return render_template("errors/error.html", code=400, title=_("Bad request"), message=message), 400


@bp.route("/<id:period_id>")
@permission_required("national.view")
def period(period_id: int):
    period = db.get_or_404(ReportingPeriod, period_id)
    view = national_view(period, _flag("accepted_only"), _flag("group"))
    return render_template("reporting/period.html", period=period, view=view,
                           names={i.code: i for i in view.indicators})


@bp.route("/<id:period_id>/clusters/<id:cluster_id>")
@permission_required("national.view")
def cluster(period_id: int, cluster_id: int):
    period, cluster = db.get_or_404(ReportingPeriod, period_id), db.get_or_404(Cluster, cluster_id)
    view = cluster_view(period, cluster, _flag("accepted_only"))
    return render_template("reporting/cluster.html", period=period, view=view,
                           names={i.code: i for i in view.indicators})


@bp.route("/<id:period_id>/export.<any(xlsx, docx, csv):fmt>")
@permission_required("national.view")
def national_download(period_id: int, fmt: str):
    period = db.get_or_404(ReportingPeriod, period_id)
    return exports.national_export(fmt, period, _flag("accepted_only"), _flag("group"))


@bp.route("/<id:period_id>/clusters/<id:cluster_id>/export.<any(xlsx, docx, csv):fmt>")
@permission_required("national.view")
def cluster_download(period_id: int, cluster_id: int, fmt: str):
    period, cluster = db.get_or_404(ReportingPeriod, period_id), db.get_or_404(Cluster, cluster_id)
    return exports.cluster_export(fmt, period, cluster, _flag("accepted_only"))


# --- dashboards ------------------------------------------------------------------------------------------

def _dashboard_period():
    """The period asked for (?period=<id>), else the newest annual period with figures, else the newest."""
    raw = request.args.get("period", "")
    if raw:
        period_id = parse_id(raw)
        return None if period_id is None else db.get_or_404(ReportingPeriod, period_id)
    newest = sa.select(ReportingPeriod).order_by(ReportingPeriod.year.desc(), ReportingPeriod.kind)
    with_figures = newest.where(ReportingPeriod.kind == "annual",
                                ReportingPeriod.id.in_(sa.select(NationalRollup.period_id)))
    return db.session.scalars(with_figures).first() or db.session.scalars(newest).first() or abort(404)


def _dashboard(template: str, view, parts_of, **context):
    """Render a dashboard: `parts_of(code)` gives the (label, value) parts of the chosen indicator's total."""
    summable = [i for i in view.indicators if i.aggregation == "sum"]
    code = request.args.get("indicator") or next((i.code for i in summable if i.code in AID_CODES),
                                                  summable[0].code if summable else "")
    indicator = next((i for i in summable if i.code == code), None)
    if summable and indicator is None:
        return _bad_request(_("Choose one of the listed indicators."))
    total = view.total(code)
    parts = shares(parts_of(code), total.aggregate if total else None) if indicator else []
    locale = str(get_locale())
    chart = charts.contribution_chart(_("Contributions to the total: %(indicator)s", indicator=indicator.name(
        locale)), parts, indicator.unit, "contribution-table") if parts else None
    periods = db.session.scalars(sa.select(ReportingPeriod).order_by(ReportingPeriod.year.desc(),
                                                                     ReportingPeriod.kind)).all()
    return render_template(template, view=view, period=view.period, periods=periods, summable=summable,
                           indicator=indicator, parts=parts, total=total, contribution_chart=chart,
                           projector=_flag("projector"), **context)


@bp.route("/dashboard")
@permission_required("national.view")
def dashboard():
    period = _dashboard_period()
    if period is None:
        return _bad_request(_("The period must be given by its number."))
    view = national_view(period, _flag("accepted_only"))
    locale = str(get_locale())
    by_cluster = [(s.cluster.name(locale), s.completeness) for s in view.clusters]
    aid = aid_by_year(accepted_only=view.accepted_only)

    def parts_of(code):
        return [(s.cluster.name(locale), next((r.aggregate for r in s.rollups if r.indicator_code == code), None))
                for s in view.clusters]

    return _dashboard("reporting/dashboard.html", view, parts_of, aid=aid, by_cluster=by_cluster,
                      aid_chart=charts.aid_chart(aid, "aid-table"),
                      completeness_chart=charts.completeness_chart(by_cluster, "completeness-table"))


@bp.route("/dashboard/clusters/<id:cluster_id>")
@permission_required("national.view")
def cluster_dashboard(cluster_id: int):
    cluster = db.get_or_404(Cluster, cluster_id)
    period = _dashboard_period()
    if period is None:
        return _bad_request(_("The period must be given by its number."))
    view = cluster_view(period, cluster, _flag("accepted_only"))
    locale = str(get_locale())
    aid = aid_by_year(cluster, view.accepted_only)

    def parts_of(code):
        return [(row.tenant.name(locale), row.values.get(code)) for row in view.unions]

    return _dashboard("reporting/cluster_dashboard.html", view, parts_of, aid=aid,
                      aid_chart=charts.aid_chart(aid, "aid-table"))


# --- completeness drill-down, a union's report, final acceptance and unlock ----------------------------

@bp.route("/<id:period_id>/completeness/<any(missing, late, on_time, submitted, accepted):category>")
@permission_required("national.view")
def completeness(period_id: int, category: str):
    """The unions behind one count of the period page, nationally or (?cluster=<id>) in one cluster."""
    period = db.get_or_404(ReportingPeriod, period_id)
    cluster = None
    if request.args.get("cluster"):
        cluster_id = parse_id(request.args["cluster"])
        if cluster_id is None:
            abort(400, description=_("The cluster must be given by its number."))
        cluster = db.get_or_404(Cluster, cluster_id)
    return render_template("reporting/completeness.html", period=period, cluster=cluster, category=category,
                           label=CATEGORY_LABELS[category], categories=CATEGORIES,
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
        reviews = report.status in COUNTED_STATUSES and workflow.can_review(current_user, report)
    return render_template(template, period=period, reviews=reviews, accept_form=ConfirmForm(),
                           scorable=context["report"].status in scoring.SCORABLE_STATUSES, **context, **extra), status


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


def _reviewed_here(period_id: int, tenant_id: int) -> int:
    """The id of a submitted leader's report that the national union reviews (no deputy that year); 404 otherwise."""
    report_id = _report_id(period_id, tenant_id)
    with workflow.report_for_review(report_id) as report:
        if report.status not in COUNTED_STATUSES or not workflow.can_review(current_user, report):
            abort(404)
    return report_id


@bp.route("/<id:period_id>/unions/<id:tenant_id>/return", methods=["GET", "POST"])
@permission_required("national.manage")
def review_return(period_id: int, tenant_id: int):
    report_id, back = _reviewed_here(period_id, tenant_id), url_for(".union_report", period_id=period_id,
                                                                     tenant_id=tenant_id)
    return review.handle_return(report_id, back, back, lambda error: _refused(error, period_id, tenant_id))


@bp.route("/<id:period_id>/unions/<id:tenant_id>/accept", methods=["POST"])
@permission_required("national.manage")
def review_accept(period_id: int, tenant_id: int):
    report_id = _reviewed_here(period_id, tenant_id)
    return review.handle_accept(report_id, url_for(".union_report", period_id=period_id, tenant_id=tenant_id),
                                lambda error: _refused(error, period_id, tenant_id))


@bp.route("/<id:period_id>/unions/<id:tenant_id>/scores", methods=["GET", "POST"])
@permission_required("national.manage")
def review_scores(period_id: int, tenant_id: int):
    report_id = _reviewed_here(period_id, tenant_id)
    return review.handle_scores(report_id, url_for(".union_report", period_id=period_id, tenant_id=tenant_id),
                                lambda error: _refused(error, period_id, tenant_id))


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
