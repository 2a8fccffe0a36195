"""Archiving a union without a successor, restoring it, and removing one of its domains."""

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.reporting.reminders import expected_unions
from app.reporting.summary import cluster_members
from tenants import lifecycle
from tenants.models import Tenant, TenantStatus

BANNER = "đây là trang lưu trữ"


def _tenant(slug: str) -> Tenant:
    db.session.expire_all()
    return db.session.scalars(sa.select(Tenant).where(Tenant.slug == slug)).one()


def test_archive_then_restore_round_trip(browser_factory, tenant_a, tenant_b, make_page, make_user, make_cluster,
                                         make_period, make_report):
    make_page(tenant_a, "Giới thiệu", slug="gioi-thieu")
    make_user("bien-tap@a.vn", tenant=tenant_a, role="editor")
    cluster = make_cluster("01", {2025: [tenant_a, tenant_b], 2026: [tenant_a, tenant_b]})
    p25, p26 = make_period(2025), make_period(2026)
    make_report(tenant_a, p25, {"aid_vnd": 100}, "accepted")
    lifecycle.archive(_tenant("tinh-a"))
    visitor = browser_factory()
    page = visitor.get("/trang/gioi-thieu", host="tinh-a.localhost")
    assert page.status_code == 200 and BANNER in page.get_data(as_text=True).lower()
    assert BANNER not in visitor.get("/", host="tinh-b.localhost").get_data(as_text=True).lower()
    staff = browser_factory()
    staff.login("bien-tap@a.vn")
    assert staff.get("/manage/tinh-a/").status_code == 200
    assert staff.post("/manage/tinh-a/news/new", {"title": "Tin"}, token_from="/manage/tinh-a/").status_code == 403
    # reporting: no longer expected where it has no report; its reported period keeps it listed
    assert {t.slug for _, t in cluster_members(p26, cluster.id)} == {"tinh-b"}
    assert {t.slug for _, t in cluster_members(p25, cluster.id)} == {"tinh-a", "tinh-b"}
    assert tenant_a.id not in expected_unions(p26)

    lifecycle.restore(_tenant("tinh-a"))
    assert _tenant("tinh-a").status == TenantStatus.ACTIVE
    assert BANNER not in visitor.get("/trang/gioi-thieu", host="tinh-a.localhost").get_data(as_text=True).lower()
    assert {t.slug for _, t in cluster_members(p26, cluster.id)} == {"tinh-a", "tinh-b"}
    assert staff.post("/manage/tinh-a/news/new", {"title": "Tin"}, token_from="/manage/tinh-a/").status_code != 403


def test_archive_and_restore_refuse_what_they_cannot_do(tenant_a, national):
    with pytest.raises(lifecycle.LifecycleError):
        lifecycle.archive(national)
    with pytest.raises(lifecycle.LifecycleError):
        lifecycle.restore(_tenant("tinh-a"))  # not archived


def test_the_national_console_archives_after_a_confirmation(browser, tenant_a, make_user):
    make_user("quan-tri@vufo.vn", national_role="platform_admin")
    browser.login("quan-tri@vufo.vn")
    url = "/national/tenants/tinh-a/status"
    browser.post(url, {"status": "archived"}, token_from="/national/")
    assert _tenant("tinh-a").status == TenantStatus.ACTIVE  # no confirmation: nothing changed
    browser.post(url, {"status": "archived", "confirm": "y"}, token_from="/national/")
    assert _tenant("tinh-a").status == TenantStatus.ARCHIVED
    assert "Restore" in browser.get("/national/?lang=en").get_data(as_text=True)
    browser.post(url, {"status": "active"}, token_from="/national/")
    assert _tenant("tinh-a").status == TenantStatus.ACTIVE


def test_only_national_administrators_archive(browser, tenant_a, make_user):
    make_user("admin@a.vn", tenant=tenant_a, role="admin")
    browser.login("admin@a.vn")
    response = browser.post_raw("/national/tenants/tinh-a/status", {"status": "archived", "confirm": "y"})
    assert response.status_code in (400, 403, 404)
    assert _tenant("tinh-a").status == TenantStatus.ACTIVE


def test_removing_a_domain(browser, make_tenant, national, make_user):
    make_tenant("tinh-d", aliases=("cu.tinh-d.vn",))
    make_user("quan-tri@vufo.vn", national_role="platform_admin")
    browser.login("quan-tri@vufo.vn")
    assert browser.get("/", host="cu.tinh-d.vn").status_code == 301  # the alias redirects to the primary host
    browser.post("/national/tenants/tinh-d/domains/remove", {"host": "cu.tinh-d.vn", "confirm": "y"},
                 token_from="/national/")
    assert browser.get("/", host="cu.tinh-d.vn").status_code == 404
    with pytest.raises(lifecycle.LifecycleError):  # the last domain stays
        lifecycle.remove_domain(_tenant("tinh-d"), "tinh-d.localhost")
    tenant = _tenant("tinh-d")
    from tenants.models import TenantDomain

    tenant.domains.append(TenantDomain(host="moi.tinh-d.vn", is_primary=False))
    db.session.commit()
    lifecycle.remove_domain(_tenant("tinh-d"), "tinh-d.localhost")  # the primary: another takes over
    assert [d.host for d in _tenant("tinh-d").domains if d.is_primary] == ["moi.tinh-d.vn"]
