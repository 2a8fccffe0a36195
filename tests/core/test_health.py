import sqlalchemy as sa

from app.extensions import db


def test_healthz_reports_database_and_migrations(browser, national):
    report = browser.get("/healthz").json
    assert report["status"] == "ok"
    assert report["database"]["ok"] is True
    assert report["migrations"]["ok"] is True
    assert report["migrations"]["current"] == report["migrations"]["head"]


def test_healthz_is_503_when_migrations_are_behind(browser, national):
    with db.engine.begin() as conn:
        (current,) = conn.execute(sa.text("select version_num from alembic_version")).one()
        conn.execute(sa.text("update alembic_version set version_num = 'behind'"))
    try:
        response = browser.get("/healthz")
        assert response.status_code == 503
        assert response.json["migrations"]["ok"] is False
    finally:
        with db.engine.begin() as conn:
            conn.execute(sa.text("update alembic_version set version_num = :v"), {"v": current})


def test_healthz_is_503_when_redis_is_unreachable(app, browser, national, monkeypatch):
    monkeypatch.setitem(app.config, "REDIS_URL", "redis://127.0.0.1:1/0")
    response = browser.get("/healthz")
    assert response.status_code == 503
    assert response.json["redis"] == {"configured": True, "ok": False, "error": "ConnectionError"}
