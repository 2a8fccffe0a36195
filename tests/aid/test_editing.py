"""A union's console: create, edit and delete its projects and transactions; roles; inline errors."""

import re
from datetime import date

import pytest
import sqlalchemy as sa

from app.aid.models import AidProject, AidTransaction
from app.core.money import Money
from app.extensions import db
from tenants.context import tenant_context

C = "commitment"


@pytest.fixture
def editor(make_user, tenant_a, browser, usd_rate, make_donor):
    make_donor("COPION", acronym="COPION", country="KR")
    make_user("editor@a.vn", tenant=tenant_a, role="editor")
    browser.login("editor@a.vn")
    return browser


def stored(tenant, model, **where):
    db.session.expire_all()
    with tenant_context(tenant.id):
        rows = list(db.session.scalars(sa.select(model).filter_by(**where).order_by(model.id)))
        for row in rows:
            _ = row.donor if model is AidTransaction else row.donors
        return rows


PROJECT = {"title_vi": "Nhà lớp học mới", "title_en": "", "sector_code": "11220", "status": "implementation",
           "district": "huyện Tứ Kỳ", "commune": "xã Ngọc Kỳ", "start_date": "2024-01-10", "end_date": "",
           "beneficiaries": "120", "description": "Hai phòng học.", "public": "y"}


def test_create_edit_and_delete_a_project_with_its_transactions(editor, tenant_a):
    from app.aid.models import Donor

    copion = db.session.scalars(sa.select(Donor)).one().id
    created = editor.post("/manage/tinh-a/aid/new", {**PROJECT, "donors": [str(copion)]},
                          token_from="/manage/tinh-a/aid/new")
    assert created.status_code == 302
    [project] = stored(tenant_a, AidProject)
    assert (project.title_vi, project.public, project.beneficiaries) == ("Nhà lớp học mới", True, 120)
    assert [d.acronym for d in project.donors] == ["COPION"]
    pid = project.id
    tx = editor.post(f"/manage/tinh-a/aid/{pid}/transactions/new",
                     {"kind": "commitment", "date": "2024-01-10", "currency": "USD", "amount": "1.234,5",
                      "donor_id": str(copion), "note": ""}, token_from=f"/manage/tinh-a/aid/{pid}/transactions/new")
    assert tx.status_code == 302
    [row] = stored(tenant_a, AidTransaction)
    assert (row.amount, row.currency, row.vnd_amount, row.donor.acronym) == (123450, "USD", 29_911_935, "COPION")
    edited = editor.post(f"/manage/tinh-a/aid/transactions/{row.id}/edit",
                         {"kind": "disbursement", "date": "2024-02-01", "currency": "VND", "amount": "1.800.000.000",
                          "donor_id": "None", "note": "Đợt 1"},
                         token_from=f"/manage/tinh-a/aid/transactions/{row.id}/edit")
    assert edited.status_code == 302
    [row] = stored(tenant_a, AidTransaction)
    assert (row.kind, row.amount, row.vnd_amount, row.usd_amount, row.donor) == (
        "disbursement", 1_800_000_000, 1_800_000_000, 7_428_807, None)  # 1,8 tỷ ÷ 24230, in cents
    page = editor.get(f"/manage/tinh-a/aid/{pid}/edit").get_data(as_text=True)
    assert 'value="Nhà lớp học mới"' in page
    changed = editor.post(f"/manage/tinh-a/aid/{pid}/edit", {**PROJECT, "title_vi": "Nhà lớp học đã sửa",
                                                            "public": ""}, token_from=f"/manage/tinh-a/aid/{pid}/edit")
    assert changed.status_code == 302
    [project] = stored(tenant_a, AidProject)
    assert (project.title_vi, project.public, project.donors) == ("Nhà lớp học đã sửa", False, [])
    confirm = editor.get(f"/manage/tinh-a/aid/{pid}/delete")
    assert confirm.status_code == 200 and "Không thể hoàn tác" in confirm.get_data(as_text=True)
    assert stored(tenant_a, AidProject)  # asking is not deleting
    assert editor.post(f"/manage/tinh-a/aid/{pid}/delete", token_from=f"/manage/tinh-a/aid/{pid}/delete"
                       ).status_code == 302
    assert stored(tenant_a, AidProject) == [] and stored(tenant_a, AidTransaction) == []


def test_delete_a_transaction_after_confirmation(editor, tenant_a, make_aid_project):
    project = make_aid_project(tenant_a, transactions=[(C, date(2023, 1, 1), Money(5, "VND"))])
    tx_id = project.transactions[0].id
    assert editor.post_raw(f"/manage/tinh-a/aid/transactions/{tx_id}/delete").status_code == 400  # no CSRF token
    assert len(stored(tenant_a, AidTransaction)) == 1
    assert editor.post(f"/manage/tinh-a/aid/transactions/{tx_id}/delete",
                       token_from=f"/manage/tinh-a/aid/transactions/{tx_id}/delete").status_code == 302
    assert stored(tenant_a, AidTransaction) == []


@pytest.mark.parametrize(("data", "message"), [
    ({"amount": "12,5a"}, "Số tiền VND không hợp lệ"),
    ({"amount": "12,5"}, "Số tiền VND không hợp lệ"),
    ({"amount": "12,5555", "currency": "USD"}, "Số tiền USD không hợp lệ"),
    ({"date": "2019-01-01", "currency": "USD", "amount": "10"}, "Không có tỷ giá USD áp dụng cho ngày 01/01/2019"),
    ({"date": "31/02/2023"}, "Ngày không hợp lệ: hãy viết dd/mm/yyyy"),
    ({"donor_id": "999999"}, "Lựa chọn không hợp lệ"),
    ({"currency": "GBP"}, "Lựa chọn không hợp lệ"),
    ({"amount": ""}, "Trường này là bắt buộc"),
])
def test_transaction_form_errors_are_inline_in_vietnamese(editor, tenant_a, make_aid_project, data, message):
    pid = make_aid_project(tenant_a).id
    form = {"kind": "commitment", "date": "2023-01-01", "currency": "VND", "amount": "1000", "donor_id": "None",
            **data}
    response = editor.post(f"/manage/tinh-a/aid/{pid}/transactions/new", form,
                           token_from=f"/manage/tinh-a/aid/{pid}/transactions/new")
    body = response.get_data(as_text=True)
    assert response.status_code == 400 and "Vui lòng sửa các trường" in body
    assert message.lower() in body.lower(), body[body.find("errors"):][:400]
    assert stored(tenant_a, AidTransaction) == []


def test_project_form_errors(editor, tenant_a):
    response = editor.post("/manage/tinh-a/aid/new", {**PROJECT, "title_vi": "", "end_date": "2023-01-01",
                                                      "sector_code": "00000"}, token_from="/manage/tinh-a/aid/new")
    body = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Ngày kết thúc không được trước ngày bắt đầu" in body and 'aria-invalid="true"' in body
    assert stored(tenant_a, AidProject) == []


def test_another_unions_proposed_donor_cannot_be_named(editor, tenant_a, tenant_b, make_donor_proposal):
    other = make_donor_proposal(tenant_b, "Quỹ riêng của B").donor_id
    page = editor.get("/manage/tinh-a/aid/new").get_data(as_text=True)
    assert "Quỹ riêng của B" not in page
    response = editor.post("/manage/tinh-a/aid/new", {**PROJECT, "donors": [str(other)]},
                           token_from="/manage/tinh-a/aid/new")
    assert response.status_code == 400 and stored(tenant_a, AidProject) == []


def test_reporter_reads_only(make_user, tenant_a, browser, make_aid_project):
    project = make_aid_project(tenant_a, transactions=[(C, date(2023, 1, 1), Money(5, "VND"))])
    pid, tx_id = project.id, project.transactions[0].id
    make_user("reporter@a.vn", tenant=tenant_a, role="reporter")
    browser.login("reporter@a.vn")
    detail = browser.get(f"/manage/tinh-a/aid/{pid}").get_data(as_text=True)
    assert "Sửa dự án" not in detail and "Xóa dự án" not in detail
    for url in (f"/manage/tinh-a/aid/{pid}/edit", f"/manage/tinh-a/aid/{pid}/delete", "/manage/tinh-a/aid/new",
                f"/manage/tinh-a/aid/{pid}/transactions/new", f"/manage/tinh-a/aid/transactions/{tx_id}/edit",
                f"/manage/tinh-a/aid/transactions/{tx_id}/delete"):
        assert browser.get(url).status_code == 403, url
        assert browser.post(url, {}, token_from=f"/manage/tinh-a/aid/{pid}").status_code == 403, url
    assert len(stored(tenant_a, AidProject)) == 1 and len(stored(tenant_a, AidTransaction)) == 1


def test_admin_sees_the_write_links(make_user, tenant_a, browser, make_aid_project):
    pid = make_aid_project(tenant_a).id
    make_user("admin@a.vn", tenant=tenant_a, role="admin")
    browser.login("admin@a.vn")
    detail = browser.get(f"/manage/tinh-a/aid/{pid}").get_data(as_text=True)
    assert re.search(rf'href="/manage/tinh-a/aid/{pid}/edit"', detail)
    assert f'href="/manage/tinh-a/aid/{pid}/transactions/new"' in detail
