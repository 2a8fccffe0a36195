"""Report deadline reminders: N days before, on the day, and once overdue; one per (report, kind).

Reporting registers a source: a function `source(today) -> iterable of Deadline` for reports not yet
submitted. The beat task asks every source each day; the idempotency key (report, kind) makes the
task safe to run as often as we like.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date

from flask import current_app
from flask_babel import format_date

from app.core.timeutil import vn_today
from app.extensions import db
from app.notifications.events import notify


@dataclass(frozen=True)
class Deadline:
    report_key: str  # stable id of the report (e.g. "report:42")
    tenant_id: int
    period: str  # display name of the period
    due_date: date
    recipients: list = field(default_factory=list)  # users or user ids
    link: str | None = None


DeadlineSource = Callable[[date], Iterable[Deadline]]
_sources: list[DeadlineSource] = []


def register_deadline_source(source: DeadlineSource) -> DeadlineSource:
    if source not in _sources:
        _sources.append(source)
    return source


def unregister_deadline_source(source: DeadlineSource) -> None:
    if source in _sources:
        _sources.remove(source)


def reminder_kind(due: date, today: date, days_before: Iterable[int]) -> tuple[str, int] | None:
    """('before-N', N), ('due', 0), ('overdue', days late) or None when nothing is due today."""
    delta = (due - today).days
    if delta < 0:
        return "overdue", -delta
    if delta == 0:
        return "due", 0
    if delta in set(days_before):
        return f"before-{delta}", delta
    return None


def send_deadline_reminders(today: date | None = None) -> int:
    """Notify about every deadline due a reminder today; returns how many notifications were written."""
    today = today or vn_today()
    days_before = current_app.config.get("NOTIFY_REMINDER_DAYS_BEFORE", (7, 3, 1))
    written = 0
    for source in list(_sources):
        for deadline in source(today):
            kind = reminder_kind(deadline.due_date, today, days_before)
            if kind is None:
                continue
            name, days = kind
            context = {"period": deadline.period, "due_date": format_date(deadline.due_date, "dd/MM/yyyy"),
                       "kind": name.split("-")[0], "days": days}
            written += len(notify("report.deadline_reminder", deadline.recipients, context,
                                  tenant_id=deadline.tenant_id, link=deadline.link,
                                  key=f"reminder:{deadline.report_key}:{name}"))
    db.session.commit()
    return written
