"""Import of projects and transactions (CSV, XLSX): preview, Vietnamese row errors, all or nothing, once."""

import re
from datetime import date, datetime
from io import BytesIO

import pytest
import sqlalchemy as sa
from openpyxl import Workbook, load_workbook

from app.aid import project_import
from app.aid.models import AidImport, AidProject, AidTransaction
from app.core.money import Money, MoneyError, parse_amount
from app.extensions import db
from tenants.scoping import all_tenants
from tests.fixtures.aid import GOOD_IMPORT_CSV


@pytest.mark.parametrize(("text", "currency", "minor"), [
    ("1.800.000.000", "VND", 1_800_000_000), ("1,800,000,000", "VND", 1_800_000_000),
    ("1800000000", "VND", 1_800_000_000),
    ("12,5", "USD", 1250), ("12.5", "USD", 1250), ("1.234,56", "EUR", 123456), ("1,234.56", "USD", 123456),
    ("1.800", "USD", 180000), ("0,05", "EUR", 5), ("1 800 000", "VND", 1_800_000), ("40.000.000", "KRW", 40_000_000),
])
def test_amounts_parse_to_exact_minor_units(text, currency, minor):
    assert parse_amount(text, currency) == Money(minor, currency)


@pytest.mark.parametrize(("text", "currency"), [
    ("12,5a", "VND"), ("12,5", "VND"), ("1.80.000", "VND"), ("1.234.5", "USD"), ("1,2,3", "USD"), ("-5", "VND"),
    ("", "VND"), ("1.234,567", "USD"), ("1,234.56.7", "USD"), ("1e5", "VND"), ("12.", "USD"),
])
def test_bad_amounts_are_refused(text, currency):
    with pytest.raises(MoneyError):
        parse_amount(text, currency)


def projects(tenant) -> list[AidProject]:
    db.session.expire_all()
    with all_tenants("test"):
        rows = list(db.session.scalars(sa.select(AidProject).where(AidProject.tenant_id == tenant.id)
                                       .order_by(AidProject.id)))
        for row in rows:
            _ = row.transactions, row.donors
        return rows


def upload(browser, slug: str, data: bytes, filename: str):
    return browser.post(f"/manage/{slug}/aid/import/", {"file": (BytesIO(data), filename)},
                        token_from=f"/manage/{slug}/aid/import/", content_type="multipart/form-data")


@pytest.fixture
def editor_a(make_user, tenant_a, browser, usd_rate, make_donor):
    make_donor("COPION", acronym="COPION", country="KR")
    make_user("editor@a.vn", tenant=tenant_a, role="editor")
    browser.login("editor@a.vn")
    return browser


def confirm(browser, slug: str, preview_url: str):
    import_id = re.search(r"/import/(\d+)$", preview_url).group(1)
    return browser.post(f"/manage/{slug}/aid/import/{import_id}/confirm", token_from=preview_url)


def test_good_csv_previews_then_imports_exact_amounts(editor_a, tenant_a):
    response = upload(editor_a, "tinh-a", GOOD_IMPORT_CSV, "du-an.csv")
    assert response.status_code == 302
    preview_url = response.headers["Location"]
    preview = editor_a.get(preview_url).get_data(as_text=True)
    assert "Trang riêng của A – nhập từ tệp" in preview and "1.800.000.000 ₫" in preview and "12,50 USD" in preview
    assert "2 dự án mới với 3 giao dịch" in preview
    assert projects(tenant_a) == []  # a preview writes nothing
    assert confirm(editor_a, "tinh-a", preview_url).status_code == 302
    first, second = projects(tenant_a)
    assert first.title_vi == "Trang riêng của A – nhập từ tệp" and first.public and first.status == "implementation"
    assert [(t.kind, t.date, t.amount, t.currency) for t in first.transactions] == [
        ("commitment", date(2023, 1, 10), 1_800_000_000, "VND"),
        ("disbursement", date(2023, 5, 31), 1_800_000_000, "VND")]
    tx = second.transactions[0]
    assert (tx.amount, tx.currency, tx.usd_amount, tx.vnd_amount) == (1250, "USD", 1250, 302_875)  # 12,5 × 24230
    assert not second.public and second.status == "completed"


def test_good_xlsx_with_number_date_and_text_cells(editor_a, tenant_a):
    book = Workbook()
    sheet = book.active
    sheet.append(["Mã dự án", "Tên dự án", "Mã lĩnh vực (DAC)", "Nhà tài trợ", "Loại giao dịch", "Ngày giao dịch",
                  "Số tiền", "Tiền tệ", "Ngày bắt đầu", "Số người hưởng lợi"])
    sheet.append(["X1", "Nhà lớp học từ Excel", 11220, "copion", "Cam kết", datetime(2023, 1, 10), 1800000000, "VND",
                  datetime(2023, 1, 1), 334])
    sheet.append(["X1", None, None, "COPION", "Giải ngân", "31/05/2023", "1.800.000.000", "VND"])
    sheet.append(["X2", "Học bổng từ Excel", "11220", None, "cam kết", datetime(2023, 2, 1), 12.5, "USD"])
    sheet.append([None] * 8)  # an empty row is skipped
    out = BytesIO()
    book.save(out)
    response = upload(editor_a, "tinh-a", out.getvalue(), "vien-tro.xlsx")
    assert response.status_code == 302, response.get_data(as_text=True)
    assert confirm(editor_a, "tinh-a", response.headers["Location"]).status_code == 302
    first, second = projects(tenant_a)
    assert [t.amount for t in first.transactions] == [1_800_000_000, 1_800_000_000]
    assert [d.acronym for d in first.donors] == ["COPION"] and first.transactions[0].donor.acronym == "COPION"
    assert first.start_date == date(2023, 1, 1) and first.beneficiaries == 334
    assert (second.transactions[0].amount, second.transactions[0].currency) == (1250, "USD")


BAD_CSV = (
    "Mã dự án,Tên dự án,Mã lĩnh vực (DAC),Loại giao dịch,Ngày giao dịch,Số tiền,Tiền tệ,Nhà tài trợ\n"
    "DA1,Dự án tốt,11220,cam kết,10/01/2023,1.000.000,VND,\n"
    "DA2,Dự án hỏng,99999,cam kết,10/01/2023,\"12,5a\",VND,\n"
    "DA3,,11220,tặng,31/02/2023,100,GBP,Không ai\n"
    "DA4,Trước khi có tỷ giá,11220,cam kết,01/01/2019,100,USD,\n"
).encode()


def test_a_bad_file_is_rejected_as_a_whole_with_row_errors(editor_a, tenant_a):
    response = upload(editor_a, "tinh-a", BAD_CSV, "du-an.csv")
    body = response.get_data(as_text=True)
    assert response.status_code == 400
    for message in ("Dòng 3, cột &#39;Số tiền&#39;: &#39;12,5a&#39; không phải là số tiền VND hợp lệ",
                    "Dòng 3, cột &#39;Mã lĩnh vực (DAC)&#39;: &#39;99999&#39; không có trong danh mục",
                    "Dòng 4, cột &#39;Tên dự án&#39;: không được để trống",
                    "Dòng 4, cột &#39;Loại giao dịch&#39;: &#39;tặng&#39; không phải là loại giao dịch hợp lệ",
                    "Dòng 4, cột &#39;Ngày giao dịch&#39;: &#39;31/02/2023&#39; không phải là ngày hợp lệ",
                    "Dòng 4, cột &#39;Tiền tệ&#39;: &#39;GBP&#39; không phải là mã tiền tệ hợp lệ",
                    "Dòng 4, cột &#39;Nhà tài trợ&#39;: &#39;Không ai&#39; không có trong danh bạ",
                    "Dòng 5, cột &#39;Ngày giao dịch&#39;: Không có tỷ giá USD áp dụng cho ngày 01/01/2019"):
        assert message in body, message
    assert "Dòng 2" not in body and "Không có dữ liệu nào được nhập" in body
    assert projects(tenant_a) == []
    with all_tenants("test"):
        assert db.session.scalar(sa.select(sa.func.count(AidImport.id))) == 0  # nothing kept either


@pytest.mark.parametrize(("data", "filename", "message"), [
    (b"x" * (project_import.MAX_BYTES + 1), "big.csv", "Tệp quá lớn"),
    (GOOD_IMPORT_CSV, "du-an.pdf", "Chỉ nhận tệp .csv hoặc .xlsx"),
    (b"PK\x03\x04 not really a workbook", "broken.xlsx", "Không đọc được tệp Excel"),
    ("Tên,Số tiền\nA,1\n".encode(), "thieu-cot.csv", "Thiếu cột"),
    (b"\xff\xfe\x00x", "latin.csv", "UTF-8"),
    ("Mã dự án,Tên dự án,Mã lĩnh vực (DAC)\n".encode() + b"P,T,11220\n" * (project_import.MAX_ROWS + 1),
     "many.csv", "quá 1000 dòng"),
])
def test_whole_file_problems(editor_a, data, filename, message):
    response = upload(editor_a, "tinh-a", data, filename)
    assert response.status_code == 400 and message in response.get_data(as_text=True)


def test_confirming_twice_imports_once(editor_a, tenant_a):
    preview_url = upload(editor_a, "tinh-a", GOOD_IMPORT_CSV, "du-an.csv").headers["Location"]
    assert confirm(editor_a, "tinh-a", preview_url).status_code == 302
    again = confirm(editor_a, "tinh-a", preview_url)
    assert again.status_code == 302 and again.headers["Location"].endswith(preview_url)
    assert len(projects(tenant_a)) == 2
    page = editor_a.get(preview_url).get_data(as_text=True)
    assert "Tệp này đã được nhập" in page  # the flash of the refused second confirmation, and the page's note
    assert "Xác nhận nhập" not in page  # no confirm button for an imported file
    with all_tenants("test"):
        assert db.session.scalar(sa.select(sa.func.count(AidTransaction.id))) == 3


def test_confirm_checks_the_stored_file_again(editor_a, tenant_a, make_staged_import):
    """What is imported is the stored file re-checked on confirm, never data from the form."""
    staged = make_staged_import(tenant_a).id
    with all_tenants("test"):
        db.session.execute(sa.update(AidImport).where(AidImport.id == staged)
                           .values(data=GOOD_IMPORT_CSV.replace("11220,đang".encode(), "99999,đang".encode())))
        db.session.commit()
    response = editor_a.post(f"/manage/tinh-a/aid/import/{staged}/confirm",
                             token_from=f"/manage/tinh-a/aid/import/{staged}")
    assert response.status_code == 400 and "99999" in response.get_data(as_text=True)
    assert projects(tenant_a) == []
    with all_tenants("test"):
        assert db.session.get(AidImport, staged).status == "staged"


def test_another_unions_staged_import_is_404(editor_a, tenant_b, make_staged_import):
    staged = make_staged_import(tenant_b).id
    assert editor_a.get(f"/manage/tinh-a/aid/import/{staged}").status_code == 404
    assert editor_a.post(f"/manage/tinh-a/aid/import/{staged}/confirm",
                         token_from="/manage/tinh-a/aid/import/").status_code == 404
    assert projects(tenant_b) == []


def test_reporter_reads_but_cannot_import(make_user, tenant_a, browser, usd_rate):
    make_user("reporter@a.vn", tenant=tenant_a, role="reporter")
    browser.login("reporter@a.vn")
    assert browser.get("/manage/tinh-a/aid/import/").status_code == 403
    assert browser.get("/manage/tinh-a/aid/import/template.csv").status_code == 200


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_the_templates_import_as_they_are(editor_a, tenant_a, kind):
    template = editor_a.get(f"/manage/tinh-a/aid/import/template.{kind}")
    assert template.status_code == 200 and "attachment" in template.headers["Content-Disposition"]
    if kind == "xlsx":
        header = [c.value for c in next(load_workbook(BytesIO(template.data)).active.iter_rows(max_row=1))]
        assert header[:3] == ["Mã dự án", "Tên dự án", "Tên tiếng Anh"]
    response = upload(editor_a, "tinh-a", template.data, f"mau.{kind}")
    assert response.status_code == 302, response.get_data(as_text=True)
    assert confirm(editor_a, "tinh-a", response.headers["Location"]).status_code == 302
    [project] = projects(tenant_a)
    assert [t.amount for t in project.transactions] == [1_800_000_000, 1_800_000_000]


def test_unconfirmed_files_are_not_kept_for_long(editor_a, tenant_a, make_staged_import):
    from datetime import UTC, timedelta

    old = make_staged_import(tenant_a).id
    with all_tenants("test"):
        db.session.execute(sa.update(AidImport).where(AidImport.id == old).values(
            created_at=datetime.now(UTC) - timedelta(days=3)))
        db.session.commit()
    assert upload(editor_a, "tinh-a", GOOD_IMPORT_CSV, "du-an.csv").status_code == 302
    assert editor_a.get(f"/manage/tinh-a/aid/import/{old}").status_code == 404
