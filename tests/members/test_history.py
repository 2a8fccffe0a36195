"""Registries that hold their history: a member organisation's terms and chapters in the console and on its
public page, the as-of count of members in a report window, and an agreement's signed copy."""

import io
from datetime import date

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.members.models import MemberChapter, MemberTerm, PartnerAgreement
from app.reporting.sources import figure
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
        found = db.session.scalars(sa.select(model).order_by(model.id)).all()
        for row in found:
            db.session.expunge(row)
        return found


def text(response) -> str:
    return response.get_data(as_text=True)


TERM = {"congress_number": "4", "congress_on": "20/10/2018", "term_start": "2018", "term_end": "2023",
        "leaders": "Chủ tịch: Trần Văn Bình; Phó Chủ tịch: Lê Thị Hoa", "member_count": "280", "chapters_count": "6",
        "note": ""}


def test_a_term_round_trip_through_the_console(editor_a, browser_factory, make_member, tenant_a):
    member = make_member(tenant_a, "Hội hữu nghị Việt – Đức", slug="viet-duc")
    terms = f"{BASE}/members/{member.id}/terms"
    assert editor_a.get(f"{terms}/new").status_code == 200
    created = editor_a.post(f"{terms}/new", TERM, token_from=f"{terms}/new")
    assert created.status_code == 302 and created.headers["Location"].endswith(f"/registries/members/{member.id}")
    older = editor_a.post(f"{terms}/new", {**TERM, "congress_number": "3", "congress_on": "2013-09-12",
                                           "term_start": "2013", "term_end": "2018", "leaders": "Chủ tịch: Ngô Đức"},
                          token_from=f"{terms}/new")
    assert older.status_code == 302
    term, third = rows(tenant_a, MemberTerm)
    assert (term.member_id, term.congress_on, term.member_count, term.note) == (member.id, date(2018, 10, 20), 280, "")

    # listed on the member's console page, newest first
    page = text(editor_a.get(f"{BASE}/members/{member.id}"))
    assert page.index("Trần Văn Bình") < page.index("Ngô Đức")
    assert f"/terms/{term.id}/delete" in page

    edited = editor_a.post(f"{terms}/{term.id}", {**TERM, "member_count": "300"}, token_from=f"{terms}/{term.id}")
    assert edited.status_code == 302 and rows(tenant_a, MemberTerm)[0].member_count == 300

    public = text(browser_factory().get("/to-chuc-thanh-vien/viet-duc", host="tinh-a.localhost"))
    assert "Trần Văn Bình" in public and "2018–2023" in public and "20/10/2018" in public and "300" in public
    assert public.index("2018–2023") < public.index("2013–2018")

    delete = f"{terms}/{term.id}/delete"
    confirm = editor_a.get(delete)
    assert confirm.status_code == 200 and "<form method=\"post\"" in text(confirm)
    assert len(rows(tenant_a, MemberTerm)) == 2  # asking is not deleting
    assert editor_a.post(delete, {}, token_from=delete).status_code == 302
    assert [t.id for t in rows(tenant_a, MemberTerm)] == [third.id]


@pytest.mark.parametrize("data", [
    {"term_start": "2023", "term_end": "2018"},
    {"member_count": "-1"},
    {"chapters_count": "-3"},
    {"member_count": "nhiều"},
    {"congress_number": "0"},
    {"congress_on": "32/13/2018"},
    {"term_start": "1800"},
])
def test_invalid_terms_are_refused_with_400(editor_a, make_member, tenant_a, data):
    member = make_member(tenant_a, "Hội hữu nghị Việt – Lào", slug="viet-lao")
    new = f"{BASE}/members/{member.id}/terms/new"
    response = editor_a.post(new, {**TERM, **data}, token_from=new)
    assert response.status_code == 400
    assert rows(tenant_a, MemberTerm) == []


def test_an_invalid_edit_leaves_the_term_as_it_was(editor_a, make_member, tenant_a):
    member = make_member(tenant_a, "Hội hữu nghị Việt – Lào", slug="viet-lao")
    new = f"{BASE}/members/{member.id}/terms/new"
    editor_a.post(new, TERM, token_from=new)
    [term] = rows(tenant_a, MemberTerm)
    url = f"{BASE}/members/{member.id}/terms/{term.id}"
    assert editor_a.post(url, {**TERM, "term_end": "2010"}, token_from=url).status_code == 400
    assert rows(tenant_a, MemberTerm)[0].term_end == 2023


def test_a_term_under_another_member_is_404(editor_a, make_member, tenant_a):
    first = make_member(tenant_a, "Hội một", slug="hoi-mot")
    second = make_member(tenant_a, "Hội hai", slug="hoi-hai")
    new = f"{BASE}/members/{first.id}/terms/new"
    editor_a.post(new, TERM, token_from=new)
    [term] = rows(tenant_a, MemberTerm)
    assert editor_a.get(f"{BASE}/members/{second.id}/terms/{term.id}").status_code == 404
    assert editor_a.get(f"{BASE}/members/{first.id}/nothing/new").status_code == 404


def test_chapters_in_the_console_and_on_the_public_page(editor_a, browser_factory, make_member, tenant_a):
    member = make_member(tenant_a, "Hội hữu nghị Việt – Nhật", slug="viet-nhat")
    chapters = f"{BASE}/members/{member.id}/chapters"
    shown = {"name": "Chi hội Trường Đại học Sao Đỏ", "leader": "Phạm Minh Tuấn", "member_count": "45",
             "founded_on": "2015-03-08", "published": "y"}
    assert editor_a.post(f"{chapters}/new", shown, token_from=f"{chapters}/new").status_code == 302
    assert editor_a.post(f"{chapters}/new", {"name": "Chi hội nháp", "member_count": "3"},
                         token_from=f"{chapters}/new").status_code == 302
    assert editor_a.post(f"{chapters}/new", {"name": "", "member_count": "-2"},
                         token_from=f"{chapters}/new").status_code == 400
    published, draft = rows(tenant_a, MemberChapter)
    assert (published.founded_on, published.member_count, draft.published) == (date(2015, 3, 8), 45, False)
    assert "Chi hội nháp" in text(editor_a.get(f"{BASE}/members/{member.id}"))

    public = text(browser_factory().get("/to-chuc-thanh-vien/viet-nhat", host="tinh-a.localhost"))
    assert "Chi hội Trường Đại học Sao Đỏ" in public and "Phạm Minh Tuấn" in public
    assert "Chi hội nháp" not in public

    url = f"{chapters}/{draft.id}"
    assert editor_a.post(url, {"name": "Chi hội phường Tân Bình", "published": "y"}, token_from=url).status_code == 302
    assert "Chi hội phường Tân Bình" in text(browser_factory().get("/to-chuc-thanh-vien/viet-nhat",
                                                                   host="tinh-a.localhost"))
    delete = f"{url}/delete"
    assert editor_a.post(delete, {}, token_from=delete).status_code == 302
    assert [c.id for c in rows(tenant_a, MemberChapter)] == [published.id]


def test_deleting_a_member_deletes_its_history(editor_a, make_member, tenant_a):
    member = make_member(tenant_a, "Hội hữu nghị Việt – Ý", slug="viet-y")
    editor_a.post(f"{BASE}/members/{member.id}/terms/new", TERM, token_from=f"{BASE}/members/{member.id}/terms/new")
    editor_a.post(f"{BASE}/members/{member.id}/chapters/new", {"name": "Chi hội A"},
                  token_from=f"{BASE}/members/{member.id}/chapters/new")
    delete = f"{BASE}/members/{member.id}/delete"
    assert editor_a.post(delete, {}, token_from=delete).status_code == 302
    assert rows(tenant_a, MemberTerm) == [] and rows(tenant_a, MemberChapter) == []


def test_b_staff_cannot_touch_a_terms_or_chapters(browser, make_user, make_member, tenant_a, tenant_b):
    member = make_member(tenant_a, "Hội của A", slug="hoi-cua-a")
    with tenant_context(tenant_a.id):
        term = MemberTerm(member_id=member.id, term_start=2018, term_end=2023, leaders="Chủ tịch: Riêng A")
        chapter = MemberChapter(member_id=member.id, name="Chi hội riêng A", published=True)
        db.session.add_all([term, chapter])
        db.session.commit()
        term_id, chapter_id = term.id, chapter.id
    make_user("bien-tap@b.vn", tenant=tenant_b, role="editor")
    browser.login("bien-tap@b.vn")
    base = f"/manage/tinh-b/registries/members/{member.id}"
    for url in (f"{base}/terms/new", f"{base}/terms/{term_id}", f"{base}/terms/{term_id}/delete",
                f"{base}/chapters/new", f"{base}/chapters/{chapter_id}", f"{base}/chapters/{chapter_id}/delete"):
        assert browser.get(url).status_code == 404, url
        assert browser.post(url, {**TERM, "name": "Lén"}, token_from="/manage/tinh-b/").status_code == 404, url
    assert [t.leaders for t in rows(tenant_a, MemberTerm)] == ["Chủ tịch: Riêng A"]
    assert [c.name for c in rows(tenant_a, MemberChapter)] == ["Chi hội riêng A"]
    assert rows(tenant_b, MemberTerm) == [] and rows(tenant_b, MemberChapter) == []


def test_members_are_counted_as_of_the_end_of_the_report_window(make_member, tenant_a):
    make_member(tenant_a, "Hội lâu đời", slug="hoi-lau-doi")  # no dates on record: counted
    make_member(tenant_a, "Hội thành lập 2020", slug="hoi-2020", founded_on=date(2020, 5, 1))
    make_member(tenant_a, "Hội thành lập sau kỳ", slug="hoi-moi", founded_on=date(2024, 1, 10))
    make_member(tenant_a, "Hội đã giải thể", slug="hoi-giai-the", founded_on=date(1995, 1, 1),
                dissolved_on=date(2023, 6, 30))
    make_member(tenant_a, "Hội giải thể sau kỳ", slug="hoi-giai-the-sau", dissolved_on=date(2023, 12, 15))
    make_member(tenant_a, "Hội thành lập đúng ngày cuối", slug="hoi-ngay-cuoi", founded_on=date(2023, 12, 14))
    window = (date(2022, 12, 15), date(2023, 12, 14))
    assert figure("members.organisations", tenant_a.id, *window) == 4
    assert figure("members.organisations", tenant_a.id, date(2023, 12, 15), date(2024, 12, 14)) == 4  # new one in
    assert figure("members.organisations", tenant_a.id, date(2019, 1, 1), date(2019, 12, 31)) == 3


def test_an_agreements_signed_copy_is_uploaded_and_downloaded(editor_a, browser_factory, make_partner, tenant_a,
                                                              tenant_b):
    partner = make_partner(tenant_a, "Tỉnh Viêng Chăn")
    new = f"{BASE}/agreements/new"
    response = editor_a.post(new, {"locality_id": str(partner.id), "title": "Biên bản hợp tác 2023–2027",
                                   "kind": "cooperation_minutes", "signed_on": "15/03/2023",
                                   "file": (io.BytesIO(PDF_BYTES), "bien-ban-2023.pdf")},
                             token_from=new, content_type="multipart/form-data")
    assert response.status_code == 302
    [agreement] = rows(tenant_a, PartnerAgreement)
    assert (agreement.original_filename, agreement.content_type, agreement.size) == \
        ("bien-ban-2023.pdf", "application/pdf", len(PDF_BYTES))
    assert agreement.file_path.startswith(f"{tenant_a.id}/partner_agreement-{agreement.id}-")

    page = text(browser_factory().get(f"/doi-tac/{partner.id}", host="tinh-a.localhost"))
    url = f"/doi-tac/thoa-thuan/{agreement.id}/tai-ve"
    assert url in page
    download = browser_factory().get(url, host="tinh-a.localhost")
    assert download.status_code == 200 and download.get_data() == PDF_BYTES
    assert download.headers["Content-Type"] == "application/pdf"
    assert download.headers["X-Content-Type-Options"] == "nosniff"
    assert download.headers["Cache-Control"] == "no-cache"
    assert "attachment" in download.headers["Content-Disposition"]
    assert browser_factory().get(url, host="tinh-b.localhost").status_code == 404  # tenant-checked


@pytest.mark.parametrize(("filename", "data"), [
    ("bang-tinh.xlsx", PDF_BYTES),  # not an accepted kind for an agreement
    ("gia-mao.pdf", b"<script>alert(1)</script>"),  # lies about its type
])
def test_a_wrong_signed_copy_is_refused(editor_a, make_partner, tenant_a, filename, data):
    partner = make_partner(tenant_a, "Tỉnh Luang Prabang")
    new = f"{BASE}/agreements/new"
    response = editor_a.post(new, {"locality_id": str(partner.id), "title": "Biên bản", "kind": "other",
                                   "file": (io.BytesIO(data), filename)},
                             token_from=new, content_type="multipart/form-data")
    assert response.status_code == 400
    assert rows(tenant_a, PartnerAgreement) == []


def test_an_agreement_without_a_file_has_no_download(browser, make_partner, make_agreement, tenant_a):
    partner = make_partner(tenant_a, "Tỉnh Udomxay")
    agreement = make_agreement(tenant_a, partner)
    assert browser.get(f"/doi-tac/thoa-thuan/{agreement.id}/tai-ve", host="tinh-a.localhost").status_code == 404


def test_a_merge_keeps_a_duplicate_members_terms_and_chapters(tenant_a, tenant_b, make_member):
    """The predecessor's member with the successor's slug is dropped; its history joins the successor's."""
    from app.reorg import services

    duplicate = make_member(tenant_a, "Hội hữu nghị Việt – Lào", slug="hoi-viet-lao")
    own = make_member(tenant_a, "Hội hữu nghị Việt – Trung", slug="hoi-viet-trung")
    theirs = make_member(tenant_b, "Hội hữu nghị Việt – Lào", slug="hoi-viet-lao")
    with tenant_context(tenant_a.id):
        db.session.add_all([MemberTerm(member_id=duplicate.id, term_start=2017, term_end=2022, leaders="Chủ tịch: A"),
                            MemberTerm(member_id=own.id, term_start=2019, term_end=2024),
                            MemberChapter(member_id=duplicate.id, name="Chi hội huyện A", published=True)])
        db.session.commit()
    services.merge_unions([tenant_a], tenant_b, date(2025, 7, 1))
    terms = {t.term_start: t.member_id for t in rows(tenant_b, MemberTerm)}
    assert terms == {2017: theirs.id, 2019: own.id}
    assert [c.member_id for c in rows(tenant_b, MemberChapter)] == [theirs.id]
    assert rows(tenant_a, MemberTerm) == [] and rows(tenant_a, MemberChapter) == []
