"""The text of a document's file (PDF, DOCX) is read after the upload by a task, is searched (accents or not) on
the union's site and the portal, never on another union's; a file whose text cannot be read is kept with a clear
message; a PDF can be viewed in the browser."""

import io
import os
import time
from datetime import date

import pytest
import sqlalchemy as sa

from app.documents import text as doc_text
from app.documents.models import Document
from app.extensions import db
from tenants.context import tenant_context
from tests.conftest import PLATFORM_HOST, SERVICES

BASE = "/manage/tinh-a/registries/documents"
FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
DECREE = ("Căn cứ Nghị định số 80/2020/NĐ-CP về quản lý và sử dụng viện trợ không hoàn lại không thuộc hỗ trợ "
          "phát triển chính thức của các cơ quan, tổ chức, cá nhân nước ngoài dành cho Việt Nam.")


def make_pdf(lines: list[str]) -> bytes:
    from fpdf import FPDF

    if not os.path.exists(FONT):
        pytest.skip("no TTF font with Vietnamese glyphs on this machine")
    pdf = FPDF()
    pdf.add_page()
    pdf.add_font("DejaVu", fname=FONT)
    pdf.set_font("DejaVu", size=12)
    for line in lines:
        pdf.multi_cell(0, 8, line, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def make_docx(paragraph: str, cell: str) -> bytes:
    import docx

    document = docx.Document()
    document.add_paragraph(paragraph)
    table = document.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text = "Nội dung"
    table.rows[0].cells[1].text = cell
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def encrypted_pdf() -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(make_pdf([DECREE]))))
    writer.encrypt(user_password="mat-khau", owner_password="chu-so-huu", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@pytest.fixture
def editor_a(browser, make_user, tenant_a):
    make_user("bien-tap@a.vn", tenant=tenant_a, role="editor")
    browser.login("bien-tap@a.vn")
    return browser


@pytest.fixture
def tasks(request):
    """Where the extraction runs: at once in the embedded mode, in a live Celery worker in the services mode."""
    return request.getfixturevalue("live_worker") if SERVICES else None


def upload(editor, data: bytes, filename: str, *, number: str = "05/KH-LHHN", title: str = "Kế hoạch công tác",
           summary: str = "", path: str = f"{BASE}/new"):
    response = editor.post(path, {"number": number, "doc_type": "plan", "issuer": "Liên hiệp tỉnh A",
                                  "issued_on": "2025-03-10", "title": title, "summary": summary,
                                  "file": (io.BytesIO(data), filename), "published": "y"},
                           token_from=path, content_type="multipart/form-data")
    return response


def document_by_number(tenant, number: str, worker=None) -> Document:
    """The document, once its text is no longer pending (waiting for the live worker if there is one)."""
    deadline = time.time() + 60
    while True:
        db.session.expire_all()
        with tenant_context(tenant.id):
            document = db.session.scalars(sa.select(Document).where(Document.number == number)
                                          .options(sa.orm.undefer(Document.text_content))).one()
            db.session.expunge(document)
        if document.text_status != "pending":
            return document
        if time.time() > deadline:
            log = worker.log_path.read_text()[-3000:] if worker is not None else ""
            pytest.fail("document text not read:\n" + log)
        time.sleep(0.3)


def search(browser, q: str, host: str) -> str:
    response = browser.get("/tim-kiem", host=host, query_string={"q": q})
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_a_pdf_and_a_docx_are_found_by_their_text_without_accents(editor_a, browser_factory, tenant_a, tenant_b,
                                                                  tasks):
    assert upload(editor_a, make_pdf(["KẾ HOẠCH", DECREE]), "ke-hoach.pdf").status_code == 302
    assert upload(editor_a, make_docx("Tổ chức hội nghị giao lưu nhân dân.", "Đoàn kết hữu nghị Việt – Lào"),
                  "giao-luu.docx", number="06/KH-LHHN", title="Kế hoạch năm").status_code == 302
    pdf = document_by_number(tenant_a, "05/KH-LHHN", tasks)
    assert (pdf.text_status, pdf.text_error) == ("ok", None)
    assert "Nghị định số 80/2020/NĐ-CP" in pdf.text_content
    word = document_by_number(tenant_a, "06/KH-LHHN", tasks)
    assert word.text_status == "ok"
    assert "giao lưu nhân dân" in word.text_content and "Việt – Lào" in word.text_content  # paragraph and cell

    visitor = browser_factory()
    page = search(visitor, "nghi dinh 80", "tinh-a.localhost")
    assert f'href="/van-ban/{pdf.id}"' in page
    assert "<mark>Nghị</mark> <mark>định</mark>" in page  # the snippet comes from the file's text
    assert "05/KH-LHHN" in page and "Liên hiệp tỉnh A" in page and "10/03/2025" in page  # its metadata
    assert "Văn bản" in page  # the kind's label
    assert f'href="/van-ban/{word.id}"' in search(visitor, "viet lao", "tinh-a.localhost")
    by_number = search(visitor, "05/KH-LHHN", "tinh-a.localhost")  # number / symbol, on both databases
    assert f'href="/van-ban/{pdf.id}"' in by_number and f'href="/van-ban/{word.id}"' not in by_number

    portal = search(visitor, "khong hoan lai", PLATFORM_HOST)
    assert f'tinh-a.localhost/van-ban/{pdf.id}"' in portal.replace(":80/", "/")  # a link to the union's site
    assert "/van-ban/" not in search(visitor, "nghi dinh 80", "tinh-b.localhost")  # never another union's


def test_a_draft_document_is_not_found(editor_a, browser_factory, tenant_a, tasks):
    path = f"{BASE}/new"
    editor_a.post(path, {"number": "07/NHAP", "doc_type": "plan", "issuer": "Liên hiệp tỉnh A", "title": "Nháp",
                         "file": (io.BytesIO(make_pdf([DECREE])), "nhap.pdf")},
                  token_from=path, content_type="multipart/form-data")
    assert document_by_number(tenant_a, "07/NHAP", tasks).text_status == "ok"
    assert "/van-ban/" not in search(browser_factory(), "nghi dinh", "tinh-a.localhost")


@pytest.mark.parametrize(("data", "message"), [
    (b"%PDF-1.7\n" + os.urandom(2000), "The PDF is damaged or not a PDF"),
    (None, "The PDF is encrypted"),
])
def test_an_unreadable_pdf_is_kept_with_a_clear_message(editor_a, tenant_a, tasks, data, message):
    response = upload(editor_a, data if data is not None else encrypted_pdf(), "hong.pdf", number="08/HONG")
    assert response.status_code == 302
    document = document_by_number(tenant_a, "08/HONG", tasks)
    assert document.text_status == "failed" and document.text_content == ""
    assert document.text_error.startswith(message) and "the file is kept" in document.text_error
    edit = editor_a.get(f"{BASE}/{document.id}")
    assert edit.status_code == 200
    assert 'id="document-text-status"' in edit.get_data(as_text=True)
    listing = editor_a.get(f"{BASE}/")
    assert listing.status_code == 200


def test_extraction_never_raises():
    assert doc_text.extract_bytes(b"%PDF-1.4\n" + b"\x00" * 100, "x.pdf") == \
        doc_text.Extracted("failed", error="corrupted_pdf")
    assert doc_text.extract_bytes(b"PK\x03\x04garbage", "x.docx").error == "corrupted_docx"
    assert doc_text.extract_bytes(b"anything", "bang.xlsx").status == "none"


def test_an_image_only_pdf_has_no_text_layer():
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.rect(20, 20, 50, 50, style="F")
    assert doc_text.extract_bytes(bytes(pdf.output()), "scan.pdf").error == "no_text"


def test_text_is_capped(monkeypatch):
    monkeypatch.setattr(doc_text, "MAX_TEXT", 50)
    result = doc_text.extract_bytes(make_pdf([DECREE]), "x.pdf")
    assert result.status == "ok" and len(result.text) == 50


def test_replacing_the_file_reads_the_new_text(editor_a, tenant_a, tasks):
    upload(editor_a, make_pdf(["Văn bản cũ về hợp tác"]), "cu.pdf", number="09/THAY")
    first = document_by_number(tenant_a, "09/THAY", tasks)
    assert "cũ" in first.text_content
    assert upload(editor_a, make_pdf([DECREE]), "moi.pdf", number="09/THAY",
                  path=f"{BASE}/{first.id}").status_code == 302
    second = document_by_number(tenant_a, "09/THAY", tasks)
    assert "cũ" not in second.text_content and "80/2020/NĐ-CP" in second.text_content


def test_a_pdf_is_viewed_inline_in_a_sandbox(browser, tenant_a, make_document, eager_tasks):
    pdf = make_pdf([DECREE])
    doc_id = make_document(tenant_a, "Quyết định", number="10/QĐ", file=pdf, filename="quyet-dinh.pdf").id
    detail = browser.get(f"/van-ban/{doc_id}", host="tinh-a.localhost").get_data(as_text=True)
    assert f'href="/van-ban/{doc_id}/xem"' in detail and f'href="/van-ban/{doc_id}/tai-ve"' in detail
    response = browser.get(f"/van-ban/{doc_id}/xem", host="tinh-a.localhost")
    assert response.status_code == 200 and response.data == pdf
    assert response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"].startswith("inline;")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Content-Security-Policy"] == "sandbox"
    assert browser.get(f"/van-ban/{doc_id}/xem", host="tinh-b.localhost").status_code == 404  # another union's


def test_other_files_only_download(browser, tenant_a, make_document, eager_tasks):
    doc_id = make_document(tenant_a, "Bảng số liệu", number="11/BC", file=b"PK\x03\x04data",
                           filename="bang.xlsx", issued_on=date(2024, 1, 1)).id
    assert browser.get(f"/van-ban/{doc_id}/xem", host="tinh-a.localhost").status_code == 404
    detail = browser.get(f"/van-ban/{doc_id}", host="tinh-a.localhost").get_data(as_text=True)
    assert f"/van-ban/{doc_id}/xem" not in detail and f"/van-ban/{doc_id}/tai-ve" in detail
    with tenant_context(tenant_a.id):
        assert db.session.get(Document, doc_id).text_status == "none"
