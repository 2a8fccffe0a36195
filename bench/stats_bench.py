"""Per-request cost of visitor counting on the public home page.

Run: `.venv/bin/python bench/stats_bench.py [N]` (embedded mode: SQLite counters), and with
`BENCH_REDIS_URL=redis://127.0.0.1:6379/<db>` also the production counters in Redis (its stats keys are
deleted afterwards). Prints median/p95 milliseconds per request for: counting off, counting on (a returning
visitor: one cookie), and the widget computed on every request (its cache off), plus the cost of the
robot check and of one counted view alone.
"""

import os
import statistics
import sys
import tempfile
import time

os.environ.setdefault("INSTANCE_DIR", tempfile.mkdtemp(prefix="lhhn-bench-"))
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from flask_migrate import upgrade  # noqa: E402

from app import create_app  # noqa: E402
from app.demo.loader import load_demo  # noqa: E402

CHROME = ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
          "Chrome/131.0.0.0 Safari/537.36")


def timed(call, n: int) -> tuple[float, float]:
    timings = []
    for _ in range(n):
        start = time.perf_counter()
        call()
        timings.append((time.perf_counter() - start) * 1000)
    return statistics.median(timings), statistics.quantiles(timings, n=20)[-1]


def home_requests(app, n: int, label: str) -> float:
    client = app.test_client()
    get = lambda: client.get("/", base_url="http://hai-duong.localhost", headers={"User-Agent": CHROME})  # noqa: E731
    assert get().status_code == 200
    median, p95 = timed(get, n)
    print(f"  {label:<44} median {median:6.2f} ms  p95 {p95:6.2f} ms")
    return median


def run_mode(app, n: int, mode: str) -> None:
    from app.extensions import cache
    from app.stats.services import record_view

    print(f"{mode}:")
    app.config.update(STATS_COUNTING=False)
    base = home_requests(app, n, "home, counting off")
    app.config.update(STATS_COUNTING=True)
    counted = home_requests(app, n, "home, counting on (returning visitor)")
    app.config.update(STATS_WIDGET_CACHE_SECONDS=0)
    fresh = home_requests(app, n, "home, counting on, widget cache off")
    app.config.update(STATS_WIDGET_CACHE_SECONDS=30)
    cache.clear()
    with app.app_context():
        tenant_id = 1
        median, _ = timed(lambda: record_view(tenant_id, "b" * 22), n)
    print(f"  counting overhead per request: {counted - base:+.2f} ms (median); record_view alone {median:.3f} ms;"
          f" uncached widget {fresh - counted:+.2f} ms")


def main(n: int = 300) -> None:
    app = create_app()
    with app.app_context():
        upgrade()
        load_demo()
    from app.stats.bots import is_bot

    median, _ = timed(lambda: is_bot(CHROME), 2000)
    print(f"robot check (crawlerdetect, cached user agent): {median * 1000:.1f} µs")
    run_mode(app, n, "embedded (SQLite counters)")
    redis_url = os.environ.get("BENCH_REDIS_URL")
    if redis_url:
        import redis

        app.config["REDIS_URL"] = redis_url
        app.extensions.pop("stats_redis", None)
        try:
            run_mode(app, n, "production counters (Redis)")
        finally:
            client = redis.Redis.from_url(redis_url)
            keys = list(client.scan_iter("lhhn:stats:*"))
            if keys:
                client.delete(*keys)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 300)
