"""National console: reporting periods, a period's national and cluster summaries with each union's figures,
their exports, and the dashboards (read only)."""

import sqlalchemy as sa
from flask import Blueprint, abort, render_template, request
from flask_babel import get_locale
from flask_babel import gettext as _

from app.accounts.permissions import permission_required
from app.core.pagination import paginate
from app.extensions import db
from app.national.routes import bp as national_parent
from app.reporting import charts, exports
from app.reporting.formats import excerpt, format_figure, format_growth, including, narrative_label, status_label
from app.reporting.models import NationalRollup, ReportingPeriod
from app.reporting.summary import AID_CODES, aid_by_year, cluster_view, national_view, shares
from tenants.models import Cluster

bp = Blueprint("reports", __name__, template_folder="templates", url_prefix="/reports")
national_parent.register_blueprint(bp)


bp.add_app_template_filter(format_growth, "growth")
bp.add_app_template_filter(format_figure, "figure")


@bp.app_context_processor
def _labels():
    return {"report_status_label": status_label, "narrative_label": narrative_label, "narrative_excerpt": excerpt,
            "including": including}


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
        if not raw.isdigit():
            return None
        return db.get_or_404(ReportingPeriod, int(raw))
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
