"""Incremental recomputes, one per transition, always end where a full recompute does (hypothesis)."""

import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.core.timeutil import utcnow
from app.extensions import db
from app.reporting import rollups
from app.reporting.models import ClusterRollup, NationalRollup, Report, ReportValue
from tenants.context import tenant_context
from tenants.scoping import all_tenants
from tests.reporting.test_rollups import snapshot

OPS = st.lists(st.tuples(st.sampled_from(["submit", "return", "accept"]), st.integers(0, 8),
                         st.integers(0, 5000)), max_size=14)
NEXT = {"submit": ({"draft", "returned"}, "submitted"), "return": ({"submitted"}, "returned"),
        "accept": ({"submitted"}, "accepted")}


def _reset(reports):
    with all_tenants("test: reset the property test's reports"):
        for report_id in reports.values():
            report = db.session.get(Report, report_id)
            report.status, report.submitted_at = "draft", None
        db.session.execute(sa.update(ReportValue).values(value=None))
        db.session.commit()
    db.session.execute(sa.delete(ClusterRollup))
    db.session.execute(sa.delete(NationalRollup))
    db.session.commit()


def _apply(op: str, report_id: int, tenant_id: int, figure: int) -> bool:
    allowed, target = NEXT[op]
    with tenant_context(tenant_id):
        report = db.session.get(Report, report_id)
        if report.status not in allowed:
            return False
        if op == "submit":
            for value in report.values:
                value.value = figure + value.indicator_id
            db.session.flush()
            report.submitted_at = utcnow()
        report.status = target
        db.session.commit()
    return True


def test_incremental_equals_full(cluster_world, make_period, make_report):
    periods = [make_period(year) for year in (2022, 2023, 2024)]
    tenants = [cluster_world[k] for k in "abc"]
    slots = [(t, p) for p in periods for t in tenants]
    reports = {i: make_report(t, p, {"aid_vnd": None, "share_bp": None, "news": None}).id
               for i, (t, p) in enumerate(slots)}

    @settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))
    @given(OPS)
    def run(ops):
        _reset(reports)
        for op, slot, figure in ops:
            tenant, period = slots[slot]
            if _apply(op, reports[slot], tenant.id, figure):
                rollups.compute_incremental(tenant_id=tenant.id, period_id=period.id)
        incremental = snapshot()
        rollups.compute_full()
        assert snapshot() == incremental

    run()
