"""/healthz on every host: database, Redis (when configured) and migrations; 200 or 503."""

import redis
import sqlalchemy as sa
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import Blueprint, current_app

from app.extensions import db

bp = Blueprint("health", __name__)


def _database() -> dict:
    try:
        with db.engine.connect() as conn:
            conn.execute(sa.text("select 1"))
            current = MigrationContext.configure(conn).get_current_heads()
    except Exception as error:  # any failure to reach the database is "unhealthy", not a 500
        return {"database": {"ok": False, "error": type(error).__name__}, "migrations": {"ok": False}}
    script = ScriptDirectory.from_config(current_app.extensions["migrate"].migrate.get_config())
    heads = set(script.get_heads())
    return {"database": {"ok": True, "dialect": db.engine.dialect.name},
            "migrations": {"ok": set(current) == heads, "current": sorted(current), "head": sorted(heads)}}


def _redis() -> dict:
    url = current_app.config.get("REDIS_URL")
    if not url:
        return {"configured": False, "ok": True}
    try:
        redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2).ping()
    except redis.RedisError as error:
        return {"configured": True, "ok": False, "error": type(error).__name__}
    return {"configured": True, "ok": True}


@bp.route("/healthz")
def healthz():
    report = _database()
    report["redis"] = _redis()
    report["mode"] = current_app.config["MODE"]
    healthy = report["database"]["ok"] and report["migrations"]["ok"] and report["redis"]["ok"]
    report["status"] = "ok" if healthy else "unhealthy"
    return report, 200 if healthy else 503
