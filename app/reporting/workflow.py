"""A union's report through its life: draft → submitted → accepted (or returned) → final, with history.

Submitting locks the report; the cluster leader *of the period's year* returns it with a reason or accepts
it (the leader's own report: the deputy of that year, or the national union when there is none); the national
union's final acceptance locks it for good, unless an unlock is requested and granted (both audited). Each
transition writes a ReportEvent and, after commit, queues the incremental rollup.
"""

import logging
from contextlib import contextmanager
from datetime import date, timedelta

import sqlalchemy as sa
from blinker import Namespace
from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import event

from app.core import audit
from app.core.timeutil import utcnow, vn_today
from app.extensions import db
from app.reporting import sources
from app.reporting.models import (
    EDITABLE_STATUSES,
    Report,
    ReportAttachment,
    ReportEvent,
    ReportingPeriod,
    ReportNarrative,
    ReportScore,
    ReportValue,
    TemplateVersion,
)
from app.reporting.validation import blocking, validate
from tenants.clusters import LEADER_ROLES, cluster_of
from tenants.context import current_tenant_id, tenant_context
from tenants.scoping import TenantSession, all_tenants

log = logging.getLogger("lhhn.reporting")
WRITER_ROLES = frozenset({"admin", "reporter"})
_DISPATCH_KEY = "lhhn_rollup_dispatch"


class ReportError(Exception):
    """A rule of the workflow refused the action; `message` is shown to the user."""

    def __init__(self, message, issues=None):
        super().__init__(str(message))
        self.message, self.issues = message, issues or []


class ReportLocked(ReportError):
    pass


class ReportForbidden(ReportError):
    pass


# --- opening and editing (inside the union's tenant) -----------------------------------------------

def current_version(period: ReportingPeriod) -> TemplateVersion:
    version = db.session.scalar(sa.select(TemplateVersion).where(
        TemplateVersion.template_id == period.template_id, TemplateVersion.published.is_(True))
        .order_by(TemplateVersion.number.desc()))
    if version is None:
        raise ReportError(_l("This period's template has no published version yet."))
    return version


def open_report(period: ReportingPeriod, actor=None) -> Report:
    """The current union's report for `period`, created (pinned and pre-filled) on first opening."""
    report = db.session.scalar(sa.select(Report).where(Report.period_id == period.id))
    if report is not None:
        return report
    version = current_version(period)
    report = Report(period=period, version=version, status="draft")
    tenant_id = current_tenant_id()
    for indicator in version.indicators:
        figure = sources.figure(indicator.auto_source, tenant_id, period.window_start, period.window_end)
        report.values.append(ReportValue(indicator=indicator, value=figure, prefilled=figure))
    db.session.add(report)
    db.session.flush()
    _event(report, "created", None, "draft", actor)
    return report


def save(report: Report, actor=None, *, values: dict | None = None, comments: dict | None = None,
         narratives: dict | None = None, scores: dict | None = None) -> list[str]:
    """Save figures ({code: int|None}), comments ({code: str}), narratives ({key: html}) and the self-assessment
    ({criterion code: (points|None, comment)}); returns what changed."""
    if not report.editable:
        raise ReportLocked(_l("This report is locked: it can no longer be changed."))
    by_code = {v.indicator.code: v for v in report.values}
    changed = []
    for code, figure in (values or {}).items():
        row = by_code.get(code)
        if row is None:
            raise ReportError(_l("Unknown indicator: %(code)s", code=code))
        if figure is not None and not isinstance(figure, int):
            raise ReportError(_l("Figures are whole numbers."))
        if row.value != figure:
            row.value = figure
            changed.append(code)
    for code, comment in (comments or {}).items():
        if code in by_code and (by_code[code].comment or "") != (comment or ""):
            by_code[code].comment = comment or None
            changed.append(f"comment:{code}")
    _save_narratives(report, narratives or {}, changed)
    _save_scores(report, scores or {}, changed)
    if changed:
        _event(report, "saved", report.status, report.status, actor, ", ".join(changed))
    return changed


def _save_narratives(report: Report, narratives: dict, changed: list) -> None:
    from app.core.sanitize import clean_html

    allowed = set(report.version.narrative_sections)
    existing = {n.key: n for n in report.narratives}
    for key, html in narratives.items():
        if key not in allowed:
            raise ReportError(_l("Unknown section: %(key)s", key=key))
        body = clean_html(html or "")
        if key not in existing:
            report.narratives.append(ReportNarrative(key=key, body_html=body))
            changed.append(f"narrative:{key}")
        elif existing[key].body_html != body:
            existing[key].body_html = body
            changed.append(f"narrative:{key}")


def _save_scores(report: Report, scores: dict, changed: list) -> None:
    criteria = {c.code: c for c in report.version.criteria}
    existing = {s.criterion_id: s for s in db.session.scalars(
        sa.select(ReportScore).where(ReportScore.report_id == report.id))}
    for code, (points, comment) in scores.items():
        criterion = criteria.get(code)
        if criterion is None:
            raise ReportError(_l("Unknown criterion: %(code)s", code=code))
        if points is not None and not (isinstance(points, int) and 0 <= points <= criterion.max_points):
            raise ReportError(_l("Points are a whole number from 0 to %(max)d.", max=criterion.max_points))
        row, comment = existing.get(criterion.id), (comment or "").strip() or None
        if row is None and points is None and comment is None:
            continue
        if row is None:
            row = ReportScore(report_id=report.id, criterion_id=criterion.id)
            db.session.add(row)
        if (row.self_points, row.self_comment) != (points, comment):
            row.self_points, row.self_comment = points, comment
            changed.append(f"score:{code}")


def period_closed(period: ReportingPeriod, today: date | None = None) -> bool:
    if period.lock_after_days is None:
        return False
    return (today or vn_today()) - period.due_date > timedelta(days=period.lock_after_days)  # never overflows


def submit(report: Report, actor, today: date | None = None) -> Report:
    """Draft or returned → submitted, if nothing blocks; the cluster leader is told."""
    _require_writer(actor, report.tenant_id)
    if not report.editable:
        raise ReportLocked(_l("This report has already been submitted."))
    if period_closed(report.period, today):
        raise ReportLocked(_l("Submissions for this period are closed."))
    issues = blocking(validate(report))
    if issues:
        raise ReportError(_l("The report has errors or uncommented warnings."), issues)
    _transition(report, "submitted", actor, "submitted")
    report.submitted_at = utcnow()
    _notify_leader(report)
    return report


# --- review (across tenants) -------------------------------------------------------------------------

@contextmanager
def report_for_review(report_id: int, lock: bool = False):
    """Load a report of any union and act inside its tenant (the reviewer's access is checked by the caller);
    `lock` reads its row FOR UPDATE, so that a concurrent save or transition waits for this one."""
    with all_tenants(f"reporting: review of report {report_id}"):
        tenant_id = db.session.scalar(sa.select(Report.tenant_id).where(Report.id == report_id))
    if tenant_id is None:
        raise ReportForbidden(_l("No such report."))
    with tenant_context(tenant_id):
        yield db.session.get(Report, report_id, with_for_update=lock or None, populate_existing=lock)


def lock_row(report: Report) -> Report:
    """Re-read a loaded report FOR UPDATE (PostgreSQL; SQLite has no row locks): the status the lock guard and
    the workflow see is then the committed one, and a second tab's save waits for a submission in progress."""
    db.session.refresh(report, with_for_update=True)
    return report


def reviewing_union(tenant_id: int, year: int) -> int | None:
    """The union whose leader-role staff review this union's report of `year`: its cluster's leader that year; for
    the leader's own report, the deputy. None when no union does: nobody leads, or (see reviewed_nationally) the
    leader's own report in a cluster without a deputy."""
    lead = _leadership(tenant_id, year)
    if lead is None:
        return None
    if lead.leader_tenant_id != tenant_id:
        return lead.leader_tenant_id
    return lead.deputy_tenant_id if lead.deputy_tenant_id != tenant_id else None


def reviewed_nationally(tenant_id: int, year: int) -> bool:
    """The leader's own report of a year its cluster has no deputy: the national union reviews it."""
    lead = _leadership(tenant_id, year)
    return lead is not None and lead.leader_tenant_id == tenant_id and reviewing_union(tenant_id, year) is None


def _leadership(tenant_id: int, year: int):
    cluster = cluster_of(tenant_id, year)
    return cluster.leadership_in(year) if cluster is not None else None


def can_review(user, report: Report) -> bool:
    """Staff with a leader role of the reviewing union of the period's year (never the report's own union), or a
    platform admin for a leader's report that no deputy reviews."""
    tenant_id, year = report.tenant_id, report.period.year
    reviewer = reviewing_union(tenant_id, year)
    if reviewer is not None:
        return any(m.tenant_id == reviewer and m.role in LEADER_ROLES for m in user.memberships)
    return user.is_platform_admin and reviewed_nationally(tenant_id, year)


def return_report(report_id: int, actor, reason: str) -> str:
    if not (reason or "").strip():
        raise ReportError(_l("Give a reason for returning the report."))
    with report_for_review(report_id, lock=True) as report:
        _require_reviewer(actor, report)
        _expect(report, "submitted")
        _transition(report, "returned", actor, "returned", reason.strip())
        _notify_union(report, "report.returned", reason.strip())
        db.session.commit()
        return report.status


def accept(report_id: int, actor) -> str:
    with report_for_review(report_id, lock=True) as report:
        _require_reviewer(actor, report)
        _expect(report, "submitted")
        _transition(report, "accepted", actor, "accepted")
        _notify_union(report, "report.accepted")
        db.session.commit()
        return report.status


def finalize(report_id: int, actor) -> str:
    """The national union's final acceptance: the report is locked."""
    _require_national(actor)
    with report_for_review(report_id, lock=True) as report:
        _expect(report, "accepted")
        _transition(report, "final", actor, "finalized")
        _notify_union(report, "report.finalized")
        db.session.commit()
        return report.status


def request_unlock(report: Report, actor, reason: str) -> None:
    """A union asks the national union to reopen a submitted, accepted or final report."""
    _require_writer(actor, report.tenant_id)
    if report.editable:
        raise ReportError(_l("This report is not locked."))
    if not (reason or "").strip():
        raise ReportError(_l("Give a reason for the unlock request."))
    report.unlock_requested_at, report.unlock_reason = utcnow(), reason.strip()
    _event(report, "unlock_requested", report.status, report.status, actor, reason.strip())
    audit.record("report.unlock_requested", target=f"report:{report.id}", detail=reason.strip(),
                 actor_id=getattr(actor, "id", None))


def unlock(report_id: int, actor, reason: str) -> str:
    """The national union reopens a locked report on request: it goes back to the union as returned."""
    _require_national(actor)
    if not (reason or "").strip():
        raise ReportError(_l("Give a reason for unlocking the report."))
    with report_for_review(report_id, lock=True) as report:
        if report.unlock_requested_at is None:
            raise ReportError(_l("The union has not requested an unlock."))
        if report.editable:
            raise ReportError(_l("This report is not locked."))
        _transition(report, "returned", actor, "unlocked", reason.strip())
        audit.record("report.unlocked", target=f"report:{report.id}", detail=reason.strip(),
                     actor_id=getattr(actor, "id", None))
        _notify_union(report, "report.unlocked", reason.strip())
        db.session.commit()
        return report.status


# --- helpers ---------------------------------------------------------------------------------------------

def may_write(actor, tenant_id: int) -> bool:
    """The union's admins and reporters fill and submit its report (not the national union's staff)."""
    return actor is not None and any(m.tenant_id == tenant_id and m.role in WRITER_ROLES for m in actor.memberships)


def _require_writer(actor, tenant_id: int) -> None:
    if not may_write(actor, tenant_id):
        raise ReportForbidden(_l("You may not change this union's report."))


def _require_reviewer(actor, report: Report) -> None:
    if actor is None or not can_review(actor, report):
        raise ReportForbidden(_l("Only the cluster leader of that year reviews this report."))


def _require_national(actor) -> None:
    if actor is None or not actor.is_platform_admin:
        raise ReportForbidden(_l("Only the national union may do this."))


def _expect(report: Report, status: str) -> None:
    if report.status != status:
        raise ReportError(_l("This action is not possible in the report's current state."))


report_transitioned = Namespace().signal("report-transitioned")  # sender=report, to=…, before=…, actor=…


def _transition(report: Report, to: str, actor, action: str, detail: str | None = None) -> None:
    before = report.status
    report.status = to
    report_transitioned.send(report, to=to, before=before, actor=actor)  # webhooks: in this transaction
    if to in EDITABLE_STATUSES or to == "submitted":  # an unlock request is about one locked submission only
        report.unlock_requested_at = report.unlock_reason = None
    _event(report, action, before, to, actor, detail)
    if current_app.config.get("REPORTING_ROLLUPS_ON_COMMIT", True):
        db.session.info.setdefault(_DISPATCH_KEY, []).append((report.tenant_id, report.period_id))


def record_event(report: Report, action: str, actor=None, detail: str | None = None) -> None:
    """A history entry that does not change the report's status (e.g. an attachment added)."""
    _event(report, action, report.status, report.status, actor, detail)


def _event(report: Report, action: str, before, after, actor, detail: str | None = None) -> None:
    db.session.add(ReportEvent(report_id=report.id, action=action, from_status=before, to_status=after,
                               actor_id=getattr(actor, "id", None), detail=detail))


def _period_name(report: Report) -> str:
    return report.period.name_vi


def _notify_leader(report: Report) -> None:
    from app.notifications.events import notify, tenant_staff

    reviewer = reviewing_union(report.tenant_id, report.period.year)
    if reviewer is None:
        return
    from app.notifications.emails import external_url
    from tenants.models import Tenant

    union = db.session.get(Tenant, report.tenant_id).name_vi
    reviewer_slug = db.session.get(Tenant, reviewer).slug
    notify("report.submitted", tenant_staff(reviewer, LEADER_ROLES),
           {"union": union, "period": _period_name(report)}, tenant_id=reviewer,
           link=external_url("console.cluster.report", tenant_slug=reviewer_slug, report_id=report.id),
           key=f"report-submitted:{report.id}:{report.submitted_at or utcnow()}")


def _notify_union(report: Report, event_type: str, reason: str | None = None) -> None:
    from app.notifications.emails import external_url
    from app.notifications.events import notify, tenant_staff
    from tenants.models import Tenant

    slug = db.session.get(Tenant, report.tenant_id).slug
    notify(event_type, tenant_staff(report.tenant_id, WRITER_ROLES),
           {"period": _period_name(report), "reason": reason or ""}, tenant_id=report.tenant_id,
           link=external_url("console.reports.report", tenant_slug=slug, report_id=report.id))


# --- lock enforcement and rollup hand-off (session events) ------------------------------------------

def _status_before(report: Report) -> str:
    history = sa.inspect(report).attrs.status.history
    return history.deleted[0] if history.deleted else report.status


@event.listens_for(TenantSession, "before_flush")
def _refuse_writes_to_locked_reports(session, flush_context, instances) -> None:
    """No figure, narrative, self-assessment or attachment of a locked report changes, whichever code path tries."""
    with session.no_autoflush:
        for obj in list(session.new) + list(session.dirty) + list(session.deleted):
            _check_unlocked(session, obj)


def _check_unlocked(session, obj) -> None:
    """Raise if `obj` is a figure, narrative, self-assessment or attachment (added or removed) of a report that was
    locked before this flush. The leader's points may change on a locked report (scoring.SCORABLE_STATUSES)."""
    if isinstance(obj, ReportScore):
        if not any(sa.inspect(obj).attrs[key].history.has_changes() for key in ("self_points", "self_comment")):
            return
    elif isinstance(obj, ReportAttachment):
        if obj in session.dirty:
            return
    elif not isinstance(obj, ReportValue | ReportNarrative):
        return
    if obj in session.dirty and not session.is_modified(obj, include_collections=False):
        return
    if isinstance(obj, ReportValue):
        report = obj.report
    else:
        report = session.get(Report, obj.report_id) if obj.report_id is not None else None
    if report is not None and sa.inspect(report).persistent and _status_before(report) not in EDITABLE_STATUSES:
        raise ReportLocked(_l("This report is locked: it can no longer be changed."))


@event.listens_for(TenantSession, "after_commit")
def _dispatch_rollups(session) -> None:
    pending = session.info.pop(_DISPATCH_KEY, [])
    for tenant_id, period_id in dict.fromkeys(pending):
        try:
            from workers.tasks.reporting import recompute_rollups_for_report

            recompute_rollups_for_report.apply_async(args=[tenant_id, period_id], retry=False)
        except Exception as error:  # noqa: BLE001 - the nightly full recompute catches up
            log.warning("rollup recompute not queued (%s); the nightly run will catch up", error)


@event.listens_for(TenantSession, "after_rollback")
def _forget_rollups(session) -> None:
    session.info.pop(_DISPATCH_KEY, None)
