"""The national reporting configuration: periods, templates and versions, with their rules and permissions."""

from datetime import date

import pytest
import sqlalchemy as sa

from app.accounts.models import User
from app.extensions import db
from app.notifications.models import Notification
from app.reporting import workflow
from app.reporting.models import Indicator, Report, ReportingPeriod, TemplateVersion
from tenants.context import tenant_context
from tenants.scoping import all_tenants

CONFIG = "/national/reports/config"
NEW_PERIOD = f"{CONFIG}/periods/new"
PAGE = CONFIG + "/"  # a page of the console, for the CSRF token


@pytest.fixture
def admin(browser, cluster_world):
    browser.login("admin@vufo.vn")
    return browser


def _period_form(template, **changes) -> dict:
    return {"kind": "annual", "year": "2023", "name_vi": "", "name_en": "", "window_start": "15/12/2022",
            "window_end": "14/12/2023", "due_date": "20/12/2023", "lock_after_days": "30",
            "template_id": str(template.id), **changes}


def _told(event_type="report.period_opened") -> list[str]:
    with all_tenants("test: who was told"):
        rows = db.session.execute(sa.select(User.email).join(Notification, Notification.user_id == User.id)
                                  .where(Notification.event_type == event_type).order_by(User.email)).scalars().all()
        db.session.rollback()
    return rows


def _periods() -> list[tuple]:
    db.session.expire_all()
    return db.session.execute(sa.select(ReportingPeriod.kind, ReportingPeriod.year, ReportingPeriod.name_vi,
                                        ReportingPeriod.name_en, ReportingPeriod.window_start,
                                        ReportingPeriod.window_end, ReportingPeriod.due_date,
                                        ReportingPeriod.lock_after_days)).all()


# --- periods ----------------------------------------------------------------------------------------------

def test_creating_a_period_suggests_its_names_and_tells_the_unions_writers(admin, cluster_world, report_template,
                                                                           make_user):
    make_user("author@a.vn", tenant=cluster_world["a"], role="author")  # writes news, not reports
    response = admin.post(NEW_PERIOD, _period_form(report_template), token_from=NEW_PERIOD)
    assert response.status_code == 302
    assert _periods() == [("annual", 2023, "Tổng kết năm 2023", "Annual review 2023", date(2022, 12, 15),
                           date(2023, 12, 14), date(2023, 12, 20), 30)]
    # every union in a cluster in 2023 (A, B in 01; C in 02): its admins and reporters, nobody else
    assert _told() == ["reporter@a.vn", "reporter@b.vn", "reporter@c.vn"]
    with tenant_context(cluster_world["b"].id):
        note = db.session.scalar(sa.select(Notification))
        assert note.title == "Mở kỳ báo cáo: Tổng kết năm 2023" and "20/12/2023" in note.body
        assert note.link.endswith("/manage/tinh-b/reports/")
    period = db.session.scalar(sa.select(ReportingPeriod))
    again = admin.post(f"{CONFIG}/periods/{period.id}/announce", token_from=PAGE)
    assert again.status_code == 302 and len(_told()) == 3  # told once each


def test_a_half_year_period_with_a_custom_window_and_an_edit(admin, report_template):
    form = _period_form(report_template, kind="half_year", year="2024", name_vi="Sơ kết 2024 (riêng)",
                        window_start="2023-12-15", window_end="14/06/2024", due_date="15/06/2024",
                        lock_after_days="")
    assert admin.post(NEW_PERIOD, form, token_from=NEW_PERIOD).status_code == 302
    period = db.session.scalar(sa.select(ReportingPeriod))
    assert (period.name_vi, period.name_en, period.window_start, period.lock_after_days) == (
        "Sơ kết 2024 (riêng)", "Half-year review 2024", date(2023, 12, 15), None)
    page = admin.get(f"{CONFIG}/periods/{period.id}").get_data(as_text=True)
    assert 'value="15/12/2023"' in page  # shown back as dd/mm/yyyy
    edited = admin.post(f"{CONFIG}/periods/{period.id}", {**form, "due_date": "30/06/2024"}, token_from=PAGE)
    assert edited.status_code == 302 and _periods()[0][6] == date(2024, 6, 30)


@pytest.mark.parametrize(("changes", "message"), [
    ({"window_end": "14/12/2022"}, "Ngày kết thúc tính số liệu không được trước ngày bắt đầu."),
    ({"window_end": "14/01/2024"}, "phải kết thúc trong năm của kỳ báo cáo (2023)"),
    ({"due_date": "01/12/2022"}, "Hạn nộp không được trước ngày bắt đầu tính số liệu."),
    ({"due_date": "31/12/9999"}, "Hạn nộp chậm nhất là một năm sau ngày kết thúc tính số liệu."),
    ({"due_date": "16/12/2024"}, "Hạn nộp chậm nhất là một năm sau ngày kết thúc tính số liệu."),
    ({"lock_after_days": "100000"}, "Số ngày từ 0 đến 365."),
    ({"window_start": "31/02/2022"}, "Ngày không hợp lệ"),
    ({"due_date": ""}, "Trường này là bắt buộc."),
    ({"year": "hai nghìn"}, "Hãy nhập một số nguyên."),
    ({"year": "1999"}, "Năm từ 2000 đến 2100."),
    ({"lock_after_days": "-1"}, "Số ngày từ 0 đến 365."),
    ({"kind": "weekly"}, "Hãy chọn một mục trong danh sách."),
    ({"template_id": "x"}, "Hãy chọn một mục trong danh sách."),
    ({"template_id": "99999"}, "Hãy chọn một mục trong danh sách."),
])
def test_bad_period_input_is_a_400_with_a_clear_message(admin, report_template, changes, message):
    response = admin.post(NEW_PERIOD, _period_form(report_template, **changes), token_from=NEW_PERIOD)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert _periods() == [] and _told() == []


def test_a_period_is_unique_per_kind_and_year_and_needs_a_published_template(admin, report_template, make_period):
    make_period(2023)
    response = admin.post(NEW_PERIOD, _period_form(report_template), token_from=NEW_PERIOD)
    assert response.status_code == 400 and "Đã có kỳ báo cáo loại này cho năm 2023." in response.get_data(True)
    report_template.versions[0].published = False
    db.session.commit()
    response = admin.post(NEW_PERIOD, _period_form(report_template, kind="half_year"), token_from=NEW_PERIOD)
    assert response.status_code == 400 and "chưa có phiên bản nào được ban hành" in response.get_data(True)
    assert len(_periods()) == 1


def test_a_duplicate_saved_in_a_race_is_a_400_not_a_500(admin, report_template, make_period, monkeypatch):
    from app.reporting import config

    make_period(2023)
    monkeypatch.setattr(config, "_period_valid", lambda *args: True)  # as if both checked before either saved
    response = admin.post(NEW_PERIOD, _period_form(report_template), token_from=NEW_PERIOD)
    assert response.status_code == 400 and "Đã có kỳ báo cáo loại này cho năm 2023." in response.get_data(True)
    assert len(_periods()) == 1 and _told() == []


def test_a_period_with_reports_keeps_its_kind_and_is_not_deleted(admin, cluster_world, make_period, make_report):
    period, empty = make_period(2023), make_period(2024)
    make_report(cluster_world["a"], period, {"aid_vnd": 5})
    form = _period_form(period.template, year="2025", window_end="14/12/2025")
    response = admin.post(f"{CONFIG}/periods/{period.id}", form, token_from=PAGE)
    assert response.status_code == 400 and "không thể đổi loại kỳ, năm và mẫu báo cáo" in response.get_data(True)
    page = admin.get(f"{CONFIG}/periods/{period.id}/delete").get_data(as_text=True)
    assert "Các Liên hiệp đã có 1 báo cáo cho kỳ này: không thể xóa." in page
    assert admin.post(f"{CONFIG}/periods/{period.id}/delete", token_from=PAGE).status_code == 400
    assert admin.get(f"{CONFIG}/periods/{empty.id}/delete").status_code == 200  # the confirmation first
    assert admin.post(f"{CONFIG}/periods/{empty.id}/delete", token_from=PAGE).status_code == 302
    assert [p[1] for p in _periods()] == [2023]
    assert admin.get(f"{CONFIG}/periods/99999/delete").status_code == 404


def test_forms_need_their_csrf_token(admin, report_template):
    assert admin.post_raw(NEW_PERIOD, _period_form(report_template)).status_code == 400
    assert _periods() == []


# --- templates and versions -------------------------------------------------------------------------------

def _version(number: int) -> TemplateVersion:
    db.session.expire_all()
    return db.session.scalar(sa.select(TemplateVersion).where(TemplateVersion.number == number))


def _indicator_form(**changes) -> dict:
    return {"code": "delegations", "name_vi": "Đoàn vào", "name_en": "Delegations received", "unit": "count",
            "aggregation": "sum", "required": "y", "min_value": "0", "max_value": "500", "outlier_percent": "30",
            "auto_source": "", **changes}


def test_a_new_version_is_a_draft_copy_and_edits_never_touch_a_pinned_report(admin, cluster_world, make_period):
    period = make_period(2023)
    with tenant_context(cluster_world["a"].id):
        pinned = workflow.open_report(period, cluster_world["users"]["a"])
        db.session.commit()
        pinned_id, v1_id = pinned.id, pinned.version_id
    template_id = period.template_id
    assert admin.post(f"{CONFIG}/templates/{template_id}/versions", token_from=PAGE).status_code == 302
    v1, v2 = _version(1), _version(2)
    assert not v2.published and [i.code for i in v2.indicators] == [i.code for i in v1.indicators]
    assert {i.id for i in v2.indicators}.isdisjoint({i.id for i in v1.indicators})
    assert [(c.code, c.max_points) for c in v2.criteria] == [("c1", 10)]
    # a second "new version" while v2 is a draft goes back to v2
    again = admin.post(f"{CONFIG}/templates/{template_id}/versions", token_from=PAGE)
    assert again.headers["Location"].endswith(f"/versions/{v2.id}") and _version(3) is None

    aid = next(i for i in v2.indicators if i.code == "aid_vnd")
    base = f"{CONFIG}/versions/{v2.id}/indicators"
    edited = admin.post(f"{base}/{aid.id}", _indicator_form(code="aid_vnd", name_vi="Viện trợ (mới)", unit="VND"),
                        token_from=PAGE)
    assert edited.status_code == 302
    assert admin.post(f"{base}/new", _indicator_form(auto_source="news.published"), token_from=PAGE).status_code == 302
    assert admin.post(f"{CONFIG}/versions/{v2.id}/publish", token_from=PAGE).status_code == 302

    v1, v2 = _version(1), _version(2)
    assert v2.published and v2.indicators[-1].code == "delegations"
    new = v2.indicators[-1]
    assert (new.outlier_bp, new.auto_source, new.required, new.max_value) == (3000, "news.published", True, 500)
    assert next(i for i in v1.indicators if i.code == "aid_vnd").name_vi == "aid_vnd"  # v1 as it was
    with all_tenants("test: the pinned report"):
        report = db.session.get(Report, pinned_id)
        assert report.version_id == v1_id and {v.indicator.version_id for v in report.values} == {v1_id}
        db.session.rollback()
    with tenant_context(cluster_world["b"].id):  # a report opened now pins v2
        assert workflow.open_report(period, cluster_world["users"]["b"]).version_id == v2.id
        db.session.rollback()


def test_a_published_version_refuses_every_edit(admin, report_template):
    v1 = report_template.versions[0]
    row = v1.indicators[0]
    crit = v1.criteria[0]
    base = f"{CONFIG}/versions/{v1.id}"
    attempts = [("get", f"{base}/indicators/new", None), ("post", f"{base}/indicators/new", _indicator_form()),
                ("get", f"{base}/indicators/{row.id}", None),
                ("post", f"{base}/indicators/{row.id}", _indicator_form(code=row.code)),
                ("post", f"{base}/indicators/{row.id}/move", {"direction": "down"}),
                ("get", f"{base}/indicators/{row.id}/delete", None), ("post", f"{base}/indicators/{row.id}/delete", {}),
                ("post", f"{base}/criteria/{crit.id}", {"code": "c1", "name_vi": "X", "max_points": "5"}),
                ("post", f"{base}/criteria/{crit.id}/delete", {}),
                ("get", f"{base}/sections", None), ("post", f"{base}/sections", {"key": "x", "label_vi": "X",
                                                                                  "label_en": ""}),
                ("get", f"{base}/publish", None), ("post", f"{base}/publish", {})]
    for method, url, data in attempts:
        response = admin.get(url) if method == "get" else admin.post(url, data, token_from=PAGE)
        assert response.status_code == 409, url
        assert "đã được ban hành và không thể thay đổi" in response.get_data(as_text=True)
    v1 = _version(1)
    assert [(i.code, i.name_vi, i.position) for i in v1.indicators] == [
        ("aid_vnd", "aid_vnd", 0), ("members", "members", 1), ("share_bp", "share_bp", 2), ("news", "news", 3)]
    assert [c.name_vi for c in v1.criteria] == ["Tiêu chí 1"] and v1.narrative_keys == "results,shortcomings,key_tasks"


def test_creating_a_template_then_editing_its_draft(admin):
    created = admin.post(f"{CONFIG}/templates/new", {"code": "so-ket", "name_vi": "Báo cáo sơ kết",
                                                       "name_en": "Half-year report"}, token_from=PAGE)
    assert created.status_code == 302
    duplicate = admin.post(f"{CONFIG}/templates/new", {"code": "so-ket", "name_vi": "X", "name_en": "X"},
                           token_from=PAGE)
    assert duplicate.status_code == 400 and "Một mẫu báo cáo khác đã dùng mã này." in duplicate.get_data(True)
    version = _version(1)
    assert not version.published and version.narrative_sections == ["results", "shortcomings", "key_tasks"]
    assert version.narrative_label("shortcomings", "vi") == "Tồn tại, hạn chế"
    assert version.narrative_label("key_tasks", "en") == "Key tasks for the next period"
    base = f"{CONFIG}/versions/{version.id}"
    refused = admin.post(f"{base}/publish", token_from=PAGE)
    assert refused.status_code == 400 and "Cần có ít nhất một chỉ tiêu" in refused.get_data(True)

    for code in ("a.one", "b.two", "c.three"):
        assert admin.post(f"{base}/indicators/new", _indicator_form(code=code), token_from=PAGE).status_code == 302
    middle = next(i for i in _version(1).indicators if i.code == "b.two")
    admin.post(f"{base}/indicators/{middle.id}/move", {"direction": "up"}, token_from=PAGE)
    assert [i.code for i in _version(1).indicators] == ["b.two", "a.one", "c.three"]
    admin.post(f"{base}/indicators/{middle.id}/move", {"direction": "up"}, token_from=PAGE)  # already first
    assert [i.code for i in _version(1).indicators] == ["b.two", "a.one", "c.three"]
    bad_move = admin.post(f"{base}/indicators/{middle.id}/move", {"direction": "sideways"}, token_from=PAGE)
    assert bad_move.status_code == 400
    assert admin.get(f"{base}/indicators/{middle.id}/delete").status_code == 200
    assert admin.post(f"{base}/indicators/{middle.id}/delete", token_from=PAGE).status_code == 302
    assert [i.code for i in _version(1).indicators] == ["a.one", "c.three"]

    assert admin.post(f"{base}/criteria/new", {"code": "c1", "name_vi": "Chỉ đạo", "name_en": "",
                                               "max_points": "40"}, token_from=PAGE).status_code == 302
    sections = {"key": ["results", "events", ""], "label_vi": ["Kết quả", "Sự kiện nổi bật", ""],
                "label_en": ["Results", "", ""]}
    assert admin.post(f"{base}/sections", sections, token_from=PAGE).status_code == 302
    version = _version(1)
    assert version.narrative_sections == ["results", "events"]
    assert version.narrative_label("events", "en") == "Sự kiện nổi bật"  # no English: the Vietnamese heading
    assert version.narrative_label("results", "en") == "Results"
    assert admin.post(f"{base}/publish", token_from=PAGE).status_code == 302 and _version(1).published
    page = admin.get(f"{CONFIG}/versions/{version.id}").get_data(as_text=True)
    assert "Sự kiện nổi bật" in page and "Chỉ đạo" in page and "c.three" in page


@pytest.mark.parametrize(("changes", "message"), [
    ({"code": "aid_vnd"}, "Một dòng khác của phiên bản này đã dùng mã này."),
    ({"code": "Viện trợ"}, "Chữ thường không dấu"),
    ({"min_value": "10", "max_value": "5"}, "Giá trị tối đa không được nhỏ hơn giá trị tối thiểu."),
    ({"min_value": "năm"}, "Hãy nhập một số nguyên."),
    ({"max_value": "1" + "0" * 30}, "Số này quá lớn."),
    ({"unit": "EUR"}, "Hãy chọn một mục trong danh sách."),
    ({"aggregation": "median"}, "Hãy chọn một mục trong danh sách."),
    ({"auto_source": "nowhere.at_all"}, "Hãy chọn một mục trong danh sách."),
    ({"outlier_percent": "0"}, "Tỷ lệ phần trăm từ 1 đến 100000."),
    ({"name_vi": ""}, "Trường này là bắt buộc."),
])
def test_bad_indicator_input_is_a_400(admin, report_template, changes, message):
    assert admin.post(f"{CONFIG}/templates/{report_template.id}/versions", token_from=PAGE).status_code == 302
    base = f"{CONFIG}/versions/{_version(2).id}"
    response = admin.post(f"{base}/indicators/new", _indicator_form(**changes), token_from=PAGE)
    assert response.status_code == 400 and message in response.get_data(as_text=True)
    assert len(_version(2).indicators) == 4


def test_a_published_code_keeps_its_unit_and_aggregation(admin, report_template):
    """Rollups add up every version's figures by code: a new version may not measure a code differently."""
    assert admin.post(f"{CONFIG}/templates/{report_template.id}/versions", token_from=PAGE).status_code == 302
    v2 = _version(2)
    base = f"{CONFIG}/versions/{v2.id}/indicators"
    aid = next(i for i in v2.indicators if i.code == "aid_vnd")
    unit = admin.post(f"{base}/{aid.id}", _indicator_form(code="aid_vnd", unit="USD"), token_from=PAGE)
    assert unit.status_code == 400
    assert "“aid_vnd” đã ban hành với đơn vị VNĐ" in unit.get_data(as_text=True)
    how = admin.post(f"{base}/{aid.id}", _indicator_form(code="aid_vnd", unit="VND", aggregation="average"),
                     token_from=PAGE)
    assert how.status_code == 400 and "“aid_vnd” đã ban hành với cách tổng hợp “Tổng”" in how.get_data(True)
    # deleting the row from the draft and adding the code again does not get around it
    share = next(i for i in v2.indicators if i.code == "share_bp")
    assert admin.post(f"{base}/{share.id}/delete", token_from=PAGE).status_code == 302
    again = admin.post(f"{base}/new", _indicator_form(code="share_bp", unit="count"), token_from=PAGE)
    assert again.status_code == 400 and "“share_bp” đã ban hành với đơn vị Phần trăm" in again.get_data(True)
    assert admin.post(f"{base}/new", _indicator_form(code="share_bp", unit="percent", aggregation="average"),
                      token_from=PAGE).status_code == 302
    assert admin.post(f"{base}/new", _indicator_form(code="new.code", unit="USD"), token_from=PAGE).status_code == 302
    assert [(i.unit, i.aggregation) for i in _version(2).indicators if i.code == "aid_vnd"] == [("VND", "sum")]


@pytest.mark.parametrize(("sections", "message"), [
    ({"key": ["Kết quả"], "label_vi": ["Kết quả"], "label_en": [""]}, "khóa gồm chữ thường không dấu"),
    ({"key": ["a", "a"], "label_vi": ["A", "B"], "label_en": ["", ""]}, "“a” bị lặp lại."),
    ({"key": ["a"], "label_vi": [""], "label_en": ["A"]}, "cần có tiêu đề tiếng Việt"),
    ({"key": [f"k{n:03d}_{'x' * 20}" for n in range(12)], "label_vi": ["X"] * 12, "label_en": [""] * 12},
     "tổng độ dài các khóa tối đa 255 ký tự"),
])
def test_bad_sections_are_a_400(admin, report_template, sections, message):
    admin.post(f"{CONFIG}/templates/{report_template.id}/versions", token_from=PAGE)
    response = admin.post(f"{CONFIG}/versions/{_version(2).id}/sections", sections, token_from=PAGE)
    assert response.status_code == 400 and message in response.get_data(as_text=True)
    assert _version(2).narrative_keys == "results,shortcomings,key_tasks"


def test_tampered_section_lists_and_criteria_are_refused(admin, report_template):
    admin.post(f"{CONFIG}/templates/{report_template.id}/versions", token_from=PAGE)
    base = f"{CONFIG}/versions/{_version(2).id}"
    uneven = admin.post(f"{base}/sections", {"key": ["a", "b"], "label_vi": ["A"]}, token_from=PAGE)
    assert uneven.status_code == 400
    zero = admin.post(f"{base}/criteria/new", {"code": "c2", "name_vi": "X", "max_points": "0"}, token_from=PAGE)
    assert zero.status_code == 400 and "Số điểm từ 1 đến 1000." in zero.get_data(as_text=True)
    assert admin.get(f"{base}/widgets/new").status_code == 404
    other = _version(1).indicators[0].id  # a row of another version
    assert admin.get(f"{base}/indicators/{other}").status_code == 404


# --- permissions ------------------------------------------------------------------------------------------

def test_a_national_viewer_reads_but_changes_nothing_and_union_staff_are_refused(browser_factory, cluster_world,
                                                                              make_user, make_period):
    period = make_period(2023)
    version = period.template.versions[0]
    make_user("viewer@vufo.vn", national_role="national_viewer")
    reads = [CONFIG + "/", f"{CONFIG}/templates/{period.template_id}", f"{CONFIG}/versions/{version.id}"]
    writes_get = [NEW_PERIOD, f"{CONFIG}/periods/{period.id}", f"{CONFIG}/periods/{period.id}/delete",
                  f"{CONFIG}/templates/new", f"{CONFIG}/versions/{version.id}/publish"]
    writes_post = [NEW_PERIOD, f"{CONFIG}/periods/{period.id}/delete", f"{CONFIG}/periods/{period.id}/announce",
                   f"{CONFIG}/templates/{period.template_id}/versions", "/national/reports/runs/"]
    viewer = browser_factory()
    viewer.login("viewer@vufo.vn")
    for url in reads:
        assert viewer.get(url).status_code == 200, url
    assert "Kỳ báo cáo mới" not in viewer.get(CONFIG + "/").get_data(as_text=True)
    assert "Tính lại toàn bộ" not in viewer.get("/national/reports/").get_data(as_text=True)
    for url in writes_get:
        assert viewer.get(url).status_code == 403, url
    for url in writes_post:
        assert viewer.post(url, {}, token_from="/national/reports/").status_code == 403, url
    union = browser_factory()
    union.login("reporter@a.vn")
    for url in reads + writes_get:
        assert union.get(url).status_code == 403, url
    for url in writes_post:
        assert union.post(url, {}, token_from="/manage/tinh-a/").status_code == 403, url
    assert [p[1] for p in _periods()] == [2023] and db.session.scalar(sa.select(sa.func.count(Indicator.id))) == 4


def test_every_configuration_page_renders_for_a_draft(admin, report_template, make_period):
    period = make_period(2023)
    admin.post(f"{CONFIG}/templates/{report_template.id}/versions", token_from=PAGE)
    draft = _version(2)
    base = f"{CONFIG}/versions/{draft.id}"
    pages = [PAGE, NEW_PERIOD, f"{CONFIG}/periods/{period.id}", f"{CONFIG}/templates/new",
             f"{CONFIG}/templates/{report_template.id}", base, f"{base}/sections", f"{base}/publish",
             f"{base}/indicators/new", f"{base}/indicators/{draft.indicators[0].id}", f"{base}/criteria/new",
             f"{base}/criteria/{draft.criteria[0].id}/delete"]
    for url in pages:
        assert admin.get(url).status_code == 200, url
    version_page = admin.get(base).get_data(as_text=True)
    assert f"{base}/indicators/{draft.indicators[0].id}/move" in version_page
    assert "Ban hành phiên bản này" in version_page
    assert "Kết quả đạt được" in admin.get(f"{base}/sections").get_data(as_text=True)
    assert 'value="50"' in admin.get(f"{base}/indicators/new").get_data(as_text=True)  # the default ± 50 %
