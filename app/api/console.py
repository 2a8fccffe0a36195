"""The console's API tokens (/manage/<slug>/api-tokens/): each staff member creates, sees and revokes their own;
a union's administrators see and revoke everyone's. A new token is shown once."""

import sqlalchemy as sa
from flask import Blueprint, abort, flash, g, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy.orm import selectinload
from wtforms import BooleanField, SelectField, SelectMultipleField, StringField, SubmitField
from wtforms.validators import DataRequired, Length
from wtforms.widgets import CheckboxInput, ListWidget

from app.accounts.permissions import can, permission_required
from app.api import tokens
from app.api.models import ApiToken
from app.console.routes import bp as console_parent
from app.extensions import db

bp = Blueprint("api_tokens", __name__, template_folder="templates", url_prefix="/<tenant_slug>/api-tokens")
console_parent.register_blueprint(bp)


class TokenForm(FlaskForm):
    name = StringField(_l("What the token is for"), validators=[DataRequired(), Length(max=120)],
                       description=_l("E.g. the document-management system of the provincial office."))
    scopes = SelectMultipleField(_l("Scopes"), choices=[], validators=[DataRequired()],
                                 option_widget=CheckboxInput(), widget=ListWidget(prefix_label=False))
    days = SelectField(_l("Valid for"), choices=[], coerce=int)
    submit = SubmitField(_l("Create the token"))


class RevokeForm(FlaskForm):
    confirm = BooleanField(_l("I confirm: systems using this token stop working"))
    submit = SubmitField(_l("Revoke"))


def _visible():
    stmt = sa.select(ApiToken).options(selectinload(ApiToken.user)).order_by(ApiToken.created_at.desc())
    if not can("people.manage"):
        stmt = stmt.where(ApiToken.user_id == current_user.id)
    return db.session.scalars(stmt).all()


@bp.route("/", methods=["GET", "POST"])
@permission_required("console.view")
def index():
    form = TokenForm()
    allowed = tokens.allowed_scopes(current_user, g.tenant)
    form.scopes.choices = [(scope, f"{scope} — {tokens.SCOPES[scope][0]}") for scope in allowed]
    form.days.choices = [(days, _("%(days)d days", days=days)) for days in tokens.EXPIRY_DAYS]
    created = None
    if form.validate_on_submit():
        try:
            token, text = tokens.issue(current_user, g.tenant, form.name.data, form.scopes.data, form.days.data)
        except ValueError as refusal:
            form.scopes.errors = [*form.scopes.errors, str(refusal)]
        else:
            created = (token, text)
            form = TokenForm(formdata=None)
            form.scopes.choices = [(scope, f"{scope} — {tokens.SCOPES[scope][0]}") for scope in allowed]
            form.days.choices = [(days, _("%(days)d days", days=days)) for days in tokens.EXPIRY_DAYS]
    response = render_template("api/tokens.html", form=form, rows=_visible(), created=created,
                               revoke_form=RevokeForm(), allowed=allowed)
    return response, 400 if form.errors else 200, {"Cache-Control": "no-store"}


@bp.route("/<id:token_id>/revoke", methods=["POST"])
@permission_required("console.view")
def revoke(token_id: int):
    token = db.get_or_404(ApiToken, token_id)  # the union's only
    if token.user_id != current_user.id and not can("people.manage"):
        abort(404)
    form = RevokeForm()
    if not form.validate_on_submit():
        abort(400)
    if not form.confirm.data:
        flash(_("Tick the confirmation box to revoke the token."), "error")
    else:
        tokens.revoke(token)
        flash(_("The token “%(name)s” was revoked.", name=token.name), "success")
    return redirect(url_for("console.api_tokens.index"))


# --- webhooks (/manage/<slug>/webhooks/): the union's administrators ---------------------------------------

hooks_bp = Blueprint("webhooks", __name__, template_folder="templates", url_prefix="/<tenant_slug>/webhooks")
console_parent.register_blueprint(hooks_bp)


class WebhookForm(FlaskForm):
    url = StringField(_l("Address that receives the events"), validators=[DataRequired(), Length(max=2000)],
                      description=_l("An https:// address of your system, e.g. https://vanban.example.gov.vn/hooks."))
    events = SelectMultipleField(_l("Events"), choices=[], validators=[DataRequired()],
                                 option_widget=CheckboxInput(), widget=ListWidget(prefix_label=False))
    all_unions = BooleanField(_l("Report events of every union (national union only)"))
    submit = SubmitField(_l("Add the endpoint"))


def _hooks_page(form, created=None, status=200):
    from app.api import webhooks
    from app.notifications.models import OutboxMessage

    hooks = db.session.scalars(sa.select(webhooks.Webhook).order_by(webhooks.Webhook.id)).all()
    deliveries = db.session.scalars(sa.select(OutboxMessage).where(OutboxMessage.channel == "webhook")
                                    .order_by(OutboxMessage.id.desc()).limit(50)).all()
    return render_template("api/webhooks.html", form=form, hooks=hooks, deliveries=deliveries, created=created,
                           confirm_form=RevokeForm(), events=webhooks.EVENTS), status, {"Cache-Control": "no-store"}


def _webhook_form(**kwargs) -> WebhookForm:
    from app.api import webhooks

    form = WebhookForm(**kwargs)
    form.events.choices = [(key, f"{key} — {label}") for key, label in webhooks.EVENTS.items()]
    return form


@hooks_bp.route("/", methods=["GET", "POST"])
@permission_required("settings.manage")
def hooks():
    from app.api import webhooks

    form = _webhook_form()
    if form.validate_on_submit():
        try:
            hook = webhooks.register(g.tenant, form.url.data, form.events.data, all_unions=form.all_unions.data)
        except ValueError as refusal:
            db.session.rollback()
            form.url.errors = [*form.url.errors, str(refusal)]
        else:
            secret = hook.secret
            db.session.commit()
            return _hooks_page(_webhook_form(formdata=None), created=secret)
    return _hooks_page(form, status=400 if form.errors else 200)


@hooks_bp.route("/<id:hook_id>/delete", methods=["POST"])
@permission_required("settings.manage")
def delete_hook(hook_id: int):
    from app.api import webhooks
    from app.core import audit

    hook = db.get_or_404(webhooks.Webhook, hook_id)  # the union's only
    form = RevokeForm()
    if not form.validate_on_submit():
        abort(400)
    if not form.confirm.data:
        flash(_("Tick the confirmation box to remove the endpoint."), "error")
    else:
        audit.record("webhook.deleted", target=f"webhook:{hook.id}", detail=hook.url)
        db.session.delete(hook)
        db.session.commit()
        flash(_("The endpoint was removed: nothing more is sent to it."), "success")
    return redirect(url_for("console.webhooks.hooks"))


@hooks_bp.route("/<id:hook_id>/ping", methods=["POST"])
@permission_required("settings.manage")
def ping_hook(hook_id: int):
    """A test delivery to one endpoint (event "ping"), to check the address and the signature."""
    import json

    from app.api import webhooks
    from app.core.timeutil import utcnow
    from app.notifications import outbox

    hook = db.get_or_404(webhooks.Webhook, hook_id)
    if not FlaskForm().validate_on_submit():
        abort(400)
    now = utcnow()
    delivery = f"ping:{hook.id}:{int(now.timestamp() * 1000)}"
    outbox.queue_webhook(hook.tenant_id, hook.id, hook.url, "ping", json.dumps(
        {"event": "ping", "delivery": delivery, "union": g.tenant.slug, "occurred_at": now.isoformat(), "data": {}}),
        key=delivery)
    db.session.commit()
    flash(_("A test event was sent; its answer shows below."), "success")
    return redirect(url_for("console.webhooks.hooks"))
