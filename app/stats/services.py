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
from app.stats.widget import Base, base_from_days
from tenants.context import tenant_context
from tenants.models import Tenant, TenantKind, TenantStatus
from tenants.scoping import all_tenants

log = logging.getLogger("lhhn.stats")

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


def _merged_days(tenant_id: int, today: date, live: dict[date, tuple[int, int]]):
    """Stored and live days from the start of last month (merged), the older visitors' sum, and the store."""
    since = min([start for start, _ in periods(today).values()] + list(live))
    with tenant_context(tenant_id):
        stored, older = _stored_days(since)
    return _merge(stored, live), older[1]


def visitor_widget(tenant_id: int, now: datetime | None = None) -> dict[str, int]:
    """Visits (distinct visitors per day, added up) for each widget row, plus visitors online now."""
    now = now or now_utc()
    today = local_day(now)
    store = counter()
    days, older = _merged_days(tenant_id, today, _live(store, tenant_id))
    with tenant_context(tenant_id):
        online = _online(store, tenant_id, now)
    return base_from_days(today, days, older).numbers(days.get(today, (0, 0))[1], online)


def day_counts(tenant_id: int, day: date) -> tuple[int, int]:
    """(page views, visitors) of one day, stored and not yet flushed."""
    live = _live(counter(), tenant_id).get(day, (0, 0))
    with tenant_context(tenant_id):
        row = db.session.execute(sa.select(VisitDaily.page_views, VisitDaily.visitors)
                                 .where(VisitDaily.day == day)).first()
    return _merge({day: tuple(row)} if row else {}, {day: live})[day]


def widget_base(tenant_id: int, now: datetime | None = None) -> Base:
    """The widget's numbers before today (for the live half read from Redis), kept in Redis for
    STATS_WIDGET_CACHE_SECONDS; the beat's counter flush renews them."""
    now = now or now_utc()
    today = local_day(now)
    live = {day: counts for day, counts in _live(counter(), tenant_id).items() if day != today}
    days, older = _merged_days(tenant_id, today, live)
    base = base_from_days(today, days, older)
    client, timeout = redis_client(), current_app.config.get("STATS_WIDGET_CACHE_SECONDS", 900)
    if client is not None and timeout:
        try:
            client.set(base_key(tenant_id), base.encode(), ex=timeout)
        except redis.RedisError:
            log.warning("widget base of tenant %s not kept", tenant_id, exc_info=True)
    return base


def base_key(tenant_id: int) -> str:
    """Under the cache's prefix, so that clearing the cache forgets it too."""
    return f"{current_app.config.get('CACHE_KEY_PREFIX', '')}stats:base:{tenant_id}"


def numbers_from_live(tenant_id: int, live: list, now: datetime) -> dict[str, int]:
    """[stored base, today's visitors, online] as read from Redis → the widget's numbers (base computed if
    missing, stale or of another day)."""
    raw, today_visitors, online = live
    base = Base.decode(raw) if current_app.config.get("STATS_WIDGET_CACHE_SECONDS", 900) else None
    if base is None or base.day != local_day(now):
        base = widget_base(tenant_id, now)
    return base.numbers(int(today_visitors), int(online))


def cached_visitor_widget(tenant_id: int, visitor: str | None = None) -> dict[str, int]:
    """The numbers for a response, counting `visitor`'s view first when given: one Redis round trip (the base
    aside); in the embedded mode, the database's numbers kept for STATS_WIDGET_CACHE_SECONDS."""
    client, now = redis_client(), now_utc()
    if client is not None:
        try:
            live = RedisCounter(client).visit_and_read(tenant_id, visitor, now, base_key(tenant_id))
        except redis.RedisError:  # Redis is down: the flushed numbers, and the visit goes uncounted
            log.warning("Redis unreachable: visitor widget shows flushed counts only", exc_info=True)
            return visitor_widget(tenant_id, now)
        return numbers_from_live(tenant_id, live, now)
    if visitor is not None:
        record_view(tenant_id, visitor, now)
    timeout = current_app.config.get("STATS_WIDGET_CACHE_SECONDS", 900)
    if not timeout:
        return visitor_widget(tenant_id, now)
    key = f"stats:widget:{tenant_id}"
    numbers = cache.get(key)
    if numbers is None:
        numbers = visitor_widget(tenant_id, now)
        cache.set(key, numbers, timeout=min(timeout, 30))
    return numbers


def renew_widget_bases(now: datetime | None = None) -> int:
    """Recompute the kept bases of the tenants with Redis counters (after a flush); returns how many."""
    client = redis_client()
    if client is None or not current_app.config.get("STATS_WIDGET_CACHE_SECONDS", 900):
        return 0
    tenants = RedisCounter(client).tenants()
    for tenant_id in tenants:
        widget_base(tenant_id, now)
    return len(tenants)


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
