"""The reporting summaries and dashboards in Chromium: no serious accessibility violation, and the projector
layout really is larger."""

import pytest
import sqlalchemy as sa

from app.demo.loader import DEMO_PASSWORD
from app.extensions import db
from app.reporting.models import ReportingPeriod
from tenants.models import Cluster
from tests.e2e.test_accessibility import blocking_violations, describe

pytestmark = pytest.mark.e2e


def test_summary_and_dashboards_are_accessible_and_the_projector_layout_is_large(live_server, page, tmp_path):
    base, _port = live_server
    period = db.session.scalar(sa.select(ReportingPeriod.id).where(ReportingPeriod.kind == "annual",
                                                                   ReportingPeriod.year == 2023))
    cluster = db.session.scalar(sa.select(Cluster.id).where(Cluster.code == "01"))
    page.goto(f"{base}/auth/login")
    page.get_by_label("Thư điện tử").fill("viewer@vufo.demo")
    page.get_by_label("Mật khẩu").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_load_state()
    failures = {}
    for path in (f"/national/reports/{period}", f"/national/reports/{period}/clusters/{cluster}",
                 f"/national/reports/dashboard?period={period}",
                 f"/national/reports/dashboard/clusters/{cluster}?period={period}&projector=1"):
        page.goto(base + path)
        assert page.get_by_role("heading", level=1).is_visible()
        found = blocking_violations(page)
        if found:
            failures[path] = describe(found)
    assert not failures, "\n".join(f"{k}\n{v}" for k, v in failures.items())
    assert page.get_by_role("img", name="Viện trợ cam kết và giải ngân theo năm").is_visible()
    page.screenshot(path=str(tmp_path / "projector.png"), full_page=True)
    projector = page.evaluate("parseFloat(getComputedStyle(document.querySelector('td')).fontSize)")
    page.goto(f"{base}/national/reports/dashboard/clusters/{cluster}?period={period}")
    normal = page.evaluate("parseFloat(getComputedStyle(document.querySelector('td')).fontSize)")
    assert projector >= 1.25 * normal
    assert not page.locator(".console-nav").is_hidden()
