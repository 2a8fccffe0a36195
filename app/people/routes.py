"""People in a union's console (/manage/<slug>/people/…) and accepting an invitation (/auth/invite/<token>)."""

from flask import Blueprint, abort, flash, g, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user

from app.accounts.permissions import permission_required
from app.accounts.routes import bp as accounts_parent
from app.accounts.services import AccountError, find_user
from app.console.routes import bp as console_parent
from app.core.pagination import paginate
from app.core.templating import role_label
from app.extensions import db
from app.people import services
from app.people.forms import AcceptForm, ConfirmForm, InviteForm, RoleForm
from app.people.models import Invitation

console_bp = Blueprint("people", __name__, template_folder="templates", url_prefix="/<tenant_slug>/people")
invite_bp = Blueprint("invite", __name__, template_folder="templates", url_prefix="/invite")
console_parent.register_blueprint(console_bp)
accounts_parent.register_blueprint(invite_bp)  # platform host only, like sign-in


def _role_choices():
    return [(r, role_label(r)) for r in services.grantable_roles(current_user, g.tenant)]


@console_bp.route("/", methods=["GET", "POST"])
@permission_required("people.manage")
def index():
    form = InviteForm(prefix="invite")
    form.role.choices = _role_choices()
    if form.validate_on_submit():
        try:
            services.invite(current_user, g.tenant, form.email.data, form.role.data)
        except services.PeopleError as refusal:
            form.email.errors = [*form.email.errors, str(refusal)]
        else:
            flash(_("An invitation was sent to %(email)s. The link works for %(days)d days.",
                    email=form.email.data.strip().lower(), days=services.INVITATION_DAYS), "success")
            return redirect(url_for("console.people.index"))
    page = paginate(services.memberships(g.tenant))
    invitations = db.session.scalars(services.pending_invitations().limit(50)).all()
    return render_template("people/index.html", page=page, form=form, invitations=invitations), \
        400 if form.errors else 200


@console_bp.route("/<id:membership_id>", methods=["GET", "POST"])
@permission_required("people.manage")
def member(membership_id: int):
    membership = services.membership_or_none(g.tenant, membership_id)
    if membership is None:
        abort(404)
    form = RoleForm(role=membership.role)
    form.role.choices = _role_choices()
    if form.validate_on_submit():
        try:
            services.change_role(current_user, g.tenant, membership, form.role.data)
        except services.PeopleError as refusal:
            form.role.errors = [*form.role.errors, str(refusal)]
        else:
            flash(_("%(name)s is now %(role)s.", name=membership.user.name, role=role_label(membership.role)),
                  "success")
            return redirect(url_for("console.people.index"))
    return render_template("people/member.html", membership=membership, form=form), 400 if form.errors else 200


@console_bp.route("/<id:membership_id>/remove", methods=["GET", "POST"])
@permission_required("people.manage")
def remove(membership_id: int):
    """GET asks for confirmation; POST removes the person from this union (their account stays)."""
    membership = services.membership_or_none(g.tenant, membership_id)
    if membership is None:
        abort(404)
    form = ConfirmForm()
    error = None
    if form.validate_on_submit():
        name = membership.user.name
        try:
            services.remove(current_user, g.tenant, membership)
        except services.PeopleError as refusal:
            error = str(refusal)
        else:
            flash(_("%(name)s no longer works in this union.", name=name), "success")
            return redirect(url_for("console.people.index"))
    return render_template("people/remove.html", membership=membership, form=form, error=error), \
        400 if error else 200


@console_bp.route("/invitations/<id:invitation_id>/revoke", methods=["POST"])
@permission_required("people.manage")
def revoke(invitation_id: int):
    invitation = db.get_or_404(Invitation, invitation_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    services.revoke(g.tenant, invitation)
    flash(_("The invitation to %(email)s was withdrawn.", email=invitation.email), "success")
    return redirect(url_for("console.people.index"))


@invite_bp.route("/<token>", methods=["GET", "POST"])
def accept(token: str):
    invitation = services.invitation_for_token(token)
    if invitation is None:
        return render_template("people/invite_invalid.html"), 404
    existing = find_user(invitation.email)
    union, role, email = _union_name(invitation), role_label(invitation.role), invitation.email  # before commits
    form = AcceptForm() if existing is None else ConfirmForm()
    if form.validate_on_submit():
        try:
            user = services.accept(invitation, name=getattr(form, "name", None) and form.name.data,
                                   password=getattr(form, "password", None) and form.password.data)
        except AccountError as refusal:
            target = form.password if existing is None else None
            if target is not None:
                target.errors = [*target.errors, str(refusal)]
            else:
                flash(str(refusal), "error")
        else:
            if existing is None:
                login_user(user)
            flash(_("Welcome! You now work in the console of %(union)s.", union=union), "success")
            return redirect(url_for("console.home") if existing is None else url_for("accounts.login"))
    return render_template("people/accept.html", form=form, email=email, existing=existing, union=union,
                           role=role), \
        400 if form.errors else 200


def _union_name(invitation: Invitation) -> str:
    from flask_babel import get_locale

    from tenants.models import Tenant

    tenant = db.session.get(Tenant, invitation.tenant_id)
    return tenant.name(str(get_locale())) if tenant else ""
