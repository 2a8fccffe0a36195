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

CATEGORIES = ("missing", "late", "on_time", "submitted", "accepted")  # the drill-down lists


@dataclass
class Completeness:
    """Expected, submitted, accepted, on time, late and missing: `categories` decides where each union counts."""

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


def categories(period: ReportingPeriod, state) -> frozenset[str]:
    """The completeness lists a union falls in, from its (status, submitted date) or None: what the counts count."""
    if state is None or state[0] not in COUNTED_STATUSES:
        return frozenset({"missing"})
    timely = "on_time" if state[1] is not None and state[1] <= period.due_date else "late"
    return frozenset({"submitted", timely} | ({"accepted"} if state[0] in ACCEPTED_STATUSES else set()))


def _count(c: Completeness, period: ReportingPeriod, state) -> None:
    c.expected += 1
    for name in categories(period, state) - {"missing"}:
        setattr(c, name, getattr(c, name) + 1)


def cluster_members(period: ReportingPeriod, cluster_id: int | None = None) -> list[tuple[int, Tenant]]:
    """(cluster id, union) of every cluster member in the period's year, by name."""
    stmt = (sa.select(ClusterMembership.cluster_id, Tenant).join(Tenant, Tenant.id == ClusterMembership.tenant_id)
            .where(ClusterMembership.year == period.year).order_by(Tenant.name_vi))
    if cluster_id is not None:
        stmt = stmt.where(ClusterMembership.cluster_id == cluster_id)
    return list(db.session.execute(stmt).all())


def drilldown(period: ReportingPeriod, category: str,
              cluster_id: int | None = None) -> list[tuple[Tenant, str | None, date | None]]:
    """The unions behind one completeness count (nationally or in one cluster): (union, status, submitted on)."""
    statuses = _statuses(period)
    members = (tenant for _, tenant in cluster_members(period, cluster_id))
    return [(tenant, *(statuses.get(tenant.id) or (None, None))) for tenant in members
            if category in categories(period, statuses.get(tenant.id))]


def period_summary(period: ReportingPeriod, accepted_only: bool = False) -> tuple[Completeness, list[ClusterSummary]]:
    """National completeness, and per cluster of the period's year its unions' statuses and rollup rows."""
    statuses = _statuses(period)
    total = Completeness()
    clusters: dict[int, ClusterSummary] = {}
    for cluster_id, tenant in cluster_members(period):
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
