"""The union's report in the staff console: periods, the form (Vietnamese number formats), pre-fill and
override explanations, autosave, submission, history, unlock requests and who may do what."""

import io
from datetime import date

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.reporting.forms import FigureError, figure_input, parse_figure
from app.reporting.models import Report, ReportEvent, ReportScore, ReportValue
from tenants.context import tenant_context

# --- parsing and showing figures ---------------------------------------------------------------------


@pytest.mark.parametrize(("text", "unit", "stored"), [
    ("31.500.000.000", "VND", 31_500_000_000),
    ("31 500 000 000 ₫", "VND", 31_500_000_000),
    ("1.300.000", "USD", 130_000_000),
    ("1,5", "USD", 150),
    ("1.240.000,50", "USD", 124_000_050),
    ("91,1", "percent", 9110),
    ("91,1 %", "percent", 9110),
    ("100", "percent", 10_000),
    ("1.353", "count", 1353),
    ("", "count", None),
    ("   ", "VND", None),
    ("1.000.000.000.000.000", "VND", 10**15),  # the largest figure: sums and growth stay inside a BIGINT
])
def test_figures_typed_the_vietnamese_way(text, unit, stored):
    assert parse_figure(text, unit) == stored


@pytest.mark.parametrize(("text", "unit"), [
    ("1,5", "VND"), ("12,55", "percent"), ("1,2345", "USD"), ("abc", "count"), ("-5", "count"),
    ("1.2.3", "VND"), ("1,25,0", "USD"), ("1.5%%", "percent"), ("9" * 30, "VND"),
    ("1.000.000.000.000.001", "VND"), ("10.000.000.000.000,01", "USD"), ("9.223.372.036.854.775.807", "count"),
])
def test_figures_that_cannot_be_read_are_refused_with_how_to_write_them(app, text, unit):
    with app.test_request_context(), pytest.raises(FigureError):
        parse_figure(text, unit)


def test_stored_figures_show_in_the_input_as_typed(app):
    with app.test_request_context():
        assert figure_input(31_500_000_000, "VND") == "31.500.000.000"
        assert figure_input(124_000_050, "USD") == "1.240.000,50"
        assert figure_input(9110, "percent") == "91,1"
        assert figure_input(None, "count") == ""


# --- helpers -------------------------------------------------------------------------------------------

def _open(browser, period, slug="tinh-b") -> int:
    response = browser.post(f"/manage/{slug}/reports/periods/{period.id}/open", token_from=f"/manage/{slug}/reports/")
    assert response.status_code == 302, response.status_code
    return int(response.headers["Location"].rstrip("/").rsplit("/", 1)[-1])


def _report(tenant, report_id) -> Report:
    with tenant_context(tenant.id):
        report = db.session.get(Report, report_id)
        db.session.refresh(report)
        return report


def _figures(tenant, report_id) -> dict:
    with tenant_context(tenant.id):
        rows = db.session.scalars(sa.select(ReportValue).where(ReportValue.report_id == report_id)).all()
        return {r.indicator.code: (r.value, r.comment) for r in rows}


def _save(browser, report_id, data, slug="tinh-b", path=""):
    url = f"/manage/{slug}/reports/{report_id}{path}"
    return browser.post(url, data, token_from=f"/manage/{slug}/reports/{report_id}")


@pytest.fixture
def reporter(cluster_world, browser):
    browser.login("reporter@b.vn")
    return browser


# --- list, open, save ----------------------------------------------------------------------------------

def test_periods_newest_first_with_status_and_open_prefills(cluster_world, make_period, make_member, reporter):
    make_member(cluster_world["b"], "Hội Việt – Lào")
    make_member(cluster_world["b"], "Hội Việt – Pháp")
    older, newer = make_period(2022), make_period(2023)
    listing = reporter.get("/manage/tinh-b/reports/").get_data(as_text=True)
    assert listing.index("Tổng kết 2023") < listing.index("Tổng kết 2022")
    assert "Chưa bắt đầu" in listing and "Quá hạn" in listing
    report_id = _open(reporter, newer)
    assert _open(reporter, newer) == report_id  # opening again finds the same report
    page = reporter.get(f"/manage/tinh-b/reports/{report_id}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert 'name="figure:members" inputmode="decimal" autocomplete="off"\n            value="2"' in html
    assert '<td class="prefilled">2</td>' in html  # the platform's figure beside the field
    assert "data-editor=\"rich\"" in html and "js/report-autosave.js" in html
    listing = reporter.get("/manage/tinh-b/reports/").get_data(as_text=True)
    assert "Bản nháp" in listing and f"/manage/tinh-b/reports/{report_id}" in listing
    assert older.id  # the older period stays unopened
    assert _report(cluster_world["b"], report_id).version.number == 1


def test_save_reads_vietnamese_formats_narratives_and_self_assessment(cluster_world, make_period, reporter):
    report_id = _open(reporter, make_period(2023))
    response = _save(reporter, report_id, {
        "figure:aid_vnd": "31.500.000.000", "figure:share_bp": "91,1", "comment:share_bp": "Theo kế hoạch năm",
        "section:results": "<p>Đón <strong>9</strong> đoàn</p><script>alert(1)</script>",
        "points:c1": "8", "points_comment:c1": "Hoàn thành tốt"})
    assert response.status_code == 302
    figures = _figures(cluster_world["b"], report_id)
    assert figures["aid_vnd"] == (31_500_000_000, None)
    assert figures["share_bp"] == (9110, "Theo kế hoạch năm")
    report = _report(cluster_world["b"], report_id)
    with tenant_context(cluster_world["b"].id):
        assert report.narratives[0].body_html == "<p>Đón <strong>9</strong> đoàn</p>"  # sanitised on save
        score = db.session.scalars(sa.select(ReportScore)).one()
        assert (score.self_points, score.self_comment) == (8, "Hoàn thành tốt")
    html = reporter.get(f"/manage/tinh-b/reports/{report_id}").get_data(as_text=True)
    assert 'value="31.500.000.000"' in html and 'value="91,1"' in html and 'value="8"' in html


def test_bad_input_is_a_400_with_field_errors_and_nothing_saved(cluster_world, make_period, reporter):
    report_id = _open(reporter, make_period(2023))
    _save(reporter, report_id, {"figure:aid_vnd": "1.000"})
    response = _save(reporter, report_id, {"figure:aid_vnd": "2.000", "figure:share_bp": "12,55",
                                           "points:c1": "11", "figure:members": "nhiều"})
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "tối đa một chữ số thập phân" in html and "từ 0 đến 10" in html and "số nguyên" in html
    assert 'value="12,55"' in html and 'value="nhiều"' in html  # what was typed is kept for correcting
    assert _figures(cluster_world["b"], report_id)["aid_vnd"] == (1000, None)  # all or nothing


def test_a_figure_past_the_largest_is_refused_with_the_limit(cluster_world, make_period, reporter, browser_factory):
    """Two unions typing huge figures would overflow the sums and growth of every rollup: each is refused."""
    period = make_period(2023)
    other = browser_factory()
    other.login("reporter@a.vn")
    for browser, slug in ((reporter, "tinh-b"), (other, "tinh-a")):
        report_id = _open(browser, period, slug)
        response = _save(browser, report_id, {"figure:aid_vnd": "9.000.000.000.000.000.000"}, slug)
        assert response.status_code == 400
        assert "Số liệu quá lớn: tối đa 1.000.000.000.000.000." in response.get_data(as_text=True)
        assert _figures(cluster_world[slug[-1]], report_id)["aid_vnd"] == (None, None)


@pytest.mark.parametrize("points", ["²", "٣", "9" * 5000, "12345", "-1", "1.0", "+5"])
def test_points_that_are_not_a_small_whole_number_are_a_field_error(cluster_world, make_period, reporter, points):
    report_id = _open(reporter, make_period(2023))
    response = _save(reporter, report_id, {"points:c1": points})
    assert response.status_code == 400 and "Điểm là số nguyên từ 0 đến 10." in response.get_data(as_text=True)


def test_a_far_due_date_stored_earlier_does_not_break_the_reports_pages(cluster_world, make_period, reporter):
    period = make_period(2023, due_date=date(9999, 12, 31), lock_after_days=365)
    assert reporter.get("/manage/tinh-b/reports/").status_code == 200
    report_id = _open(reporter, period)
    assert reporter.get(f"/manage/tinh-b/reports/{report_id}").status_code == 200


def test_overriding_a_prefilled_figure_needs_an_explanation_to_submit(cluster_world, make_period, make_member,
                                                                      reporter):
    make_member(cluster_world["b"], "Hội Việt – Lào")
    report_id = _open(reporter, make_period(2023))
    _save(reporter, report_id, {"figure:aid_vnd": "5.000", "figure:members": "3"})
    html = reporter.get(f"/manage/tinh-b/reports/{report_id}").get_data(as_text=True)
    assert "giải thích vì sao số liệu khác với số liệu lấy từ hệ thống." in html
    assert "Bắt buộc: số liệu khác với số liệu lấy từ hệ thống." in html
    confirm = reporter.get(f"/manage/tinh-b/reports/{report_id}/submit").get_data(as_text=True)
    assert "giải thích vì sao số liệu khác" in confirm and "#indicator-members" in confirm
    refused = _save(reporter, report_id, {}, path="/submit")
    assert refused.status_code == 400 and _report(cluster_world["b"], report_id).status == "draft"
    _save(reporter, report_id, {"comment:members": "Kết nạp thêm Hội Việt – Pháp sau ngày chốt số liệu"})
    submitted = _save(reporter, report_id, {}, path="/submit")
    assert submitted.status_code == 302
    report = _report(cluster_world["b"], report_id)
    assert report.status == "submitted" and report.submitted_at is not None


def test_submit_locks_the_form_and_tells_the_cluster_leader(cluster_world, make_period, reporter, browser_factory):
    report_id = _open(reporter, make_period(2023))
    _save(reporter, report_id, {"figure:aid_vnd": "5.000"})
    confirm = reporter.get(f"/manage/tinh-b/reports/{report_id}/submit")
    assert confirm.status_code == 200 and f'action="/manage/tinh-b/reports/{report_id}/submit"' in confirm.get_data(
        as_text=True)
    assert _save(reporter, report_id, {}, path="/submit").status_code == 302
    html = reporter.get(f"/manage/tinh-b/reports/{report_id}").get_data(as_text=True)
    assert "Báo cáo đã bị khóa: không thể thay đổi nữa." in html
    assert "<fieldset disabled>" in html and "report-autosave.js" not in html and 'data-autosave=' not in html
    leader = browser_factory()
    leader.login("reporter@a.vn")  # tinh-a leads cluster 01 in 2023
    bell = leader.get("/manage/tinh-a/").get_data(as_text=True)
    assert 'class="bell-count">1<' in bell


# --- autosave and history ------------------------------------------------------------------------------

def test_autosave_answers_json_and_every_change_lands_in_the_history(cluster_world, make_period, reporter):
    report_id = _open(reporter, make_period(2023))
    response = _save(reporter, report_id, {"figure:aid_vnd": "7.000", "section:key_tasks": "<p>Mở rộng hợp tác</p>"},
                     path="/autosave")
    assert response.status_code == 200
    assert response.json["saved"] is True and response.json["message"].startswith("Đã lưu lúc ")
    bad = _save(reporter, report_id, {"figure:aid_vnd": "bảy"}, path="/autosave")
    assert bad.status_code == 400 and list(bad.json["errors"]) == ["figure:aid_vnd"]
    assert _figures(cluster_world["b"], report_id)["aid_vnd"] == (7000, None)
    unchanged = _save(reporter, report_id, {"figure:aid_vnd": "7.000"}, path="/autosave")
    assert unchanged.status_code == 200
    with tenant_context(cluster_world["b"].id):
        actions = db.session.scalars(sa.select(ReportEvent.action).order_by(ReportEvent.id)).all()
    assert actions == ["created", "saved"]  # an unchanged form writes nothing
    html = reporter.get(f"/manage/tinh-b/reports/{report_id}/history").get_data(as_text=True)
    assert "Reporter" in html and "Đã mở báo cáo" in html and "Lưu thay đổi" in html
    assert "aid_vnd; Nhiệm vụ trọng tâm kỳ tới" in html and "— → Bản nháp" in html


def test_history_shows_transitions_with_reasons(cluster_world, make_period, reporter):
    from app.reporting import workflow

    report_id = _open(reporter, make_period(2023))
    _save(reporter, report_id, {"figure:aid_vnd": "5.000"})
    _save(reporter, report_id, {}, path="/submit")
    workflow.return_report(report_id, cluster_world["users"]["a"], "Thiếu số liệu giải ngân")
    html = reporter.get(f"/manage/tinh-b/reports/{report_id}/history").get_data(as_text=True)
    assert "Bản nháp → Đã gửi" in html and "Đã gửi → Đã trả lại" in html and "Thiếu số liệu giải ngân" in html
    page = reporter.get(f"/manage/tinh-b/reports/{report_id}").get_data(as_text=True)
    assert "Trả lại để sửa:" in page and "Thiếu số liệu giải ngân" in page and "<fieldset disabled>" not in page


# --- unlock requests -----------------------------------------------------------------------------------

def test_unlock_request_needs_a_reason_and_only_for_a_locked_report(cluster_world, make_period, make_report,
                                                                    reporter):
    draft_id = make_report(cluster_world["b"], make_period(2022), {"aid_vnd": 1}).id
    assert _save(reporter, draft_id, {"reason": "x"}, path="/unlock").status_code == 409
    locked_id = make_report(cluster_world["b"], make_period(2023), {"aid_vnd": 1}, status="final").id
    empty = _save(reporter, locked_id, {"reason": "  "}, path="/unlock")
    assert empty.status_code == 400 and "nêu lý do đề nghị mở khóa" in empty.get_data(as_text=True)
    assert _save(reporter, locked_id, {"reason": "Sai số liệu giải ngân"}, path="/unlock").status_code == 302
    report = _report(cluster_world["b"], locked_id)
    assert report.unlock_reason == "Sai số liệu giải ngân" and report.status == "final"
    html = reporter.get(f"/manage/tinh-b/reports/{locked_id}").get_data(as_text=True)
    assert "Đã yêu cầu mở khóa" in html and "Sai số liệu giải ngân" in html


# --- permissions -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("role", ["editor", "author"])
def test_other_staff_read_but_do_not_write(cluster_world, make_period, make_report, make_user, browser, role):
    report_id = make_report(cluster_world["b"], make_period(2023), {"aid_vnd": 1}).id
    make_user(f"{role}2@b.vn", tenant=cluster_world["b"], role=role)
    browser.login(f"{role}2@b.vn")
    page = browser.get(f"/manage/tinh-b/reports/{report_id}")
    assert page.status_code == 200 and "<fieldset disabled>" in page.get_data(as_text=True)
    assert "Báo cáo</a>" in browser.get("/manage/tinh-b/").get_data(as_text=True)  # the console nav link
    for path, data in (("", {"figure:aid_vnd": "9"}), ("/autosave", {"figure:aid_vnd": "9"}), ("/submit", {})):
        assert _save(browser, report_id, data, path=path).status_code == 403
    assert _figures(cluster_world["b"], report_id)["aid_vnd"] == (1, None)


def test_platform_admin_reads_a_union_report_without_writing(cluster_world, make_period, make_report, browser):
    report_id = make_report(cluster_world["b"], make_period(2023), {"aid_vnd": 1}).id
    browser.login("admin@vufo.vn")
    assert browser.get(f"/manage/tinh-b/reports/{report_id}").status_code == 200
    assert _save(browser, report_id, {"figure:aid_vnd": "9"}).status_code == 403
    assert "/manage/vufo/reports/" not in browser.get("/manage/vufo/").get_data(as_text=True)  # VUFO: no report


def test_another_union_never_reaches_the_report(cluster_world, make_period, make_report, browser):
    report_id = make_report(cluster_world["b"], make_period(2023), {"aid_vnd": 1}).id
    browser.login("reporter@a.vn")
    assert browser.get(f"/manage/tinh-b/reports/{report_id}").status_code in (403, 404)
    assert browser.get(f"/manage/tinh-a/reports/{report_id}").status_code == 404
    for path, data in (("", {"figure:aid_vnd": "9"}), ("/autosave", {"figure:aid_vnd": "9"}),
                       ("/attachments", {"file": (io.BytesIO(b"%PDF-1.4"), "b.pdf")})):
        response = browser.post(f"/manage/tinh-a/reports/{report_id}{path}", data, token_from="/manage/tinh-a/")
        assert response.status_code == 404, path
    assert _figures(cluster_world["b"], report_id)["aid_vnd"] == (1, None)


def test_saving_reads_a_fixed_number_of_statements_whatever_the_number_of_figures(cluster_world, make_period,
                                                                                report_template, reporter):
    """No N+1: an autosave of a report with eight more indicators runs as many statements as one without."""
    from app.reporting.models import Indicator

    def statements_of_an_autosave(report_id, figure):
        seen = []

        def record(conn, cursor, statement, parameters, context, executemany):
            seen.append(statement)

        sa.event.listen(db.engine, "before_cursor_execute", record)
        try:
            assert _save(reporter, report_id, {"figure:aid_vnd": figure}, path="/autosave").status_code == 200
        finally:
            sa.event.remove(db.engine, "before_cursor_execute", record)
        return len(seen)

    small = _open(reporter, make_period(2023))
    version = report_template.versions[-1]
    version.indicators += [Indicator(code=f"extra_{n}", name_vi=f"Thêm {n}", name_en=f"Extra {n}", position=10 + n)
                           for n in range(8)]
    db.session.commit()
    large = _open(reporter, make_period(2024))
    assert len(_figures(cluster_world["b"], large)) == len(_figures(cluster_world["b"], small)) + 8
    assert statements_of_an_autosave(large, "12") == statements_of_an_autosave(small, "12")
