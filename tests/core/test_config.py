import subprocess
import sys
from pathlib import Path

import pytest

import config

ROOT = Path(__file__).resolve().parents[2]


def test_production_refuses_to_start_without_secret_key(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgresql://u@127.0.0.1/x")
    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(config.ConfigError, match="SECRET_KEY"):
        config.load_config()


def test_production_failure_is_one_readable_line(tmp_path):
    env = {"PATH": "/usr/bin:/bin", "DATABASE_URL": "postgresql://u@127.0.0.1/x", "INSTANCE_DIR": str(tmp_path)}
    result = subprocess.run([sys.executable, "-c", "import wsgi"], cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_embedded_mode_generates_the_secret_once(monkeypatch, tmp_path):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("INSTANCE_DIR", str(tmp_path))
    first, second = config.load_config(), config.load_config()
    assert first.MODE == "embedded"
    assert len(first.SECRET_KEY) == 64 and first.SECRET_KEY == second.SECRET_KEY
    assert first.SQLALCHEMY_DATABASE_URI == f"sqlite:///{tmp_path / 'lhhn.sqlite3'}"
    assert first.CELERY["task_always_eager"] is True
    assert (tmp_path / "secret_key").stat().st_mode & 0o777 == 0o600


def test_production_uses_redis_and_psycopg2(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgresql://u@127.0.0.1/x")
    monkeypatch.setenv("SECRET_KEY", "s" * 32)
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:6379/3")
    cfg = config.load_config()
    assert cfg.SQLALCHEMY_DATABASE_URI == "postgresql+psycopg2://u@127.0.0.1/x"
    assert cfg.CELERY["broker_url"] == "redis://127.0.0.1:6379/3"
    assert "task_always_eager" not in cfg.CELERY
    assert cfg.CACHE_TYPE == "RedisCache" and cfg.RATELIMIT_STORAGE_URI == "redis://127.0.0.1:6379/3"
