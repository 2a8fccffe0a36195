"""Demo visit history: a year of daily visits per union, so the widget and the national ranking have
numbers. Only missing days before today are written, so a reload keeps counts the site made itself."""

import random
from datetime import date, timedelta

import sqlalchemy as sa

from app.extensions import db
from app.stats.clock import local_day, now_utc
from app.stats.models import VisitDaily
from tenants.context import tenant_context
from tenants.models import Tenant

HISTORY_DAYS = 400
# Typical distinct visitors per weekday; the other demo unions get a value from their slug.
DAILY_VISITORS = {"vufo": 900, "ho-chi-minh": 420, "hai-duong": 160, "vinh-phuc": 140, "dak-lak": 110,
                  "tuyen-quang": 90}


def _day_counts(slug: str, day: date, base: int) -> tuple[int, int]:
    rng = random.Random(f"{slug}:{day.isoformat()}")  # the same numbers on every load
    weekend = 0.55 if day.weekday() >= 5 else 1.0
    growth = 0.8 + 0.2 * (day.toordinal() % 365) / 365
    visitors = max(1, int(base * weekend * growth * rng.uniform(0.7, 1.3)))
    return int(visitors * rng.uniform(2.2, 3.8)), visitors


def load_visit_history(tenants: list[Tenant]) -> int:
    """Insert the demo's daily rows that are missing; returns how many were added."""
    today = local_day(now_utc())
    days = [today - timedelta(days=n) for n in range(HISTORY_DAYS, 0, -1)]
    added = 0
    for tenant in tenants:
        base = DAILY_VISITORS.get(tenant.slug, 50 + sum(map(ord, tenant.slug)) % 80)
        with tenant_context(tenant.id):
            have = set(db.session.scalars(sa.select(VisitDaily.day).where(VisitDaily.day >= days[0])))
            for day in days:
                if day not in have:
                    views, visitors = _day_counts(tenant.slug, day, base)
                    db.session.add(VisitDaily(day=day, page_views=views, visitors=visitors))
                    added += 1
            db.session.commit()
    return added
