"""Fixtures for the browser tests: the app on a real socket, and a page of Debian's Chromium."""

import os
import shutil
import threading

import pytest
from werkzeug.serving import make_server

from app.demo.loader import load_demo

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")


@pytest.fixture
def live_server(app):
    load_demo()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://localhost:{server.server_port}", server.server_port
    server.shutdown()


@pytest.fixture
def page():
    if not shutil.which(CHROMIUM):
        if os.environ.get("LHHN_REQUIRE_BROWSER") == "1":
            pytest.fail(f"Chromium not found at {CHROMIUM} (apt-get install chromium)")
        pytest.skip(f"Chromium not found at {CHROMIUM}")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync"])
        context = browser.new_context(locale="vi-VN")
        yield context.new_page()
        browser.close()
