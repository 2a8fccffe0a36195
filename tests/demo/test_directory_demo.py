"""The demo's members, partners and documents: Hải Dương's 13 members, Viêng Chăn, the seed documents."""

import re

import sqlalchemy as sa

from app.demo.loader import load_demo
from app.demo.pdf import minimal_pdf
from app.documents.models import Document
from app.extensions import db
from app.members.models import MemberChapter, MemberOrganization, MemberTerm, PartnerAgreement, PartnerLocality
from tenants.scoping import all_tenants


def counts() -> dict:
    with all_tenants("test: demo counts"):
        return {m.__name__: db.session.scalar(sa.select(sa.func.count()).select_from(m))
                for m in (MemberOrganization, PartnerLocality, PartnerAgreement, Document, MemberTerm, MemberChapter)}


def test_directory_demo_is_idempotent(app):
    load_demo()
    first = counts()
    load_demo()
    assert counts() == first
    assert first["Document"] >= 8 and first["PartnerAgreement"] >= 1
    assert first["MemberTerm"] >= 10 and first["MemberChapter"] >= 3


def test_hai_duong_site_shows_its_members_partners_and_documents(app, browser):
    load_demo()
    host = "hai-duong.localhost:5000"
    members = browser.get("/to-chuc-thanh-vien", host=host).get_data(as_text=True)
    assert "13 tổ chức thành viên" in members
    assert "Hội hữu nghị Việt – Đức" in members and "Trung tâm hợp tác hữu nghị" in members
    detail = browser.get("/to-chuc-thanh-vien/viet-duc", host=host).get_data(as_text=True)
    assert "Đại hội lần thứ V, nhiệm kỳ 2023–2028" in detail and "Đức" in detail
    assert "Vũ Đình Long" in detail and "2013–2018" in detail and "Chi hội doanh nhân" in detail  # its history
    partners = browser.get("/doi-tac", host=host).get_data(as_text=True)
    assert "Tỉnh Viêng Chăn" in partners and "Biên bản hợp tác giai đoạn 2023–2027" in partners
    assert "Montreuil" in partners and "Seine-Saint-Denis" in partners
    documents = browser.get("/van-ban", host=host).get_data(as_text=True)
    for number in ("12-CT/TW", "124-KH/TU", "1970/KH-UBND", "308/QĐ-UBND"):
        assert f"<td>{number}</td>" in documents
    document_id = re.search(r'href="/van-ban/(\d+)"', documents).group(1)
    download = browser.get(f"/van-ban/{document_id}/tai-ve", host=host)
    assert download.status_code == 200 and download.data.startswith(b"%PDF-1.4")

    national = browser.get("/van-ban", host="localhost:5000").get_data(as_text=True)
    assert "<td>58/2022/NĐ-CP</td>" in national and "124-KH/TU" not in national
    vinh_phuc = browser.get("/to-chuc-thanh-vien", host="vinh-phuc.localhost:5000").get_data(as_text=True)
    assert "Hội hữu nghị Việt – Lào" in vinh_phuc and "Việt – Đức" not in vinh_phuc


def test_minimal_pdf_has_a_correct_cross_reference_table():
    data = minimal_pdf(["Kế hoạch số 124-KH/TU (Tỉnh ủy)", "Đối ngoại nhân dân – 2023"])
    assert data.startswith(b"%PDF-1.4") and data.rstrip().endswith(b"%%EOF")
    startxref = int(re.search(rb"startxref\n(\d+)\n", data).group(1))
    assert data[startxref:].startswith(b"xref\n0 6\n")
    offsets = [int(o) for o in re.findall(rb"(\d{10}) 00000 n ", data)]
    assert len(offsets) == 5
    for number, offset in enumerate(offsets, start=1):
        assert data[offset:].startswith(f"{number} 0 obj".encode())
    length = int(re.search(rb"/Length (\d+)", data).group(1))
    stream = data.split(b"stream\n", 1)[1].split(b"\nendstream", 1)[0]
    assert len(stream) == length
    assert b"(Ke hoach so 124-KH/TU \\(Tinh uy\\)) Tj" in data
