"""The scoping kernel: a query in tenant A never returns B's rows, whatever the path."""

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from app.core.audit import AuditEntry
from app.extensions import db
from app.pages.models import Page
from tenants.context import TenantContextMissing, TenantMismatch, tenant_context
from tenants.scoping import all_tenants


@pytest.fixture
def pages(make_page, tenant_a, tenant_b):
    a_root = make_page(tenant_a, "Giới thiệu A")
    ids = {"a_root": a_root.id}
    ids["a_child"] = make_page(tenant_a, "Chức năng A", parent=a_root).id
    ids["b_root"] = make_page(tenant_b, "Giới thiệu B").id
    forget_pages()
    return ids


@pytest.fixture
def plant(pages, tenant_b):
    """Plant a corrupt row the database would refuse (B's page under A's page), on a connection of its own,
    to test the ORM's defence below the same-tenant foreign key. Removed afterwards."""
    restore_fk = ("ALTER TABLE page ADD CONSTRAINT fk_page_parent_same_tenant FOREIGN KEY (tenant_id, parent_id) "
                  "REFERENCES page (tenant_id, id) ON DELETE CASCADE")
    b_id = tenant_b.id

    def make(parent_id: int) -> None:
        db.session.rollback()  # the test's session must not hold a lock on `page` while the FK is dropped
        with all_tenants("test: plant a cross-tenant child"), db.engine.connect() as conn:
            sqlite = conn.dialect.name == "sqlite"
            if not sqlite:
                conn.exec_driver_sql("SET lock_timeout = '10s'")  # fail, never hang, if something holds a lock
            conn.exec_driver_sql("PRAGMA foreign_keys = OFF" if sqlite else
                                 "ALTER TABLE page DROP CONSTRAINT fk_page_parent_same_tenant")
            conn.execute(sa.insert(Page.__table__).values(
                tenant_id=b_id, parent_id=parent_id, slug="lac", title="Lạc của B", body_html="", locale="vi",
                position=0, show_in_menu=True, published=False, updated_at=sa.func.now()))
            conn.commit()
            if sqlite:
                conn.exec_driver_sql("PRAGMA foreign_keys = ON")

    yield make
    db.session.rollback()
    with all_tenants("test: remove the planted row"), db.engine.connect() as conn:
        if conn.execute(sa.delete(Page.__table__).where(Page.slug == "lac")).rowcount and \
                conn.dialect.name == "postgresql":
            conn.exec_driver_sql(restore_fk)
        conn.commit()


def forget_pages():
    """Drop pages from the identity map so that the next access really loads them."""
    for obj in list(db.session.identity_map.values()):
        if isinstance(obj, Page) and obj in db.session:
            db.session.expunge(obj)


def titles(rows):
    return sorted(p.title for p in rows)


def test_select_and_filters_see_only_the_current_tenant(pages, tenant_a, tenant_b):
    with tenant_context(tenant_a.id):
        assert titles(db.session.scalars(sa.select(Page))) == ["Chức năng A", "Giới thiệu A"]
        assert db.session.scalars(sa.select(Page).where(Page.title == "Giới thiệu B")).all() == []
        assert db.session.scalar(sa.select(sa.func.count(Page.id))) == 2
    with tenant_context(tenant_b.id):
        assert titles(db.session.scalars(sa.select(Page))) == ["Giới thiệu B"]


def test_get_by_id_returns_nothing_for_another_tenants_row(pages, tenant_a):
    with tenant_context(tenant_a.id):
        assert db.session.get(Page, pages["b_root"]) is None
        assert db.session.get(Page, pages["a_root"]).title == "Giới thiệu A"


def test_get_from_identity_map_still_honours_the_tenant(pages, tenant_a, tenant_b):
    with tenant_context(tenant_b.id):
        loaded = db.session.get(Page, pages["b_root"])
        assert loaded is not None
    with tenant_context(tenant_a.id):
        assert db.session.get(Page, pages["b_root"]) is None


def test_a_page_cannot_reference_another_tenants_page(pages, tenant_b):
    with tenant_context(tenant_b.id):
        db.session.add(Page(parent_id=pages["a_root"], slug="lac", title="Lạc của B"))
        with pytest.raises(sa.exc.IntegrityError):
            db.session.commit()
        db.session.rollback()


def test_lazy_and_selectin_loads_drop_rows_of_another_tenant(pages, plant, tenant_a, tenant_b):
    # A corrupt row: B's page hanging under A's page. Neither loader may hand it to A.
    plant(pages["a_root"])
    forget_pages()
    with tenant_context(tenant_a.id):
        root = db.session.get(Page, pages["a_root"])
        assert [c.title for c in root.children] == ["Chức năng A"]  # lazy load
        forget_pages()
        root = db.session.scalars(sa.select(Page).where(Page.id == pages["a_root"])
                                  .options(selectinload(Page.children))).one()
        assert [c.title for c in root.children] == ["Chức năng A"]  # selectin load
        forget_pages()
        child = db.session.get(Page, pages["a_child"])
        assert child.parent.title == "Giới thiệu A"  # many-to-one lazy load


def test_joins_and_aliases_are_scoped(pages, tenant_a):
    parent = sa.orm.aliased(Page)
    with tenant_context(tenant_a.id):
        rows = db.session.execute(sa.select(Page.title, parent.title).join(parent, Page.parent_id == parent.id)).all()
    assert rows == [("Chức năng A", "Giới thiệu A")]


def test_bulk_update_and_delete_touch_only_the_current_tenant(pages, tenant_a, tenant_b):
    with tenant_context(tenant_a.id):
        db.session.execute(sa.update(Page).values(published=False))
        db.session.execute(sa.delete(Page).where(Page.parent_id.is_not(None)))
        db.session.commit()
    with tenant_context(tenant_b.id):
        b_root = db.session.get(Page, pages["b_root"])
        assert b_root.published is True


def test_new_rows_are_stamped_with_the_current_tenant(tenant_a):
    with tenant_context(tenant_a.id):
        page = Page(slug="moi", title="Mới")
        db.session.add(page)
        db.session.commit()
        assert page.tenant_id == tenant_a.id


def test_writing_a_row_of_another_tenant_is_refused(pages, tenant_a, tenant_b):
    with tenant_context(tenant_a.id):
        db.session.add(Page(tenant_id=tenant_b.id, slug="xam-nhap", title="Xâm nhập"))
        with pytest.raises(TenantMismatch):
            db.session.flush()
        db.session.rollback()
    with all_tenants("test: load B's page"):
        b_page = db.session.get(Page, pages["b_root"])
    with tenant_context(tenant_a.id):
        b_page.title = "Sửa trộm"
        with pytest.raises(TenantMismatch):
            db.session.flush()
        db.session.rollback()
        a_page = db.session.get(Page, pages["a_root"])
        a_page.tenant_id = tenant_b.id  # moving a row out of the tenant is a write into B
        with pytest.raises(TenantMismatch):
            db.session.flush()
        db.session.rollback()


def test_deleting_a_row_of_another_tenant_is_refused(pages, tenant_a):
    with all_tenants("test: load B's page"):
        b_page = db.session.get(Page, pages["b_root"])
    with tenant_context(tenant_a.id):
        db.session.delete(b_page)
        with pytest.raises(TenantMismatch):
            db.session.flush()
        db.session.rollback()


def test_no_tenant_fails_closed(pages):
    with pytest.raises(TenantContextMissing):
        db.session.scalars(sa.select(Page)).all()
    with pytest.raises(TenantContextMissing):
        db.session.get(Page, pages["a_root"])
    db.session.add(Page(slug="mo-coi", title="Mồ côi"))
    with pytest.raises(TenantContextMissing):
        db.session.flush()
    db.session.rollback()


def test_all_tenants_sees_everything_and_is_audited(pages, make_user):
    user = make_user("quoc-gia@vufo.vn", national_role="platform_admin")
    with all_tenants("national rollup of pages", actor_id=user.id):
        assert db.session.scalar(sa.select(sa.func.count(Page.id))) == 3
    db.session.rollback()  # the audit entry was written in its own transaction and survives
    entry = db.session.scalars(sa.select(AuditEntry).where(AuditEntry.action == "tenancy.all_tenants")).one()
    assert entry.detail == "national rollup of pages"
    assert entry.actor_id == user.id


def test_all_tenants_needs_a_reason():
    with pytest.raises(ValueError), all_tenants(""):
        pass


def test_tenant_context_is_restored_after_nesting(tenant_a, tenant_b):
    from tenants.context import current_tenant_id

    with tenant_context(tenant_a.id):
        with tenant_context(tenant_b.id):
            assert current_tenant_id() == tenant_b.id
        assert current_tenant_id() == tenant_a.id
    assert current_tenant_id() is None


def test_lazy_load_of_an_object_loaded_outside_the_tenant_is_still_scoped(pages, plant, tenant_a, tenant_b):
    plant(pages["a_root"])
    with all_tenants("test: load the parent unscoped"):
        forget_pages()
        root = db.session.scalars(sa.select(Page).where(Page.id == pages["a_root"])).one()
    with tenant_context(tenant_a.id):
        assert [c.title for c in root.children] == ["Chức năng A"]


def test_all_tenants_inside_a_write_transaction_does_not_lock_up(pages, tenant_a):
    with tenant_context(tenant_a.id):
        db.session.add(Page(slug="dang-viet", title="Đang viết"))
        db.session.flush()  # this transaction now holds the write lock (on SQLite, the only one)
    with all_tenants("national rollup after a write"):
        assert db.session.scalar(sa.select(sa.func.count(Page.id))) == 4
    db.session.commit()
    assert db.session.scalar(sa.select(sa.func.count(AuditEntry.id))
                             .where(AuditEntry.action == "tenancy.all_tenants")) == 1
