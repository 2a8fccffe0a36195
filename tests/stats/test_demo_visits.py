"""The demo's visit history: loaded twice without changes, never over counts the site made itself."""

from datetime import timedelta

import sqlalchemy as sa

from app.demo.loader import load_demo
from app.extensions import db
from app.stats.clock import local_day, now_utc
from app.stats.models import VisitDaily
from app.stats.services import national_ranking, visitor_widget
from tenants.context import tenant_context
from tenants.models import Tenant
from tenants.scoping import all_tenants


def all_rows() -> list[tuple]:
    with all_tenants("test: demo visit rows"):
        rows = db.session.execute(sa.select(VisitDaily.tenant_id, VisitDaily.day, VisitDaily.page_views,
                                            VisitDaily.visitors).order_by(VisitDaily.tenant_id, VisitDaily.day))
        return list(rows)


def test_demo_visits_are_idempotent_and_feed_the_widget_and_ranking(app):
    load_demo()
    first = all_rows()
    hai_duong = db.session.scalars(sa.select(Tenant).where(Tenant.slug == "hai-duong")).one()
    yesterday = local_day(now_utc()) - timedelta(days=1)
    with tenant_context(hai_duong.id):  # a count the site made itself survives a reload
        db.session.scalars(sa.select(VisitDaily).where(VisitDaily.day == yesterday)).one().visitors = 7
        db.session.commit()
    load_demo()
    again = all_rows()
    assert len(again) == len(first) > 0
    assert [r for r in again if r[0] == hai_duong.id and r[1] == yesterday][0][3] == 7
    assert not any(r[1] >= local_day(now_utc()) for r in again)  # today is left to real counting
    widget = visitor_widget(hai_duong.id)
    assert widget["yesterday"] == 7 and widget["last_month"] > 0 and widget["total"] > widget["last_month"]
    ranking = national_ranking()
    assert "vufo" not in {r.slug for r in ranking}
    assert [r.visits for r in ranking] == sorted((r.visits for r in ranking), reverse=True)
    if local_day(now_utc()).day > 1:  # on the 1st, nobody has visits this month yet
        assert ranking[0].slug == "ho-chi-minh"
