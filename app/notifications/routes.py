"""Notification views: the bell and list (console and national), preferences, the outbox for admins,
subscribers, and the public subscribe / confirm / unsubscribe pages on each tenant's host."""

import sqlalchemy as sa
from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from app.accounts.permissions import can, permission_required
from app.console.routes import bp as console_parent
from app.core.pagination import paginate
from app.core.timeutil import utcnow
from app.extensions import csrf, db, limiter
from app.national.routes import bp as national_parent
from app.notifications import (
    outbox,
    receivers,  # noqa: F401  (connects the signal receivers)
    subscriptions,
)
from app.notifications.events import CHANNEL_LABELS, CHANNELS, EVENT_TYPES, channel_for, set_preference
from app.notifications.forms import SubscribeForm
from app.notifications.models import Notification, OutboxMessage, OutboxStatus, Subscriber
from tenants.models import Tenant
from tenants.scoping import all_tenants

console_bp = Blueprint("notifications", __name__, template_folder="templates",
                       url_prefix="/<tenant_slug>/notifications")
national_bp = Blueprint("notifications", __name__, template_folder="templates", url_prefix="/notifications")
public_bp = Blueprint("subscriptions", __name__, template_folder="templates")
console_parent.register_blueprint(console_bp)
national_parent.register_blueprint(national_bp)


def _here(name: str, **values) -> str:
    """This view's sibling in whichever console (tenant or national) the request is in."""
    return url_for(f"{request.blueprint}.{name}", **values)


@console_parent.app_context_processor
def _bell_context():
    return {"notification_bell": notification_bell, "outbox_status_label": outbox_status_label,
            "subscriber_status_label": subscriber_status_label}


def outbox_status_label(status: str) -> str:
    return {"pending": _("waiting"), "sending": _("sending"), "sent": _("delivered"),
            "failed": _("failed")}.get(status, status)


def subscriber_status_label(status: str) -> str:
    return {"pending": _("awaiting confirmation"), "confirmed": _("confirmed"),
            "unsubscribed": _("unsubscribed")}.get(status, status)


def notification_bell() -> dict | None:
    """The unread count and list link for the console header (None when there is nothing to show)."""
    if not current_user.is_authenticated or g.get("tenant") is None:
        return None
    if g.get("console_slug"):
        url = url_for("console.notifications.index")
    elif current_user.national_role:
        url = url_for("national.notifications.index")
    else:
        return None
    count = db.session.scalar(sa.select(sa.func.count(Notification.id)).where(
        Notification.user_id == current_user.id, Notification.read_at.is_(None)))
    return {"count": count or 0, "url": url}


# --- my notifications ------------------------------------------------------------------------------

def index():
    stmt = sa.select(Notification).where(Notification.user_id == current_user.id)
    if request.args.get("unread") == "1":
        stmt = stmt.where(Notification.read_at.is_(None))
    return render_template("notifications/index.html", page=paginate(stmt.order_by(Notification.id.desc())),
                           unread_only=request.args.get("unread") == "1")


def mark_read(notification_id: int):
    notification = db.session.scalar(sa.select(Notification).where(
        Notification.id == notification_id, Notification.user_id == current_user.id))
    if notification is None:
        abort(404)
    if notification.read_at is None:
        notification.read_at = utcnow()
        db.session.commit()
    return redirect(_here("index"))


def mark_all_read():
    db.session.execute(sa.update(Notification).where(Notification.user_id == current_user.id,
                                                     Notification.read_at.is_(None))
                       .values(read_at=utcnow()).execution_options(synchronize_session=False))
    db.session.commit()
    flash(_("Every notification is marked as read."), "success")
    return redirect(_here("index"))


def preferences():
    if request.method == "POST":
        for event_type in EVENT_TYPES:
            channel = request.form.get(event_type)
            if channel is not None and channel not in CHANNELS:
                abort(400)
            if channel:
                set_preference(current_user, event_type, channel)
        db.session.commit()
        flash(_("Your notification settings are saved."), "success")
        return redirect(_here("preferences"))
    rows = [(event, channel_for(current_user, name)) for name, event in EVENT_TYPES.items()]
    return render_template("notifications/preferences.html", rows=rows, channels=CHANNEL_LABELS)


for _bp, _permission in ((console_bp, "console.view"), (national_bp, "national.view")):
    _bp.add_url_rule("/", view_func=permission_required(_permission)(index), endpoint="index")
    _bp.add_url_rule("/<id:notification_id>/read", view_func=permission_required(_permission)(mark_read),
                     endpoint="mark_read", methods=["POST"])
    _bp.add_url_rule("/read-all", view_func=permission_required(_permission)(mark_all_read),
                     endpoint="mark_all_read", methods=["POST"])
    _bp.add_url_rule("/preferences", view_func=permission_required(_permission)(preferences),
                     endpoint="preferences", methods=["GET", "POST"])


# --- the outbox, for admins -------------------------------------------------------------------------

STATUS_FILTERS = (OutboxStatus.PENDING, OutboxStatus.SENDING, OutboxStatus.SENT, OutboxStatus.FAILED)


def _outbox_stmt():
    stmt = sa.select(OutboxMessage).order_by(OutboxMessage.id.desc())
    status = request.args.get("status")
    if status in STATUS_FILTERS:
        stmt = stmt.where(OutboxMessage.status == status)
    return stmt


@console_bp.route("/outbox/")
@permission_required("settings.manage")
def outbox_index():
    return render_template("notifications/outbox.html", page=paginate(_outbox_stmt()), tenants=None,
                           statuses=STATUS_FILTERS)


def _admin_only(row):
    """Load (404 for any id outside this tenant) before checking the role (403), as every console view does."""
    if not can("settings.manage"):
        abort(403)
    return row


@console_bp.route("/outbox/<id:message_id>")
@permission_required("console.view")
def outbox_detail(message_id: int):
    message = _admin_only(db.get_or_404(OutboxMessage, message_id))
    return render_template("notifications/outbox_detail.html", message=message)


@console_bp.route("/outbox/<id:message_id>/retry", methods=["POST"])
@permission_required("console.view")
def outbox_retry(message_id: int):
    message = _admin_only(db.get_or_404(OutboxMessage, message_id))
    if message.status == OutboxStatus.SENT:
        flash(_("This message was already delivered."), "error")
    else:
        outbox.retry_now(message)
        db.session.commit()
        flash(_("The message will be sent again now."), "success")
    return redirect(url_for("console.notifications.outbox_detail", message_id=message_id))


@national_bp.route("/outbox/")
@permission_required("national.view")
def national_outbox():
    with all_tenants("notifications: delivery status of every union", actor_id=current_user.id):
        page = paginate(_outbox_stmt())
        tenants = {t.id: t for t in db.session.scalars(sa.select(Tenant))}
        html = render_template("notifications/outbox.html", page=page, tenants=tenants, statuses=STATUS_FILTERS)
        db.session.rollback()
    return html


# --- subscribers, for admins ------------------------------------------------------------------------

@console_bp.route("/subscribers/")
@permission_required("settings.manage")
def subscribers():
    stmt = sa.select(Subscriber).order_by(Subscriber.id.desc())
    return render_template("notifications/subscribers.html", page=paginate(stmt))


@console_bp.route("/subscribers/<id:subscriber_id>/remove", methods=["POST"])
@permission_required("console.view")
def subscriber_remove(subscriber_id: int):
    sub = _admin_only(db.get_or_404(Subscriber, subscriber_id))
    if not request.form.get("confirm"):
        flash(_("Tick the confirmation box to remove %(email)s.", email=sub.email), "error")
    else:
        subscriptions.unsubscribe(sub)
        flash(_("%(email)s will receive no more news.", email=sub.email), "success")
    return redirect(url_for("console.notifications.subscribers"))


# --- public pages on the tenant's host ---------------------------------------------------------------

@public_bp.route("/dang-ky-nhan-tin", methods=["GET", "POST"])
@limiter.limit("5 per minute;20 per hour", methods=["POST"])
def subscribe():
    form = SubscribeForm()
    if form.validate_on_submit():
        subscriptions.subscribe(g.tenant, form.email.data, str(get_locale()))
        flash(_("Thank you. If the address is right, a message with a confirmation link is on its way: "
                "open it to start receiving our news."), "success")
        return redirect(url_for("subscriptions.subscribe"))
    status = 422 if request.method == "POST" else 200
    return render_template("notifications/subscribe.html", form=form), status


@public_bp.route("/dang-ky-nhan-tin/xac-nhan/<token>")
def confirm(token: str):
    sub = subscriptions.confirm(token)
    if sub is None:
        return render_template("notifications/subscription_result.html", ok=False,
                               message=_("This confirmation link is not valid or has expired. "
                                         "Subscribe again to receive a new one.")), 400
    return render_template("notifications/subscription_result.html", ok=True,
                           message=_("Your subscription is confirmed: you will receive our new articles by e-mail."))


@public_bp.route("/huy-dang-ky/<token>", methods=["GET", "POST"])
@csrf.exempt  # RFC 8058 one-click: the mail client posts without a form token; the signed token is the proof
def unsubscribe(token: str):
    sub = subscriptions.subscriber_for_unsubscribe(token)
    if sub is None:
        return render_template("notifications/subscription_result.html", ok=False,
                               message=_("This unsubscribe link is not valid.")), 400
    if request.method == "POST":
        subscriptions.unsubscribe(sub)
        return render_template("notifications/subscription_result.html", ok=True,
                               message=_("You are unsubscribed: you will receive no more e-mail from us."))
    return render_template("notifications/unsubscribe.html", email=sub.email, token=token)
