"""VisitDaily and VisitVisitor stay inside their tenant (model-only entries of the isolation matrix)."""

from datetime import date

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.stats.models import VisitDaily, VisitVisitor
from app.stats.services import visitor_widget
from tenants.context import TenantMismatch, tenant_context

DAY = date(2026, 11, 2)


@pytest.fixture
def rows(make_visit_daily, make_visit_visitor, tenant_a, tenant_b):
    ids = {"a": make_visit_daily(tenant_a, DAY, visitors=70).id, "b": make_visit_daily(tenant_b, DAY, visitors=5).id,
           "a_visitor": make_visit_visitor(tenant_a, DAY).id}
    for obj in [o for o in db.session if isinstance(o, VisitDaily | VisitVisitor)]:
        db.session.expunge(obj)  # the test looks from B's side: none of A's rows in the identity map
    return ids


def test_b_sees_only_its_own_rows(rows, tenant_b):
    with tenant_context(tenant_b.id):
        assert db.session.scalars(sa.select(VisitDaily.visitors)).all() == [5]
        assert db.session.get(VisitDaily, rows["a"]) is None
        assert db.session.scalars(sa.select(VisitVisitor)).all() == []
        assert db.session.get(VisitVisitor, rows["a_visitor"]) is None


def test_b_cannot_change_or_delete_a_rows(rows, tenant_a, tenant_b):
    with tenant_context(tenant_b.id):
        changed = db.session.execute(sa.update(VisitDaily).where(VisitDaily.id == rows["a"])
                                     .values(visitors=0)).rowcount
        gone = db.session.execute(sa.delete(VisitVisitor).where(VisitVisitor.id == rows["a_visitor"])).rowcount
        db.session.commit()
        assert (changed, gone) == (0, 0)
        with pytest.raises(TenantMismatch):
            db.session.add(VisitDaily(tenant_id=tenant_a.id, day=date(2026, 11, 3), page_views=1, visitors=1))
            db.session.flush()
        db.session.rollback()
    with tenant_context(tenant_a.id):
        assert db.session.scalar(sa.select(VisitDaily.visitors)) == 70


def test_the_widget_of_b_never_includes_a(rows, tenant_a, tenant_b):
    from datetime import UTC, datetime

    now = datetime(2026, 11, 2, 5, tzinfo=UTC)
    assert visitor_widget(tenant_b.id, now=now)["today"] == 5
    assert visitor_widget(tenant_a.id, now=now)["today"] == 70


@pytest.mark.services
def test_raw_sql_is_confined_by_row_level_security(rows, tenant_a, tenant_b):
    with tenant_context(tenant_b.id):
        assert db.session.execute(sa.text("select visitors from visit_daily")).scalars().all() == [5]
        assert db.session.execute(sa.text("select count(*) from visit_visitor")).scalar() == 0
    db.session.rollback()
