"""The report workflow: who may do what, in which state, and what the history keeps."""

from datetime import date

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.reporting import workflow
from app.reporting.models import Report, ReportEvent, ReportValue
from app.reporting.workflow import ReportError, ReportForbidden, ReportLocked
from tenants.context import tenant_context


def _submitted(world, make_period, tenant_key="b", year=2023, values=None):
    period = make_period(year)
    tenant, user = world[tenant_key], world["users"][tenant_key]
    with tenant_context(tenant.id):
        report = workflow.open_report(period, user)
        workflow.save(report, user, values=values or {"aid_vnd": 1000})
        workflow.submit(report, user)
        db.session.commit()
        return report.id, period


def test_open_pins_version_and_prefills_from_the_platform(cluster_world, make_period, make_member):
    for name in ("Hội Việt – Lào", "Hội Việt – Pháp"):
        make_member(cluster_world["b"], name)
    period = make_period(2023)
    with tenant_context(cluster_world["b"].id):
        report = workflow.open_report(period)
        db.session.commit()
        figures = {v.indicator.code: (v.value, v.prefilled) for v in report.values}
        assert report.version.number == 1 and report.status == "draft"
        assert figures["members"] == (2, 2)
        assert figures["aid_vnd"] == (None, None)  # no aid source registered on this branch


def test_submit_return_accept_finalize_and_history(cluster_world, make_period):
    users = cluster_world["users"]
    report_id, _ = _submitted(cluster_world, make_period)
    with pytest.raises(ReportError):
        workflow.return_report(report_id, users["a"], "  ")
    assert workflow.return_report(report_id, users["a"], "Thiếu số liệu giải ngân") == "returned"
    with tenant_context(cluster_world["b"].id):
        report = db.session.get(Report, report_id)
        workflow.save(report, users["b"], values={"aid_vnd": 1200})
        workflow.submit(report, users["b"])
        db.session.commit()
    with pytest.raises(ReportForbidden):
        workflow.finalize(report_id, users["a"])  # the cluster leader is not the national union
    assert workflow.accept(report_id, users["a"]) == "accepted"
    assert workflow.finalize(report_id, users["national"]) == "final"
    with tenant_context(cluster_world["b"].id):
        actions = db.session.scalars(sa.select(ReportEvent.action).where(ReportEvent.report_id == report_id)
                                     .order_by(ReportEvent.id)).all()
        returned = db.session.scalar(sa.select(ReportEvent).where(ReportEvent.action == "returned"))
    assert actions == ["created", "saved", "submitted", "returned", "saved", "submitted", "accepted", "finalized"]
    assert returned.detail == "Thiếu số liệu giải ngân" and returned.actor_id == users["a"].id


def test_only_the_leader_of_that_year_reviews(cluster_world, make_period):
    users = cluster_world["users"]
    report_2023, _ = _submitted(cluster_world, make_period, "b", 2023)
    with pytest.raises(ReportForbidden):
        workflow.accept(report_2023, users["c"])  # leads cluster 02, where B only is in 2024
    report_2024, _ = _submitted(cluster_world, make_period, "b", 2024)
    with pytest.raises(ReportForbidden):
        workflow.accept(report_2024, users["a"])  # led B's cluster in 2023, not in 2024
    assert workflow.accept(report_2024, users["c"]) == "accepted"
    assert workflow.accept(report_2023, users["a"]) == "accepted"


def test_editor_and_other_unions_may_not_submit(cluster_world, make_period):
    period = make_period(2023)
    with tenant_context(cluster_world["b"].id):
        report = workflow.open_report(period)
        workflow.save(report, values={"aid_vnd": 5})
        for user in (cluster_world["users"]["b_editor"], cluster_world["users"]["a"]):
            with pytest.raises(ReportForbidden):
                workflow.submit(report, user)


def test_a_union_never_reads_another_unions_report(cluster_world, make_period):
    report_id, _ = _submitted(cluster_world, make_period, "b")
    with tenant_context(cluster_world["a"].id):
        assert db.session.get(Report, report_id) is None
        assert db.session.scalars(sa.select(ReportValue)).all() == []
        assert db.session.scalars(sa.select(ReportEvent)).all() == []


def test_locked_report_refuses_every_write(cluster_world, make_period):
    users = cluster_world["users"]
    report_id, _ = _submitted(cluster_world, make_period)
    with tenant_context(cluster_world["b"].id):
        report = db.session.get(Report, report_id)
        with pytest.raises(ReportLocked):
            workflow.save(report, users["b"], values={"aid_vnd": 1})
        report.values[0].value = 999  # straight to the model, past the service
        with pytest.raises(ReportLocked):
            db.session.commit()
        db.session.rollback()
        assert db.session.get(Report, report_id).values[0].value == 1000


def test_unlock_needs_a_request_and_a_reason_both_audited(cluster_world, make_period):
    from app.core.audit import AuditEntry

    users = cluster_world["users"]
    report_id, _ = _submitted(cluster_world, make_period)
    workflow.accept(report_id, users["a"])
    workflow.finalize(report_id, users["national"])
    with pytest.raises(ReportError):
        workflow.unlock(report_id, users["national"], "Sửa số liệu")  # nobody asked
    with tenant_context(cluster_world["b"].id):
        report = db.session.get(Report, report_id)
        with pytest.raises(ReportError):
            workflow.request_unlock(report, users["b"], "")
        workflow.request_unlock(report, users["b"], "Nhập nhầm số tiền cam kết")
        db.session.commit()
    with pytest.raises(ReportForbidden):
        workflow.unlock(report_id, users["a"], "x")
    assert workflow.unlock(report_id, users["national"], "Đồng ý mở lại") == "returned"
    with tenant_context(cluster_world["b"].id):
        audited = db.session.scalars(sa.select(AuditEntry.action).where(AuditEntry.target == f"report:{report_id}")
                                     .order_by(AuditEntry.id)).all()
        workflow.save(db.session.get(Report, report_id), users["b"], values={"aid_vnd": 1})  # editable again
    assert audited == ["report.unlock_requested", "report.unlocked"]


def test_submissions_close_after_the_lock_days(cluster_world, make_period):
    period = make_period(2023, due_date=date(2023, 12, 20), lock_after_days=10)
    user = cluster_world["users"]["b"]
    with tenant_context(cluster_world["b"].id):
        report = workflow.open_report(period)
        workflow.save(report, user, values={"aid_vnd": 5})
        with pytest.raises(ReportLocked):
            workflow.submit(report, user, today=date(2023, 12, 31))
        workflow.submit(report, user, today=date(2023, 12, 30))


def _with_deputy(world, year, deputy_key):
    lead = world["c01"].leadership_in(year)
    lead.deputy_tenant_id = world[deputy_key].id
    db.session.commit()


def test_the_leader_never_reviews_its_own_report_the_deputy_or_the_nation_does(cluster_world, make_period):
    from app.reporting import scoring

    users = cluster_world["users"]
    own, _ = _submitted(cluster_world, make_period, "a", 2023)  # A leads cluster 01 in 2023 and is a member
    with tenant_context(cluster_world["a"].id):
        criterion_id = db.session.get(Report, own).version.criteria[0].id
    for action in (lambda: workflow.accept(own, users["a"]), lambda: workflow.return_report(own, users["a"], "x"),
                   lambda: scoring.score(own, users["a"], {criterion_id: (5, None)})):
        with pytest.raises(ReportForbidden):
            action()
    with pytest.raises(ReportForbidden):
        workflow.accept(own, users["b"])  # no deputy yet: B is only a member
    _with_deputy(cluster_world, 2023, "b")
    with pytest.raises(ReportForbidden):
        workflow.accept(own, users["national"])  # with a deputy, the deputy reviews
    scoring.score(own, users["b"], {criterion_id: (5, None)})
    assert workflow.accept(own, users["b"]) == "accepted"
    nation_reviews, _ = _submitted(cluster_world, make_period, "a", 2024)  # A leads 2024 too, with no deputy
    assert workflow.accept(nation_reviews, users["national"]) == "accepted"


def test_a_stale_unlock_request_is_gone_once_the_report_is_returned_or_submitted(cluster_world, make_period):
    users = cluster_world["users"]
    report_id, _ = _submitted(cluster_world, make_period)
    with tenant_context(cluster_world["b"].id):
        workflow.request_unlock(db.session.get(Report, report_id), users["b"], "Nhập nhầm")
        db.session.commit()
    workflow.return_report(report_id, users["a"], "Thiếu số liệu")
    with tenant_context(cluster_world["b"].id):
        report = db.session.get(Report, report_id)
        workflow.submit(report, users["b"])
        db.session.commit()
    with pytest.raises(ReportError):  # the union has not asked about this submission
        workflow.unlock(report_id, users["national"], "Mở lại")
    with tenant_context(cluster_world["b"].id):
        report = db.session.get(Report, report_id)
        assert (report.status, report.unlock_requested_at, report.unlock_reason) == ("submitted", None, None)


def test_the_lock_covers_the_self_assessment_and_attachments_not_the_leaders_points(cluster_world, make_period):
    from app.reporting.models import ReportAttachment, ReportScore

    users = cluster_world["users"]
    period = make_period(2023)
    with tenant_context(cluster_world["b"].id):
        report = workflow.open_report(period, users["b"])
        workflow.save(report, users["b"], values={"aid_vnd": 1000}, scores={"c1": (5, "Tự chấm")})
        db.session.add(ReportAttachment(report_id=report.id, storage_key="k1", original_name="a.pdf", extension="pdf",
                                        content_type="application/pdf", size_bytes=9, sha256="0" * 64))
        workflow.submit(report, users["b"])
        db.session.commit()
        report_id = report.id

        def refused(change):
            change(db.session.scalar(sa.select(ReportScore)), db.session.scalar(sa.select(ReportAttachment)))
            with pytest.raises(ReportLocked):
                db.session.commit()
            db.session.rollback()

        refused(lambda score, _item: setattr(score, "self_points", 9))
        refused(lambda score, _item: setattr(score, "self_comment", "Sửa"))
        refused(lambda _score, item: db.session.delete(item))
        refused(lambda _score, _item: db.session.add(ReportAttachment(
            report_id=report_id, storage_key="k2", original_name="b.pdf", extension="pdf",
            content_type="application/pdf", size_bytes=9, sha256="1" * 64)))
        db.session.scalar(sa.select(ReportScore)).leader_points = 7  # the leader's scoring of a submitted report
        db.session.commit()
        assert db.session.execute(sa.select(ReportScore.self_points, ReportScore.self_comment,
                                            ReportScore.leader_points)).all() == [(5, "Tự chấm", 7)]
        assert db.session.scalar(sa.select(sa.func.count(ReportAttachment.id))) == 1


@pytest.mark.services
def test_writes_lock_the_report_row_first(app, cluster_world, make_period, browser):
    """PostgreSQL: the report row is read FOR UPDATE before a save, a submit or a review decides on its status, so
    an autosave in a second tab waits for the submit (and then sees the locked report) instead of racing it."""
    period = make_period(2023)
    with tenant_context(cluster_world["b"].id):
        report_id = workflow.open_report(period, cluster_world["users"]["b"]).id
        db.session.commit()
    statements = []

    def record(conn, cursor, statement, *args):
        statements.append(statement)

    locking = []
    sa.event.listen(db.engine, "before_cursor_execute", record)
    try:
        browser.login("reporter@b.vn")
        url = f"/manage/tinh-b/reports/{report_id}"
        for step in (lambda: browser.post(f"{url}/autosave", {"figure:aid_vnd": "1.000"}, token_from=url),
                     lambda: browser.post(url, {"figure:aid_vnd": "1.000"}, token_from=url),
                     lambda: browser.post(f"{url}/submit", token_from=url),
                     lambda: workflow.return_report(report_id, cluster_world["users"]["a"], "Thiếu")):
            statements.clear()
            assert step() is not None
            locking.append(any("FROM report " in s and s.rstrip().endswith("FOR UPDATE") for s in statements))
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", record)
    assert locking == [True] * 4
