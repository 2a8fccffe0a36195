"""A period's cluster and national summaries with each union's figures and growth, merged unions grouped under
their successor, the exports (XLSX, DOCX, CSV) holding the screen's numbers, and the dashboards."""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from urllib.parse import quote

import pytest
from lxml import html as lxml_html

from app.extensions import db
from app.reporting import rollups, scoring
from app.reporting.summary import cluster_view, drilldown, national_view
from tests.reporting.screen import csv_rows, docx_tables, docx_text, union_rows, xlsx_formats, xlsx_sheets
from tests.reporting.test_rollups import T0, _world_reports

A, B, C = "Liên hiệp tinh-a", "Liên hiệp tinh-b", "Liên hiệp tinh-c"


@pytest.fixture
def world(cluster_world, make_period, make_report, browser):
    p22, p23, p24 = _world_reports(cluster_world, make_period, make_report)
    rollups.compute_full()
    browser.login("admin@vufo.vn")
    return {**cluster_world, "p22": p22, "p23": p23, "p24": p24}


def _cluster_url(world, suffix: str = "") -> str:
    return f"/national/reports/{world['p23'].id}/clusters/{world['c01'].id}{suffix}"


def test_cluster_view_shows_each_unions_status_figures_and_growth(world, browser):
    page = browser.get(_cluster_url(world))
    assert page.status_code == 200
    rows = union_rows(page.get_data(as_text=True))
    # aid: A 1500 against its own 1000 a year earlier; B 1000 against 500; shares and news have no base year
    assert rows == {A: ["Đã chấp nhận", "1.500 ₫", "+50,0 %", "—", "—", "50,0 %", "—", "7", "—"],
                    B: ["Đã chấp nhận", "1.000 ₫", "+100,0 %", "—", "—", "25,0 %", "—", "9", "—"]}
    html = page.get_data(as_text=True)
    assert "2.500 ₫" in html and "+66,7 %" in html  # the cluster total from its rollup
    assert "Dự kiến 2, đã gửi 2, đã chấp nhận 2" in html
    # counting accepted reports only: B's 2022 report was only submitted, so B has no base year
    accepted = union_rows(browser.get(_cluster_url(world, "?accepted_only=1")).get_data(as_text=True))
    assert accepted[A][1:3] == ["1.500 ₫", "+50,0 %"] and accepted[B][1:3] == ["1.000 ₫", "—"]
    assert "+150,0 %" in browser.get(_cluster_url(world, "?accepted_only=1")).get_data(as_text=True)


def test_the_cluster_view_takes_the_members_of_the_periods_year(world, browser):
    """B moved to cluster 02 in 2024: its 2024 report shows there, growth against its 2023 report in cluster 01."""
    page = browser.get(f"/national/reports/{world['p24'].id}/clusters/{world['c02'].id}").get_data(as_text=True)
    rows = union_rows(page)
    assert set(rows) == {B, C}
    assert rows[B][:3] == ["Đã gửi", "100 ₫", "-90,0 %"]  # 100 against 1000
    assert rows[C][:2] == ["Đã trả lại", "—"]  # a returned report is not counted


def test_merged_union_grouped_under_its_successor(cluster_world, make_period, make_report, browser):
    a, c = cluster_world["a"], cluster_world["c"]
    p22, p23 = make_period(2022), make_period(2023)
    make_report(a, p22, {"aid_vnd": 1000}, "accepted", T0)
    make_report(c, p22, {"aid_vnd": 600}, "accepted", T0)
    make_report(a, p23, {"aid_vnd": 1500, "share_bp": 5000, "news": 7}, "accepted", T0)
    make_report(c, p23, {"aid_vnd": 300, "share_bp": 2000, "news": 3}, "submitted", T0 + timedelta(days=2))
    c.status, c.successor_id = "merged", a.id
    db.session.commit()
    rollups.compute_full()
    browser.login("admin@vufo.vn")
    separate = union_rows(browser.get(f"/national/reports/{p23.id}").get_data(as_text=True))
    assert separate[A][1:3] == ["1.500 ₫", "+50,0 %"] and separate[C][1:3] == ["300 ₫", "-50,0 %"]
    page = browser.get(f"/national/reports/{p23.id}?group=1").get_data(as_text=True)
    grouped = union_rows(page)
    assert set(grouped) == {A, B}  # C's row is folded into A's, and listed under it
    # aid: 1500 + 300 against 1000 + 600 → +12,5 %; share: average of 50 % and 20 %; news: C's later report
    assert grouped[A][1:] == ["1.800 ₫", "+12,5 %", "—", "—", "35,0 %", "—", "3", "—"]
    assert f"gồm: {C}" in page
    view = national_view(p23, grouped=True)
    assert [t.slug for t in view.unions[0].includes] == ["tinh-c"]
    # the report stays C's own: the cluster it belonged to that year still counts it
    assert union_rows(browser.get(f"/national/reports/{p23.id}/clusters/{cluster_world['c02'].id}")
                      .get_data(as_text=True))[C][1] == "300 ₫"
    csv = csv_rows(browser.get(f"/national/reports/{p23.id}/export.csv?group=1").data)
    assert csv[1][:4] == [f"{A} (gồm: {C})", "Đã chấp nhận", "1800", "12.5"]


def _parse_vn(text: str) -> Decimal:
    """'1.500 ₫' → 1500, '+66,7 %' → 66.7 (the screen's Vietnamese format)."""
    return Decimal(text.replace("₫", "").replace("%", "").replace(".", "").replace(",", ".").strip())


def test_xlsx_docx_and_csv_hold_the_numbers_of_the_screen(world, browser):
    page = browser.get(_cluster_url(world)).get_data(as_text=True)
    screen = union_rows(page)
    # DOCX: the same text as the screen, cell for cell
    word = browser.get(_cluster_url(world, "/export.docx"))
    assert word.status_code == 200 and word.mimetype.endswith("wordprocessingml.document")
    completeness, unions, totals = docx_tables(word.data)
    assert {row[0]: row[1:] for row in unions[1:]} == screen
    assert totals[1] == ["aid_vnd", "2.500 ₫", "2", "1.500 ₫", "+66,7 %"]
    assert completeness[1] == ["Cụm thi đua số 01", "2", "2", "2", "0", "2", "0"]
    assert "Tổng kết 2023 – Cụm thi đua số 01" in docx_text(word.data)
    # XLSX: numbers (not text) equal to the screen's, with number formats; one sheet per table
    excel = browser.get(_cluster_url(world, "/export.xlsx"))
    sheets = list(xlsx_sheets(excel.data).values())
    assert len(sheets) == 3
    by_union = {row[0]: row[1:] for row in sheets[1][1:]}
    for name, shown in screen.items():
        stored = by_union[name]
        assert stored[0] == shown[0]
        assert stored[1] == _parse_vn(shown[1]) and Decimal(str(stored[2])) * 100 == _parse_vn(shown[2])
        # share: a fraction with a percentage format, which the screen shows to one decimal
        assert (Decimal(str(stored[5])) * 100).quantize(Decimal("0.1")) == _parse_vn(shown[5])
    assert xlsx_formats(excel.data, 1, 2)[2:4] == ['#,##0" ₫"', "+0.0%;-0.0%;0.0%"]
    assert sheets[2][1][:3] == ("aid_vnd", 2500, 2) and round(Decimal(str(sheets[2][1][4])), 4) == Decimal("0.6667")
    # CSV: one table, the screen's figures as plain numbers
    rows = csv_rows(browser.get(_cluster_url(world, "/export.csv")).data)
    assert rows[0][:4] == ["Liên hiệp", "Trạng thái", "aid_vnd (VND)", "aid_vnd: tăng trưởng (%)"]
    assert [row[:4] for row in rows[1:]] == [[A, "Đã chấp nhận", "1500", "50"], [B, "Đã chấp nhận", "1000", "100"]]


def test_exports_follow_the_counting_toggle_and_are_named_in_vietnamese(world, browser):
    excel = browser.get(_cluster_url(world, "/export.xlsx?accepted_only=1"))
    totals = list(xlsx_sheets(excel.data).values())[2]
    assert totals[1][0] == "aid_vnd" and Decimal(str(totals[1][4])) == Decimal("1.5")  # +150 %
    disposition = excel.headers["Content-Disposition"]
    assert disposition.startswith("attachment; filename=tong-ket-2023-cum-thi-dua-so-01.xlsx;")
    assert "filename*=UTF-8''" + quote("Tổng kết 2023 – Cụm thi đua số 01.xlsx", safe="") in disposition
    national = browser.get(f"/national/reports/{world['p23'].id}/export.docx")
    assert national.status_code == 200
    _completeness, unions, totals = docx_tables(national.data)
    assert [row[0] for row in unions[1:]] == [A, B, C]
    assert totals[1][:2] == ["aid_vnd", "2.800 ₫"]


def test_the_read_model_needs_a_fixed_number_of_queries(world, app, make_tenant, make_report, cluster_world):
    """One query per table, however many unions: no N+1."""
    from sqlalchemy import event

    def count(fn):
        statements = []
        listener = lambda *args: statements.append(args[2])  # noqa: E731
        event.listen(db.engine, "before_cursor_execute", listener)
        try:
            fn()
        finally:
            event.remove(db.engine, "before_cursor_execute", listener)
        return len(statements)

    def views():
        db.session.expire_all()
        cluster_view(world["p23"], world["c01"])
        national_view(world["p23"], grouped=True)

    before = count(views)
    from tenants.models import ClusterMembership

    for n in range(5):
        tenant = make_tenant(f"them-{n}")
        db.session.add(ClusterMembership(cluster_id=world["c01"].id, tenant_id=tenant.id, year=2023))
        db.session.commit()
        make_report(tenant, world["p23"], {"aid_vnd": 10 * n}, "submitted", T0)
    assert count(views) == before


def test_dashboards_draw_accessible_charts_with_their_tables(world, browser):
    p23, c01 = world["p23"], world["c01"]
    page = browser.get(f"/national/reports/dashboard/clusters/{c01.id}?period={p23.id}")
    assert page.status_code == 200
    tree = lxml_html.fromstring(page.get_data(as_text=True))
    svg = tree.xpath("//figure[@class='chart']/svg")[0]
    assert svg.get("role") == "img" and svg.xpath("./title") and svg.xpath("./desc")
    assert svg.get("aria-details") == "contribution-table"
    contribution = {tr.xpath("./th")[0].text_content(): [td.text_content() for td in tr.xpath("./td")]
                    for tr in tree.get_element_by_id("contribution-table").xpath("./tbody/tr")}
    assert contribution == {A: ["1.500 ₫", "60,0 %"], B: ["1.000 ₫", "40,0 %"]}
    assert [r.get("data-value") for r in svg.xpath(".//*[local-name()='rect'][@data-value]")] == ["1500", "1000"]
    projector = browser.get(f"/national/reports/dashboard/clusters/{c01.id}?period={p23.id}&projector=1")
    assert 'class="console dashboard projector"' in projector.get_data(as_text=True)
    national = browser.get(f"/national/reports/dashboard?period={p23.id}&indicator=aid_vnd")
    tree = lxml_html.fromstring(national.get_data(as_text=True))
    rows = tree.get_element_by_id("completeness-table").xpath("./tbody/tr")
    assert [[c.text_content() for c in tr.xpath("./th|./td")] for tr in rows] == [
        ["Cụm thi đua số 01", "2", "2", "2", "0"], ["Cụm thi đua số 02", "1", "1", "0", "0"]]
    contribution = tree.get_element_by_id("contribution-table")
    assert [td.text_content() for td in contribution.xpath("./tbody/tr[1]/td")] == ["2.500 ₫", "89,3 %"]


def test_summaries_are_national_only_and_refuse_bad_ids(world, browser, browser_factory, make_user):
    p23, c01 = world["p23"].id, world["c01"].id
    urls = [f"/national/reports/{p23}/clusters/{c01}", f"/national/reports/{p23}/clusters/{c01}/export.xlsx",
            f"/national/reports/{p23}/export.docx", "/national/reports/dashboard",
            f"/national/reports/dashboard/clusters/{c01}"]
    staff = browser_factory()
    staff.login("reporter@a.vn")  # A leads cluster 01, but these are the national console's pages
    assert [staff.get(url).status_code for url in urls] == [403] * len(urls)
    make_user("viewer@vufo.vn", national_role="national_viewer")
    viewer = browser_factory()
    viewer.login("viewer@vufo.vn")
    assert [viewer.get(url).status_code for url in urls] == [200] * len(urls)
    menu = viewer.get("/national/").get_data(as_text=True)  # the console menu leads to reports and the dashboard
    assert 'href="/national/reports/"' in menu and 'href="/national/reports/dashboard"' in menu
    assert 'href="/national/reports/dashboard"' not in staff.get("/manage/tinh-a/").get_data(as_text=True)
    missing = [f"/national/reports/99999/clusters/{c01}", f"/national/reports/{p23}/clusters/99999",
               f"/national/reports/{p23}/clusters/99999/export.csv", "/national/reports/99999/export.xlsx",
               f"/national/reports/{p23}/export.pdf", "/national/reports/dashboard/clusters/99999",
               "/national/reports/dashboard?period=99999"]
    assert [browser.get(url).status_code for url in missing] == [404] * len(missing)
    period_message, indicator_message = "Kỳ báo cáo phải được chỉ rõ bằng mã số.", "Hãy chọn một trong các chỉ tiêu"
    for bad, message in (("/national/reports/dashboard?period=abc", period_message),
                         ("/national/reports/dashboard?indicator=share_bp", indicator_message),  # not a sum
                         (f"/national/reports/dashboard/clusters/{c01}?indicator=nope", indicator_message)):
        response = browser.get(bad)
        assert response.status_code == 400 and message in response.get_data(as_text=True), bad


def test_on_time_and_late_count_the_day_in_viet_nam(cluster_world, make_period, make_report, browser,
                                                     browser_factory):
    """Due on 14/12: 20:00 UTC on the 14th is already 03:00 on the 15th in Viet Nam (late); 16:00 UTC is 23:00
    on the 14th (on time). The drill-down, the leader's board and the exports agree with the union's console."""
    a, b, c01 = cluster_world["a"], cluster_world["b"], cluster_world["c01"]
    period = make_period(2023)
    assert period.due_date == date(2023, 12, 14)
    make_report(a, period, {"aid_vnd": 1}, "submitted", datetime(2023, 12, 14, 20, tzinfo=UTC))
    make_report(b, period, {"aid_vnd": 1}, "submitted", datetime(2023, 12, 14, 16, tzinfo=UTC))
    assert [(t.id, on) for t, _status, on in drilldown(period, "late")] == [(a.id, date(2023, 12, 15))]
    assert [t.id for t, _status, _on in drilldown(period, "on_time", c01.id)] == [b.id]
    board = {m.union.id: (m.submitted_on, m.on_time) for m in scoring.cluster_board(period, c01)}
    assert board == {a.id: (date(2023, 12, 15), False), b.id: (date(2023, 12, 14), True)}
    browser.login("admin@vufo.vn")
    page = browser.get(f"/national/reports/{period.id}/completeness/late").get_data(as_text=True)
    assert "15/12/2023" in page and A in page and B not in page
    excel = browser.get(f"/national/reports/{period.id}/clusters/{c01.id}/export.xlsx")
    completeness = list(xlsx_sheets(excel.data).values())[0]
    assert completeness[1] == ("Cụm thi đua số 01", 2, 2, 0, 1, 1, 0)  # expected, submitted, accepted, on time, late
    national = list(xlsx_sheets(browser.get(f"/national/reports/{period.id}/export.xlsx").data).values())[0]
    assert national[-1][4:6] == (1, 1)
    reporter = browser_factory()
    reporter.login("reporter@a.vn")
    assert "Gửi muộn" in reporter.get("/manage/tinh-a/reports/").get_data(as_text=True)


def test_narrative_headings_follow_the_reports_template_version(world, browser):
    """A section the national union renamed (or added) is shown with its own heading, on screen and in Word."""
    import sqlalchemy as sa

    from app.reporting.models import Report, ReportNarrative
    from tenants.context import tenant_context

    a = world["a"]
    with tenant_context(a.id):
        report = db.session.scalar(sa.select(Report).where(Report.period_id == world["p23"].id))
        version = report.version
        version.narrative_keys = "results,doi_ngoai"
        version.narrative_labels = {"doi_ngoai": {"vi": "Đối ngoại nhân dân", "en": "People-to-people diplomacy"}}
        status, report.status = report.status, "draft"  # written while a draft, as the union would
        db.session.commit()
        db.session.add_all([ReportNarrative(report_id=report.id, key="doi_ngoai", body_html="<p>Đón 9 đoàn.</p>"),
                            ReportNarrative(report_id=report.id, key="results", body_html="<p>Hoàn thành.</p>")])
        db.session.commit()
        report.status = status
        db.session.commit()
    page = browser.get(_cluster_url(world)).get_data(as_text=True)
    assert "<h4>Đối ngoại nhân dân</h4>" in page and "doi_ngoai" not in page
    assert page.index("<h4>Kết quả đạt được</h4>") < page.index("<h4>Đối ngoại nhân dân</h4>")  # the version's order
    word = docx_text(browser.get(_cluster_url(world, "/export.docx")).data)
    assert "Đối ngoại nhân dân" in word and "Đón 9 đoàn." in word
