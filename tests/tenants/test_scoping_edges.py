"""The less common ways into a tenant table: subqueries, Core-style counts, INSERT statements, bulk
helpers, refreshes of expired objects, deletes and reused ids."""

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.pages.models import Page
from tenants.context import TenantContextMissing, TenantMismatch, tenant_context
from tenants.models import Tenant
from tenants.scoping import all_tenants


@pytest.fixture
def ids(make_page, tenant_a, tenant_b):
    result = {"a": make_page(tenant_a, "Trang A").id}
    result["b"] = [make_page(tenant_b, f"Trang B{i}").id for i in range(3)]
    return result


STATEMENTS = {
    "count select_from": lambda: sa.select(sa.func.count()).select_from(Page),
    "count over subquery": lambda: sa.select(sa.func.count()).select_from(sa.select(Page).subquery()),
    "exists": lambda: sa.select(sa.exists().where(Page.title == "Trang B1")),
    "scalar subquery": lambda: sa.select(sa.select(sa.func.count(Page.id)).scalar_subquery()),
    "union": lambda: sa.select(sa.func.count()).select_from(
        sa.union(sa.select(Page.id), sa.select(Page.id).where(Page.title.like("Trang B%"))).subquery()),
    "cte": lambda: sa.select(sa.func.count()).select_from(sa.select(Page.id).cte()),
}
EXPECTED_IN_A = {"count select_from": 1, "count over subquery": 1, "exists": False, "scalar subquery": 1,
                 "union": 1, "cte": 1}


@pytest.mark.parametrize("shape", STATEMENTS)
def test_every_statement_shape_is_scoped(shape, ids, tenant_a):
    with tenant_context(tenant_a.id):
        assert db.session.scalar(STATEMENTS[shape]()) == EXPECTED_IN_A[shape]


@pytest.mark.parametrize("shape", STATEMENTS)
def test_every_statement_shape_fails_closed_without_a_tenant(shape, ids):
    with pytest.raises(TenantContextMissing):
        db.session.scalar(STATEMENTS[shape]())


def test_insert_statements_are_stamped_or_refused(ids, tenant_a, tenant_b):
    with tenant_context(tenant_a.id):
        db.session.execute(sa.insert(Page), [{"slug": "mot", "title": "Một", "body_html": "", "locale": "vi",
                                              "position": 0, "show_in_menu": True, "published": True}])
        with pytest.raises(TenantMismatch):
            db.session.execute(sa.insert(Page).values(tenant_id=tenant_b.id, slug="x", title="x"))
        with pytest.raises(TenantMismatch):
            db.session.execute(sa.insert(Page), [{"tenant_id": tenant_b.id, "slug": "y", "title": "y"}])
        db.session.commit()
        assert db.session.scalars(sa.select(Page.title).where(Page.slug == "mot")).one() == "Một"
    with pytest.raises(TenantContextMissing):
        db.session.execute(sa.insert(Page), [{"slug": "z", "title": "z"}])
    db.session.rollback()


def test_bulk_helpers_are_stamped_and_checked(ids, tenant_a, tenant_b):
    with tenant_context(tenant_a.id):
        db.session.bulk_insert_mappings(Page, [{"slug": "hai", "title": "Hai", "body_html": "", "locale": "vi",
                                                "position": 0, "show_in_menu": True, "published": True}])
        with pytest.raises(TenantMismatch):
            db.session.bulk_insert_mappings(Page, [{"tenant_id": tenant_b.id, "slug": "x", "title": "x"}])
        db.session.commit()
        assert db.session.scalar(sa.select(sa.func.count(Page.id))) == 2


def test_an_expired_object_of_another_tenant_never_refreshes_into_a(ids, tenant_a):
    with all_tenants("test: load B's page"):
        b_page = db.session.get(Page, ids["b"][0])
        db.session.commit()  # expires it
    with tenant_context(tenant_a.id), pytest.raises((TenantMismatch, sa.orm.exc.ObjectDeletedError)):
        _ = b_page.title
    db.session.rollback()


def test_an_expired_object_of_another_tenant_cannot_be_written_from_a(ids, tenant_a, tenant_b):
    with all_tenants("test: load B's page"):
        b_page = db.session.get(Page, ids["b"][0])
        db.session.commit()
    with tenant_context(tenant_a.id):
        sa.orm.attributes.set_committed_value(b_page, "title", "cũ")  # a loaded title, tenant_id still expired
        b_page.title = "Ghi đè từ A"
        with pytest.raises(TenantMismatch):
            db.session.flush()
        db.session.rollback()
    with tenant_context(tenant_b.id):
        assert db.session.get(Page, ids["b"][0]).title == "Trang B0"


def test_deleting_a_tenant_deletes_its_rows_and_its_id_is_never_reused(make_tenant, ids, tenant_b):
    old_id = tenant_b.id
    db.session.delete(tenant_b)
    db.session.commit()
    newcomer = make_tenant("tinh-moi")
    assert newcomer.id != old_id
    with all_tenants("test: count orphans"):
        assert db.session.scalar(sa.select(sa.func.count(Page.id)).where(Page.tenant_id == old_id)) == 0
    assert db.session.get(Tenant, old_id) is None
