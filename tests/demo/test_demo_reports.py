"""The demo's reporting: periods 2022 → 2026, Hải Dương's 2023 annual report, rollups; loading twice is a no-op."""

from datetime import date

import sqlalchemy as sa

from app.aid import services
from app.demo.data import demo_years
from app.demo.loader import load_demo
from app.demo.reports import CLUSTER_SLUGS
from app.extensions import db
from app.reporting.models import ClusterRollup, NationalRollup, Report, ReportingPeriod
from app.reporting.workflow import period_closed
from tenants.context import tenant_context
from tenants.models import Tenant
from tenants.scoping import all_tenants


def _rollups():
    return sorted((r.id, r.period_id, r.indicator_code, r.accepted_only, r.aggregate, r.growth_bp)
                  for r in db.session.scalars(sa.select(NationalRollup)))


def test_demo_reports_load_once(app):
    load_demo()
    periods = db.session.execute(sa.select(ReportingPeriod.kind, ReportingPeriod.year)).all()
    assert sorted(periods) == sorted((k, y) for k in ("half_year", "annual") for y in demo_years())
    annual_2023 = db.session.scalar(sa.select(ReportingPeriod).where(ReportingPeriod.kind == "annual",
                                                                     ReportingPeriod.year == 2023))
    assert (annual_2023.window_start.isoformat(), annual_2023.window_end.isoformat()) == ("2022-12-15", "2023-12-14")
    hai_duong = db.session.scalar(sa.select(Tenant).where(Tenant.slug == "hai-duong"))
    with tenant_context(hai_duong.id):
        report = db.session.scalar(sa.select(Report).where(Report.period_id == annual_2023.id))
        figures = {v.indicator.code: v.value for v in report.values}
        assert report.status == "final" and figures["members.organisations"] == 13
        # from the aid registry's transactions in the window: the seed's 31,5 tỷ, +91,1 % on 2022's 16,48 tỷ
        assert figures["aid.committed_vnd"] == 31_500_000_000
        # disbursed in the window 15/12/2022 → 14/12/2023: the seed's 1,24 triệu USD, as in the registry's 2023
        assert figures["aid.disbursed_vnd"] == 30_045_000_000
        registry = services.union_totals(*services.year_window(2023))
        assert (registry.committed_vnd.minor, registry.disbursed_vnd.minor) == (31_500_000_000, 30_045_000_000)
        annual_2022 = db.session.scalar(sa.select(ReportingPeriod).where(ReportingPeriod.kind == "annual",
                                                                         ReportingPeriod.year == 2022))
        before = db.session.scalar(sa.select(Report).where(Report.period_id == annual_2022.id))
        previous = {v.indicator.code: v.value for v in before.values}["aid.committed_vnd"]
        assert (31_500_000_000 * 1000 // previous - 1000) == 911  # +91,1 %
        assert {n.key for n in report.narratives} == {"results", "shortcomings", "key_tasks"}
    # the cluster had members in 2022 too: its 2023 rows carry a growth (Hải Dương alone gave aid in 2022)
    cluster = {(r.period_id, r.indicator_code): r for r in db.session.scalars(
        sa.select(ClusterRollup).where(ClusterRollup.accepted_only.is_(False)))}
    assert cluster[(annual_2022.id, "aid.committed_vnd")].aggregate == 16_480_000_000
    committed = cluster[(annual_2023.id, "aid.committed_vnd")]
    assert (committed.previous_aggregate, committed.growth_bp) == (16_480_000_000, 10120)
    assert committed.contributing_count == 6
    before = _rollups()
    assert any(r[1] == annual_2023.id and r[2] == "activities.held" and r[5] is not None for r in before)
    load_demo()
    assert _rollups() == before
    with all_tenants("test: count the demo reports"):
        # cluster 01's six unions report in every closed period; in the open one (2026's annual review) three have
        open_periods = sum(not period_closed(p, date.today()) for p in db.session.scalars(sa.select(ReportingPeriod)))
        assert open_periods >= 1
        cluster_01 = sa.select(Tenant.id).where(Tenant.slug.in_(CLUSTER_SLUGS))
        assert db.session.scalar(sa.select(sa.func.count(Report.id)).where(Report.tenant_id.in_(cluster_01))) == \
            6 * (2 * len(demo_years()) - open_periods) + 3 * open_periods
        # the merged unions reported until the merge (2022 → the 2025 half-year): 7 periods each, their own still
        merged = sa.select(Tenant.id).where(Tenant.slug.in_(("ha-giang", "phu-yen")))
        assert db.session.scalar(sa.select(sa.func.count(Report.id)).where(Report.tenant_id.in_(merged))) == 14
        # every other union of the 2025 map from 2024 on, so the national summaries show several clusters
        light = sa.select(Tenant.id).where(Tenant.slug.in_(("hai-phong", "hue", "can-tho")))
        assert db.session.scalar(sa.select(sa.func.count(sa.distinct(Report.tenant_id)))
                                 .where(Report.tenant_id.in_(light))) == 3
