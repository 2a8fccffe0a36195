"""Error pages: the tenant's look and language, never a stack trace."""

import pytest
from flask import Flask

import config
from app import create_app


def test_404_in_the_tenants_look(browser, tenant_a):
    response = browser.get("/khong-co-trang-nay", host="tinh-a.localhost")
    assert response.status_code == 404
    body = response.get_data(as_text=True)
    assert "Liên hiệp các tổ chức hữu nghị tỉnh A" in body
    assert '<html lang="vi">' in body


def test_404_in_english_when_chosen(browser, tenant_a):
    browser.get("/?lang=en", host="tinh-a.localhost")
    body = browser.get("/khong-co", host="tinh-a.localhost").get_data(as_text=True)
    assert "Page not found" in body
    assert "Province A Union" in body


def test_json_clients_get_json_errors(browser, tenant_a):
    response = browser.get("/khong-co", host="tinh-a.localhost", headers={"Accept": "application/json"})
    assert response.status_code == 404
    assert response.json["error"] == 404


@pytest.fixture
def crashing_app(app_env, monkeypatch, tmp_path):
    for key, value in app_env.items():
        monkeypatch.setenv(key, value)
    flask_app: Flask = create_app(config.load_config(), PLATFORM_HOST="localhost")

    @flask_app.route("/boom")
    def boom():
        raise RuntimeError("secret internals")

    return flask_app


def test_unexpected_errors_are_a_500_page_without_internals(crashing_app, national):
    response = crashing_app.test_client().get("/boom", base_url="http://localhost")
    assert response.status_code == 500
    body = response.get_data(as_text=True)
    assert "secret internals" not in body and "Traceback" not in body
    assert "Liên hiệp các tổ chức hữu nghị Việt Nam" in body


def test_security_headers(browser, tenant_a):
    response = browser.get("/", host="tinh-a.localhost")
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
