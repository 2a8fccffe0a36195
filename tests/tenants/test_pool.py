"""The connection pool checks a connection's socket instead of a "SELECT 1" round trip before handing it out."""

import pytest
import sqlalchemy as sa

from app.extensions import db
from tests.conftest import TEST_DATABASE_URL

pytestmark = pytest.mark.services


def _backend_pid() -> int:
    pid = db.session.execute(sa.text("select pg_backend_pid()")).scalar_one()
    db.session.rollback()
    db.session.close()  # back to the pool
    return pid


def test_a_healthy_connection_is_reused_without_a_ping(app, monkeypatch):
    pinged = []
    monkeypatch.setattr(db.engine.dialect, "do_ping", lambda dbapi_connection: pinged.append(1) or True)
    db.engine.dispose()  # one pooled connection from here on
    first = _backend_pid()
    second = _backend_pid()
    assert first == second
    assert pinged == []  # no "SELECT 1" before each checkout


def test_a_connection_the_server_closed_is_replaced_on_checkout(app):
    db.engine.dispose()  # one pooled connection, known to us
    gone = _backend_pid()
    admin = sa.create_engine(TEST_DATABASE_URL, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            assert conn.execute(sa.text("select pg_terminate_backend(:pid)"), {"pid": gone}).scalar_one()
            for _ in range(50):  # the backend goes away asynchronously
                if not conn.execute(sa.text("select 1 from pg_stat_activity where pid = :pid"),
                                    {"pid": gone}).first():
                    break
    finally:
        admin.dispose()
    fresh = _backend_pid()  # would raise OperationalError ("server closed the connection") without the check
    assert fresh != gone
