"""Visitor statistics: count a view, read the widget, flush Redis into VisitDaily, rank the provinces.

Every reader merges the database's daily rows with the counters still in Redis, day by day, taking the
larger of the two (both are absolute totals of the same day, and a flush copies Redis into the row), so
a flush never makes a number move.
"""

import contextvars
import logging
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import redis
import sqlalchemy as sa
from flask import current_app

from app.extensions import cache, db
from app.stats.clock import local_day, month_start, now_utc, periods
from app.stats.counters import RedisCounter, counter, redis_client, upsert_daily
from app.stats.models import VisitDaily
from tenants.context import tenant_context
from tenants.models import Tenant, TenantKind, TenantStatus
from tenants.scoping import all_tenants

log = logging.getLogger("lhhn.stats")

WIDGET_ROWS = ("online", "today", "yesterday", "this_week", "last_week", "this_month", "last_month", "total")


def record_view(tenant_id: int, visitor: str, now: datetime | None = None) -> bool:
    """Count one public page view by `visitor` (a random cookie id); False if the store was unreachable."""
    try:
        counter().record(tenant_id, visitor, now or now_utc())
    except (redis.RedisError, sa.exc.SQLAlchemyError):
        log.warning("visit of tenant %s not counted", tenant_id, exc_info=True)
        db.session.rollback()
        return False
    return True


def _merge(stored: dict[date, tuple[int, int]], live: dict[date, tuple[int, int]]) -> dict[date, tuple[int, int]]:
    merged = dict(stored)
    for day, (views, visitors) in live.items():
        old_views, old_visitors = merged.get(day, (0, 0))
        merged[day] = (max(views, old_views), max(visitors, old_visitors))
    return merged


def _stored_days(since: date) -> tuple[dict[date, tuple[int, int]], tuple[int, int]]:
    """The current tenant's rows from `since` on, one by one, and the sum of the older ones (one query)."""
    bucket = sa.case((VisitDaily.day >= since, VisitDaily.day), else_=None).label("bucket")
    stmt = (sa.select(bucket, sa.func.sum(VisitDaily.page_views), sa.func.sum(VisitDaily.visitors))
            .group_by(bucket))
    recent, older = {}, (0, 0)
    for day, views, visitors in db.session.execute(stmt):
        if day is None:
            older = (int(views or 0), int(visitors or 0))
        else:
            recent[day if isinstance(day, date) else date.fromisoformat(str(day))] = (int(views), int(visitors))
    return recent, older


def _live(store, tenant_id: int) -> dict[date, tuple[int, int]]:
    try:
        return store.live(tenant_id)
    except redis.RedisError:
        log.warning("Redis unreachable: visitor widget shows flushed counts only", exc_info=True)
        return {}


def _online(store, tenant_id: int, now: datetime) -> int:
    try:
        return store.online(tenant_id, now)
    except redis.RedisError:
        return 0


def visitor_widget(tenant_id: int, now: datetime | None = None) -> dict[str, int]:
    """Visits (distinct visitors per day, added up) for each widget row, plus visitors online now."""
    now = now or now_utc()
    today = local_day(now)
    spans = periods(today)
    store = counter()
    live = _live(store, tenant_id)
    since = min([start for start, _ in spans.values()] + list(live))
    with tenant_context(tenant_id):
        stored, older = _stored_days(since)
        online = _online(store, tenant_id, now)
    days = _merge(stored, live)
    numbers = {name: sum(v for d, (_, v) in days.items() if first <= d <= last)
               for name, (first, last) in spans.items()}
    numbers["total"] = older[1] + sum(v for d, (_, v) in days.items() if d <= today)
    numbers["online"] = online
    return numbers


def day_counts(tenant_id: int, day: date) -> tuple[int, int]:
    """(page views, visitors) of one day, stored and not yet flushed."""
    live = _live(counter(), tenant_id).get(day, (0, 0))
    with tenant_context(tenant_id):
        row = db.session.execute(sa.select(VisitDaily.page_views, VisitDaily.visitors)
                                 .where(VisitDaily.day == day)).first()
    return _merge({day: tuple(row)} if row else {}, {day: live})[day]


def cached_visitor_widget(tenant_id: int) -> dict[str, int]:
    """visitor_widget(), kept for STATS_WIDGET_CACHE_SECONDS (0: always fresh)."""
    timeout = current_app.config.get("STATS_WIDGET_CACHE_SECONDS", 30)
    if not timeout:
        return visitor_widget(tenant_id)
    key = f"stats:widget:{tenant_id}"
    numbers = cache.get(key)
    if numbers is None:
        numbers = visitor_widget(tenant_id)
        cache.set(key, numbers, timeout=timeout)
    return numbers


def flush(now: datetime | None = None) -> int:
    """Copy Redis counters into VisitDaily as absolute totals; drop the keys of days before yesterday.
    Idempotent: a second run writes the same values. Returns the number of rows written."""
    client = redis_client()
    if client is None:
        return 0  # the embedded mode counts straight into the database
    store, today = RedisCounter(client), local_day(now or now_utc())
    written = 0
    for tenant_id in store.tenants():
        days = store.live(tenant_id)
        try:
            with tenant_context(tenant_id):
                for day, (views, visitors) in days.items():
                    upsert_daily(tenant_id, day, views=views, visitors=visitors, absolute=True)
                db.session.commit()
        except sa.exc.IntegrityError:  # the tenant was deleted: its counters have nowhere to go
            db.session.rollback()
            log.warning("stats flush: tenant %s no longer exists, dropping its counters", tenant_id)
            client.srem(RedisCounter.TENANTS_KEY, tenant_id)
            continue
        written += len(days)
        for day in days:
            if day < today - timedelta(days=1):  # finished, and past any request still running at midnight
                store.forget(tenant_id, day)
    return written


@dataclass(frozen=True)
class RankedSite:
    rank: int
    slug: str
    name_vi: str
    name_en: str
    host: str | None
    visits: int
    page_views: int

    def name(self, locale: str) -> str:
        return self.name_en if locale == "en" and self.name_en else self.name_vi


def national_ranking(now: datetime | None = None) -> list[RankedSite]:
    """Active provincial sites by visits this month (ties share a rank), Redis counters included."""
    today = local_day(now or now_utc())
    first = month_start(today)
    store = counter()
    with all_tenants("stats: national ranking of provincial sites by visits this month", public_read=True):
        tenants = db.session.scalars(
            sa.select(Tenant).where(Tenant.kind == TenantKind.PROVINCIAL, Tenant.status == TenantStatus.ACTIVE)
            .options(sa.orm.selectinload(Tenant.domains))).all()
        stmt = (sa.select(VisitDaily.tenant_id, VisitDaily.day, VisitDaily.page_views, VisitDaily.visitors)
                .where(VisitDaily.day >= first, VisitDaily.day <= today))
        stored: dict[int, dict[date, tuple[int, int]]] = {}
        for tenant_id, day, views, visitors in db.session.execute(stmt):
            stored.setdefault(tenant_id, {})[day] = (views, visitors)
        rows = []
        for tenant in tenants:
            days = _merge(stored.get(tenant.id, {}), _live(store, tenant.id))
            month = [v for d, v in days.items() if first <= d <= today]
            domain = tenant.primary_domain
            rows.append((sum(v for _, v in month), sum(p for p, _ in month), tenant.name_vi, tenant.name_en or "",
                         tenant.slug, domain.host if domain else None))
    rows.sort(key=lambda r: (-r[0], r[2]))
    ranked, rank = [], 0
    for position, (visits, views, name_vi, name_en, slug, host) in enumerate(rows, start=1):
        if not ranked or visits != ranked[-1].visits:
            rank = position
        ranked.append(RankedSite(rank, slug, name_vi, name_en, host, visits, views))
    return ranked


def cached_national_ranking() -> list[RankedSite]:
    """The ranking, computed at most every STATS_RANKING_CACHE_SECONDS, outside the visitor's request:
    the audit entry of the cross-tenant read then names no visitor IP address."""
    timeout = current_app.config.get("STATS_RANKING_CACHE_SECONDS", 300)
    key = "stats:ranking"
    ranking = cache.get(key) if timeout else None
    if ranking is None:
        app = current_app._get_current_object()

        def compute():
            with app.app_context():
                return national_ranking()

        ranking = contextvars.Context().run(compute)
        if timeout:
            cache.set(key, ranking, timeout=timeout)
    return ranking
