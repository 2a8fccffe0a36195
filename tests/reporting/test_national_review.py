"""The national union's side of review: any union's report read only, final acceptance, unlocks, drill-down."""

from datetime import UTC, date, datetime, timedelta

import sqlalchemy as sa

from app.core.audit import AuditEntry
from app.extensions import db
from app.reporting import summary, workflow
from app.reporting.models import Report
from tenants.context import tenant_context
from tenants.models import ClusterMembership
from tests.reporting.test_review_views import _notified, _status
from tests.reporting.test_workflow import _submitted


def _accepted(world, make_period):
    report_id, period = _submitted(world, make_period, "b", 2023)
    workflow.accept(report_id, world["users"]["a"])
    return report_id, period, f"/national/reports/{period.id}/unions/{world['b'].id}"


def test_national_staff_read_every_report_union_staff_none(cluster_world, make_period, make_user, browser,
                                                          browser_factory):
    report_id, period = _submitted(cluster_world, make_period, "b", 2023, {"aid_vnd": 31_500_000_000})
    url = f"/national/reports/{period.id}/unions/{cluster_world['b'].id}"
    browser.login("admin@vufo.vn")
    page = browser.get(url)
    assert page.status_code == 200 and "31.500.000.000 ₫" in page.get_data(as_text=True)
    assert browser.get(f"/national/reports/{period.id}/unions/{cluster_world['c'].id}").status_code == 404
    make_user("viewer@vufo.vn", national_role="national_viewer")
    viewer = browser_factory()
    viewer.login("viewer@vufo.vn")
    assert viewer.get(url).status_code == 200
    assert viewer.get(f"{url}/finalize").status_code == 403
    for email in ("reporter@a.vn", "reporter@b.vn"):  # the leader and the union itself: not the national console
        union = browser_factory()
        union.login(email)
        assert union.get(url).status_code == 403
        assert union.get(f"/national/reports/{period.id}/completeness/missing").status_code == 403


def test_final_acceptance_after_confirmation_locks_and_tells_the_union(cluster_world, make_period, browser):
    report_id, period, url = _accepted(cluster_world, make_period)
    with tenant_context(cluster_world["c"].id):  # C's report of the same period, not accepted by its leader
        report = workflow.open_report(period)
        workflow.save(report, values={"aid_vnd": 1000})
        workflow.submit(report, cluster_world["users"]["c"])
        db.session.commit()
        submitted_id = report.id
    browser.login("admin@vufo.vn")
    confirm = browser.get(f"{url}/finalize")
    assert confirm.status_code == 200 and "Phê duyệt cuối cùng báo cáo của Liên hiệp tinh-b" in confirm.get_data(
        as_text=True)
    assert _status(cluster_world["b"], report_id) == "accepted"  # the page alone changes nothing
    assert browser.post(f"{url}/finalize", token_from=url).status_code == 302
    assert _status(cluster_world["b"], report_id) == "final"
    assert _notified(cluster_world["b"], cluster_world["users"]["b"])[-1][0] == "report.finalized"
    assert browser.post(f"{url}/finalize", token_from=url).status_code == 400  # already final
    c_url = f"/national/reports/{period.id}/unions/{cluster_world['c'].id}"
    assert browser.post(f"{c_url}/finalize", token_from=url).status_code == 400  # not accepted by the leader
    assert _status(cluster_world["c"], submitted_id) == "submitted"


def test_unlock_on_request_with_a_reason_audited_and_notified(cluster_world, make_period, browser):
    report_id, period, url = _accepted(cluster_world, make_period)
    workflow.finalize(report_id, cluster_world["users"]["national"])
    browser.login("admin@vufo.vn")
    assert browser.post(f"{url}/unlock", {"reason": "Đồng ý"}, token_from=url).status_code == 400  # nobody asked
    assert "Liên hiệp tinh-b" not in browser.get("/national/reports/unlock-requests").get_data(as_text=True)
    with tenant_context(cluster_world["b"].id):
        workflow.request_unlock(db.session.get(Report, report_id), cluster_world["users"]["b"], "Nhập nhầm số tiền")
        db.session.commit()
    listing = browser.get("/national/reports/unlock-requests").get_data(as_text=True)
    assert "Liên hiệp tinh-b" in listing and "Nhập nhầm số tiền" in listing and f"{url}/unlock" in listing
    refused = browser.post(f"{url}/unlock", {"reason": ""}, token_from=url)
    assert refused.status_code == 400 and "Hãy nêu lý do." in refused.get_data(as_text=True)
    assert _status(cluster_world["b"], report_id) == "final"
    assert browser.post(f"{url}/unlock", {"reason": "Đồng ý mở lại"}, token_from=url).status_code == 302
    assert _status(cluster_world["b"], report_id) == "returned"
    with tenant_context(cluster_world["b"].id):
        audited = db.session.execute(sa.select(AuditEntry.action, AuditEntry.detail)
                                     .where(AuditEntry.target == f"report:{report_id}").order_by(AuditEntry.id)).all()
    assert audited == [("report.unlock_requested", "Nhập nhầm số tiền"), ("report.unlocked", "Đồng ý mở lại")]
    event, body = _notified(cluster_world["b"], cluster_world["users"]["b"])[-1]
    assert event == "report.unlocked" and "Đồng ý mở lại" in body
    assert "Liên hiệp tinh-b" not in browser.get("/national/reports/unlock-requests").get_data(as_text=True)


def test_completeness_drilldown_lists_match_the_counts(cluster_world, make_tenant, make_period, make_report,
                                                       browser):
    a, b, c = cluster_world["a"], cluster_world["b"], cluster_world["c"]
    d = make_tenant("tinh-d", name_vi="Liên hiệp tinh-d")
    db.session.add(ClusterMembership(cluster_id=cluster_world["c02"].id, tenant_id=d.id, year=2023))
    db.session.commit()
    due = datetime(2024, 1, 10, tzinfo=UTC)
    period = make_period(2023, due_date=date(2024, 1, 10))
    make_report(a, period, {"aid_vnd": 1}, "accepted", due)  # on time
    make_report(b, period, {"aid_vnd": 1}, "final", due + timedelta(days=1))  # late
    make_report(c, period, {"aid_vnd": 1}, "submitted", due - timedelta(days=3))  # on time
    make_report(d, period, {"aid_vnd": 1}, "returned", due)  # not counted: missing
    expected = {"submitted": {a, b, c}, "accepted": {a, b}, "on_time": {a, c}, "late": {b}, "missing": {d}}
    total, clusters = summary.period_summary(period)
    for category, unions in expected.items():
        assert getattr(total, category) == len(unions) == len(summary.drilldown(period, category))
        assert {t.id for t, _, _ in summary.drilldown(period, category)} == {t.id for t in unions}
    c01 = next(s for s in clusters if s.cluster.code == "01")
    assert [t.slug for t, _, _ in summary.drilldown(period, "late", c01.cluster.id)] == ["tinh-b"]
    assert c01.completeness.late == 1 and c01.completeness.missing == 0
    browser.login("admin@vufo.vn")
    page = browser.get(f"/national/reports/{period.id}").get_data(as_text=True)
    base = f"/national/reports/{period.id}/completeness"
    assert f"{base}/late?cluster={c01.cluster.id}" in page and f"{base}/missing" in page
    assert f"/national/reports/{period.id}/unions/{b.id}" in page
    late = browser.get(f"{base}/late").get_data(as_text=True)
    assert "Liên hiệp tinh-b" in late and "Liên hiệp tinh-a" not in late and "1 liên hiệp" in late
    missing = browser.get(f"{base}/missing?cluster={cluster_world['c02'].id}").get_data(as_text=True)
    assert "Liên hiệp tinh-d" in missing and "Liên hiệp tinh-c" not in missing
    assert browser.get(f"{base}/on_time?cluster={c01.cluster.id}").get_data(as_text=True).count("tinh-c") == 0
    assert browser.get(f"{base}/late?cluster=abc").status_code == 400
    assert browser.get(f"{base}/late?cluster=9999").status_code == 404
    assert browser.get(f"{base}/everything").status_code == 404
