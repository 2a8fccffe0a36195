"""Where counts land: Redis in production, the database in the embedded mode. One interface:

record(tenant_id, visitor, now)        one counted page view
live(tenant_id) -> {day: (views, visitors)}   counts not yet flushed into VisitDaily (Redis only)
online(tenant_id, now) -> int          visitors seen in the last five minutes
"""

import logging
from datetime import date, datetime, timedelta

import redis
import sqlalchemy as sa
from flask import current_app
from sqlalchemy.dialects import postgresql, sqlite

from app.extensions import db
from app.stats.clock import local_day
from app.stats.models import VisitDaily, VisitVisitor
from tenants.context import tenant_context

log = logging.getLogger("lhhn.stats")

ONLINE_WINDOW = 300  # seconds: "Đang online" = visitors seen in the last five minutes
KEY_TTL = 8 * 86400  # Redis day keys outlive a week of missed flushes, then expire by themselves
PREFIX = "lhhn:stats"


def day_code(day: date) -> str:
    return day.strftime("%Y%m%d")


def parse_day(code: str | bytes) -> date:
    code = code.decode() if isinstance(code, bytes) else code
    return date(int(code[:4]), int(code[4:6]), int(code[6:8]))


# The same counting as RedisCounter.record() and the live half of the widget, as Lua functions: the page cache's
# hit script (app/site/page_store.py) and VISIT_SCRIPT below count a visit and read the numbers in one round trip.
LUA_FUNCTIONS = """
local function count_visit(prefix, tid, day, visitor, now, window, ttl)
  local views = prefix .. ':views:' .. tid .. ':' .. day
  redis.call('INCR', views)
  redis.call('EXPIRE', views, ttl)
  local visitors = prefix .. ':visitors:' .. tid .. ':' .. day
  redis.call('PFADD', visitors, visitor)
  redis.call('EXPIRE', visitors, ttl)
  local online = prefix .. ':online:' .. tid
  redis.call('ZADD', online, now, visitor)
  redis.call('ZREMRANGEBYSCORE', online, '-inf', tonumber(now) - window)
  redis.call('EXPIRE', online, 2 * window)
  redis.call('SADD', prefix .. ':days:' .. tid, day)
  redis.call('SADD', prefix .. ':tenants', tid)
end
local function read_live(prefix, tid, day, now, window, base_key)
  return {redis.call('GET', base_key) or '',
          redis.call('PFCOUNT', prefix .. ':visitors:' .. tid .. ':' .. day),
          redis.call('ZCOUNT', prefix .. ':online:' .. tid, tonumber(now) - window, '+inf')}
end
"""

# ARGV: count (0/1), tenant id, day code, visitor, now (Unix seconds), online window, key TTL, prefix, base key
VISIT_SCRIPT = LUA_FUNCTIONS + """
if ARGV[1] == '1' then count_visit(ARGV[8], ARGV[2], ARGV[3], ARGV[4], ARGV[5], tonumber(ARGV[6]), ARGV[7]) end
return read_live(ARGV[8], ARGV[2], ARGV[3], ARGV[5], tonumber(ARGV[6]), ARGV[9])
"""


_scripts: dict[tuple[int, str], object] = {}


def lua_script(client: redis.Redis, source: str):
    """A registered script per client and source (EVALSHA, loaded again by redis-py after a Redis restart)."""
    key = (id(client), source)
    script = _scripts.get(key)
    if script is None:
        script = _scripts[key] = client.register_script(source)
    return script


def visit_args(tenant_id: int, visitor: str | None, now: datetime, base_key: str) -> list:
    """The arguments of VISIT_SCRIPT (and of the page cache's hit script after its own)."""
    return ["1" if visitor else "0", str(tenant_id), day_code(local_day(now)), visitor or "",
            repr(now.timestamp()), ONLINE_WINDOW, KEY_TTL, PREFIX, base_key]


class RedisCounter:
    """INCR for page views, a HyperLogLog of visitor ids per day, a sorted set for 'online'."""

    def __init__(self, client: redis.Redis):
        self.client = client

    @staticmethod
    def views_key(tenant_id: int, day: date) -> str:
        return f"{PREFIX}:views:{tenant_id}:{day_code(day)}"

    @staticmethod
    def visitors_key(tenant_id: int, day: date) -> str:
        return f"{PREFIX}:visitors:{tenant_id}:{day_code(day)}"

    @staticmethod
    def online_key(tenant_id: int) -> str:
        return f"{PREFIX}:online:{tenant_id}"

    @staticmethod
    def days_key(tenant_id: int) -> str:
        """The days of this tenant that still have Redis counters."""
        return f"{PREFIX}:days:{tenant_id}"

    TENANTS_KEY = f"{PREFIX}:tenants"  # tenants that have had counters (the flush walks these)

    def record(self, tenant_id: int, visitor: str, now: datetime) -> None:
        day, stamp = local_day(now), now.timestamp()
        views, visitors, online = (self.views_key(tenant_id, day), self.visitors_key(tenant_id, day),
                                   self.online_key(tenant_id))
        pipe = self.client.pipeline(transaction=False)  # one round trip
        pipe.incr(views).expire(views, KEY_TTL)
        pipe.pfadd(visitors, visitor).expire(visitors, KEY_TTL)
        pipe.zadd(online, {visitor: stamp}).zremrangebyscore(online, "-inf", stamp - ONLINE_WINDOW)
        pipe.expire(online, 2 * ONLINE_WINDOW)
        pipe.sadd(self.days_key(tenant_id), day_code(day)).sadd(self.TENANTS_KEY, tenant_id)
        pipe.execute()

    def visit_and_read(self, tenant_id: int, visitor: str | None, now: datetime, base_key: str) -> list:
        """Count a visit (unless `visitor` is None) and read [stored base, today's visitors, online], at once."""
        return lua_script(self.client, VISIT_SCRIPT)(args=visit_args(tenant_id, visitor, now, base_key))

    def live(self, tenant_id: int) -> dict[date, tuple[int, int]]:
        days = sorted(parse_day(code) for code in self.client.smembers(self.days_key(tenant_id)))
        if not days:
            return {}
        pipe = self.client.pipeline(transaction=False)
        for day in days:
            pipe.get(self.views_key(tenant_id, day)).pfcount(self.visitors_key(tenant_id, day))
        values = pipe.execute()
        return {day: (int(values[2 * i] or 0), int(values[2 * i + 1] or 0)) for i, day in enumerate(days)
                if values[2 * i] is not None}

    def online(self, tenant_id: int, now: datetime) -> int:
        return int(self.client.zcount(self.online_key(tenant_id), now.timestamp() - ONLINE_WINDOW, "+inf"))

    def tenants(self) -> list[int]:
        return sorted(int(t) for t in self.client.smembers(self.TENANTS_KEY))

    def forget(self, tenant_id: int, day: date) -> None:
        """Drop a finished day's counters once its absolute values are in VisitDaily."""
        pipe = self.client.pipeline(transaction=True)
        pipe.delete(self.views_key(tenant_id, day), self.visitors_key(tenant_id, day))
        pipe.srem(self.days_key(tenant_id), day_code(day))
        pipe.execute()


def _dialect_insert(table):
    dialect = db.session.get_bind().dialect.name
    return (postgresql.insert if dialect == "postgresql" else sqlite.insert)(table), dialect


def upsert_daily(tenant_id: int, day: date, *, views: int, visitors: int, absolute: bool) -> None:
    """Write one VisitDaily row: add to it (absolute=False) or raise it to the given totals
    (absolute=True, never lowering it, so a flush can run any number of times)."""
    table = VisitDaily.__table__
    stmt, dialect = _dialect_insert(table)
    stmt = stmt.values(tenant_id=tenant_id, day=day, page_views=views, visitors=visitors,
                       updated_at=sa.func.now())
    if absolute:
        bigger = sa.func.greatest if dialect == "postgresql" else sa.func.max
        changes = {"page_views": bigger(table.c.page_views, stmt.excluded.page_views),
                   "visitors": bigger(table.c.visitors, stmt.excluded.visitors)}
    else:
        changes = {"page_views": table.c.page_views + stmt.excluded.page_views,
                   "visitors": table.c.visitors + stmt.excluded.visitors}
    # Core statement on the table, tenant_id given explicitly; RLS still checks it on PostgreSQL.
    db.session.execute(stmt.on_conflict_do_update(index_elements=["tenant_id", "day"],
                                                  set_={**changes, "updated_at": sa.func.now()}))


class DatabaseCounter:
    """Embedded mode: counts go straight into VisitDaily; VisitVisitor remembers today's visitors."""

    def record(self, tenant_id: int, visitor: str, now: datetime) -> None:
        day, stamp = local_day(now), int(now.timestamp())
        table = VisitVisitor.__table__
        with tenant_context(tenant_id):
            seen = db.session.execute(
                sa.update(table).where(table.c.tenant_id == tenant_id, table.c.day == day,
                                       table.c.visitor == visitor).values(last_seen=stamp)).rowcount
            new = 0
            if not seen:
                stmt, _ = _dialect_insert(table)
                new = db.session.execute(stmt.values(tenant_id=tenant_id, day=day, visitor=visitor, last_seen=stamp)
                                         .on_conflict_do_nothing()).rowcount or 0
                # Once per new visitor: yesterday's rows still answer 'online' around midnight, older ones go.
                db.session.execute(sa.delete(table).where(table.c.tenant_id == tenant_id,
                                                          table.c.day < day - timedelta(days=1)))
            upsert_daily(tenant_id, day, views=1, visitors=1 if new else 0, absolute=False)
            db.session.commit()

    def live(self, tenant_id: int) -> dict[date, tuple[int, int]]:
        return {}  # nothing waits for a flush

    def online(self, tenant_id: int, now: datetime) -> int:
        with tenant_context(tenant_id):
            stmt = (sa.select(sa.func.count(sa.distinct(VisitVisitor.visitor)))
                    .where(VisitVisitor.last_seen >= int(now.timestamp()) - ONLINE_WINDOW))
            return db.session.scalar(stmt) or 0


def redis_client() -> redis.Redis | None:
    """The stats Redis client (one connection pool per app), or None in the embedded mode."""
    url = current_app.config.get("REDIS_URL")
    if not url:
        return None
    client = current_app.extensions.get("stats_redis")
    if client is None:
        client = redis.Redis.from_url(url, socket_timeout=1, socket_connect_timeout=1)
        current_app.extensions["stats_redis"] = client
    return client


def counter() -> RedisCounter | DatabaseCounter:
    client = redis_client()
    return RedisCounter(client) if client is not None else DatabaseCounter()
