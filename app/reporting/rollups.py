"""Rollups per (cluster, period, indicator) and national (period, indicator), recomputed from the reports.

- History-aware: a report counts for the cluster its union belonged to in the period's year.
- Growth compares with the same kind of period a year earlier (the same scope's aggregate then).
- Idempotent: rows are diffed against what is stored (inserted, updated or deleted), so running twice
  keeps the same rows and ids; only `as_of` moves.
- Incremental: a report of union U in period P changes U's cluster and the national rows of P, and the
  growth of the same rows in the period a year later; nothing else is touched.
"""

import json
from collections import defaultdict

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


def divide_half_up(numerator: int, denominator: int) -> int:
    """numerator / denominator rounded half away from zero, in exact integer arithmetic."""
    negative = (numerator < 0) != (denominator < 0)
    n, d = abs(numerator), abs(denominator)
    quotient = (2 * n + d) // (2 * d)
    return -quotient if negative else quotient


def growth_bp(current: int, previous: int | None) -> int | None:
    """(current − previous) / previous in basis points, rounded half up; None without a base."""
    if previous is None or previous == 0:
        return None
    return divide_half_up((current - previous) * 10000, previous)


def aggregate(aggregation: str, contributions: list[tuple]) -> int:
    """contributions: (submitted_at, tenant_id, value). `latest` takes the last submitted report's figure."""
    values = [c[2] for c in contributions]
    if aggregation == "average":
        return divide_half_up(sum(values), len(values))
    if aggregation == "latest":
        return max(contributions, key=lambda c: (c[0], c[1]))[2]
    return sum(values)


def _periods() -> tuple[dict[int, ReportingPeriod], dict[int, int | None], dict[int, int | None]]:
    periods = {p.id: p for p in db.session.scalars(sa.select(ReportingPeriod))}
    by_kind_year = {(p.kind, p.year): p.id for p in periods.values()}
    previous = {pid: by_kind_year.get((p.kind, p.year - 1)) for pid, p in periods.items()}
    following = {pid: by_kind_year.get((p.kind, p.year + 1)) for pid, p in periods.items()}
    return periods, previous, following


def _load(period_ids: set[int], periods, membership) -> tuple[list, dict]:
    """Every counted figure as (cluster that year, accepted?, (submitted_at, tenant_id, value), period, code),
    and the aggregation of each (period, code)."""
    indicators = {i.id: (i.code, i.aggregation) for i in db.session.execute(
        sa.select(Indicator.id, Indicator.code, Indicator.aggregation))}
    counted = sa.and_(Report.period_id.in_(period_ids), Report.status.in_(COUNTED_STATUSES))
    with all_tenants("reporting rollups: read the reports of every union"):
        reports = {}
        for rid, tenant_id, period_id, status, submitted_at in db.session.execute(
                sa.select(Report.id, Report.tenant_id, Report.period_id, Report.status, Report.submitted_at)
                .where(counted)):
            reports[rid] = (membership.get((periods[period_id].year, tenant_id)), status in ACCEPTED_STATUSES,
                            period_id, submitted_at, tenant_id)
        if not reports:
            return [], {}
        values = db.session.execute(
            sa.select(ReportValue.report_id, ReportValue.indicator_id, ReportValue.value)
            .join(Report, sa.and_(Report.id == ReportValue.report_id, Report.tenant_id == ReportValue.tenant_id))
            .where(counted, ReportValue.value.is_not(None))).all()
    prepared, aggregations = [], {}
    for report_id, indicator_id, value in values:
        cluster_id, accepted, period_id, submitted_at, tenant_id = reports[report_id]
        code, aggregation = indicators[indicator_id]
        prepared.append((cluster_id, accepted, (submitted_at, tenant_id, value), period_id, code))
        aggregations[(period_id, code)] = aggregation
    return prepared, aggregations


def _membership(years: set[int]) -> dict[tuple[int, int], int]:
    rows = db.session.execute(sa.select(ClusterMembership.year, ClusterMembership.tenant_id,
                                        ClusterMembership.cluster_id).where(ClusterMembership.year.in_(years)))
    return {(year, tenant_id): cluster_id for year, tenant_id, cluster_id in rows}


def _aggregates(prepared, aggregations, accepted_only: bool, clusters: set[int] | None) -> dict:
    """(scope, period_id, code) -> (aggregate, sorted tenant ids, aggregation)."""
    groups: dict[tuple, list] = defaultdict(list)
    for cluster_id, accepted, item, period_id, code in prepared:
        if accepted_only and not accepted:
            continue
        groups[(NATIONAL, period_id, code)].append(item)
        if cluster_id is not None and (clusters is None or cluster_id in clusters):
            groups[(cluster_id, period_id, code)].append(item)
    result = {}
    for key, items in groups.items():
        aggregation = aggregations[key[1:]]
        result[key] = (aggregate(aggregation, items), sorted(c[1] for c in items), aggregation)
    return result


_LOCK_KEY = 0x4C48484E  # one writer of rollups at a time (nightly full vs incremental tasks)


def _serialise_writers() -> None:
    """On PostgreSQL, hold a transaction-level advisory lock until the rows are committed. The rows are derived
    data that any run rebuilds, so their commit need not wait for the disk (synchronous_commit off)."""
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(sa.text("select pg_advisory_xact_lock(:key)"), {"key": _LOCK_KEY})
        db.session.execute(sa.text("set local synchronous_commit = off"))


def _compute(targets: set[int], clusters: set[int] | None, national: bool) -> dict:
    """The rows due for the target periods: {(scope, period_id, code, accepted_only): row values}."""
    _serialise_writers()
    periods, previous, _ = _periods()
    needed = targets | {previous[p] for p in targets if previous.get(p)}
    if not needed:
        return {}
    prepared, aggregations = _load(needed, periods, _membership({periods[p].year for p in needed}))
    result = {}
    for accepted_only in VARIANTS:
        aggs = _aggregates(prepared, aggregations, accepted_only, clusters)
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
    # the tenant id lists are compared as the JSON text SQLAlchemy stored (no decoding of every row)
    columns = [model.id, *_key_attrs(model), *(getattr(model, f) for f in _FIELDS if f != "contributing_tenant_ids"),
               sa.cast(model.contributing_tenant_ids, sa.Text).label("ids_json")]
    existing = {key_of(row): row for row in db.session.execute(sa.select(*columns).where(where))}
    inserts, updates = [], []
    for key, values in computed.items():
        row = existing.pop(key, None)
        if row is None:
            inserts.append({**_key_columns(model, key), **values, "as_of": now})
        elif row.ids_json != json.dumps(values["contributing_tenant_ids"]) or \
                any(getattr(row, f) != values[f] for f in _FIELDS if f != "contributing_tenant_ids"):
            updates.append({"id": row.id, **values, "as_of": now})
    if existing:
        db.session.execute(sa.delete(model).where(model.id.in_([row.id for row in existing.values()])))
    if inserts:
        db.session.execute(sa.insert(model), inserts)
    if updates:
        db.session.execute(sa.update(model), updates)
    db.session.execute(model.__table__.update().where(where).values(as_of=now))  # Core: no ORM bookkeeping
    return len(inserts) + len(updates) + len(existing)


def _key_attrs(model) -> list:
    scope = [model.cluster_id] if model is ClusterRollup else []
    return [*scope, model.period_id, model.indicator_code, model.accepted_only]


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
