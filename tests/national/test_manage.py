"""National console basics: create a union from the template, clusters per year, national users."""

import pytest
import sqlalchemy as sa

from app.accounts.models import User
from app.extensions import db
from app.news.models import Category
from app.pages.models import Page
from tenants.context import tenant_context
from tenants.models import Cluster, ClusterLeadership, ClusterMembership, Tenant


@pytest.fixture
def platform(browser, make_user, national):
    make_user("quan-tri@vufo.vn", national_role="platform_admin")
    browser.login("quan-tri@vufo.vn")
    return browser


NEW = "/national/tenants/new"


def test_a_new_union_gets_its_domain_and_the_standard_pages_and_categories(platform, browser_factory):
    response = platform.post(NEW, {"slug": "lang-son", "name_vi": "Liên hiệp các tổ chức hữu nghị tỉnh Lạng Sơn",
                                   "name_en": "Lang Son Union of Friendship Organizations", "province": "",
                                   "host": "lang-son.localhost"}, token_from=NEW)
    assert response.status_code == 302
    tenant = db.session.scalars(sa.select(Tenant).where(Tenant.slug == "lang-son")).one()
    assert tenant.primary_domain.host == "lang-son.localhost"
    with tenant_context(tenant.id):
        pages = {p.slug for p in db.session.scalars(sa.select(Page))}
        categories = {c.slug for c in db.session.scalars(sa.select(Category))}
    assert {"gioi-thieu", "chuc-nang-nhiem-vu", "co-cau-to-chuc", "lien-he"} <= pages
    assert "tin-tuc-hoat-dong" in categories
    site = browser_factory().get("/trang/gioi-thieu/chuc-nang-nhiem-vu", host="lang-son.localhost")
    assert site.status_code == 200 and "Chức năng, nhiệm vụ" in site.get_data(as_text=True)


@pytest.mark.parametrize(("slug", "host", "message"), [
    ("Lạng Sơn", "ls.localhost", "chữ thường"),
    ("tinh-a", "moi.localhost", "đã được dùng"),
    ("lang-son", "tinh-a.localhost", "đã thuộc về một trang"),
    ("lang-son", "khong hop le", "không phải là tên miền"),
])
def test_bad_new_unions_are_refused(platform, tenant_a, slug, host, message):
    response = platform.post(NEW, {"slug": slug, "name_vi": "Liên hiệp mới", "name_en": "New union",
                                   "province": "", "host": host}, token_from=NEW)
    assert response.status_code == 400 and message in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(Tenant.id))) == 2  # national + A


def test_only_platform_admins_create_unions(browser, make_user, national):
    make_user("xem@vufo.vn", national_role="national_viewer")
    browser.login("xem@vufo.vn")
    assert browser.get(NEW).status_code == 403


@pytest.fixture
def cluster(national):
    row = Cluster(code="01", name_vi="Cụm thi đua số 01", name_en="Cluster 01")
    db.session.add(row)
    db.session.commit()
    return row.id


def test_a_cluster_year_gets_members_a_leader_and_a_deputy(platform, cluster, tenant_a, tenant_b):
    path = f"/national/clusters/{cluster}?year=2025"
    response = platform.post(path, {"year": "2025", "member": [str(tenant_a.id), str(tenant_b.id)],
                                    "leader": str(tenant_a.id), "deputy": str(tenant_b.id)}, token_from=path)
    assert response.status_code == 302
    lead = db.session.scalars(sa.select(ClusterLeadership)).one()
    assert (lead.year, lead.leader_tenant_id, lead.deputy_tenant_id) == (2025, tenant_a.id, tenant_b.id)
    assert db.session.scalar(sa.select(sa.func.count(ClusterMembership.id)).where(ClusterMembership.year == 2024)) == 0


@pytest.mark.parametrize("case", ["leader-outside", "deputy-is-leader", "already-elsewhere"])
def test_cluster_rules(platform, cluster, tenant_a, tenant_b, case):
    path = f"/national/clusters/{cluster}?year=2025"
    data = {"year": "2025", "member": [str(tenant_a.id)], "leader": str(tenant_a.id)}
    if case == "leader-outside":
        data["leader"] = str(tenant_b.id)
    elif case == "deputy-is-leader":
        data["deputy"] = str(tenant_a.id)
    else:
        other = Cluster(code="02", name_vi="Cụm thi đua số 02", name_en="Cluster 02")
        db.session.add(other)
        db.session.flush()
        db.session.add(ClusterMembership(cluster_id=other.id, tenant_id=tenant_a.id, year=2025))
        db.session.commit()
    response = platform.post(path, data, token_from=path)
    assert response.status_code == 400 and 'role="alert"' in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(ClusterLeadership.id))) == 0


def test_national_roles_are_granted_and_the_last_platform_admin_kept(platform, make_user):
    make_user("can-bo@vufo.vn")
    assert platform.post("/national/users/", {"email": "can-bo@vufo.vn", "role": "national_viewer"},
                         token_from="/national/users/").status_code == 302
    officer = db.session.scalars(sa.select(User).where(User.email == "can-bo@vufo.vn")).one()
    assert officer.national_role == "national_viewer"
    me = db.session.scalars(sa.select(User).where(User.email == "quan-tri@vufo.vn")).one()
    platform.post(f"/national/users/{me.id}/revoke", {}, token_from="/national/users/")
    db.session.expire_all()
    assert db.session.get(User, me.id).national_role == "platform_admin"  # the last one stays
    missing = platform.post("/national/users/", {"email": "khong-co@vufo.vn", "role": "national_viewer"},
                            token_from="/national/users/")
    assert missing.status_code == 400
