"""Services mode: Redis counters, the flush into VisitDaily (by the live worker and directly), idempotency,
and numbers that do not move when a flush runs."""

import time
from datetime import timedelta

import pytest
import redis
import sqlalchemy as sa

from app.extensions import db
from app.stats.clock import local_day, now_utc
from app.stats.counters import PREFIX, RedisCounter, redis_client
from app.stats.models import VisitDaily
from app.stats.services import flush, record_view, visitor_widget
from tenants.context import tenant_context

pytestmark = pytest.mark.services
CHROME = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36"


def stored(tenant) -> dict:
    with tenant_context(tenant.id):
        rows = db.session.execute(sa.select(VisitDaily.day, VisitDaily.page_views, VisitDaily.visitors)).all()
    db.session.rollback()
    return {day: (views, visitors) for day, views, visitors in rows}


def three_days_of_visits(tenant, now) -> None:
    """Views today, yesterday and three days ago, by a few visitors."""
    for days_ago, visitors, views_each in ((0, 3, 2), (1, 2, 1), (3, 4, 3)):
        for n in range(visitors):
            for _ in range(views_each):
                record_view(tenant.id, f"visitor-{days_ago}-{n}".ljust(22, "x"), now - timedelta(days=days_ago))


def test_views_are_counted_in_redis_not_the_database(browser, tenant_a):
    for _ in range(2):
        browser.get("/", host="tinh-a.localhost", headers={"User-Agent": CHROME})
    client = redis_client()
    today = local_day(now_utc())
    assert int(client.get(RedisCounter.views_key(tenant_a.id, today))) == 2
    assert client.pfcount(RedisCounter.visitors_key(tenant_a.id, today)) == 1
    assert client.zcard(RedisCounter.online_key(tenant_a.id)) == 1
    assert stored(tenant_a) == {}
    for key in client.scan_iter(f"{PREFIX}:*"):  # no address anywhere: keys, members or values
        assert b"127.0.0.1" not in key
        if client.type(key) == b"zset":
            assert all(b"127.0.0.1" not in m for m in client.zrange(key, 0, -1))


def test_the_live_worker_flushes_and_the_widget_does_not_move(live_worker, tenant_a, tenant_b):
    from workers.tasks.stats import flush_visit_counters

    now = now_utc()
    three_days_of_visits(tenant_a, now)
    record_view(tenant_b.id, "b-visitor".ljust(22, "x"), now)
    before_a, before_b = visitor_widget(tenant_a.id, now=now), visitor_widget(tenant_b.id, now=now)
    assert (before_a["today"], before_a["yesterday"], before_a["total"]) == (3, 2, 9)
    flush_visit_counters.delay()
    deadline = time.time() + 30
    while len(stored(tenant_a)) < 3 and time.time() < deadline:
        time.sleep(0.2)
    today = local_day(now)
    assert stored(tenant_a) == {today: (6, 3), today - timedelta(days=1): (2, 2),
                                today - timedelta(days=3): (12, 4)}, live_worker.log_path.read_text()[-2000:]
    assert stored(tenant_b) == {today: (1, 1)}
    assert visitor_widget(tenant_a.id, now=now) == before_a
    assert visitor_widget(tenant_b.id, now=now) == before_b
    # the finished day three days ago left Redis; today and yesterday stay until the day after
    assert set(RedisCounter(redis_client()).live(tenant_a.id)) == {today, today - timedelta(days=1)}


def test_flushing_twice_writes_the_same_rows_and_later_views_are_not_double_counted(tenant_a):
    now = now_utc()
    three_days_of_visits(tenant_a, now)
    flush(now)
    first = stored(tenant_a)
    flush(now)
    assert stored(tenant_a) == first
    widget = visitor_widget(tenant_a.id, now=now)
    record_view(tenant_a.id, "late-visitor".ljust(22, "x"), now)
    assert visitor_widget(tenant_a.id, now=now)["today"] == widget["today"] + 1
    flush(now)
    assert stored(tenant_a)[local_day(now)] == (first[local_day(now)][0] + 1, first[local_day(now)][1] + 1)
    assert visitor_widget(tenant_a.id, now=now)["today"] == widget["today"] + 1


def test_a_lost_redis_never_lowers_flushed_numbers(tenant_a):
    now = now_utc()
    three_days_of_visits(tenant_a, now)
    flush(now)
    widget = visitor_widget(tenant_a.id, now=now)
    client = redis_client()
    client.delete(*client.scan_iter(f"{PREFIX}:*"))  # Redis restarted empty
    record_view(tenant_a.id, "after-restart".ljust(22, "x"), now)
    flush(now)
    assert visitor_widget(tenant_a.id, now=now)["total"] == widget["total"]
    assert stored(tenant_a)[local_day(now)] == (6, 3)


def test_pages_still_answer_when_redis_is_down(app, browser, tenant_a, monkeypatch):
    monkeypatch.setitem(app.extensions, "stats_redis", redis.Redis.from_url("redis://127.0.0.1:1/0",
                                                                            socket_connect_timeout=0.2))
    response = browser.get("/", host="tinh-a.localhost", headers={"User-Agent": CHROME})
    assert response.status_code == 200
    assert "Thống kê truy cập" in response.get_data(as_text=True)


def test_flush_drops_counters_of_a_deleted_tenant(make_tenant, national):
    gone = make_tenant("tinh-cu")
    gone_id = gone.id
    record_view(gone_id, "v" * 22)
    db.session.delete(gone)
    db.session.commit()
    assert flush() == 0
    assert str(gone_id).encode() not in redis_client().smembers(RedisCounter.TENANTS_KEY)
