"""The cluster leader's review (/manage/<leader slug>/cluster/…): the members' reports of a year the union led.

Only staff with a leader role of the union that leads the cluster *in the period's year* get in; the members'
reports are read across tenants (workflow.report_for_review), never another cluster's, and only once submitted.
The leader's own report is reviewed by the deputy of that year from its console here (the deputy sees only that
report), or by the national union without a deputy (national.py reuses the handlers below).
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
from app.reporting.models import COUNTED_STATUSES, Report, ReportingPeriod
from app.reporting.review_forms import ConfirmForm, ReasonForm, score_form
from tenants.clusters import LEADER_ROLES
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
    return db.session.scalar(sa.select(ClusterLeadership.id).where(_leads_or_deputises(tenant.id)).limit(1)) \
        is not None


def _leads_or_deputises(tenant_id: int):
    return sa.or_(ClusterLeadership.leader_tenant_id == tenant_id, ClusterLeadership.deputy_tenant_id == tenant_id)


def _leadership(year: int, deputy_too: bool = False) -> ClusterLeadership:
    """This console's union's leadership of `year`, as the leader (or the deputy too): 403 without a leader role,
    404 if it did not lead (or deputise) that year."""
    if current_user.role_in(g.tenant.id) not in LEADER_ROLES:
        abort(403)
    which = _leads_or_deputises(g.tenant.id) if deputy_too else ClusterLeadership.leader_tenant_id == g.tenant.id
    return db.session.scalar(sa.select(ClusterLeadership).where(ClusterLeadership.year == year, which)) or abort(404)


def _led_cluster(year: int) -> Cluster:
    return _leadership(year).cluster


def _member_period(report_id: int) -> ReportingPeriod:
    """The period of a submitted (or accepted, final) report this union reviews that year: a member's of the
    cluster it led, or the leader's own as the deputy (404 for any other report, a draft or a returned one)."""
    if current_user.role_in(g.tenant.id) not in LEADER_ROLES:
        abort(403)
    with all_tenants(f"reporting: leader's access check for report {report_id}"):
        row = db.session.execute(sa.select(Report.tenant_id, Report.period_id, Report.status)
                                 .where(Report.id == report_id)).first()
    if row is None or row.status not in COUNTED_STATUSES:
        abort(404)
    period = db.session.get(ReportingPeriod, row.period_id)
    if workflow.reviewing_union(row.tenant_id, period.year) != g.tenant.id:
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
    stmt = (sa.select(ReportingPeriod, Cluster, ClusterLeadership.leader_tenant_id == g.tenant.id)
            .join(ClusterLeadership, ClusterLeadership.year == ReportingPeriod.year)
            .join(Cluster, Cluster.id == ClusterLeadership.cluster_id)
            .where(_leads_or_deputises(g.tenant.id))
            .order_by(ReportingPeriod.year.desc(), ReportingPeriod.kind, Cluster.code))
    page = paginate(stmt, per_page=20, load=lambda limited: db.session.execute(limited).all())
    return render_template("reporting/review/periods.html", page=page)


@bp.route("/<id:period_id>")
@permission_required("reports.write")
def period(period_id: int):
    """The members' board for the leader; for the deputy, the leader's own report only."""
    period = db.get_or_404(ReportingPeriod, period_id)
    lead = _leadership(period.year, deputy_too=True)
    leads = lead.leader_tenant_id == g.tenant.id
    board = [m for m in scoring.cluster_board(period, lead.cluster)
             if leads or m.union.id == lead.leader_tenant_id]
    reviewed = {m.report_id for m in board if m.status in COUNTED_STATUSES and m.union.id != g.tenant.id}
    return render_template("reporting/review/period.html", period=period, cluster=lead.cluster, board=board,
                           leads=leads, reviewed=reviewed)


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


# --- return, accept, score: shared with the national pages (a leader's report without a deputy) -------------

def handle_return(report_id: int, back_url: str, done_url: str, refused):
    """GET the reason form; POST returns the report (`refused(error)` answers a refusal)."""
    form = ReasonForm()
    if form.validate_on_submit():
        try:
            workflow.return_report(report_id, current_user, form.reason.data)
        except workflow.ReportError as error:
            return refused(error)
        flash(_("The report is returned to the union with your reason."), "success")
        return redirect(done_url)
    return render_template("reporting/review/return.html", form=form, back_url=back_url), \
        400 if form.errors else 200


def handle_accept(report_id: int, done_url: str, refused):
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        workflow.accept(report_id, current_user)
    except workflow.ReportError as error:
        return refused(error)
    flash(_("The report is accepted."), "success")
    return redirect(done_url)


def handle_scores(report_id: int, back_url: str, refused):
    with workflow.report_for_review(report_id) as report:
        context = views.report_context(report)
    criteria = [row.criterion for row in context["scores"]]
    form = score_form(criteria, {row.criterion.id: row for row in context["scores"]})
    if context["report"].status not in scoring.SCORABLE_STATUSES:
        return refused(workflow.ReportLocked(_("Only a submitted or accepted report can be scored.")))
    if form.validate_on_submit():
        try:
            scoring.score(report_id, current_user, form.entries(criteria))
        except workflow.ReportError as error:
            db.session.rollback()
            form.form_errors.append(str(error.message))
        else:
            flash(_("The scores are saved."), "success")
            return redirect(back_url)
    return render_template("reporting/review/scores.html", form=form, criteria=criteria, back_url=back_url,
                           **{k: context[k] for k in ("report", "max_total")}), 400 if form.errors else 200


@bp.route("/reports/<id:report_id>/return", methods=["GET", "POST"])
@permission_required("reports.write")
def return_report(report_id: int):
    period = _member_period(report_id)
    return handle_return(report_id, url_for(".report", report_id=report_id),
                         url_for(".period", period_id=period.id), lambda error: _refused(error, report_id))


@bp.route("/reports/<id:report_id>/accept", methods=["POST"])
@permission_required("reports.write")
def accept(report_id: int):
    period = _member_period(report_id)
    return handle_accept(report_id, url_for(".period", period_id=period.id), lambda error: _refused(error, report_id))


@bp.route("/reports/<id:report_id>/scores", methods=["GET", "POST"])
@permission_required("reports.write")
def scores(report_id: int):
    _member_period(report_id)
    return handle_scores(report_id, url_for(".report", report_id=report_id), lambda error: _refused(error, report_id))


@bp.route("/reports/<id:report_id>/attachments/<id:attachment_id>")
@permission_required("reports.write")
def attachment(report_id: int, attachment_id: int):
    _member_period(report_id)
    with workflow.report_for_review(report_id):
        return views.send_attachment(report_id, attachment_id)
