"""The cluster leader's review (/manage/<leader slug>/cluster/…): the members' reports of a year the union led.

Only staff with a leader role of the union that leads the cluster *in the period's year* get in; the members'
reports are read across tenants (workflow.report_for_review), never another cluster's.
"""

import sqlalchemy as sa
from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.accounts.permissions import permission_required
from app.console.routes import bp as console_parent
from app.core.pagination import paginate
from app.extensions import db
from app.reporting import exports, scoring, views, workflow
from app.reporting.models import Report, ReportingPeriod
from app.reporting.review_forms import ConfirmForm, ReasonForm, score_form
from tenants.clusters import LEADER_ROLES, cluster_of
from tenants.models import Cluster, ClusterLeadership
from tenants.scoping import all_tenants

bp = Blueprint("cluster", __name__, template_folder="templates", url_prefix="/<tenant_slug>/cluster")
console_parent.register_blueprint(bp)


@bp.app_context_processor
def _nav():
    return {"leads_a_cluster": _leads_a_cluster}


def _leads_a_cluster() -> bool:
    """For the console menu: this union has led a cluster and the signed-in user acts for it."""
    tenant = g.get("tenant")
    if tenant is None or current_user.role_in(tenant.id) not in LEADER_ROLES:
        return False
    return db.session.scalar(sa.select(ClusterLeadership.id).where(ClusterLeadership.leader_tenant_id == tenant.id)
                             .limit(1)) is not None


def _led_cluster(year: int) -> Cluster:
    """The cluster this console's union leads in `year` (403 without a leader role, 404 if it did not lead)."""
    if current_user.role_in(g.tenant.id) not in LEADER_ROLES:
        abort(403)
    cluster = db.session.scalar(sa.select(Cluster).join(ClusterLeadership).where(
        ClusterLeadership.year == year, ClusterLeadership.leader_tenant_id == g.tenant.id))
    if cluster is None:
        abort(404)
    return cluster


def _member_period(report_id: int) -> ReportingPeriod:
    """The period of a report of a member of the cluster this union led that year (404 for any other report)."""
    with all_tenants(f"reporting: leader's access check for report {report_id}"):
        row = db.session.execute(sa.select(Report.tenant_id, Report.period_id).where(Report.id == report_id)).first()
    if row is None:
        abort(404)
    period = db.session.get(ReportingPeriod, row.period_id)
    led, member_of = _led_cluster(period.year), cluster_of(row.tenant_id, period.year)
    if member_of is None or member_of.id != led.id:
        abort(404)
    return period


def _render_report(report_id: int, status: int = 200, **extra):
    period = _member_period(report_id)
    with workflow.report_for_review(report_id) as report:
        context = views.report_context(report, attachment_url=lambda a: url_for(
            "console.cluster.attachment", report_id=report_id, attachment_id=a.id))
    return render_template("reporting/review/report.html", period=period, accept_form=ConfirmForm(),
                           scorable=context["report"].status in scoring.SCORABLE_STATUSES, **context, **extra), status


def _refused(error: workflow.ReportError, report_id: int):
    db.session.rollback()
    if isinstance(error, workflow.ReportForbidden):
        abort(403)
    flash(str(error.message), "error")
    return _render_report(report_id, 400)


@bp.route("/")
@permission_required("reports.write")
def index():
    if current_user.role_in(g.tenant.id) not in LEADER_ROLES:
        abort(403)
    stmt = (sa.select(ReportingPeriod, Cluster).join(ClusterLeadership, ClusterLeadership.year == ReportingPeriod.year)
            .join(Cluster, Cluster.id == ClusterLeadership.cluster_id)
            .where(ClusterLeadership.leader_tenant_id == g.tenant.id)
            .order_by(ReportingPeriod.year.desc(), ReportingPeriod.kind, Cluster.code))
    page = paginate(stmt, per_page=20, load=lambda limited: db.session.execute(limited).all())
    return render_template("reporting/review/periods.html", page=page)


@bp.route("/<id:period_id>")
@permission_required("reports.write")
def period(period_id: int):
    period = db.get_or_404(ReportingPeriod, period_id)
    cluster = _led_cluster(period.year)
    return render_template("reporting/review/period.html", period=period, cluster=cluster,
                           board=scoring.cluster_board(period, cluster))


@bp.route("/<id:period_id>/export.<any(xlsx, docx, csv):fmt>")
@permission_required("reports.write")
def download(period_id: int, fmt: str):
    """The cluster's summary for its conference: the same builders as the national console's."""
    period = db.get_or_404(ReportingPeriod, period_id)
    return exports.cluster_export(fmt, period, _led_cluster(period.year), request.args.get("accepted_only") == "1")


@bp.route("/<id:period_id>/ranking")
@permission_required("reports.write")
def ranking(period_id: int):
    period = db.get_or_404(ReportingPeriod, period_id)
    cluster = _led_cluster(period.year)
    return render_template("reporting/review/ranking.html", period=period, cluster=cluster,
                           ranking=scoring.ranking(scoring.cluster_board(period, cluster)))


@bp.route("/reports/<id:report_id>")
@permission_required("reports.write")
def report(report_id: int):
    return _render_report(report_id)


@bp.route("/reports/<id:report_id>/return", methods=["GET", "POST"])
@permission_required("reports.write")
def return_report(report_id: int):
    period, form = _member_period(report_id), ReasonForm()
    if form.validate_on_submit():
        try:
            workflow.return_report(report_id, current_user, form.reason.data)
        except workflow.ReportError as error:
            return _refused(error, report_id)
        flash(_("The report is returned to the union with your reason."), "success")
        return redirect(url_for("console.cluster.period", period_id=period.id))
    return render_template("reporting/review/return.html", form=form, report_id=report_id, period=period), \
        400 if form.errors else 200


@bp.route("/reports/<id:report_id>/accept", methods=["POST"])
@permission_required("reports.write")
def accept(report_id: int):
    period = _member_period(report_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        workflow.accept(report_id, current_user)
    except workflow.ReportError as error:
        return _refused(error, report_id)
    flash(_("The report is accepted."), "success")
    return redirect(url_for("console.cluster.period", period_id=period.id))


@bp.route("/reports/<id:report_id>/scores", methods=["GET", "POST"])
@permission_required("reports.write")
def scores(report_id: int):
    period = _member_period(report_id)
    with workflow.report_for_review(report_id) as report:
        context = views.report_context(report)
    criteria = [row.criterion for row in context["scores"]]
    form = score_form(criteria, {row.criterion.id: row for row in context["scores"]})
    if context["report"].status not in scoring.SCORABLE_STATUSES:
        return _refused(workflow.ReportLocked(_("Only a submitted or accepted report can be scored.")), report_id)
    if form.validate_on_submit():
        try:
            scoring.score(report_id, current_user, form.entries(criteria))
        except workflow.ReportError as error:
            db.session.rollback()
            form.form_errors.append(str(error.message))
        else:
            flash(_("The scores are saved."), "success")
            return redirect(url_for("console.cluster.report", report_id=report_id))
    return render_template("reporting/review/scores.html", form=form, criteria=criteria, period=period,
                           **{k: context[k] for k in ("report", "max_total")}), 400 if form.errors else 200


@bp.route("/reports/<id:report_id>/attachments/<id:attachment_id>")
@permission_required("reports.write")
def attachment(report_id: int, attachment_id: int):
    _member_period(report_id)
    with workflow.report_for_review(report_id):
        return views.send_attachment(report_id, attachment_id)
