"""Reports across a merge: periods before the effective day stay the predecessor's, later ones are the
successor's, and the successor's growth compares with the sum of itself and its predecessors a year earlier."""

from datetime import UTC, date, datetime

from app.reorg.services import merge_unions
from app.reporting import rollups
from app.reporting.summary import cluster_view, national_view

T0 = datetime(2025, 1, 5, 9, 0, tzinfo=UTC)


def _world(make_tenant, national, make_cluster, make_period, make_report):
    tq = make_tenant("tuyen-quang", name_vi="Liên hiệp tỉnh Tuyên Quang")
    hg = make_tenant("ha-giang", name_vi="Liên hiệp tỉnh Hà Giang")
    cluster = make_cluster("01", {2024: [tq, hg], 2025: [tq]})
    p24, p25 = make_period(2024), make_period(2025)
    make_report(tq, p24, {"aid_vnd": 1000, "share_bp": 8000}, "accepted", T0)
    make_report(hg, p24, {"aid_vnd": 600, "share_bp": 6000}, "accepted", T0)
    make_report(tq, p25, {"aid_vnd": 2000, "share_bp": 9000}, "accepted", T0.replace(year=2026))
    merge_unions([hg], tq, date(2025, 7, 1))
    rollups.compute_full()
    return tq, hg, cluster, p24, p25


def _row(view, slug):
    return next(r for r in view.unions if r.tenant.slug == slug)


def test_growth_after_a_merge_compares_with_the_sum_of_the_predecessors(make_tenant, national, make_cluster,
                                                                         make_period, make_report):
    tq, hg, cluster, p24, p25 = _world(make_tenant, national, make_cluster, make_period, make_report)
    for view in (cluster_view(p25, cluster), national_view(p25)):
        row = _row(view, "tuyen-quang")
        assert row.values["aid_vnd"] == 2000
        assert row.previous["aid_vnd"] == 1000 + 600  # Tuyên Quang's and Hà Giang's own 2024 reports
        assert row.growth("aid_vnd") == 2500  # (2000 − 1600) / 1600 = +25,00 %
        assert row.previous["share_bp"] == 7000  # an average indicator: the average of the two
        assert "ha-giang" not in {r.tenant.slug for r in view.unions}


def test_reports_before_the_merge_stay_the_predecessors(make_tenant, national, make_cluster, make_period,
                                                         make_report):
    tq, hg, cluster, p24, p25 = _world(make_tenant, national, make_cluster, make_period, make_report)
    for view in (cluster_view(p24, cluster), national_view(p24)):
        assert _row(view, "ha-giang").values["aid_vnd"] == 600  # listed with its own report
        assert _row(view, "tuyen-quang").values["aid_vnd"] == 1000  # not folded: the merge came later
