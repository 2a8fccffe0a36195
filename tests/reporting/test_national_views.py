"""The national console's reporting pages: periods, a period's completeness and figures per cluster."""

import pytest

from app.reporting import rollups
from tests.reporting.test_rollups import _world_reports


def test_period_summary_shows_statuses_figures_and_growth(cluster_world, make_period, make_report, browser):
    p22, p23, p24 = _world_reports(cluster_world, make_period, make_report)
    rollups.compute_full()
    browser.login("admin@vufo.vn")
    listing = browser.get("/national/reports/").get_data(as_text=True)
    assert f"/national/reports/{p23.id}" in listing and "15/12/2022 – 14/12/2023" in listing
    page = browser.get(f"/national/reports/{p23.id}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Cụm thi đua số 01" in html and "Liên hiệp tinh-a" in html
    assert "2.500 ₫" in html and "+66,7 %" in html  # cluster 01: 2500 vs 1500
    assert "2.800 ₫" in html and "+64,7 %" in html  # national: 2800 vs 1700
    assert "37,5 %" in html  # average share: 3751 basis points
    assert "Dự kiến 3, đã gửi 3, đã chấp nhận 2" in html
    accepted = browser.get(f"/national/reports/{p23.id}?accepted_only=1").get_data(as_text=True)
    assert "+150,0 %" in accepted  # cluster 01 counting accepted reports only: 2500 vs 1000


def test_national_pages_refuse_union_staff_and_unknown_periods(cluster_world, make_period, browser,
                                                               browser_factory):
    period = make_period(2023)
    browser.login("reporter@a.vn")
    assert browser.get("/national/reports/").status_code == 403
    assert browser.get(f"/national/reports/{period.id}").status_code == 403
    national = browser_factory()
    national.login("admin@vufo.vn")
    assert national.get("/national/reports/99999").status_code == 404


@pytest.mark.parametrize("query", [
    "dashboard?period=99999999999999999999", "dashboard?period=²", "dashboard?period=2147483648",
    "dashboard?period=-1", "dashboard/clusters/{cluster}?period=99999999999999999999",
    "{period}/completeness/late?cluster=99999999999999999999", "{period}/completeness/late?cluster=²",
    "{period}/completeness/late?cluster=" + "9" * 5000,
])
def test_ids_in_the_query_string_that_are_not_ids_are_a_400(cluster_world, make_period, browser, query):
    period = make_period(2023)
    browser.login("admin@vufo.vn")
    url = "/national/reports/" + query.format(period=period.id, cluster=cluster_world["c01"].id)
    assert browser.get(url).status_code == 400
