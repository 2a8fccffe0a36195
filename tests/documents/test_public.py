"""Documents (văn bản) on the public site: filters, pagination, bad input, detail and download."""

from datetime import date
from urllib.parse import quote

import pytest

from tests.fixtures.documents import PDF_BYTES


def text(response) -> str:
    return response.get_data(as_text=True)


@pytest.fixture
def documents(tenant_a, tenant_b, make_document):
    """A's four seed documents, one draft, and one of B's; returns their ids by number."""
    made = [
        make_document(tenant_a, "Tăng cường sự lãnh đạo của Đảng, nâng cao hiệu quả đối ngoại nhân dân",
                      number="12-CT/TW", doc_type="directive", issuer="Ban Bí thư Trung ương",
                      issued_on=date(2022, 1, 5)),
        make_document(tenant_a, "Kế hoạch thực hiện Chỉ thị số 12-CT/TW", number="124-KH/TU", doc_type="plan",
                      issuer="Tỉnh ủy", issued_on=None),
        make_document(tenant_a, "Triển khai thực hiện Chỉ thị số 12-CT/TW", number="1970/KH-UBND", doc_type="plan",
                      issuer="UBND tỉnh", issued_on=date(2023, 6, 8)),
        make_document(tenant_a, "Chương trình hợp tác và vận động viện trợ 2023–2025", number="308/QĐ-UBND",
                      doc_type="decision", issuer="UBND tỉnh", issued_on=date(2023, 2, 24)),
        make_document(tenant_a, "Dự thảo chưa đăng", number="99/DT", published=False, issued_on=date(2023, 3, 1)),
        make_document(tenant_b, "Văn bản riêng của B", number="1/B", issuer="UBND tỉnh B",
                      issued_on=date(2023, 1, 1)),
    ]
    return {d.number: d.id for d in made}


def listed(browser, query: str = "", host: str = "tinh-a.localhost") -> str:
    return text(browser.get(f"/van-ban{query}", host=host))


def test_list_shows_only_published_documents_of_the_hosts_tenant(browser, documents):
    page = listed(browser)
    for number in ("12-CT/TW", "124-KH/TU", "1970/KH-UBND", "308/QĐ-UBND"):
        assert number in page
    assert "99/DT" not in page and "riêng của B" not in page
    assert "08/06/2023" in page and "05/01/2022" in page  # dd/mm/yyyy
    order = [page.index(f"<td>{n}</td>") for n in ("1970/KH-UBND", "308/QĐ-UBND", "12-CT/TW", "124-KH/TU")]
    assert order == sorted(order)  # newest first, the undated one last
    assert "riêng của B" in listed(browser, host="tinh-b.localhost")


@pytest.mark.parametrize(("query", "expected"), [
    ("?type=plan", {"124-KH/TU", "1970/KH-UBND"}),
    ("?type=directive", {"12-CT/TW"}),
    ("?issuer=" + quote("UBND tỉnh"), {"1970/KH-UBND", "308/QĐ-UBND"}),
    ("?year=2023", {"1970/KH-UBND", "308/QĐ-UBND"}),
    ("?year=2022&type=directive", {"12-CT/TW"}),
    ("?type=plan&issuer=" + quote("UBND tỉnh") + "&year=2023", {"1970/KH-UBND"}),
    ("?type=&issuer=&year=", {"12-CT/TW", "124-KH/TU", "1970/KH-UBND", "308/QĐ-UBND"}),
])
def test_filters(browser, documents, query, expected):
    response = browser.get(f"/van-ban{query}", host="tinh-a.localhost")
    assert response.status_code == 200
    shown = {number for number in documents if f"<td>{number}</td>" in text(response)}
    assert shown == expected


def test_a_valid_year_without_documents_says_so(browser, documents):
    page = listed(browser, "?year=2019")
    assert "Không có văn bản nào phù hợp với bộ lọc." in page


@pytest.mark.parametrize(("query", "message"), [
    ("?type=bogus", "Loại văn bản không hợp lệ"),
    ("?type=%3Cscript%3E", "Loại văn bản không hợp lệ"),
    ("?year=abc", "Năm phải là một số từ 1945 đến 2100"),
    ("?year=-1", "Năm phải là một số từ 1945 đến 2100"),
    ("?year=99999999999999999999999", "Năm phải là một số từ 1945 đến 2100"),
    ("?year=%D9%A2%D9%A0%D9%A2%D9%A3", "Năm phải là một số từ 1945 đến 2100"),  # Arabic-Indic digits
    ("?issuer=" + quote("UBND tỉnh B"), "Không có văn bản nào của cơ quan ban hành này"),
    ("?issuer=" + "x" * 5000, "Không có văn bản nào của cơ quan ban hành này"),
])
def test_bad_filter_values_get_a_clear_message_not_a_500(browser, documents, query, message):
    response = browser.get(f"/van-ban{query}", host="tinh-a.localhost")
    assert response.status_code == 400
    page = text(response)
    assert message in page
    assert 'role="alert"' in page
    assert "<script>" not in page
    assert "12-CT/TW" not in page.split('role="alert"')[1].split("</form>")[1]  # nothing listed on bad input


def test_pagination_keeps_the_filters(browser, tenant_a, make_document):
    for n in range(23):
        make_document(tenant_a, f"Thông báo số {n:02d}", number=f"{n:02d}/TB", doc_type="notice",
                      issued_on=date(2023, 1, 1 + n), file=None)
    make_document(tenant_a, "Một báo cáo", number="1/BC", doc_type="report", issued_on=date(2023, 12, 31), file=None)
    first = listed(browser, "?type=notice")
    assert "22/TB" in first and "13/TB" in first and "12/TB" not in first and "1/BC" not in first
    assert 'href="/van-ban?type=notice&amp;page=2"' in first
    third = listed(browser, "?type=notice&page=3")
    assert "02/TB" in third and "00/TB" in third and "03/TB" not in third
    assert "Trang 3 / 3" in third and 'rel="next"' not in third
    assert browser.get("/van-ban?page=abc", host="tinh-a.localhost").status_code == 200
    assert "00/TB" in listed(browser, "?type=notice&page=999")  # past the end: the last page


def test_detail_page(browser, documents):
    page = listed(browser, f"/{documents['1970/KH-UBND']}")
    assert "Triển khai thực hiện Chỉ thị số 12-CT/TW" in page
    assert "UBND tỉnh" in page and "08/06/2023" in page and "Kế hoạch" in page
    assert f'href="/van-ban/{documents["1970/KH-UBND"]}/tai-ve"' in page


@pytest.mark.parametrize("number", ["99/DT", "1/B"])
def test_draft_and_other_tenants_documents_are_not_found(browser, documents, number):
    for path in (f"/van-ban/{documents[number]}", f"/van-ban/{documents[number]}/tai-ve"):
        response = browser.get(path, host="tinh-a.localhost")
        assert response.status_code == 404
        assert "Trang không tồn tại" in text(response) or "404" in text(response)


@pytest.mark.parametrize("path", ["/van-ban/0", "/van-ban/999999", "/van-ban/99999999999999", "/van-ban/abc",
                                  "/van-ban/-1/tai-ve", "/van-ban/999999/tai-ve"])
def test_unknown_ids_are_404(browser, documents, path):
    assert browser.get(path, host="tinh-a.localhost").status_code == 404


def test_download_headers(browser, tenant_a, make_document):
    doc_id = make_document(tenant_a, "Quyết định 308", number="308/QĐ-UBND",
                           filename="Quyết định 308 QĐ-UBND.pdf").id
    response = browser.get(f"/van-ban/{doc_id}/tai-ve", host="tinh-a.localhost")
    assert response.status_code == 200
    assert response.data == PDF_BYTES
    assert response.mimetype == "application/pdf"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert "filename*=UTF-8''" + quote("Quyết định 308 QĐ-UBND.pdf") in disposition
    assert int(response.headers["Content-Length"]) == len(PDF_BYTES)


def test_download_is_never_served_as_html(browser, tenant_a, make_document):
    doc_id = make_document(tenant_a, "Tệp lạ", file=b"<html><script>alert(1)</script></html>",
                           filename="../../trang.html").id
    response = browser.get(f"/van-ban/{doc_id}/tai-ve", host="tinh-a.localhost")
    assert response.status_code == 200
    assert response.mimetype == "application/octet-stream"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "attachment" in response.headers["Content-Disposition"]
    assert "trang.html" in response.headers["Content-Disposition"]
    assert ".." not in response.headers["Content-Disposition"]


def test_files_live_in_the_tenants_folder(app, tenant_a, make_document):
    from pathlib import Path

    from app.documents.models import Document
    from app.documents.services import documents_root, file_on_disk
    from app.extensions import db
    from tenants.context import tenant_context

    doc_id = make_document(tenant_a, "Có tệp").id
    with tenant_context(tenant_a.id):
        document = db.session.get(Document, doc_id)
        path = file_on_disk(document)
        assert path.parent == (documents_root() / str(tenant_a.id)).resolve()
        assert document.size == len(PDF_BYTES) and document.content_type == "application/pdf"
        document.file_path = "../../secret_key"  # a tampered row never leads out of the tenant's folder
        assert file_on_disk(document) is None
        document.file_path = f"{tenant_a.id + 1}/x.pdf"
        assert file_on_disk(document) is None
        db.session.rollback()
    assert Path(documents_root()).is_dir()


def test_missing_file_is_a_404_and_the_detail_says_there_is_none(browser, tenant_a, make_document):
    doc_id = make_document(tenant_a, "Không có tệp", file=None).id
    assert browser.get(f"/van-ban/{doc_id}/tai-ve", host="tinh-a.localhost").status_code == 404
    assert "Văn bản này chưa có tệp đính kèm." in listed(browser, f"/{doc_id}")
