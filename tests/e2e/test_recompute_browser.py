"""The recompute page in Chromium: the small script polls the run's JSON and shows the end without a reload by hand."""

import pytest

from app.demo.loader import DEMO_PASSWORD
from app.extensions import db
from app.reporting import runs
from app.reporting.models import RollupRun

pytestmark = pytest.mark.e2e


def test_the_progress_page_follows_the_run_until_done(app, live_server, page):
    if not app.config["CELERY"].get("task_always_eager"):
        pytest.skip("the run is executed by the test itself (embedded mode)")
    base, _port = live_server
    run = RollupRun(status="queued", total=8)
    db.session.add(run)
    db.session.commit()
    page.goto(f"{base}/auth/login")
    page.get_by_label("Thư điện tử").fill("platform@vufo.demo")
    page.get_by_label("Mật khẩu").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url("**/manage/**")
    page.goto(f"{base}/national/reports/runs/{run.id}")
    assert page.locator("[data-field=status_label]").inner_text() == "Đang chờ xử lý"
    assert page.locator("progress").get_attribute("value") == "0"
    runs.execute(run.id)  # what the worker does; the page notices on its next poll
    page.wait_for_selector("text=Mọi số liệu tổng hợp đã được cập nhật.", timeout=15000)
    assert page.locator("[data-field=status_label]").inner_text() == "Đã xong"
    assert page.locator("progress").get_attribute("value") == page.locator("progress").get_attribute("max")
