"""The cluster leader's side of the emulation: scoring a member's report and ranking the cluster's members."""

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from app.core.timeutil import vn_date
from app.core.vntext import fold
from app.extensions import db
from app.reporting import summary
from app.reporting.models import Report, ReportingPeriod, ReportScore
from app.reporting.workflow import ReportError, ReportLocked, _event, _require_reviewer, report_for_review
from tenants.models import Cluster, Tenant
from tenants.scoping import all_tenants

SCORABLE_STATUSES = ("submitted", "accepted")  # not a draft, not returned, never a final report


@dataclass(frozen=True)
class MemberRow:
    """One member union of a cluster in a period, with its report's state and point totals."""

    union: Tenant
    report_id: int | None
    status: str | None
    submitted_on: date | None
    on_time: bool | None  # None: not submitted
    self_points: int | None
    leader_points: int | None


def score(report_id: int, actor, entries: dict[int, tuple[int | None, str | None]]) -> None:
    """The leader's points (0..max) and comment per criterion id, on a submitted or accepted report."""
    with report_for_review(report_id, lock=True) as report:
        _require_reviewer(actor, report)
        if report.status not in SCORABLE_STATUSES:
            raise ReportLocked(_l("Only a submitted or accepted report can be scored."))
        criteria = {c.id: c for c in report.version.criteria}
        rows = {s.criterion_id: s for s in db.session.scalars(sa.select(ReportScore)
                                                              .where(ReportScore.report_id == report.id))}
        for criterion_id, (points, comment) in entries.items():
            criterion = criteria.get(criterion_id)
            if criterion is None:
                raise ReportError(_l("Unknown criterion."))
            if points is not None and not 0 <= points <= criterion.max_points:
                raise ReportError(_l("Points for %(name)s go from 0 to %(max)d.", name=criterion.name_vi,
                                     max=criterion.max_points))
            row = rows.get(criterion_id)
            if row is None:
                row = ReportScore(report_id=report.id, criterion_id=criterion_id)
                db.session.add(row)
            row.leader_points, row.leader_comment, row.scored_by_id = points, (comment or "").strip() or None, actor.id
        _event(report, "scored", report.status, report.status, actor)
        db.session.commit()


def cluster_board(period: ReportingPeriod, cluster: Cluster) -> list[MemberRow]:
    """The cluster's members in the period's year, by name, with status, timeliness and point totals."""
    members = [tenant for _, tenant in summary.cluster_members(period, cluster.id)]
    with all_tenants(f"reporting: cluster {cluster.id} board for period {period.id}"):
        rows = db.session.execute(
            sa.select(Report.tenant_id, Report.id, Report.status, Report.submitted_at,
                      sa.func.sum(ReportScore.self_points), sa.func.sum(ReportScore.leader_points))
            .outerjoin(ReportScore, sa.and_(ReportScore.report_id == Report.id,
                                            ReportScore.tenant_id == Report.tenant_id))
            .where(Report.period_id == period.id, Report.tenant_id.in_([t.id for t in members]))
            .group_by(Report.tenant_id, Report.id, Report.status, Report.submitted_at)).all()
    reports = {row[0]: row[1:] for row in rows}
    return [_member_row(period, tenant, reports.get(tenant.id)) for tenant in members]


def _member_row(period: ReportingPeriod, union: Tenant, found) -> MemberRow:
    if found is None:
        return MemberRow(union, None, None, None, None, None, None)
    report_id, status, submitted_at, self_points, leader_points = found
    submitted_on = vn_date(submitted_at)
    lists = summary.categories(period, (status, submitted_on))
    on_time = None if "missing" in lists else "on_time" in lists
    return MemberRow(union, report_id, status, submitted_on, on_time, self_points, leader_points)


def ranking(board: list[MemberRow]) -> list[MemberRow]:
    """By leader points, then self points, then name (Vietnamese order); members without leader points last."""
    return sorted(board, key=lambda m: (m.leader_points is None, -(m.leader_points or 0), -(m.self_points or 0),
                                        fold(m.union.name_vi), m.union.name_vi))
