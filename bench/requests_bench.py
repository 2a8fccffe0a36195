"""Request cost: latency and SQL statements per request — public pages for an anonymous visitor with the page
cache off (every request renders) and on (served from the cache); then with the console's client, signed in on
the platform host (so the portal renders for it every time; tenant hosts do not see that cookie).

Run: `.venv/bin/python bench/requests_bench.py [N]` (embedded mode, a throwaway instance dir).
Prints one line per URL: median and p95 milliseconds over N requests, and statements per request.
"""

import os
import statistics
import sys
import tempfile
import time

os.environ.setdefault("INSTANCE_DIR", tempfile.mkdtemp(prefix="lhhn-bench-"))
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import sqlalchemy as sa  # noqa: E402
from flask_migrate import upgrade  # noqa: E402

from app import create_app  # noqa: E402
from app.demo.loader import DEMO_PASSWORD, load_demo  # noqa: E402
from app.extensions import db  # noqa: E402


def main(n: int = 300) -> None:
    app = create_app()
    with app.app_context():
        upgrade()
        load_demo()
        engine = db.engine
    statements = []
    sa.event.listen(engine, "before_cursor_execute", lambda *a, **k: statements.append(1))
    client = app.test_client()
    app.config["WTF_CSRF_ENABLED"] = False  # the bench signs in directly; CSRF is tested elsewhere
    client.post("/auth/login", base_url="http://localhost",
                data={"email": "editor@hai-duong.demo", "password": DEMO_PASSWORD})
    import re

    anonymous = app.test_client()
    listing = anonymous.get("/tin-tuc/", base_url="http://hai-duong.localhost").get_data(as_text=True)
    article = re.search(r'href="(/tin/\d+/[^"]+)"', listing).group(1)
    app.config["STATS_COUNTING"] = False  # measured by bench/stats_bench.py
    for cache_seconds, mode in ((0, "uncached"), (300, "cached")):
        app.config["PAGE_CACHE_SECONDS"] = cache_seconds
        for label, path in (("home", "/"), ("news list", "/tin-tuc/"), ("article", article)):
            _measure(f"{label} ({mode})", lambda p=path: anonymous.get(p, base_url="http://hai-duong.localhost"),
                     n, statements)
    targets = [("public home", "http://hai-duong.localhost", "/"),
               ("public page", "http://hai-duong.localhost", "/trang/gioi-thieu/chuc-nang-nhiem-vu"),
               ("national portal", "http://localhost", "/"),
               ("console pages", "http://localhost", "/manage/hai-duong/pages/"),
               ("healthz", "http://localhost", "/healthz")]
    for label, base, path in targets:
        _measure(label, lambda b=base, p=path: client.get(p, base_url=b), n, statements)


def _measure(label, get, n, statements) -> None:
    assert get().status_code == 200, label
    timings, statements[:] = [], []
    for _ in range(n):
        start = time.perf_counter()
        get()
        timings.append((time.perf_counter() - start) * 1000)
    p95 = statistics.quantiles(timings, n=20)[-1]
    print(f"{label:<28} median {statistics.median(timings):6.2f} ms  p95 {p95:6.2f} ms  "
          f"{len(statements) / n:4.1f} statements/request")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 300)
