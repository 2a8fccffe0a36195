"""Event types and the one call that raises a notification: `notify(event_type, recipients, context)`.

Call it inside the transaction of the event (before the commit): the in-app rows and the e-mails are
written to that transaction and delivered after it commits. Reporting (issue 5) calls, for example:

    notify("report.submitted", leaders, {"union": "Hải Dương", "period": "Tổng kết 2025"},
           tenant_id=leader_tenant.id, link=url, key=f"report-submitted:{report.id}:{report.version}")

Context keys per event are listed beside each type below; every value is already display text.
`key` makes the call idempotent (one notification per user and key, ever).
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import force_locale, lazy_gettext
from flask_babel import gettext as _

from app.accounts.models import Membership, User
from app.extensions import db
from app.notifications import outbox
from app.notifications.emails import external_url, recipient_locale, render_pair
from app.notifications.models import Notification, NotificationPreference
from tenants.context import TenantContextMissing, current_tenant_id, tenant_context
from tenants.models import Tenant

CHANNELS = ("in_app", "email", "digest")
CHANNEL_LABELS = {"in_app": lazy_gettext("In the console only"), "email": lazy_gettext("By e-mail at once"),
                  "digest": lazy_gettext("In a daily digest e-mail")}


@dataclass(frozen=True)
class EventType:
    name: str
    label: object  # lazy string
    render: Callable[[dict], tuple[str, str]]  # context -> (title, body), in the active locale
    default_channel: str = "email"


def _e(name, label, render, default="email") -> EventType:
    return EventType(name, label, render, default)


EVENT_TYPES: dict[str, EventType] = {e.name: e for e in (
    # title, actor
    _e("article.submitted", lazy_gettext("An article is submitted for review"), lambda c: (
        _("To review: %(title)s", title=c["title"]),
        _("%(actor)s submitted “%(title)s” for review.", actor=c.get("actor") or "—", title=c["title"]))),
    # title, actor, comment
    _e("article.returned", lazy_gettext("My article is returned"), lambda c: (
        _("Returned for changes: %(title)s", title=c["title"]),
        _("%(actor)s returned “%(title)s”: %(comment)s", actor=c.get("actor") or "—", title=c["title"],
          comment=c.get("comment") or "—"))),
    _e("article.approved", lazy_gettext("My article is approved"), lambda c: (
        _("Approved: %(title)s", title=c["title"]),
        _("%(actor)s approved “%(title)s”.", actor=c.get("actor") or "—", title=c["title"])), "in_app"),
    _e("article.published", lazy_gettext("My article is published"), lambda c: (
        _("Published: %(title)s", title=c["title"]),
        _("“%(title)s” is now on the public site.", title=c["title"]))),
    # title, comment
    _e("nomination.approved", lazy_gettext("A nomination to the national portal is approved"), lambda c: (
        _("On the national portal: %(title)s", title=c["title"]),
        _("The national union approved “%(title)s” for the national portal.", title=c["title"]))),
    _e("nomination.declined", lazy_gettext("A nomination to the national portal is declined"), lambda c: (
        _("Not taken for the national portal: %(title)s", title=c["title"]),
        _("The national union declined “%(title)s”: %(comment)s", title=c["title"],
          comment=c.get("comment") or "—"))),
    # period, due_date
    _e("report.period_opened", lazy_gettext("A reporting period opens"), lambda c: (
        _("Reporting period open: %(period)s", period=c["period"]),
        _("The reporting period %(period)s is open; reports are due on %(due_date)s.", period=c["period"],
          due_date=c["due_date"]))),
    # period, due_date, kind ('before', 'due', 'overdue'), days
    _e("report.deadline_reminder", lazy_gettext("Report deadline reminders"), lambda c: _reminder_text(c)),
    # union, period
    _e("report.submitted", lazy_gettext("A union of my cluster submits its report"), lambda c: (
        _("Report submitted: %(union)s, %(period)s", union=c["union"], period=c["period"]),
        _("%(union)s submitted its report for %(period)s; it awaits your review.", union=c["union"],
          period=c["period"]))),
    # period, reason
    _e("report.returned", lazy_gettext("Our report is returned"), lambda c: (
        _("Report returned: %(period)s", period=c["period"]),
        _("The report for %(period)s was returned: %(reason)s", period=c["period"], reason=c.get("reason") or "—"))),
    _e("report.accepted", lazy_gettext("Our report is accepted"), lambda c: (
        _("Report accepted: %(period)s", period=c["period"]),
        _("The report for %(period)s was accepted.", period=c["period"]))),
    _e("report.finalized", lazy_gettext("Our report is given final acceptance"), lambda c: (
        _("Report finally accepted: %(period)s", period=c["period"]),
        _("The national union gave final acceptance to the report for %(period)s; it is now locked.",
          period=c["period"]))),
    _e("report.unlocked", lazy_gettext("Our report is unlocked"), lambda c: (
        _("Report unlocked: %(period)s", period=c["period"]),
        _("The national union reopened the report for %(period)s: %(reason)s", period=c["period"],
          reason=c.get("reason") or "—"))),
    # union
    _e("tenant.suspended", lazy_gettext("Our union's site is suspended"), lambda c: (
        _("Site suspended: %(union)s", union=c["union"]),
        _("The public site of %(union)s has been suspended by the national union. The console stays open; "
          "contact the national union to reactivate it.", union=c["union"]))),
)}


def _reminder_text(c: dict) -> tuple[str, str]:
    if c["kind"] == "overdue":
        return (_("Report overdue: %(period)s", period=c["period"]),
                _("The report for %(period)s was due on %(due_date)s and has not been submitted.",
                  period=c["period"], due_date=c["due_date"]))
    if c["kind"] == "due":
        return (_("Report due today: %(period)s", period=c["period"]),
                _("The report for %(period)s is due today (%(due_date)s).", period=c["period"],
                  due_date=c["due_date"]))
    return (_("Report due in %(days)d days: %(period)s", days=c["days"], period=c["period"]),
            _("The report for %(period)s is due on %(due_date)s.", period=c["period"], due_date=c["due_date"]))


def channel_for(user: User, event_type: str) -> str:
    chosen = db.session.scalar(sa.select(NotificationPreference.channel).where(
        NotificationPreference.user_id == user.id, NotificationPreference.event_type == event_type))
    return chosen or EVENT_TYPES[event_type].default_channel


def set_preference(user: User, event_type: str, channel: str) -> None:
    if event_type not in EVENT_TYPES or channel not in CHANNELS:
        raise ValueError(f"unknown event type or channel: {event_type}, {channel}")
    pref = db.session.scalar(sa.select(NotificationPreference).where(
        NotificationPreference.user_id == user.id, NotificationPreference.event_type == event_type))
    if pref is None:
        db.session.add(NotificationPreference(user_id=user.id, event_type=event_type, channel=channel))
    else:
        pref.channel = channel


def tenant_staff(tenant_id: int, roles: Iterable[str]) -> list[User]:
    """Active users holding one of `roles` in the tenant (recipients for tenant-wide events)."""
    return list(db.session.scalars(
        sa.select(User).join(Membership, Membership.user_id == User.id)
        .where(Membership.tenant_id == tenant_id, Membership.role.in_(list(roles)), User.active.is_(True))
        .order_by(User.id)))


def _users(recipients: Iterable) -> list[User]:
    seen, users = set(), []
    for r in recipients:
        user = r if isinstance(r, User) else db.session.get(User, r)
        if user is not None and user.active and user.id not in seen:
            seen.add(user.id)
            users.append(user)
    return users


def notify(event_type: str, recipients: Iterable, context: dict, *, tenant_id: int | None = None,
           link: str | None = None, key: str | None = None, exclude_user_id: int | None = None) -> list[Notification]:
    """Write a notification (and, by preference, an e-mail) per recipient into the current transaction."""
    event = EVENT_TYPES[event_type]
    tenant_id = tenant_id or current_tenant_id()
    if tenant_id is None:
        raise TenantContextMissing("notify() needs a tenant (the national tenant for national work)")
    created = []
    for user in _users(recipients):
        if user.id == exclude_user_id:
            continue
        notification = _notify_one(event, user, context, tenant_id, link, f"{key}:u{user.id}" if key else None)
        if notification is not None:
            created.append(notification)
    return created


def _notify_one(event: EventType, user: User, context: dict, tenant_id: int, link: str | None,
                key: str | None) -> Notification | None:
    channel = channel_for(user, event.name)
    locale = recipient_locale(user.locale)
    with force_locale(locale):
        title, body = event.render(context)
    with tenant_context(tenant_id):
        if key and db.session.scalar(sa.select(Notification.id).where(Notification.idempotency_key == key)):
            return None
        notification = Notification(user_id=user.id, event_type=event.name, title=title[:300], body=body,
                                    link=link, idempotency_key=key,
                                    digest_state="pending" if channel == "digest" else None)
        db.session.add(notification)
        db.session.flush()
    if channel == "email":
        text, html = render_pair("notifications/email/event", locale, title=title, body=body, link=link,
                                 user=user, preferences_url=preferences_url(tenant_id))
        outbox.queue_email(to=user.email, subject=title, text=text, html=html, event_type=event.name,
                           key=f"{key or 'n' + str(notification.id)}:mail", tenant_id=tenant_id)
    return notification


def preferences_url(tenant_id: int) -> str:
    """Where the recipient changes how they are told (the console of the notification's tenant)."""
    tenant = db.session.get(Tenant, tenant_id)
    if tenant is None or tenant.is_national:
        return external_url("national.notifications.preferences")
    return external_url("console.notifications.preferences", tenant_slug=tenant.slug)


def send_invitation(*, tenant_id: int, email: str, union: str, role: str, inviter: str, link: str,
                    locale: str = "vi", key: str | None = None):
    """An invitation to join a union's console (e-mail only: the person has no account yet)."""
    locale = recipient_locale(locale)
    with force_locale(locale):
        subject = _("Invitation to the console of %(union)s", union=union)
        text, html = render_pair("notifications/email/invitation", locale, union=union, role=role,
                                 inviter=inviter, link=link)
    return outbox.queue_email(to=email, subject=subject, text=text, html=html, event_type="account.invitation",
                              key=key, tenant_id=tenant_id)
