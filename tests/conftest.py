"""Test fixtures: one app and one migrated database per run, emptied between tests, plus factories.

Embedded mode (default): SQLite under a temporary instance dir, eager Celery, .eml mail.
Services mode (TEST_DATABASE_URL + TEST_REDIS_URL): a fresh PostgreSQL database owned by a fresh
non-superuser role (so row-level security applies), Redis, and a live Celery worker for the tests
marked `services`. With LHHN_REQUIRE_SERVICES=1 (CI), a missing service fails instead of skipping.
"""

import contextvars
import os
import re
import secrets
import socket
import subprocess
import sys
import time
from email import message_from_bytes, policy
from pathlib import Path
from urllib.parse import urlparse, urlunparse

import pytest
import sqlalchemy as sa

from config import database_url

ROOT = Path(__file__).resolve().parent.parent
TEST_DATABASE_URL = database_url(os.environ["TEST_DATABASE_URL"]) if os.environ.get("TEST_DATABASE_URL") else None
TEST_REDIS_URL = os.environ.get("TEST_REDIS_URL")
REQUIRE_SERVICES = os.environ.get("LHHN_REQUIRE_SERVICES") == "1"
SERVICES = bool(TEST_DATABASE_URL)
PASSWORD = "correct-horse-battery"
PLATFORM_HOST = "localhost"

# Each feature's factories live in tests/fixtures/<feature>.py, so that every test (the isolation
# matrix included) can use them and features never edit this file to add one.
pytest_plugins = sorted(f"tests.fixtures.{path.stem}" for path in (Path(__file__).parent / "fixtures").glob("*.py")
                        if path.stem != "__init__")


def pytest_collection_modifyitems(config, items):
    if SERVICES and TEST_REDIS_URL:
        return
    skip = pytest.mark.skip(reason="needs TEST_DATABASE_URL and TEST_REDIS_URL (PostgreSQL + Redis + worker)")
    for item in items:
        if "services" in item.keywords:
            item.add_marker(skip)


def pytest_sessionstart(session):
    if REQUIRE_SERVICES and not (SERVICES and TEST_REDIS_URL):
        pytest.exit("LHHN_REQUIRE_SERVICES=1 but TEST_DATABASE_URL/TEST_REDIS_URL are not set", returncode=3)


# --- databases -----------------------------------------------------------------------------------

def _with_db(url: str, dbname: str, user: str | None = None) -> str:
    parts = urlparse(url)
    netloc = parts.netloc.split("@")[-1]
    if user:
        netloc = f"{user}@{netloc}"
    elif "@" in parts.netloc:
        netloc = parts.netloc
    return urlunparse(parts._replace(path=f"/{dbname}", netloc=netloc))


@pytest.fixture(scope="session")
def postgres_url():
    """A fresh database and a non-superuser owner role for this run; dropped afterwards."""
    if not SERVICES:
        yield None
        return
    suffix = f"{os.getpid()}_{secrets.token_hex(3)}"
    dbname, role = f"lhhn_test_{suffix}", f"lhhn_app_{suffix}"
    admin = sa.create_engine(TEST_DATABASE_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE ROLE "{role}" LOGIN NOSUPERUSER NOBYPASSRLS'))
        conn.execute(sa.text(f'CREATE DATABASE "{dbname}" OWNER "{role}"'))
    yield _with_db(TEST_DATABASE_URL, dbname, user=role)
    with admin.connect() as conn:
        conn.execute(sa.text(f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{dbname}'"))
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{dbname}"'))
        conn.execute(sa.text(f'DROP ROLE IF EXISTS "{role}"'))
    admin.dispose()


@pytest.fixture(scope="session")
def smtp_server():
    """A real SMTP server (aiosmtpd) collecting every message it receives."""
    from aiosmtpd.controller import Controller

    class Collector:
        def __init__(self):
            self.messages = []

        async def handle_DATA(self, server, session, envelope):
            self.messages.append(envelope)
            return "250 Message accepted for delivery"

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    handler = Collector()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    controller.url = f"smtp://127.0.0.1:{port}"
    yield controller
    controller.stop()


@pytest.fixture(scope="session")
def app_env(request, tmp_path_factory, postgres_url):
    """Environment shared by the test app and the live worker."""
    instance = tmp_path_factory.mktemp("instance")
    env = {"INSTANCE_DIR": str(instance), "LHHN_PLATFORM_HOST": PLATFORM_HOST}
    if postgres_url:
        env.update(DATABASE_URL=postgres_url, SECRET_KEY=secrets.token_hex(16), SESSION_COOKIE_SECURE="0",
                   MAIL_URL=request.getfixturevalue("smtp_server").url)
        if TEST_REDIS_URL:
            env["REDIS_URL"] = TEST_REDIS_URL
    return env


@pytest.fixture(scope="session")
def app(app_env):
    saved = {k: os.environ.get(k) for k in app_env}
    os.environ.update(app_env)
    import config
    from app import create_app

    try:
        flask_app = create_app(config.load_config(), TESTING=True, PLATFORM_HOST=PLATFORM_HOST,
                               PASSWORD_HASH_METHOD="pbkdf2:sha256:1000", SERVER_NAME=None)
    finally:
        for key, value in saved.items():
            os.environ.pop(key) if value is None else os.environ.__setitem__(key, value)
    with flask_app.app_context():
        from flask_migrate import upgrade

        upgrade()
    if TEST_REDIS_URL and SERVICES:
        import redis

        redis.Redis.from_url(TEST_REDIS_URL).flushdb()
    return flask_app


@pytest.fixture(autouse=True)
def _clean(app):
    """Each test starts with empty tables, no tenant set, fresh rate-limit counters, an empty page cache."""
    from app.extensions import cache, db, limiter

    ctx = app.app_context()
    ctx.push()
    limiter.reset()
    cache.clear()  # tables are emptied with raw SQL below, which (rightly) invalidates nothing
    from app.site import page_cache

    page_cache.clear()  # the page store and what each process keeps of a tenant (ids restart between tests)
    yield
    db.session.remove()
    _truncate_all(db)
    ctx.pop()


@pytest.fixture
def no_page_cache(app):
    """Render every public page (statement counts measure the uncached page)."""
    app.config["PAGE_CACHE_SECONDS"] = 0
    yield
    app.config["PAGE_CACHE_SECONDS"] = 300


def _truncate_all(db):
    tables = [t.name for t in reversed(db.metadata.sorted_tables)]
    for attempt in range(10):
        try:
            with db.engine.begin() as conn:
                if conn.dialect.name == "postgresql":
                    conn.execute(sa.text("select set_config('app.all_tenants', 'on', true)"))
                    conn.execute(sa.text("TRUNCATE " + ", ".join(f'"{t}"' for t in tables) +
                                         " RESTART IDENTITY CASCADE"))
                else:
                    for table in tables:
                        conn.execute(sa.text(f'DELETE FROM "{table}"'))
            return
        except sa.exc.OperationalError as error:
            # The live worker may still be finishing the previous test's task (a rollup) in its own transaction:
            # PostgreSQL breaks the lock cycle with TRUNCATE; wait for the task and try again.
            if "deadlock detected" not in str(error) or attempt == 9:
                raise
            time.sleep(0.3)


# --- factories -----------------------------------------------------------------------------------

@pytest.fixture
def make_tenant(app):
    from app.extensions import db
    from tenants.models import Tenant, TenantDomain

    def make(slug: str, *, kind: str = "provincial", status: str = "active", host: str | None = None,
             aliases: tuple[str, ...] = (), **fields) -> Tenant:
        tenant = Tenant(slug=slug, kind=kind, status=status,
                        name_vi=fields.pop("name_vi", f"Liên hiệp các tổ chức hữu nghị {slug}"),
                        name_en=fields.pop("name_en", f"{slug} Union of Friendship Organizations"), **fields)
        tenant.domains.append(TenantDomain(host=host or f"{slug}.localhost", is_primary=True))
        for alias in aliases:
            tenant.domains.append(TenantDomain(host=alias, is_primary=False))
        db.session.add(tenant)
        db.session.commit()
        return tenant

    return make


@pytest.fixture
def national(make_tenant):
    return make_tenant("vufo", kind="national", host=PLATFORM_HOST, name_vi="Liên hiệp các tổ chức hữu nghị Việt Nam",
                       name_en="Viet Nam Union of Friendship Organizations")


@pytest.fixture
def tenant_a(make_tenant, national):
    return make_tenant("tinh-a", name_vi="Liên hiệp các tổ chức hữu nghị tỉnh A", name_en="Province A Union")


@pytest.fixture
def tenant_b(make_tenant, national):
    return make_tenant("tinh-b", name_vi="Liên hiệp các tổ chức hữu nghị tỉnh B", name_en="Province B Union")


@pytest.fixture
def make_user(app):
    from app.accounts.services import create_user

    def make(email: str, *, tenant=None, role: str | None = None, national_role: str | None = None,
             password: str = PASSWORD, locale: str = "vi"):
        return create_user(email, email.split("@")[0].title(), password, tenant=tenant, role=role,
                           national_role=national_role, locale=locale)

    return make


@pytest.fixture
def make_page(app):
    from app.extensions import db
    from app.pages.models import Page
    from tenants.context import tenant_context

    def make(tenant, title: str = "Giới thiệu", *, parent=None, published: bool = True, slug: str | None = None):
        with tenant_context(tenant.id):
            page = Page(title=title, slug=slug or re.sub(r"\W+", "-", title.lower()), parent=parent,
                        body_html=f"<p>{title}</p>", published=published)
            db.session.add(page)
            db.session.commit()
            db.session.refresh(page)  # loaded inside the tenant, so its attributes stay readable
            return page

    return make


# --- HTTP helpers --------------------------------------------------------------------------------

@pytest.fixture
def client(app):
    return app.test_client()


def csrf_token(html: str) -> str:
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html) or \
        re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match, "no CSRF token in the page"
    return match.group(1)


class Browser:
    """A test client that signs in through the real form, with its CSRF token.

    Each request runs in a fresh contextvars context, as it would in a server: its own app context,
    `g`, database session and no tenant set, instead of borrowing the test's. Afterwards the test's
    session is expired, so that it reads what the request committed.
    """

    def __init__(self, client):
        self.client = client

    def _fresh(self, call, *args, **kwargs):
        from app.extensions import db

        response = contextvars.Context().run(call, *args, **kwargs)
        db.session.expire_all()
        return response

    def login(self, email: str, password: str = PASSWORD, follow_redirects: bool = False):
        page = self._fresh(self.client.get, "/auth/login", base_url=f"http://{PLATFORM_HOST}")
        return self._fresh(self.client.post, "/auth/login", base_url=f"http://{PLATFORM_HOST}", data={
            "email": email, "password": password, "csrf_token": csrf_token(page.get_data(as_text=True))},
            follow_redirects=follow_redirects)

    def get(self, path: str, host: str = PLATFORM_HOST, **kwargs):
        return self._fresh(self.client.get, path, base_url=f"http://{host}", **kwargs)

    def post(self, path: str, data: dict | None = None, host: str = PLATFORM_HOST, token_from: str | None = None,
             **kwargs):
        """POST with a CSRF token taken from `token_from` (a page of the same session)."""
        source = self._fresh(self.client.get, token_from or "/auth/login", base_url=f"http://{host}")
        token = csrf_token(source.get_data(as_text=True))
        return self._fresh(self.client.post, path, base_url=f"http://{host}",
                           data={**(data or {}), "csrf_token": token}, **kwargs)


    def post_raw(self, path: str, data: dict | None = None, host: str = PLATFORM_HOST, **kwargs):
        """POST exactly `data` (no CSRF token added), as a server would receive it."""
        return self._fresh(self.client.post, path, base_url=f"http://{host}", data=data or {}, **kwargs)


@pytest.fixture
def browser(client):
    return Browser(client)


@pytest.fixture
def browser_factory(app):
    return lambda: Browser(app.test_client())


# --- mail ----------------------------------------------------------------------------------------

class Mailbox:
    """What the app sent: .eml files in the embedded mode, SMTP deliveries by the live worker otherwise."""

    def __init__(self, folder: Path | None = None, smtp=None):
        self.folder, self.smtp = folder, smtp
        self.start = len(smtp.handler.messages) if smtp else 0

    def messages(self) -> list:
        if self.smtp is None:
            raw = [p.read_bytes() for p in sorted(self.folder.glob("*.eml"), key=lambda p: p.stat().st_mtime_ns)]
        else:
            raw = [envelope.content for envelope in self.smtp.handler.messages[self.start:]]
        return [message_from_bytes(data, policy=policy.default) for data in raw]

    def wait(self, count: int, timeout: float = 30, settle: float = 0.5) -> list:
        """The messages once `count` have arrived (then a short pause, so that extra ones would show)."""
        deadline = time.time() + timeout
        while len(self.messages()) < count and time.time() < deadline:
            time.sleep(0.1)
        if self.smtp is not None:
            time.sleep(settle)
        return self.messages()


@pytest.fixture
def mailbox(request, app, tmp_path, monkeypatch):
    if app.config.get("MAIL_URL"):
        request.getfixturevalue("live_worker")
        return Mailbox(smtp=request.getfixturevalue("smtp_server"))
    folder = tmp_path / "mail"
    monkeypatch.setitem(app.config, "MAIL_DIR", str(folder))
    return Mailbox(folder=folder)


# --- live worker (services mode) -----------------------------------------------------------------

@pytest.fixture(scope="session")
def live_worker(app, app_env, tmp_path_factory):
    """A real `celery worker` process on the test database, Redis and SMTP server."""
    if not (SERVICES and TEST_REDIS_URL):
        pytest.skip("live worker needs the services mode")
    env = {**os.environ, **app_env, "LHHN_PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000"}
    log_path = tmp_path_factory.mktemp("worker") / "worker.log"
    with open(log_path, "w") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "workers.celery_app", "worker", "--pool=solo",
             "--loglevel=INFO", "--without-heartbeat", "--without-gossip", "--without-mingle"],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    deadline = time.time() + 60
    while "ready." not in log_path.read_text():
        if proc.poll() is not None or time.time() > deadline:
            proc.kill()
            pytest.fail("celery worker did not start:\n" + log_path.read_text())
        time.sleep(0.2)
    proc.log_path = log_path
    yield proc
    proc.terminate()
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
