"""Rollups per (cluster, period, indicator) and national (period, indicator), recomputed from the reports.

- History-aware: a report counts for the cluster its union belonged to in the period's year.
- Growth compares with the same kind of period a year earlier (the same scope's aggregate then).
- Idempotent: rows are diffed against what is stored (inserted, updated or deleted), so running twice
  keeps the same rows and ids; only `as_of` moves.
- Incremental: a report of union U in period P changes U's cluster and the national rows of P, and the
  growth of the same rows in the period a year later; nothing else is touched.
- Two engines, one result: on PostgreSQL a single statement aggregates, diffs and writes (`_SQL`); elsewhere
  (SQLite) the rows are aggregated and diffed in Python. Both round with `divide_half_up` semantics.
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
    _in,
)
from tenants.models import ClusterMembership
from tenants.scoping import all_tenants

VARIANTS = (False, True)  # accepted_only
NATIONAL = None  # the scope key of national rows
BIGINT_MIN, BIGINT_MAX = -(2**63), 2**63 - 1


def divide_half_up(numerator: int, denominator: int) -> int:
    """numerator / denominator rounded half away from zero, in exact integer arithmetic."""
    negative = (numerator < 0) != (denominator < 0)
    n, d = abs(numerator), abs(denominator)
    quotient = (2 * n + d) // (2 * d)
    return -quotient if negative else quotient


def growth_bp(current: int, previous: int | None) -> int | None:
    """(current − previous) / previous in basis points, rounded half up; None without a base, and None past a
    BIGINT (a huge figure after a tiny one: no growth rate means anything there)."""
    if previous is None or previous == 0:
        return None
    growth = divide_half_up((current - previous) * 10000, previous)
    return growth if BIGINT_MIN <= growth <= BIGINT_MAX else None


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
    data that any run rebuilds, so their commit need not wait for the disk (synchronous_commit off); the
    statement sorts and hashes in memory (work_mem)."""
    if _on_postgresql():
        db.session.execute(sa.text("select pg_advisory_xact_lock(:key), set_config('synchronous_commit', 'off', true),"
                                   " set_config('work_mem', '64MB', true)"), {"key": _LOCK_KEY})


def _on_postgresql() -> bool:
    return db.session.get_bind().dialect.name == "postgresql"


def _compute(targets: set[int], previous: dict, periods: dict, clusters: set[int] | None) -> dict:
    """The rows due for the target periods: {(scope, period_id, code, accepted_only): row values}."""
    needed = targets | {previous[p] for p in targets if previous.get(p)}
    if not needed:
        return {}
    prepared, aggregations = _load(needed, periods, _membership({periods[p].year for p in needed}))
    result = {}
    for accepted_only in VARIANTS:
        aggs = _aggregates(prepared, aggregations, accepted_only, clusters)
        for (scope, period_id, code), (value, tenants, aggregation) in aggs.items():
            if period_id not in targets:
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


def _store(computed: dict, targets: set[int], clusters: set[int] | None) -> int:
    cluster_where = ClusterRollup.period_id.in_(targets)
    if clusters is not None:
        cluster_where = sa.and_(cluster_where, ClusterRollup.cluster_id.in_(clusters))
    cluster_rows = {k: v for k, v in computed.items() if k[0] is not NATIONAL}
    national_rows = {k: v for k, v in computed.items() if k[0] is NATIONAL}
    return (_write(ClusterRollup, cluster_where, cluster_rows, _cluster_key)
            + _write(NationalRollup, NationalRollup.period_id.in_(targets), national_rows, _national_key))


def _sql_writes(table: str, scope: str | None) -> str:
    """The CTEs that make `table`'s stored rows of the target periods (and clusters) equal `computed`: a full join
    of both sides, then delete, insert and update (every kept row gets the new as_of).
    Only the module's constant table and column names are formatted in; every value is a bound parameter."""
    name = "cluster" if scope else "national"
    stored_scope = f" and (cast(:clusters as integer[]) is null or {scope} = any(cast(:clusters as integer[])))" \
        if scope else ""
    return f"""
, {name}_diff as (
    select c.*, o.id as old_id,
           (o.aggregation, o.aggregate, o.contributing_count, cast(o.contributing_tenant_ids as text),
            o.previous_aggregate, o.growth_bp) is distinct from
           (c.aggregation, c.aggregate, c.contributing_count, c.tenant_ids, c.previous_aggregate, c.growth_bp)
           as changed
    from (select * from computed where scope {"<>" if scope else "="} 0) c
    full join (select * from {table} where period_id = any(cast(:targets as integer[])){stored_scope}) o
        on {f"o.{scope} = c.scope and " if scope else ""}o.period_id = c.period_id and o.indicator_code = c.code
           and o.accepted_only = c.accepted_only
), {name}_deleted as (
    delete from {table} where id in (select old_id from {name}_diff where code is null)
    returning 1
), {name}_inserted as (
    insert into {table} ({scope + ", " if scope else ""}period_id, indicator_code, accepted_only, aggregation,
                         aggregate, contributing_count, contributing_tenant_ids, previous_aggregate, growth_bp, as_of)
    select {"scope, " if scope else ""}period_id, code, accepted_only, aggregation, aggregate, contributing_count,
           cast(tenant_ids as json), previous_aggregate, growth_bp, :now
    from {name}_diff where old_id is null
    returning 1
), {name}_updated as (
    update {table} r
    set aggregation = d.aggregation, aggregate = d.aggregate, contributing_count = d.contributing_count,
        contributing_tenant_ids = cast(d.tenant_ids as json), previous_aggregate = d.previous_aggregate,
        growth_bp = d.growth_bp, as_of = :now
    from {name}_diff d
    where r.id = d.old_id and d.code is not null and r.period_id = any(cast(:targets as integer[])){stored_scope}
    returning d.changed
)"""  # noqa: S608


def _changed(name: str) -> str:
    return (f"(select count(*) from {name}_deleted) + (select count(*) from {name}_inserted)"  # noqa: S608
            f" + (select count(*) from {name}_updated where changed)")


# PostgreSQL: read, aggregate (each cluster and the nation, all counted reports and accepted ones only), diff and
# write in one statement. `scope` is the cluster id, 0 for the nation; the tenant id lists are compared as the JSON
# text stored, in json.dumps's format ("[1, 2]"); the arithmetic is exact (numeric), rounded half away from zero.
_SQL = sa.text(f"""
with fact as (
    select r.period_id, p.kind collate "C" as kind, p.year, r.tenant_id, r.submitted_at,
           {_in('r.status', ACCEPTED_STATUSES)} as accepted,
           case when cast(:clusters as integer[]) is null or m.cluster_id = any(cast(:clusters as integer[]))
                then m.cluster_id end as cluster_id,
           i.code collate "C" as code, i.aggregation collate "C" as aggregation, v.value
    from report r
    join reporting_period p on p.id = r.period_id
    join report_value v on v.tenant_id = r.tenant_id and v.report_id = r.id
    join report_indicator i on i.id = v.indicator_id
    left join cluster_membership m on m.year = p.year and m.tenant_id = r.tenant_id
    where r.period_id = any(cast(:needed as integer[])) and {_in('r.status', COUNTED_STATUSES)}
          and v.value is not null
), grouped as (
    select f.period_id, f.kind, f.year, f.code,
           case when grouping(f.cluster_id) = 1 then 0 else f.cluster_id end as scope,
           min(f.aggregation) as aggregation,
           sum(f.value) as total, count(*) as n,
           (array_agg(f.value order by f.submitted_at desc nulls last, f.tenant_id desc)
               filter (where f.aggregation = 'latest'))[1] as latest,
           array_agg(f.tenant_id order by f.tenant_id) as tenants,
           sum(f.value) filter (where f.accepted) as accepted_total, count(*) filter (where f.accepted) as accepted_n,
           (array_agg(f.value order by f.submitted_at desc nulls last, f.tenant_id desc)
               filter (where f.aggregation = 'latest' and f.accepted))[1] as accepted_latest,
           array_agg(f.tenant_id order by f.tenant_id) filter (where f.accepted) as accepted_tenants
    from fact f
    group by f.period_id, f.kind, f.year, f.code, grouping sets ((f.cluster_id), ())
    having grouping(f.cluster_id) = 1 or f.cluster_id is not null
), rolled as (
    select g.period_id, g.kind, g.year, g.code, g.scope, g.aggregation, v.accepted_only, v.n, v.tenants,
           case g.aggregation when 'average' then sign(v.total) * div(2 * abs(v.total) + v.n, 2 * v.n)
                              when 'latest' then v.latest else v.total end as value
    from grouped g
    cross join lateral (values (false, g.total, g.n, g.latest, g.tenants),
                               (true, g.accepted_total, g.accepted_n, g.accepted_latest, g.accepted_tenants))
        as v(accepted_only, total, n, latest, tenants)
    where v.n > 0
), computed as (
    select c.accepted_only, c.period_id, c.code, c.scope, c.aggregation, cast(c.value as bigint) as aggregate,
           cast(c.n as integer) as contributing_count, '[' || array_to_string(c.tenants, ', ') || ']' as tenant_ids,
           cast(c.previous as bigint) as previous_aggregate,
           cast(case when c.growth between {BIGINT_MIN} and {BIGINT_MAX} then c.growth end as bigint) as growth_bp
    from (select p.*, case when p.previous <> 0 then sign((p.value - p.previous) * p.previous)
                 * div(2 * abs((p.value - p.previous) * 10000) + abs(p.previous), 2 * abs(p.previous)) end as growth
          from (select r.*, case when lag(r.year) over w = r.year - 1 then lag(r.value) over w end as previous
                from rolled r window w as (partition by r.scope, r.code, r.accepted_only, r.kind order by r.year)) p
          ) c
    where c.period_id = any(cast(:targets as integer[]))
){_sql_writes(ClusterRollup.__tablename__, "cluster_id")}{_sql_writes(NationalRollup.__tablename__, None)}
select {_changed("cluster")} + {_changed("national")}
""")  # noqa: S608


def _recompute(targets: set[int] | None, clusters: set[int] | None, periods_info=None) -> int:
    """Make the rows of the target periods (all by default) match the reports: of the given clusters (all by
    default) and national. Returns the number of rows inserted, updated or deleted."""
    _serialise_writers()
    periods, previous, _ = periods_info or _periods()
    targets = periods.keys() & (periods.keys() if targets is None else targets)
    if _on_postgresql():
        ordered = sorted(targets)
        with all_tenants("reporting rollups: read the reports of every union"):
            changed = db.session.execute(_SQL, {
                "targets": ordered,
                "needed": sorted(targets | {previous[p] for p in targets if previous[p]}),
                "clusters": None if clusters is None else sorted(clusters), "now": utcnow()}).scalar_one()
    else:
        changed = _store(_compute(targets, previous, periods, clusters), targets, clusters)
    db.session.commit()
    return changed


def compute_full(period_ids=None) -> int:
    """Recompute every cluster and national row of the given periods (all periods by default)."""
    return _recompute(None if period_ids is None else set(period_ids), None)


def compute_incremental(report: Report | None = None, *, tenant_id: int | None = None,
                        period_id: int | None = None) -> int:
    """Recompute only the rows one union's report in one period can change."""
    if report is not None:
        tenant_id, period_id = report.tenant_id, report.period_id
    periods_info = _periods()
    periods, _, following = periods_info
    period = periods.get(period_id)
    if period is None:
        return 0
    targets = {period_id} | ({following[period_id]} if following.get(period_id) else set())
    cluster_id = db.session.scalar(sa.select(ClusterMembership.cluster_id).where(
        ClusterMembership.tenant_id == tenant_id, ClusterMembership.year == period.year))
    return _recompute(targets, {cluster_id} if cluster_id is not None else set(), periods_info)
