"""Row-level security on PostgreSQL: raw SQL in tenant A's transaction cannot see or write B's rows."""

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import ProgrammingError

from app import import_models
from app.extensions import db
from tenants.context import tenant_context
from tenants.scoping import scoped_models

pytestmark = pytest.mark.services


@pytest.fixture
def two_tenants_pages(make_page, tenant_a, tenant_b):
    make_page(tenant_a, "Trang A")
    make_page(tenant_b, "Trang B1")
    make_page(tenant_b, "Trang B2")


def test_the_app_role_is_subject_to_rls():
    row = db.session.execute(sa.text("select rolsuper, rolbypassrls from pg_roles where rolname = current_user")).one()
    assert row == (False, False)


def test_every_tenant_table_has_a_forced_policy():
    import_models()
    tables = {m.__tablename__ for m in scoped_models(db.Model.registry)}
    assert "page" in tables
    rows = db.session.execute(sa.text(
        "select c.relname, c.relrowsecurity, c.relforcerowsecurity, count(p.policyname) "
        "from pg_class c left join pg_policies p on p.tablename = c.relname "
        "where c.relname = any(:tables) group by 1, 2, 3"), {"tables": list(tables)}).all()
    assert {r[0] for r in rows} == tables
    assert all(r[1] and r[2] and r[3] >= 1 for r in rows), rows


def test_raw_sql_in_a_sees_none_of_b(two_tenants_pages, tenant_a, tenant_b):
    with tenant_context(tenant_a.id):
        rows = db.session.execute(sa.text("select title, tenant_id from page")).all()
        assert rows == [("Trang A", tenant_a.id)]
        hidden = db.session.execute(sa.text("select count(*) from page where tenant_id = :b"), {"b": tenant_b.id})
        assert hidden.scalar() == 0
    db.session.rollback()


def test_raw_sql_in_a_cannot_insert_or_update_b(two_tenants_pages, tenant_a, tenant_b):
    with tenant_context(tenant_a.id):
        with pytest.raises(ProgrammingError, match="row-level security"):
            db.session.execute(sa.text(
                "insert into page (tenant_id, slug, title, body_html, locale, position, show_in_menu, published,"
                " updated_at) values (:b, 'x', 'x', '', 'vi', 0, true, true, now())"), {"b": tenant_b.id})
        db.session.rollback()
        changed = db.session.execute(sa.text("update page set title = 'hacked' where tenant_id = :b"),
                                     {"b": tenant_b.id})
        assert changed.rowcount == 0
        db.session.rollback()


def test_raw_sql_with_no_tenant_sees_nothing(two_tenants_pages):
    assert db.session.execute(sa.text("select count(*) from page")).scalar() == 0
    db.session.rollback()


def test_a_connection_outside_the_session_sees_nothing(two_tenants_pages):
    with db.engine.connect() as conn:
        assert conn.execute(sa.text("select count(*) from page")).scalar() == 0


def test_switching_tenant_inside_a_transaction_switches_raw_sql_too(two_tenants_pages, tenant_a, tenant_b):
    with tenant_context(tenant_a.id):
        assert db.session.execute(sa.text("select count(*) from page")).scalar() == 1
        with tenant_context(tenant_b.id):
            rows = db.session.connection().execute(sa.text("select title from page order by title")).all()
            assert [r.title for r in rows] == ["Trang B1", "Trang B2"]
        assert db.session.connection().execute(sa.text("select count(*) from page")).scalar() == 1
    db.session.rollback()


def test_a_rolled_back_savepoint_does_not_leave_a_stale_setting(two_tenants_pages, tenant_a, tenant_b):
    with tenant_context(tenant_a.id):
        db.session.execute(sa.text("select 1"))
        savepoint = db.session.begin_nested()
        with tenant_context(tenant_b.id):
            assert db.session.execute(sa.text("select count(*) from page")).scalar() == 2
        savepoint.rollback()  # reverts set_config to A's value; the kernel must not trust its cache
        with tenant_context(tenant_b.id):
            assert db.session.execute(sa.text("select count(*) from page")).scalar() == 2
    db.session.rollback()
