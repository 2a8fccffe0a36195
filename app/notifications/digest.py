"""The daily digest: one e-mail per user and tenant gathering the notifications they chose to batch."""

from collections import defaultdict
from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import force_locale
from flask_babel import gettext as _

from app.accounts.models import User
from app.core.timeutil import vn_today
from app.extensions import db
from app.notifications import outbox
from app.notifications.emails import recipient_locale, render_pair
from app.notifications.events import preferences_url
from app.notifications.models import Notification
from tenants.context import tenant_context
from tenants.models import Tenant


def send_digests(now: datetime | None = None) -> int:
    """Queue today's digest for every user with pending digest items; returns the number queued."""
    day = vn_today(now)
    queued = 0
    for tenant in db.session.scalars(sa.select(Tenant).order_by(Tenant.id)).all():
        tenant_id, union = tenant.id, tenant.name_vi
        with tenant_context(tenant_id):
            pending = db.session.scalars(sa.select(Notification).where(Notification.digest_state == "pending")
                                         .order_by(Notification.user_id, Notification.id)).all()
            by_user: dict[int, list[Notification]] = defaultdict(list)
            for n in pending:
                by_user[n.user_id].append(n)
            for user_id, items in by_user.items():
                queued += _queue_digest(db.session.get(User, user_id), items, tenant, union, day)
            db.session.commit()
    return queued


def _queue_digest(user: User, items: list[Notification], tenant: Tenant, union: str, day: date) -> int:
    locale = recipient_locale(user.locale)
    with force_locale(locale):
        subject = _("Daily summary, %(day)s: %(count)d notification(s)", day=day.strftime("%d/%m/%Y"),
                    count=len(items))
        union = tenant.name(locale)
    text, html = render_pair("notifications/email/digest", locale, user=user, items=items, union=union,
                             preferences_url=preferences_url(tenant.id))
    message = outbox.queue_email(to=user.email, subject=subject, text=text, html=html, event_type="digest",
                                 key=f"digest:{user.id}:{day.isoformat()}", tenant_id=tenant.id)
    if message is None:  # today's digest already went: these wait for tomorrow's
        return 0
    for n in items:
        n.digest_state = "sent"
    return 1
