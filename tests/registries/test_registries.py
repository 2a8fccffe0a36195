"""The console registries: categories, member organisations, partner localities, agreements, documents."""

import io

import pytest
import sqlalchemy as sa

from app.documents.models import Document
from app.extensions import db
from app.members.models import MemberOrganization, PartnerAgreement, PartnerLocality
from app.news.models import Category
from tenants.context import tenant_context
from tests.fixtures.media import PDF_BYTES

BASE = "/manage/tinh-a/registries"


@pytest.fixture
def editor_a(browser, make_user, tenant_a):
    make_user("bien-tap@a.vn", tenant=tenant_a, role="editor")
    browser.login("bien-tap@a.vn")
    return browser


def rows(tenant, model):
    with tenant_context(tenant.id):
        found = db.session.scalars(sa.select(model)).all()
        for row in found:
            db.session.expunge(row)
        return found


def test_a_member_organisation_is_added_edited_and_shown_publicly(editor_a, browser_factory, tenant_a):
    new = f"{BASE}/members/new"
    response = editor_a.post(new, {"name_vi": "Hội hữu nghị Việt Nam – Lào tỉnh A", "kind": "association",
                                   "country_code": "la", "congress_number": "5", "term_start": "2022",
                                   "term_end": "2027", "leader_name": "Nguyễn Văn Hữu", "member_count": "320",
                                   "description_html": "<p>Hội <script>alert(1)</script>thành lập năm 1990.</p>",
                                   "position": "0", "published": "y"}, token_from=new)
    assert response.status_code == 302
    [member] = rows(tenant_a, MemberOrganization)
    assert (member.slug, member.country_code, member.term_end) == ("hoi-huu-nghi-viet-nam-lao-tinh-a", "LA", 2027)
    assert "<script>" not in member.description_html
    public = browser_factory().get(f"/to-chuc-thanh-vien/{member.slug}", host="tinh-a.localhost")
    assert public.status_code == 200 and "Nguyễn Văn Hữu" in public.get_data(as_text=True)


@pytest.mark.parametrize(("data", "message"), [
    ({"name_vi": ""}, "Trường này là bắt buộc"),
    ({"member_count": "nhiều"}, "số nguyên"),
    ({"term_start": "2027", "term_end": "2022"}, "không thể kết thúc trước"),
    ({"country_code": "Lào"}, "mã quốc gia"),
    ({"slug": "Có Dấu"}, "không dấu"),
])
def test_member_form_errors_are_inline_and_in_vietnamese(editor_a, tenant_a, data, message):
    new = f"{BASE}/members/new"
    base = {"name_vi": "Hội hữu nghị", "kind": "association", "position": "0"}
    response = editor_a.post(new, {**base, **data}, token_from=new)
    assert response.status_code == 400 and message in response.get_data(as_text=True)
    assert rows(tenant_a, MemberOrganization) == []


def test_a_category_in_use_cannot_be_deleted(editor_a, make_article, make_category, tenant_a):
    category_id = make_category(tenant_a, "Tin tức hoạt động").id
    make_article(tenant_a, "Tin trong chuyên mục")
    page = editor_a.get(f"{BASE}/categories/{category_id}/delete")
    assert "bài viết" in page.get_data(as_text=True)
    response = editor_a.post(f"{BASE}/categories/{category_id}/delete", {},
                             token_from=f"{BASE}/categories/{category_id}/delete")
    assert response.status_code == 400 and len(rows(tenant_a, Category)) == 1


def test_duplicate_addresses_are_refused_with_a_message(editor_a, tenant_a):
    new = f"{BASE}/categories/new"
    assert editor_a.post(new, {"name_vi": "Thông báo", "position": "0"}, token_from=new).status_code == 302
    again = editor_a.post(new, {"name_vi": "Thông báo", "position": "1"}, token_from=new)
    assert again.status_code == 400 and "đã dùng địa chỉ này" in again.get_data(as_text=True)


def test_partners_and_agreements(editor_a, tenant_a):
    new = f"{BASE}/partners/new"
    assert editor_a.post(new, {"name_vi": "Tỉnh Luang Prabang", "country_code": "LA", "level": "province",
                               "position": "0", "published": "y"}, token_from=new).status_code == 302
    [partner] = rows(tenant_a, PartnerLocality)
    new = f"{BASE}/agreements/new"
    response = editor_a.post(new, {"locality_id": str(partner.id), "title": "Biên bản hợp tác 2023–2027",
                                   "kind": "cooperation_minutes", "signed_on": "15/03/2023", "period_start": "2023",
                                   "period_end": "2027"}, token_from=new)
    assert response.status_code == 302
    [agreement] = rows(tenant_a, PartnerAgreement)
    assert agreement.signed_on.isoformat() == "2023-03-15"
    delete = f"{BASE}/partners/{partner.id}/delete"
    blocked = editor_a.post(delete, {}, token_from=delete)
    assert blocked.status_code == 400 and rows(tenant_a, PartnerLocality)


def test_another_unions_locality_cannot_be_chosen(editor_a, make_partner, tenant_a, tenant_b):
    theirs = make_partner(tenant_b, "Địa phương của B").id
    new = f"{BASE}/agreements/new"
    response = editor_a.post(new, {"locality_id": str(theirs), "title": "Lén", "kind": "other"}, token_from=new)
    assert response.status_code == 400 and rows(tenant_a, PartnerAgreement) == []


def test_a_document_with_its_file(editor_a, browser_factory, tenant_a):
    new = f"{BASE}/documents/new"
    response = editor_a.post(new, {"number": "124-KH/LHHN", "doc_type": "plan", "issuer": "Liên hiệp tỉnh A",
                                   "issued_on": "2025-01-15", "title": "Kế hoạch công tác năm 2025",
                                   "file": (io.BytesIO(PDF_BYTES), "ke-hoach-2025.pdf"), "published": "y"},
                             token_from=new, content_type="multipart/form-data")
    assert response.status_code == 302
    [document] = rows(tenant_a, Document)
    download = browser_factory().get(f"/van-ban/{document.id}/tai-ve", host="tinh-a.localhost")
    assert download.status_code == 200 and download.get_data() == PDF_BYTES


def test_a_document_file_that_lies_about_its_type_is_refused(editor_a, tenant_a):
    new = f"{BASE}/documents/new"
    response = editor_a.post(new, {"number": "1/KH", "doc_type": "plan", "issuer": "UBND", "title": "Giả mạo",
                                   "file": (io.BytesIO(b"<script>alert(1)</script>"), "ke-hoach.pdf")},
                             token_from=new, content_type="multipart/form-data")
    assert response.status_code == 400 and "không phải là tài liệu .pdf" in response.get_data(as_text=True)
    assert rows(tenant_a, Document) == []


def test_authors_and_reporters_cannot_edit_registries(browser, make_user, tenant_a):
    make_user("tac-gia@a.vn", tenant=tenant_a, role="author")
    browser.login("tac-gia@a.vn")
    assert browser.get(f"{BASE}/members/").status_code == 403
    assert browser.get(f"{BASE}/nothing/").status_code == 403  # the permission answers before the lookup


def test_unknown_registry_is_404(editor_a):
    assert editor_a.get(f"{BASE}/khong-co/").status_code == 404
