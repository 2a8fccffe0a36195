"""Read models for the national and cluster views: completeness per period and the rollup tables."""

from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa

from app.extensions import db
from app.reporting.models import (
    ACCEPTED_STATUSES,
    COUNTED_STATUSES,
    ClusterRollup,
    NationalRollup,
    Report,
    ReportingPeriod,
)
from tenants.models import Cluster, ClusterMembership, Tenant
from tenants.scoping import all_tenants


@dataclass
class Completeness:
    expected: int = 0
    submitted: int = 0
    accepted: int = 0
    on_time: int = 0
    late: int = 0

    @property
    def missing(self) -> int:
        return self.expected - self.submitted


@dataclass
class ClusterSummary:
    cluster: Cluster
    unions: list[tuple[Tenant, str | None]] = field(default_factory=list)  # (union, report status or None)
    rollups: list = field(default_factory=list)
    completeness: Completeness = field(default_factory=Completeness)


def _statuses(period: ReportingPeriod) -> dict[int, tuple[str, date | None]]:
    with all_tenants("reporting: report statuses for the national view"):
        rows = db.session.execute(sa.select(Report.tenant_id, Report.status, Report.submitted_at)
                                  .where(Report.period_id == period.id)).all()
    return {tid: (status, submitted.date() if submitted else None) for tid, status, submitted in rows}


def _count(c: Completeness, period: ReportingPeriod, state) -> None:
    c.expected += 1
    if state is None or state[0] not in COUNTED_STATUSES:
        return
    c.submitted += 1
    c.accepted += state[0] in ACCEPTED_STATUSES
    if state[1] is not None and state[1] <= period.due_date:
        c.on_time += 1
    else:
        c.late += 1


def period_summary(period: ReportingPeriod, accepted_only: bool = False) -> tuple[Completeness, list[ClusterSummary]]:
    """National completeness, and per cluster of the period's year its unions' statuses and rollup rows."""
    statuses = _statuses(period)
    total = Completeness()
    clusters: dict[int, ClusterSummary] = {}
    memberships = db.session.execute(
        sa.select(ClusterMembership.cluster_id, Tenant).join(Tenant, Tenant.id == ClusterMembership.tenant_id)
        .where(ClusterMembership.year == period.year).order_by(Tenant.name_vi)).all()
    for cluster_id, tenant in memberships:
        summary = clusters.setdefault(cluster_id, ClusterSummary(db.session.get(Cluster, cluster_id)))
        state = statuses.get(tenant.id)
        summary.unions.append((tenant, state[0] if state else None))
        _count(summary.completeness, period, state)
        _count(total, period, state)
    for row in db.session.scalars(sa.select(ClusterRollup).where(
            ClusterRollup.period_id == period.id, ClusterRollup.accepted_only.is_(accepted_only))
            .order_by(ClusterRollup.indicator_code)):
        if row.cluster_id in clusters:
            clusters[row.cluster_id].rollups.append(row)
    return total, sorted(clusters.values(), key=lambda s: s.cluster.code)


def national_rollups(period: ReportingPeriod, accepted_only: bool = False) -> list[NationalRollup]:
    return list(db.session.scalars(sa.select(NationalRollup).where(
        NationalRollup.period_id == period.id, NationalRollup.accepted_only.is_(accepted_only))
        .order_by(NationalRollup.indicator_code)))
