"""Deadline reminders go to the unions of the period's clusters that have not submitted, once per kind."""

from datetime import date

import sqlalchemy as sa

from app.extensions import db
from app.notifications.models import Notification
from app.notifications.reminders import send_deadline_reminders
from app.reporting import workflow
from tenants.context import tenant_context
from tenants.scoping import all_tenants


def _reminded():
    with all_tenants("test: read the reminders"):
        return sorted((n.tenant_id, n.event_type) for n in db.session.scalars(
            sa.select(Notification).where(Notification.event_type == "report.deadline_reminder")))


def test_reminders_skip_submitted_reports(cluster_world, make_period):
    period = make_period(2023, due_date=date(2023, 12, 20), lock_after_days=10)
    user = cluster_world["users"]["b"]
    with tenant_context(cluster_world["b"].id):
        report = workflow.open_report(period)
        workflow.save(report, values={"aid_vnd": 5})
        workflow.submit(report, user, today=date(2023, 12, 19))
        db.session.commit()
    assert send_deadline_reminders(date(2023, 12, 13)) == 2  # A and C: a week before; B has submitted
    assert _reminded() == [(cluster_world["a"].id, "report.deadline_reminder"),
                           (cluster_world["c"].id, "report.deadline_reminder")]
    with all_tenants("test: read the reminders' links"):
        links = set(db.session.scalars(sa.select(Notification.link)
                                       .where(Notification.event_type == "report.deadline_reminder")))
    assert {link.split("localhost", 1)[1] for link in links} == {"/manage/tinh-a/reports/", "/manage/tinh-c/reports/"}
    assert send_deadline_reminders(date(2023, 12, 13)) == 0  # once per kind
    assert send_deadline_reminders(date(2024, 1, 5)) == 0  # past the lock: no more reminders


def test_submission_tells_the_cluster_leader(cluster_world, make_period):
    period = make_period(2023)
    with tenant_context(cluster_world["b"].id):
        report = workflow.open_report(period)
        workflow.save(report, values={"aid_vnd": 5})
        workflow.submit(report, cluster_world["users"]["b"])
        db.session.commit()
        report_id = report.id
    with all_tenants("test: read the notifications"):
        told = db.session.execute(sa.select(Notification.tenant_id, Notification.user_id, Notification.link)
                                  .where(Notification.event_type == "report.submitted")).all()
    assert [row[:2] for row in told] == [(cluster_world["a"].id, cluster_world["users"]["a"].id)]
    assert told[0].link.endswith(f"/manage/tinh-a/cluster/reports/{report_id}")  # the leader's review page
