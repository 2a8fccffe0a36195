"""Rollups per (cluster, period, indicator) and national (period, indicator), recomputed from the reports.

- History-aware: a report counts for the cluster its union belonged to in the period's year.
- Growth compares with the same kind of period a year earlier (the same scope's aggregate then).
- Idempotent: rows are diffed against what is stored (inserted, updated or deleted), so running twice
  keeps the same rows and ids; only `as_of` moves.
- Incremental: a report of union U in period P changes U's cluster and the national rows of P, and the
  growth of the same rows in the period a year later; nothing else is touched.
"""

from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

import sqlalchemy as sa

from app.core.timeutil import utcnow
from app.extensions import db
from app.reporting.models import (
    ACCEPTED_STATUSES,
    COUNTED_STATUSES,
    ClusterRollup,
    Indicator,
    NationalRollup,
    Report,
    ReportingPeriod,
    ReportValue,
)
from tenants.models import ClusterMembership
from tenants.scoping import all_tenants

VARIANTS = (False, True)  # accepted_only
NATIONAL = None  # the scope key of national rows


def _round(value: Decimal) -> int:
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def growth_bp(current: int, previous: int | None) -> int | None:
    """(current − previous) / previous in basis points, rounded half up; None without a base."""
    if previous is None or previous == 0:
        return None
    return _round(Decimal(current - previous) * 10000 / Decimal(previous))


def aggregate(aggregation: str, contributions: list[tuple]) -> int:
    """contributions: (submitted_at, tenant_id, value). `latest` takes the last submitted report's figure."""
    values = [c[2] for c in contributions]
    if aggregation == "average":
        return _round(Decimal(sum(values)) / len(values))
    if aggregation == "latest":
        return max(contributions, key=lambda c: (c[0], c[1]))[2]
    return sum(values)


def _periods() -> tuple[dict[int, ReportingPeriod], dict[int, int | None], dict[int, int | None]]:
    periods = {p.id: p for p in db.session.scalars(sa.select(ReportingPeriod))}
    by_kind_year = {(p.kind, p.year): p.id for p in periods.values()}
    previous = {pid: by_kind_year.get((p.kind, p.year - 1)) for pid, p in periods.items()}
    following = {pid: by_kind_year.get((p.kind, p.year + 1)) for pid, p in periods.items()}
    return periods, previous, following


def _load(period_ids: set[int]) -> list:
    stmt = (sa.select(Report.tenant_id, Report.period_id, Report.status, Report.submitted_at,
                      Indicator.code, Indicator.aggregation, ReportValue.value)
            .join(ReportValue, sa.and_(ReportValue.report_id == Report.id, ReportValue.tenant_id == Report.tenant_id))
            .join(Indicator, Indicator.id == ReportValue.indicator_id)
            .where(Report.period_id.in_(period_ids), Report.status.in_(COUNTED_STATUSES),
                   ReportValue.value.is_not(None)))
    with all_tenants("reporting rollups: read the reports of every union"):
        return db.session.execute(stmt).all()


def _membership(years: set[int]) -> dict[tuple[int, int], int]:
    rows = db.session.execute(sa.select(ClusterMembership.year, ClusterMembership.tenant_id,
                                        ClusterMembership.cluster_id).where(ClusterMembership.year.in_(years)))
    return {(year, tenant_id): cluster_id for year, tenant_id, cluster_id in rows}


def _aggregates(rows, periods, membership, accepted_only: bool, clusters: set[int] | None) -> dict:
    """(scope, period_id, code) -> (aggregate, sorted tenant ids, aggregation)."""
    groups: dict[tuple, list] = defaultdict(list)
    aggregations: dict[tuple, str] = {}
    for tenant_id, period_id, status, submitted_at, code, aggregation, value in rows:
        if accepted_only and status not in ACCEPTED_STATUSES:
            continue
        scopes = [NATIONAL]
        cluster_id = membership.get((periods[period_id].year, tenant_id))
        if cluster_id is not None and (clusters is None or cluster_id in clusters):
            scopes.append(cluster_id)
        for scope in scopes:
            groups[(scope, period_id, code)].append((submitted_at, tenant_id, value))
            aggregations[(scope, period_id, code)] = aggregation
    return {key: (aggregate(aggregations[key], items), sorted(c[1] for c in items), aggregations[key])
            for key, items in groups.items()}


_LOCK_KEY = 0x4C48484E  # one writer of rollups at a time (nightly full vs incremental tasks)


def _serialise_writers() -> None:
    """On PostgreSQL, hold a transaction-level advisory lock until the rows are committed."""
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(sa.text("select pg_advisory_xact_lock(:key)"), {"key": _LOCK_KEY})


def _compute(targets: set[int], clusters: set[int] | None, national: bool) -> dict:
    """The rows due for the target periods: {(scope, period_id, code, accepted_only): row values}."""
    _serialise_writers()
    periods, previous, _ = _periods()
    needed = targets | {previous[p] for p in targets if previous.get(p)}
    if not needed:
        return {}
    rows = _load(needed)
    membership = _membership({periods[p].year for p in needed})
    result = {}
    for accepted_only in VARIANTS:
        aggs = _aggregates(rows, periods, membership, accepted_only, clusters)
        for (scope, period_id, code), (value, tenants, aggregation) in aggs.items():
            if period_id not in targets or (scope is NATIONAL and not national):
                continue
            prev = aggs.get((scope, previous.get(period_id), code))
            prev_value = prev[0] if prev else None
            result[(scope, period_id, code, accepted_only)] = {
                "aggregation": aggregation, "aggregate": value, "contributing_count": len(tenants),
                "contributing_tenant_ids": tenants, "previous_aggregate": prev_value,
                "growth_bp": growth_bp(value, prev_value)}
    return result


_FIELDS = ("aggregation", "aggregate", "contributing_count", "contributing_tenant_ids", "previous_aggregate",
           "growth_bp")


def _write(model, where, computed: dict, key_of) -> int:
    """Make the stored rows matching `where` equal `computed` {key: values}; returns the rows changed."""
    now = utcnow()
    existing = {key_of(row): row for row in db.session.execute(sa.select(model).where(where)).scalars()}
    inserts, updates = [], []
    for key, values in computed.items():
        row = existing.pop(key, None)
        if row is None:
            inserts.append({**_key_columns(model, key), **values, "as_of": now})
        elif any(getattr(row, f) != values[f] for f in _FIELDS):
            updates.append({"id": row.id, **values, "as_of": now})
    if existing:
        db.session.execute(sa.delete(model).where(model.id.in_([row.id for row in existing.values()])))
    if inserts:
        db.session.execute(sa.insert(model), inserts)
    if updates:
        db.session.execute(sa.update(model), updates)
    db.session.execute(sa.update(model).where(where).values(as_of=now),
                       execution_options={"synchronize_session": False})
    return len(inserts) + len(updates) + len(existing)


def _key_columns(model, key) -> dict:
    if model is ClusterRollup:
        scope, period_id, code, accepted_only = key
        return {"cluster_id": scope, "period_id": period_id, "indicator_code": code, "accepted_only": accepted_only}
    _, period_id, code, accepted_only = key
    return {"period_id": period_id, "indicator_code": code, "accepted_only": accepted_only}


def _cluster_key(row):
    return (row.cluster_id, row.period_id, row.indicator_code, row.accepted_only)


def _national_key(row):
    return (NATIONAL, row.period_id, row.indicator_code, row.accepted_only)


def _store(computed: dict, cluster_where, national_where) -> int:
    cluster_rows = {k: v for k, v in computed.items() if k[0] is not NATIONAL}
    national_rows = {k: v for k, v in computed.items() if k[0] is NATIONAL}
    changed = _write(ClusterRollup, cluster_where, cluster_rows, _cluster_key)
    if national_where is not None:
        changed += _write(NationalRollup, national_where, national_rows, _national_key)
    db.session.commit()
    return changed


def compute_full(period_ids=None) -> int:
    """Recompute every cluster and national row of the given periods (all periods by default)."""
    targets = set(period_ids) if period_ids is not None else set(db.session.scalars(sa.select(ReportingPeriod.id)))
    computed = _compute(targets, None, True)
    return _store(computed, ClusterRollup.period_id.in_(targets), NationalRollup.period_id.in_(targets))


def compute_incremental(report: Report | None = None, *, tenant_id: int | None = None,
                        period_id: int | None = None) -> int:
    """Recompute only the rows one union's report in one period can change."""
    if report is not None:
        tenant_id, period_id = report.tenant_id, report.period_id
    periods, _, following = _periods()
    period = periods.get(period_id)
    if period is None:
        return 0
    targets = {period_id} | ({following[period_id]} if following.get(period_id) else set())
    cluster_id = db.session.scalar(sa.select(ClusterMembership.cluster_id).where(
        ClusterMembership.tenant_id == tenant_id, ClusterMembership.year == period.year))
    clusters = {cluster_id} if cluster_id is not None else set()
    computed = _compute(targets, clusters, True)
    cluster_where = sa.and_(ClusterRollup.period_id.in_(targets), ClusterRollup.cluster_id.in_(clusters))
    return _store(computed, cluster_where, NationalRollup.period_id.in_(targets))
