"""Rollup numbers against hand-computed expectations, history-aware membership, growth, idempotency."""

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from app.extensions import db
from app.reporting import rollups
from app.reporting.models import LARGEST_FIGURE, ClusterRollup, NationalRollup

T0 = datetime(2024, 1, 10, tzinfo=UTC)


def rows(model, **where) -> dict:
    stmt = sa.select(model).filter_by(**where)
    out = {}
    for r in db.session.scalars(stmt):
        key = (getattr(r, "cluster_id", None), r.period_id, r.indicator_code, r.accepted_only)
        out[key] = (r.aggregate, r.contributing_count, tuple(r.contributing_tenant_ids), r.previous_aggregate,
                    r.growth_bp, r.aggregation)
    return out


def snapshot() -> dict:
    return {**rows(ClusterRollup), **{("n",) + k[1:]: v for k, v in rows(NationalRollup).items()}}


def test_growth_in_basis_points_rounds_half_up():
    assert rollups.growth_bp(31_500, 16_485) == 9108
    assert rollups.growth_bp(2500, 1500) == 6667
    assert rollups.growth_bp(100, 300) == -6667
    assert rollups.growth_bp(5, 0) is None and rollups.growth_bp(5, None) is None
    assert rollups.growth_bp(LARGEST_FIGURE, 1) is None and rollups.growth_bp(-LARGEST_FIGURE, 1) is None  # past BIGINT
    assert rollups.growth_bp(LARGEST_FIGURE, 10**12) == 9_990_000


def _world_reports(world, make_period, make_report):
    a, b, c = world["a"], world["b"], world["c"]
    p22, p23, p24 = make_period(2022), make_period(2023), make_period(2024)
    make_report(a, p22, {"aid_vnd": 1000}, "accepted", T0)
    make_report(b, p22, {"aid_vnd": 500}, "submitted", T0)
    make_report(c, p22, {"aid_vnd": 200}, "accepted", T0)
    make_report(a, p23, {"aid_vnd": 1500, "share_bp": 5000, "news": 7}, "accepted", T0)
    make_report(b, p23, {"aid_vnd": 1000, "share_bp": 2501, "news": 9}, "accepted", T0 + timedelta(days=1))
    make_report(c, p23, {"aid_vnd": 300}, "submitted", T0)
    make_report(c, p24, {"aid_vnd": 999}, "returned", T0)  # returned: not counted
    make_report(b, p24, {"aid_vnd": 100}, "submitted", T0)
    return p22, p23, p24


def test_full_recompute_matches_hand_computed_figures(cluster_world, make_period, make_report):
    p22, p23, p24 = _world_reports(cluster_world, make_period, make_report)
    a, b, c = (cluster_world[k].id for k in "abc")
    c01, c02 = cluster_world["c01"].id, cluster_world["c02"].id
    rollups.compute_full()
    got = snapshot()
    # cluster 01 in 2023 (A and B): 1500 + 1000; in 2022: 1000 + 500 → +66.67 %
    assert got[(c01, p23.id, "aid_vnd", False)] == (2500, 2, (a, b), 1500, 6667, "sum")
    # accepted only: 2022 had A's 1000 only → +150 %
    assert got[(c01, p23.id, "aid_vnd", True)] == (2500, 2, (a, b), 1000, 15000, "sum")
    assert got[(c01, p23.id, "share_bp", False)][:2] == (3751, 2)  # (5000 + 2501) / 2 = 3750.5 → 3751
    assert got[(c01, p23.id, "news", False)][0] == 9  # latest: B submitted a day after A
    # national 2023: 2800 vs 1700 → +64.71 %; accepted only 2500 vs 1200 → +108.33 %
    assert got[("n", p23.id, "aid_vnd", False)] == (2800, 3, (a, b, c), 1700, 6471, "sum")
    assert got[("n", p23.id, "aid_vnd", True)] == (2500, 2, (a, b), 1200, 10833, "sum")
    # history-aware: B belongs to cluster 02 in 2024, and its 2023 report stays in cluster 01
    assert got[(c02, p24.id, "aid_vnd", False)] == (100, 1, (b,), 300, -6667, "sum")
    assert (c02, p23.id, "aid_vnd", True) not in got  # C's 2023 report is not accepted
    assert (c01, p24.id, "aid_vnd", False) not in got  # A did not report in 2024
    assert got[(c02, p23.id, "aid_vnd", False)] == (300, 1, (c,), 200, 5000, "sum")


def test_full_recompute_is_idempotent(cluster_world, make_period, make_report):
    _world_reports(cluster_world, make_period, make_report)
    rollups.compute_full()
    first = snapshot()
    ids = sorted(db.session.scalars(sa.select(ClusterRollup.id)))
    assert rollups.compute_full() == 0  # nothing changed
    assert snapshot() == first and sorted(db.session.scalars(sa.select(ClusterRollup.id))) == ids


def test_incremental_touches_only_the_affected_rows(cluster_world, make_period, make_report):
    from app.reporting.models import Report
    from tenants.context import tenant_context

    p22, p23, p24 = _world_reports(cluster_world, make_period, make_report)
    rollups.compute_full()
    before = snapshot()
    with tenant_context(cluster_world["c"].id):
        report = db.session.scalar(sa.select(Report).where(Report.period_id == p23.id))
        report.status = "accepted"
        db.session.commit()
    rollups.compute_incremental(tenant_id=cluster_world["c"].id, period_id=p23.id)
    after = snapshot()
    changed = {k for k in set(before) | set(after) if before.get(k) != after.get(k)}
    c02 = cluster_world["c02"].id
    # only the accepted-only rows of C's cluster and the nation in 2023 (2024 has no accepted report)
    assert changed == {(c02, p23.id, "aid_vnd", True), ("n", p23.id, "aid_vnd", True)}
    assert after[(c02, p23.id, "aid_vnd", True)] == (300, 1, (cluster_world["c"].id,), 200, 5000, "sum")
    rollups.compute_full()
    assert snapshot() == after


def test_negative_figures_ties_and_unions_outside_any_cluster(cluster_world, make_period, make_report, make_tenant):
    """Rounding half away from zero below zero, `latest` ties broken by the higher union id, a union with no
    cluster that year counted nationally only; and both engines (SQL on PostgreSQL, Python) give these rows."""
    a, b, c = (cluster_world[k] for k in "abc")
    d = make_tenant("tinh-d")  # in no cluster
    c01, c02 = cluster_world["c01"].id, cluster_world["c02"].id
    p22, p23 = make_period(2022), make_period(2023)
    make_report(a, p22, {"aid_vnd": 1000}, "accepted", T0)
    make_report(b, p22, {"aid_vnd": -500}, "submitted", T0)
    make_report(c, p22, {"aid_vnd": 32}, "accepted", T0)
    make_report(a, p23, {"aid_vnd": -1500, "share_bp": -5000, "news": 3}, "accepted", T0)
    make_report(b, p23, {"aid_vnd": 1000, "share_bp": -2501, "news": 9}, "submitted", T0)
    make_report(c, p23, {"aid_vnd": 31}, "final", T0)
    make_report(d, p23, {"aid_vnd": 7, "news": 4}, "accepted", T0)
    rollups.compute_full()
    got = snapshot()
    assert got[(c01, p23.id, "aid_vnd", False)] == (-500, 2, (a.id, b.id), 500, -20000, "sum")
    assert got[(c01, p23.id, "share_bp", False)][0] == -3751  # (−5000 − 2501) / 2 = −3750.5
    assert got[(c01, p23.id, "news", False)][0] == 9  # same time: the higher union id
    assert got[(c02, p23.id, "aid_vnd", True)] == (31, 1, (c.id,), 32, -313, "sum")  # −312.5
    assert got[("n", p23.id, "aid_vnd", False)] == (-462, 4, (a.id, b.id, c.id, d.id), 532, -18684, "sum")
    assert got[("n", p23.id, "aid_vnd", True)] == (-1462, 3, (a.id, c.id, d.id), 1032, -24167, "sum")
    assert got[("n", p23.id, "news", False)][:2] == (4, 3)
    assert not any(k[0] not in (c01, c02, "n") for k in got)
    assert _python_rows() == got


def _python_rows() -> dict:
    periods, previous, _ = rollups._periods()
    return {(("n" if k[0] is None else k[0]), *k[1:]): (
        v["aggregate"], v["contributing_count"], tuple(v["contributing_tenant_ids"]), v["previous_aggregate"],
        v["growth_bp"], v["aggregation"]) for k, v in rollups._compute(set(periods), previous, periods, None).items()}


def test_the_largest_figures_after_tiny_ones_roll_up_without_overflow(cluster_world, make_period, make_report):
    """Every union at the largest figure, after 1 the year before: the sums fit a BIGINT and a growth that
    does not is None, alike in both engines."""
    a, b, c = (cluster_world[k] for k in "abc")
    c01, c02 = cluster_world["c01"].id, cluster_world["c02"].id
    p22, p23 = make_period(2022), make_period(2023)
    top = {"aid_vnd": LARGEST_FIGURE, "share_bp": LARGEST_FIGURE, "news": LARGEST_FIGURE}
    make_report(a, p22, {"aid_vnd": 2, "share_bp": 1, "news": 1}, "accepted", T0)
    make_report(b, p22, {"aid_vnd": -1, "share_bp": 1, "news": 1}, "accepted", T0)
    make_report(c, p22, {"aid_vnd": 10**12 - 1}, "accepted", T0)
    for tenant in (a, b, c):
        make_report(tenant, p23, top, "accepted", T0)
    rollups.compute_full()
    got = snapshot()
    assert got[(c01, p23.id, "aid_vnd", False)] == (2 * LARGEST_FIGURE, 2, (a.id, b.id), 1, None, "sum")
    assert got[(c01, p23.id, "share_bp", False)][:5] == (LARGEST_FIGURE, 2, (a.id, b.id), 1, None)
    assert got[(c01, p23.id, "news", False)][:5] == (LARGEST_FIGURE, 2, (a.id, b.id), 1, None)
    assert got[(c02, p23.id, "aid_vnd", True)] == (LARGEST_FIGURE, 1, (c.id,), 10**12 - 1, 9_990_000, "sum")
    assert got[("n", p23.id, "aid_vnd", False)][:5] == (3 * LARGEST_FIGURE, 3, (a.id, b.id, c.id), 10**12, 29_990_000)
    assert _python_rows() == got
