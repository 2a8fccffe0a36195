"""Site settings and custom domains: the union edits, the national union decides the domains."""

import pytest
import sqlalchemy as sa

from app.core.audit import AuditEntry
from app.extensions import db
from app.settings.models import DomainRequest
from tenants.context import tenant_context
from tenants.models import Tenant, TenantDomain

SETTINGS = "/manage/tinh-a/settings/"


@pytest.fixture
def admin_a(browser, make_user, tenant_a):
    make_user("quan-tri@a.vn", tenant=tenant_a, role="admin")
    browser.login("quan-tri@a.vn")
    return browser


def fields(**changes):
    base = {"name_vi": "Liên hiệp các tổ chức hữu nghị tỉnh A", "name_en": "Province A Union",
            "address": "Số 1 đường Hùng Vương", "phone": "0211 3862 000", "email": "lhhn@tinh-a.gov.vn",
            "editor_in_chief": "Nguyễn Văn Biên", "logo": "", "english": "y"}
    base.update(changes)
    return {k: v for k, v in base.items() if v is not None}


def tenant(slug="tinh-a"):
    db.session.expire_all()
    return db.session.scalars(sa.select(Tenant).where(Tenant.slug == slug)).one()


def test_settings_change_the_public_site_and_are_audited(admin_a, browser, tenant_a):
    browser.get("/", host="tinh-a.localhost")  # cached before the change
    assert admin_a.post(SETTINGS, fields(), token_from=SETTINGS).status_code == 302
    assert tenant().editor_in_chief == "Nguyễn Văn Biên"
    home = browser.get("/", host="tinh-a.localhost").get_data(as_text=True)
    assert "Nguyễn Văn Biên" in home and "0211 3862 000" in home  # the page cache let go of the old footer
    entry = db.session.scalars(sa.select(AuditEntry).where(AuditEntry.action == "settings.change")).one()
    assert "editor_in_chief" in entry.detail and entry.tenant_id == tenant_a.id


def test_english_can_be_switched_off_but_vietnamese_stays(admin_a):
    assert admin_a.post(SETTINGS, fields(english=None), token_from=SETTINGS).status_code == 302
    assert tenant().enabled_locales == "vi"


@pytest.mark.parametrize(("changes", "message"), [
    ({"name_vi": ""}, "Trường này là bắt buộc"),
    ({"email": "khong-phai-thu"}, "thư điện tử"),
    ({"logo": "/static/khong-co.png"}, "Not a valid choice"),
])
def test_bad_settings_are_refused_inline(admin_a, changes, message):
    response = admin_a.post(SETTINGS, fields(**changes), token_from=SETTINGS)
    assert response.status_code == 400
    assert tenant().name_vi == "Liên hiệp các tổ chức hữu nghị tỉnh A"


def test_the_logo_comes_from_the_media_library(admin_a, make_media, tenant_a):
    item = make_media(tenant_a, "logo.jpg")
    page = admin_a.get(SETTINGS).get_data(as_text=True)
    logo = f"/media/{item.id}/w320-logo.jpg"
    assert f'value="{logo}"' in page
    assert admin_a.post(SETTINGS, fields(logo=logo), token_from=SETTINGS).status_code == 302
    assert tenant().logo_url == logo


def test_only_admins_edit_settings(browser, make_user, tenant_a):
    make_user("bien-tap@a.vn", tenant=tenant_a, role="editor")
    browser.login("bien-tap@a.vn")
    assert browser.get(SETTINGS).status_code == 403


def request_domain(browser, host, primary=True):
    data = {"domain-host": host, "domain-note": "Tên miền của tỉnh"}
    if primary:
        data["domain-make_primary"] = "y"
    return browser.post(SETTINGS + "domains", data, token_from=SETTINGS)


@pytest.mark.parametrize(("host", "message"), [
    ("http://lhhn.gov.vn/trang", "không phải là tên miền"),
    ("khong co dau cham", "không phải là tên miền"),
    ("localhost", "không phải là tên miền"),
    ("tinh-b.localhost", "đã thuộc về một trang"),
])
def test_bad_domain_requests_are_refused(admin_a, tenant_b, host, message):
    response = request_domain(admin_a, host)
    assert response.status_code == 400 and message in response.get_data(as_text=True)


def test_a_domain_is_approved_nationally_and_becomes_the_main_address(admin_a, browser_factory, make_user):
    assert request_domain(admin_a, "LienHiep.Tinh-A.gov.vn").status_code == 302
    assert request_domain(admin_a, "lienhiep.tinh-a.gov.vn").status_code == 400  # already waiting
    national = browser_factory()
    make_user("quan-tri@vufo.vn", national_role="platform_admin")
    national.login("quan-tri@vufo.vn")
    listing = national.get("/national/domains/").get_data(as_text=True)
    assert "lienhiep.tinh-a.gov.vn" in listing
    with tenant_context(tenant().id):
        request_id = db.session.scalar(sa.select(DomainRequest.id))
    assert national.post(f"/national/domains/tinh-a/{request_id}/approve", {},
                         token_from="/national/domains/").status_code == 302
    primary = tenant().primary_domain
    assert primary.host == "lienhiep.tinh-a.gov.vn"
    # the old host now sends visitors to the new main address
    moved = admin_a.get("/tin-tuc/", host="tinh-a.localhost")
    assert moved.status_code == 301 and moved.headers["Location"].startswith("http://lienhiep.tinh-a.gov.vn/")


def test_declining_needs_a_reason(admin_a, browser_factory, make_user):
    request_domain(admin_a, "lhhn-a.gov.vn")
    national = browser_factory()
    make_user("quan-tri@vufo.vn", national_role="platform_admin")
    national.login("quan-tri@vufo.vn")
    with tenant_context(tenant().id):
        request_id = db.session.scalar(sa.select(DomainRequest.id))
    national.post(f"/national/domains/tinh-a/{request_id}/decline", {"reason": ""}, token_from="/national/domains/")
    assert "Hãy nêu lý do" in national.get("/national/domains/").get_data(as_text=True)
    national.post(f"/national/domains/tinh-a/{request_id}/decline", {"reason": "Tên miền chưa được cấp"},
                  token_from="/national/domains/")
    with tenant_context(tenant().id):
        assert db.session.get(DomainRequest, request_id).status == "declined"
    assert db.session.scalar(sa.select(TenantDomain.id).where(TenantDomain.host == "lhhn-a.gov.vn")) is None
    assert "Tên miền chưa được cấp" in admin_a.get(SETTINGS).get_data(as_text=True)


def test_unions_cannot_decide_and_the_wrong_union_is_404(browser, browser_factory, make_user, make_domain_request,
                                                         tenant_a, tenant_b):
    request = make_domain_request(tenant_a)
    make_user("quan-tri@a.vn", tenant=tenant_a, role="admin")
    browser.login("quan-tri@a.vn")
    assert browser.post(f"/national/domains/tinh-a/{request.id}/approve", {},
                        token_from=SETTINGS).status_code == 403
    national = browser_factory()
    make_user("quan-tri@vufo.vn", national_role="platform_admin")
    national.login("quan-tri@vufo.vn")
    assert national.post(f"/national/domains/tinh-b/{request.id}/approve", {},
                         token_from="/national/domains/").status_code == 404
    assert tenant().primary_domain.host == "tinh-a.localhost"
