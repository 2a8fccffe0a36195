"""Member organisations and partner localities on the public site: own tenant, published rows only."""

import pytest

from app.extensions import db
from app.members.models import MemberOrganization
from app.members.services import roman
from tenants.context import tenant_context


def text(response) -> str:
    return response.get_data(as_text=True)


def test_directory_lists_only_published_members_of_the_hosts_tenant(browser, tenant_a, tenant_b, make_member):
    make_member(tenant_a, "Hội hữu nghị Việt – Đức", slug="viet-duc", country_code="DE", congress_number=5,
                term_start=2023, term_end=2028)
    make_member(tenant_a, "Hội hữu nghị Việt – Nhật (nháp)", slug="viet-nhat", published=False)
    make_member(tenant_b, "Hội hữu nghị Việt – Cuba của B", slug="viet-cuba", country_code="CU")

    page = text(browser.get("/to-chuc-thanh-vien", host="tinh-a.localhost"))
    assert "Hội hữu nghị Việt – Đức" in page
    assert "Đức" in page and "Đại hội lần thứ V, nhiệm kỳ 2023–2028" in page
    assert "nháp" not in page
    assert "Cuba của B" not in page

    other = text(browser.get("/to-chuc-thanh-vien", host="tinh-b.localhost"))
    assert "Cuba của B" in other and "Việt – Đức" not in other


def test_member_detail_shows_the_facts_in_both_languages(browser, tenant_a, make_member):
    make_member(tenant_a, "Hội hữu nghị Việt – Triều", slug="viet-trieu", country_code="KP", congress_number=3,
                term_start=2023, term_end=2028, leader_name="Nguyễn Văn A", leader_title="Chủ tịch Hội",
                chapters_count=3, member_count=1353, name_en="Viet Nam – DPRK Friendship Association",
                description_html="<p>Duy trì <strong>3 chi hội</strong>.</p><script>alert(1)</script>")
    vi = text(browser.get("/to-chuc-thanh-vien/viet-trieu", host="tinh-a.localhost"))
    assert "Triều Tiên" in vi  # Babel's Vietnamese territory name for KP
    assert "Đại hội lần thứ III, nhiệm kỳ 2023–2028" in vi
    assert "Chủ tịch Hội" in vi and "Nguyễn Văn A" in vi
    assert "1.353" in vi  # Vietnamese thousands separator
    assert "<strong>3 chi hội</strong>" in vi and "<script>alert(1)" not in vi

    en = text(browser.get("/to-chuc-thanh-vien/viet-trieu?lang=en", host="tinh-a.localhost"))
    assert "North Korea" in en
    assert "Viet Nam – DPRK Friendship Association" in en
    assert "Congress III, term 2023–2028" in en
    assert "1,353" in en


def test_centre_has_no_country(browser, tenant_a, make_member):
    make_member(tenant_a, "Trung tâm hợp tác hữu nghị", slug="trung-tam", kind="centre", country_code=None)
    page = text(browser.get("/to-chuc-thanh-vien/trung-tam", host="tinh-a.localhost"))
    assert "Trung tâm hợp tác hữu nghị" in page
    assert "Nước đối tác" not in page


@pytest.mark.parametrize("slug", ["khong-co", "viet-nhat", "viet-cuba", "%00", "a" * 500])
def test_member_detail_404s(browser, tenant_a, tenant_b, make_member, slug):
    """Unknown, draft and other tenants' members are all 'not found', in the tenant's 404 page."""
    make_member(tenant_a, "Hội hữu nghị Việt – Nhật", slug="viet-nhat", published=False)
    make_member(tenant_b, "Hội hữu nghị Việt – Cuba của B", slug="viet-cuba")
    response = browser.get(f"/to-chuc-thanh-vien/{slug}", host="tinh-a.localhost")
    assert response.status_code in (400, 404)
    assert "Cuba của B" not in text(response)


def test_same_slug_in_two_tenants_shows_each_its_own(browser, tenant_a, tenant_b, make_member):
    make_member(tenant_a, "Hội Việt – Lào của A", slug="viet-lao")
    make_member(tenant_b, "Hội Việt – Lào của B", slug="viet-lao")
    assert "của A" in text(browser.get("/to-chuc-thanh-vien/viet-lao", host="tinh-a.localhost"))
    page_b = text(browser.get("/to-chuc-thanh-vien/viet-lao", host="tinh-b.localhost"))
    assert "của B" in page_b and "của A" not in page_b


def test_directory_is_paginated(browser, tenant_a, make_member):
    for n in range(30):
        make_member(tenant_a, f"Hội hữu nghị số {n:02d}", slug=f"hoi-{n:02d}", position=n)
    first = text(browser.get("/to-chuc-thanh-vien", host="tinh-a.localhost"))
    assert "Hội hữu nghị số 00" in first and "Hội hữu nghị số 29" not in first
    assert 'rel="next"' in first
    second = text(browser.get("/to-chuc-thanh-vien?page=2", host="tinh-a.localhost"))
    assert "Hội hữu nghị số 29" in second and "Hội hữu nghị số 00" not in second
    for bad in ("abc", "-3", "99999999999999999999"):
        assert browser.get(f"/to-chuc-thanh-vien?page={bad}", host="tinh-a.localhost").status_code == 200


def test_partner_page_shows_agreements_and_periods(browser, tenant_a, tenant_b, make_partner, make_agreement):
    # plain ids: each commit and request expires the test's objects, which then belong to no tenant
    vientiane = make_partner(tenant_a, "Viêng Chăn", description="Tỉnh kết nghĩa phía Lào.").id
    agreement = make_agreement(tenant_a, vientiane, "Biên bản hợp tác giai đoạn 2023–2027",
                               summary="Giao lưu thanh niên, học sinh.").id
    make_partner(tenant_a, "Montreuil (nháp)", country_code="FR", level="city", published=False)
    make_partner(tenant_b, "Seine-Saint-Denis của B", country_code="FR", level="department")

    listing = text(browser.get("/doi-tac", host="tinh-a.localhost"))
    assert "Viêng Chăn" in listing and "Lào" in listing
    assert "Biên bản hợp tác giai đoạn 2023–2027" in listing and "Giai đoạn 2023–2027" in listing
    assert "nháp" not in listing and "của B" not in listing

    detail = text(browser.get(f"/doi-tac/{vientiane}", host="tinh-a.localhost"))
    assert "Giao lưu thanh niên, học sinh." in detail
    shown = text(browser.get(f"/doi-tac/thoa-thuan/{agreement}", host="tinh-a.localhost"))
    assert f'id="agreement-{agreement}" class="highlighted" aria-current="true"' in shown
    assert browser.get(f"/doi-tac/{vientiane}", host="tinh-b.localhost").status_code == 404
    assert browser.get(f"/doi-tac/thoa-thuan/{agreement}", host="tinh-b.localhost").status_code == 404


def test_agreement_of_an_unpublished_partner_is_not_public(browser, tenant_a, make_partner, make_agreement):
    draft = make_partner(tenant_a, "Montreuil", country_code="FR", level="city", published=False).id
    agreement_id = make_agreement(tenant_a, draft, "Thỏa thuận hợp tác").id
    assert browser.get(f"/doi-tac/{draft}", host="tinh-a.localhost").status_code == 404
    assert browser.get(f"/doi-tac/thoa-thuan/{agreement_id}", host="tinh-a.localhost").status_code == 404


def test_agreement_cannot_point_at_another_tenants_partner(app, tenant_a, tenant_b, make_partner):
    """The composite foreign key refuses a cross-tenant reference, even if the code tried one."""
    import sqlalchemy as sa

    from app.members.models import PartnerAgreement

    theirs = make_partner(tenant_b, "Địa phương của B").id
    with tenant_context(tenant_a.id):
        db.session.add(PartnerAgreement(locality_id=theirs, title="Không hợp lệ"))
        with pytest.raises(sa.exc.IntegrityError):
            db.session.commit()
        db.session.rollback()


def test_description_is_sanitised_on_save(app, tenant_a):
    with tenant_context(tenant_a.id):
        member = MemberOrganization(name_vi="Hội", slug="hoi", description_html=(
            '<p onclick="x()">Xin chào <a href="javascript:alert(1)">link</a></p><iframe src="//x"></iframe>'))
        db.session.add(member)
        db.session.commit()
        assert "onclick" not in member.description_html
        assert "javascript:" not in member.description_html
        assert "iframe" not in member.description_html
        assert "Xin chào" in member.description_html


def test_roman_numerals():
    assert [roman(n) for n in (1, 3, 4, 5, 7, 9, 12, 14, 40)] == ["I", "III", "IV", "V", "VII", "IX", "XII", "XIV",
                                                                   "XL"]
