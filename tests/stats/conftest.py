"""Every stats test starts with no Redis counters (tenant ids restart between tests) and no cached numbers."""

import pytest


@pytest.fixture(autouse=True)
def _fresh_stats(app, monkeypatch):
    from app.extensions import cache
    from app.stats.counters import PREFIX, redis_client

    monkeypatch.setitem(app.config, "STATS_WIDGET_CACHE_SECONDS", 0)
    monkeypatch.setitem(app.config, "STATS_RANKING_CACHE_SECONDS", 0)
    cache.clear()
    client = redis_client()
    if client is not None:
        keys = list(client.scan_iter(f"{PREFIX}:*"))
        if keys:
            client.delete(*keys)
    yield
