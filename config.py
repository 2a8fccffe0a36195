"""Configuration: the embedded default (no environment) or production (DATABASE_URL, REDIS_URL…).

Both modes run the same code; only these values differ. `load_config()` picks one from the environment.
"""

import os
import secrets
from datetime import timedelta
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent


class ConfigError(RuntimeError):
    """Raised when the environment asks for production but leaves out something it needs."""


class BaseConfig:
    PREFERRED_URL_SCHEME = "http"

    # No "SELECT 1" before every checkout: on PostgreSQL, tenants.scoping checks the socket instead (no round trip).
    SQLALCHEMY_ENGINE_OPTIONS: dict = {}
    SQLALCHEMY_RECORD_QUERIES = False

    BABEL_DEFAULT_LOCALE = "vi"
    BABEL_DEFAULT_TIMEZONE = "Asia/Ho_Chi_Minh"
    BABEL_TRANSLATION_DIRECTORIES = str(BASE_DIR / "translations")
    LANGUAGES = ("vi", "en")

    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_HTTPONLY = True
    PERMANENT_SESSION_LIFETIME = timedelta(hours=12)
    WTF_CSRF_TIME_LIMIT = 8 * 3600

    LOGIN_MAX_FAILURES = 5
    LOGIN_LOCKOUT = timedelta(minutes=15)
    LOGIN_RATE_LIMIT = "20 per minute"
    PASSWORD_RESET_MAX_AGE = 3600

    # Uploads (app/media): a request body above MAX_CONTENT_LENGTH is refused with a 413 page.
    MAX_CONTENT_LENGTH = 25_000_000
    MEDIA_MAX_IMAGE_BYTES = 10_000_000
    MEDIA_MAX_FILE_BYTES = 20_000_000
    MEDIA_MAX_PIXELS = 40_000_000  # larger images are refused before decoding (decompression bombs)

    # Rendered public pages (app/site/page_cache.py); 0 turns the page cache off.
    PAGE_CACHE_SECONDS = 300
    CACHE_KEY_PREFIX = "lhhn:cache:"  # clear() removes only these keys, never the broker's or the counters'
    CACHE_DEFAULT_TIMEOUT = 300
    CACHE_THRESHOLD = 5000  # in-process cache (embedded mode): entries kept before the oldest are dropped

    def __init__(self):
        # Read when the config is built, not when this module is imported (tests and tools set them late).
        self.INSTANCE_DIR = Path(os.environ.get("INSTANCE_DIR") or BASE_DIR / "instance")  # empty = unset
        self.PLATFORM_HOST = os.environ.get("PLATFORM_HOST", "localhost")  # the national portal + consoles
        self.PREFERRED_URL_SCHEME = os.environ.get("PREFERRED_URL_SCHEME", "https" if self.MODE == "production"
                                                   else "http")
        self.MAIL_FROM = os.environ.get("MAIL_FROM", "no-reply@huunghi.local")

    CELERY = {
        "task_serializer": "json",
        "result_serializer": "json",
        "accept_content": ["json"],
        "task_acks_late": True,
        "task_reject_on_worker_lost": True,
        "worker_prefetch_multiplier": 1,
        "timezone": "Asia/Ho_Chi_Minh",
        "enable_utc": True,
        "task_ignore_result": True,
        "broker_connection_retry_on_startup": True,
        # Publishing gives up at once when the broker is unreachable (instead of ~6 s of retries inside a web
        # request): notification e-mails wait in the outbox for the beat sweep. The worker's own consumer
        # reconnects by broker_connection_retry, not by this.
        "broker_transport_options": {"max_retries": 0},
    }


class EmbeddedConfig(BaseConfig):
    """`make run` and the default test mode: SQLite, eager Celery, in-process cache, .eml mail."""

    MODE = "embedded"
    REDIS_URL = None
    MAIL_URL = None
    CACHE_TYPE = "SimpleCache"
    RATELIMIT_STORAGE_URI = "memory://"

    def __init__(self):
        super().__init__()
        self.INSTANCE_DIR.mkdir(parents=True, exist_ok=True)
        self.SQLALCHEMY_DATABASE_URI = f"sqlite:///{self.INSTANCE_DIR / 'lhhn.sqlite3'}"
        self.SECRET_KEY = _instance_secret(self.INSTANCE_DIR / "secret_key")
        self.MAIL_DIR = str(self.INSTANCE_DIR / "mail")
        self.CELERY = {**BaseConfig.CELERY, "task_always_eager": True, "task_eager_propagates": True,
                       "broker_url": "memory://"}


class ProductionConfig(BaseConfig):
    """PostgreSQL + Redis + SMTP, chosen by DATABASE_URL and friends."""

    MODE = "production"

    def __init__(self):
        super().__init__()
        secret = os.environ.get("SECRET_KEY")
        if not secret:
            raise ConfigError("SECRET_KEY is not set: production mode (DATABASE_URL is set) needs a long "
                              "random SECRET_KEY in the environment, e.g. `python -c 'import secrets; "
                              "print(secrets.token_hex(32))'`.")
        self.SECRET_KEY = secret
        self.SESSION_COOKIE_SECURE = self.REMEMBER_COOKIE_SECURE = os.environ.get("SESSION_COOKIE_SECURE", "1") == "1"
        self.SQLALCHEMY_DATABASE_URI = database_url(os.environ["DATABASE_URL"])
        self.REDIS_URL = os.environ.get("REDIS_URL")
        self.MAIL_URL = os.environ.get("MAIL_URL")
        self.MAIL_DIR = str(self.INSTANCE_DIR / "mail")
        if self.REDIS_URL:
            self.CACHE_TYPE = "RedisCache"
            self.CACHE_REDIS_URL = self.REDIS_URL
            self.RATELIMIT_STORAGE_URI = self.REDIS_URL
            self.CELERY = {**BaseConfig.CELERY, "broker_url": self.REDIS_URL}
        else:
            self.CACHE_TYPE = "SimpleCache"
            self.RATELIMIT_STORAGE_URI = "memory://"
            self.CELERY = {**BaseConfig.CELERY, "task_always_eager": True, "broker_url": "memory://"}


def _instance_secret(path: Path) -> str:
    """Generate the embedded mode's SECRET_KEY once and keep it under instance/."""
    if not path.exists():
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()


def database_url(url: str) -> str:
    """postgres:// and postgresql:// mean psycopg2 here (SQLAlchemy 2.1 would otherwise pick psycopg 3)."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg2://" + url[len(prefix):]
    return url


def load_config():
    """The config object for this environment: production when DATABASE_URL is set."""
    if os.environ.get("DATABASE_URL"):
        return ProductionConfig()
    return EmbeddedConfig()
