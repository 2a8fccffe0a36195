"""Deadline reminders for reports not yet submitted (the notifications' beat task asks this source daily)."""

from collections.abc import Iterator
from datetime import date, timedelta

import sqlalchemy as sa

from app.extensions import db
from app.notifications.reminders import Deadline, register_deadline_source
from app.reporting.models import EDITABLE_STATUSES, Report, ReportingPeriod
from tenants.models import ClusterMembership, Tenant
from tenants.scoping import all_tenants

LOOK_AHEAD_DAYS = 7  # the earliest reminder (NOTIFY_REMINDER_DAYS_BEFORE) is a week before the due date
OVERDUE_DAYS = 30  # without a lock, stop reminding a month after the due date


def expected_unions(period: ReportingPeriod) -> list[int]:
    """The unions expected to report: every cluster member in the period's year that is active (an archived or
    merged union is not reminded)."""
    return list(db.session.scalars(
        sa.select(ClusterMembership.tenant_id).join(Tenant, Tenant.id == ClusterMembership.tenant_id)
        .where(ClusterMembership.year == period.year, Tenant.status.in_(("active", "suspended")))
        .order_by(ClusterMembership.tenant_id)))


def unsubmitted_reports(today: date) -> Iterator[Deadline]:
    """A Deadline per expected union whose report for an open period is missing, a draft or returned."""
    from app.notifications.emails import external_url
    from app.notifications.events import tenant_staff
    from app.reporting.workflow import WRITER_ROLES

    periods = db.session.scalars(sa.select(ReportingPeriod).where(
        ReportingPeriod.due_date <= today + timedelta(days=LOOK_AHEAD_DAYS),
        ReportingPeriod.due_date >= today - timedelta(days=OVERDUE_DAYS))).all()
    slugs = dict(db.session.execute(sa.select(Tenant.id, Tenant.slug)).tuples().all()) if periods else {}
    for period in periods:
        if today > period.due_date + timedelta(days=period.lock_after_days if period.lock_after_days is not None
                                               else OVERDUE_DAYS):
            continue
        with all_tenants("reporting: which unions have not submitted (deadline reminders)"):
            done = {tid for tid, status in db.session.execute(
                sa.select(Report.tenant_id, Report.status).where(Report.period_id == period.id))
                if status not in EDITABLE_STATUSES}
        for tenant_id in expected_unions(period):
            if tenant_id not in done:
                yield Deadline(report_key=f"report:{tenant_id}:{period.id}", tenant_id=tenant_id,
                               period=period.name_vi, due_date=period.due_date,
                               recipients=tenant_staff(tenant_id, WRITER_ROLES),
                               link=external_url("console.reports.index", tenant_slug=slugs[tenant_id]))


register_deadline_source(unsubmitted_reports)
