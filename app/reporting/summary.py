"""Read models for the national and cluster views: completeness per period and the rollup tables."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa
from flask_babel import get_locale

from app.core.timeutil import vn_date
from app.core.vntext import fold
from app.extensions import db
from app.reporting.models import (
    ACCEPTED_STATUSES,
    COUNTED_STATUSES,
    ClusterRollup,
    Indicator,
    NationalRollup,
    Report,
    ReportingPeriod,
    ReportNarrative,
    ReportValue,
    TemplateVersion,
)
from app.reporting.rollups import aggregate, divide_half_up, growth_bp
from tenants.models import Cluster, ClusterMembership, Tenant, TenantStatus
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
    return {tid: (status, vn_date(submitted)) for tid, status, submitted in rows}


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
    # An archived union is no longer expected: it stays listed only for the periods it reported in.
    reported = sa.select(Report.id).where(Report.tenant_id == Tenant.id, Report.period_id == period.id).exists()
    stmt = (sa.select(ClusterMembership.cluster_id, Tenant).join(Tenant, Tenant.id == ClusterMembership.tenant_id)
            .where(ClusterMembership.year == period.year, sa.or_(Tenant.status != TenantStatus.ARCHIVED, reported))
            .order_by(Tenant.name_vi))
    if cluster_id is not None:
        stmt = stmt.where(ClusterMembership.cluster_id == cluster_id)
    with all_tenants("reporting: which archived unions reported in the period"):
        return list(db.session.execute(stmt).all())


def drilldown(period: ReportingPeriod, category: str,
              cluster_id: int | None = None) -> list[tuple[Tenant, str | None, date | None]]:
    """The unions behind one completeness count (nationally or in one cluster): (union, status, submitted on)."""
    statuses = _statuses(period)
    members = (tenant for _, tenant in cluster_members(period, cluster_id))
    return [(tenant, *(statuses.get(tenant.id) or (None, None))) for tenant in members
            if category in categories(period, statuses.get(tenant.id))]


def period_summary(period: ReportingPeriod, accepted_only: bool = False,
                   statuses: dict | None = None) -> tuple[Completeness, list[ClusterSummary]]:
    """National completeness, and per cluster of the period's year its unions' statuses and rollup rows."""
    statuses = _statuses(period) if statuses is None else statuses
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


# --- each union's figures with growth: the cluster view, the national view and their exports ---------------

AID_CODES = ("aid.committed_vnd", "aid.disbursed_vnd")


@dataclass
class UnionRow:
    tenant: Tenant
    status: str | None
    values: dict[str, int] = field(default_factory=dict)  # indicator code -> figure counted this period
    previous: dict[str, int] = field(default_factory=dict)  # the same, a year earlier (same kind of period)
    includes: list[Tenant] = field(default_factory=list)  # merged unions folded into this row

    def growth(self, code: str) -> int | None:
        value = self.values.get(code)
        return growth_bp(value, self.previous.get(code)) if value is not None else None


@dataclass
class PeriodView:
    """What the cluster and national summary screens show, and what their exports are built from."""

    period: ReportingPeriod
    accepted_only: bool
    indicators: list[Indicator]
    unions: list[UnionRow]
    totals: list  # ClusterRollup or NationalRollup rows
    completeness: Completeness
    narratives: dict[int, list[tuple[str, str]]]  # tenant id -> (section heading, sanitised HTML)
    cluster: Cluster | None = None  # None: the national view
    clusters: list[ClusterSummary] = field(default_factory=list)  # the national view's clusters
    grouped: bool = False

    def total(self, code: str):
        return next((row for row in self.totals if row.indicator_code == code), None)


def _counted(accepted_only: bool) -> tuple[str, ...]:
    return ACCEPTED_STATUSES if accepted_only else COUNTED_STATUSES


def period_indicators(period: ReportingPeriod) -> list[Indicator]:
    """The indicators of every version of the period's template, by code (the newest version's name and order)."""
    by_code: dict[str, Indicator] = {}
    for indicator in db.session.scalars(
            sa.select(Indicator).join(TemplateVersion, TemplateVersion.id == Indicator.version_id)
            .where(TemplateVersion.template_id == period.template_id)
            .order_by(TemplateVersion.number.desc(), Indicator.position)):
        by_code.setdefault(indicator.code, indicator)
    return list(by_code.values())


def _previous(period: ReportingPeriod) -> int | None:
    return db.session.scalar(sa.select(ReportingPeriod.id).where(
        ReportingPeriod.kind == period.kind, ReportingPeriod.year == period.year - 1))


def _reports(period_ids: list[int], tenant_ids: set[int] | None) -> tuple[dict, list]:
    """{(tenant, period): (status, submitted_at)} and every figure as (tenant, period, code, value)."""
    where = [Report.period_id.in_(period_ids)]
    if tenant_ids is not None:
        where.append(Report.tenant_id.in_(tenant_ids))
    with all_tenants("reporting: each union's figures for the national views"):
        reports = {(t, p): (status, at) for t, p, status, at in db.session.execute(
            sa.select(Report.tenant_id, Report.period_id, Report.status, Report.submitted_at).where(*where))}
        values = db.session.execute(
            sa.select(Report.tenant_id, Report.period_id, Indicator.code, ReportValue.value)
            .join(ReportValue, sa.and_(ReportValue.report_id == Report.id, ReportValue.tenant_id == Report.tenant_id))
            .join(Indicator, Indicator.id == ReportValue.indicator_id)
            .where(*where, ReportValue.value.is_not(None))).all()
    return reports, values


def _narratives(period: ReportingPeriod, tenant_ids: set[int], accepted_only: bool) -> dict:
    """tenant id -> [(heading, sanitised HTML)], in the order and with the headings of each report's pinned version."""
    with all_tenants("reporting: narratives for the national views"):
        rows = db.session.execute(
            sa.select(ReportNarrative.tenant_id, Report.version_id, ReportNarrative.key, ReportNarrative.body_html)
            .join(Report, sa.and_(Report.id == ReportNarrative.report_id,
                                  Report.tenant_id == ReportNarrative.tenant_id))
            .where(Report.period_id == period.id, Report.status.in_(_counted(accepted_only)),
                   Report.tenant_id.in_(tenant_ids))).all()
    versions = {v.id: v for v in db.session.scalars(sa.select(TemplateVersion).where(
        TemplateVersion.id.in_({row.version_id for row in rows})))} if rows else {}
    locale = str(get_locale())

    def place(row) -> tuple:
        sections = versions[row.version_id].narrative_sections
        return row.tenant_id, sections.index(row.key) if row.key in sections else len(sections), row.key

    result: dict[int, list] = defaultdict(list)
    for row in sorted(rows, key=place):
        if row.body_html.strip():
            result[row.tenant_id].append((versions[row.version_id].narrative_label(row.key, locale), row.body_html))
    return dict(result)


def _head(tenant: Tenant, tenants: dict[int, Tenant]) -> Tenant:
    """The union a merged union's figures are grouped under: its successor's successor, and so on."""
    seen = set()
    while tenant.status == TenantStatus.MERGED and tenant.successor_id in tenants and tenant.id not in seen:
        seen.add(tenant.id)
        tenant = tenants[tenant.successor_id]
    return tenant


def predecessors_of(period: ReportingPeriod, listed: list[Tenant], tenants: dict[int, Tenant]) -> dict[int, Tenant]:
    """{predecessor id: the listed union it merged into}, for merges in effect by the period's end: a successor's
    growth compares with the sum of itself and its predecessors a year earlier (their own reports)."""
    ids = {t.id for t in listed}
    found = {}
    for tenant in tenants.values():
        if tenant.status != TenantStatus.MERGED or tenant.id in ids or tenant.merged_on is None \
                or tenant.merged_on > period.window_end:
            continue
        head = _head(tenant, tenants)
        if head.id in ids:
            found[tenant.id] = head
    return found


def _with_predecessors(period: ReportingPeriod, values: list, predecessors: dict[int, Tenant]) -> list:
    """A predecessor's figures count for its successor's previous-year basis only (its own period stays its own)."""
    return [v for v in values if v[0] not in predecessors or v[1] != period.id]


def _union_rows(period: ReportingPeriod, listed: list[Tenant], heads: dict[int, Tenant], indicators: list[Indicator],
                accepted_only: bool, reports: dict, values: list) -> list[UnionRow]:
    """A row per head union (each listed union is itself or folded into its head), figures aggregated as the
    rollups do, so that a head's figures equal the sum (average, latest) of its own and its predecessors'."""
    rows: dict[int, UnionRow] = {}
    for tenant in listed:
        head = heads[tenant.id]
        row = rows.setdefault(head.id, UnionRow(head, reports.get((head.id, period.id), (None,))[0]))
        if head.id != tenant.id:
            row.includes.append(tenant)
    counted, aggregations = _counted(accepted_only), {i.code: i.aggregation for i in indicators}
    contributions: dict[tuple, list] = defaultdict(list)
    for tenant_id, period_id, code, value in values:
        status, submitted_at = reports[(tenant_id, period_id)]
        head = heads.get(tenant_id)
        if status in counted and head is not None and head.id in rows:
            which = "values" if period_id == period.id else "previous"
            contributions[(head.id, which, code)].append((submitted_at, tenant_id, value))
    for (head_id, which, code), items in contributions.items():
        getattr(rows[head_id], which)[code] = aggregate(aggregations.get(code, "sum"), items)
    return sorted(rows.values(), key=lambda r: fold(r.tenant.name_vi))


def cluster_view(period: ReportingPeriod, cluster: Cluster, accepted_only: bool = False) -> PeriodView:
    """A cluster's unions of the period's year with status, figures and growth; the cluster's totals."""
    members = list(db.session.scalars(
        sa.select(Tenant).join(ClusterMembership, ClusterMembership.tenant_id == Tenant.id)
        .where(ClusterMembership.cluster_id == cluster.id, ClusterMembership.year == period.year)))
    ids = {t.id for t in members}
    previous_id = _previous(period)
    predecessors = predecessors_of(period, members, {t.id: t for t in db.session.scalars(sa.select(Tenant))})
    reports, values = _reports([p for p in (period.id, previous_id) if p], ids | set(predecessors))
    values = _with_predecessors(period, values, predecessors)
    indicators = period_indicators(period)
    completeness = Completeness()
    for tenant in members:
        status, submitted_at = reports.get((tenant.id, period.id), (None, None))
        _count(completeness, period, (status, vn_date(submitted_at)) if status else None)
    totals = list(db.session.scalars(sa.select(ClusterRollup).where(
        ClusterRollup.period_id == period.id, ClusterRollup.cluster_id == cluster.id,
        ClusterRollup.accepted_only.is_(accepted_only))))
    rows = _union_rows(period, members, {t.id: t for t in members} | predecessors, indicators, accepted_only,
                       reports, values)
    return PeriodView(period, accepted_only, indicators, rows, _in_order(totals, indicators), completeness,
                      _narratives(period, ids, accepted_only), cluster=cluster)


def national_view(period: ReportingPeriod, accepted_only: bool = False, grouped: bool = False) -> PeriodView:
    """Every union expected or reporting in the period, optionally grouped under successors; national totals."""
    previous_id = _previous(period)
    reports, values = _reports([p for p in (period.id, previous_id) if p], None)
    statuses = {t: (status, vn_date(at)) for (t, p), (status, at) in reports.items() if p == period.id}
    total, clusters = period_summary(period, accepted_only, statuses)
    tenants = {t.id: t for t in db.session.scalars(sa.select(Tenant))}
    listed_ids = {u.id for s in clusters for u, _status in s.unions} | set(statuses)
    listed = [tenants[i] for i in listed_ids if i in tenants]
    heads = {t.id: _head(t, tenants) if grouped else t for t in tenants.values()}
    predecessors = {} if grouped else predecessors_of(period, listed, tenants)
    heads.update(predecessors)
    indicators = period_indicators(period)
    rows = _union_rows(period, listed, heads, indicators, accepted_only, reports,
                       _with_predecessors(period, values, predecessors))
    return PeriodView(period, accepted_only, indicators, rows,
                      _in_order(national_rollups(period, accepted_only), indicators), total,
                      _narratives(period, listed_ids, accepted_only), clusters=clusters, grouped=grouped)


def _in_order(rows: list, indicators: list[Indicator]) -> list:
    position = {i.code: n for n, i in enumerate(indicators)}
    return sorted(rows, key=lambda r: (position.get(r.indicator_code, len(position)), r.indicator_code))


# --- dashboards ------------------------------------------------------------------------------------------

def aid_by_year(cluster: Cluster | None = None, accepted_only: bool = False) -> list[tuple]:
    """(year, committed VND, disbursed VND) of every annual period, from the national or a cluster's rollups."""
    model = ClusterRollup if cluster is not None else NationalRollup
    stmt = (sa.select(ReportingPeriod.year, model.indicator_code, model.aggregate)
            .join(ReportingPeriod, ReportingPeriod.id == model.period_id)
            .where(ReportingPeriod.kind == "annual", model.indicator_code.in_(AID_CODES),
                   model.accepted_only.is_(accepted_only)))
    if cluster is not None:
        stmt = stmt.where(ClusterRollup.cluster_id == cluster.id)
    figures = {(year, code): value for year, code, value in db.session.execute(stmt)}
    years = db.session.scalars(sa.select(ReportingPeriod.year).where(ReportingPeriod.kind == "annual")
                               .order_by(ReportingPeriod.year))
    return [(year, *(figures.get((year, code)) for code in AID_CODES)) for year in years]


def shares(parts: list[tuple[str, int | None]], total: int | None) -> list[tuple[str, int, int | None]]:
    """Each part's value and its share of the total in basis points (largest first)."""
    rows = [(label, value or 0, divide_half_up((value or 0) * 10000, total) if total else None)
            for label, value in parts]
    return sorted(rows, key=lambda r: -r[1])
