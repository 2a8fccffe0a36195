"""Who may work in a union's console: invite, change a role, remove; the rules that keep a union governable.

- Nobody grants, or changes someone to, a role above their own; nobody changes or removes a person whose
  role is above their own. (Platform administrators stand above every tenant role.)
- The last administrator of a union can be neither demoted nor removed.
"""

from datetime import timedelta

import sqlalchemy as sa
from flask import current_app, url_for
from flask_babel import force_locale, gettext
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from app.accounts.models import Membership, User
from app.accounts.roles import ROLE_RANK, TenantRole
from app.accounts.services import AccountError, find_user, validate_password
from app.core import audit
from app.core.templating import role_label
from app.core.timeutil import utcnow
from app.extensions import db
from app.notifications.events import send_invitation
from app.people.models import Invitation
from tenants.context import tenant_context
from tenants.models import Tenant

INVITATION_DAYS = 7
PLATFORM_RANK = 100


class PeopleError(Exception):
    """A refused change, with the reason to show."""


def rank_of(user: User, tenant: Tenant) -> int:
    if user.is_platform_admin:
        return PLATFORM_RANK
    role = user.role_in(tenant.id)
    return ROLE_RANK.get(role, 0) if role else 0


def grantable_roles(actor: User, tenant: Tenant) -> list[str]:
    mine = rank_of(actor, tenant)
    return [r.value for r in TenantRole if ROLE_RANK[r] <= mine]


def memberships(tenant: Tenant) -> sa.Select:
    return (sa.select(Membership).where(Membership.tenant_id == tenant.id)
            .options(sa.orm.joinedload(Membership.user)).order_by(Membership.role, Membership.id))


def membership_or_none(tenant: Tenant, membership_id: int) -> Membership | None:
    return db.session.scalars(sa.select(Membership).where(Membership.id == membership_id,
                                                          Membership.tenant_id == tenant.id)).first()


def _admin_count(tenant: Tenant) -> int:
    return db.session.scalar(sa.select(sa.func.count(Membership.id)).join(User).where(
        Membership.tenant_id == tenant.id, Membership.role == TenantRole.ADMIN, User.active.is_(True)))


def _check_grant(actor: User, tenant: Tenant, role: str) -> None:
    if role not in {r.value for r in TenantRole}:
        raise PeopleError(gettext("Unknown role: %(role)s", role=role))
    if ROLE_RANK[TenantRole(role)] > rank_of(actor, tenant):
        raise PeopleError(gettext("You cannot grant a role above your own."))


def _check_above(actor: User, tenant: Tenant, membership: Membership) -> None:
    if ROLE_RANK[TenantRole(membership.role)] > rank_of(actor, tenant):
        raise PeopleError(gettext("You cannot change a person whose role is above your own."))


def change_role(actor: User, tenant: Tenant, membership: Membership, role: str) -> None:
    _check_grant(actor, tenant, role)
    _check_above(actor, tenant, membership)
    if membership.role == TenantRole.ADMIN and role != TenantRole.ADMIN and _admin_count(tenant) <= 1:
        raise PeopleError(gettext("%(name)s is the union's last administrator: make someone else an "
                                  "administrator first.", name=membership.user.name))
    previous = membership.role
    membership.role = role
    audit.record("people.role", tenant_id=tenant.id, target=f"user:{membership.user_id}",
                 detail=f"{previous} -> {role}")
    db.session.commit()


def remove(actor: User, tenant: Tenant, membership: Membership) -> None:
    _check_above(actor, tenant, membership)
    if membership.role == TenantRole.ADMIN and _admin_count(tenant) <= 1:
        raise PeopleError(gettext("%(name)s is the union's last administrator and cannot be removed.",
                                  name=membership.user.name))
    audit.record("people.remove", tenant_id=tenant.id, target=f"user:{membership.user_id}",
                 detail=f"{membership.user.email} ({membership.role})")
    db.session.delete(membership)
    db.session.commit()


# --- invitations ------------------------------------------------------------------------------------------

def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="invitation")


def invitation_token(invitation: Invitation) -> str:
    return _serializer().dumps({"t": invitation.tenant_id, "i": invitation.id, "e": invitation.email})


def invite(actor: User, tenant: Tenant, email: str, role: str) -> Invitation:
    """Record an invitation in the tenant (current tenant context) and e-mail its link."""
    email = email.strip().lower()
    _check_grant(actor, tenant, role)
    existing = find_user(email)
    if existing is not None and existing.role_in(tenant.id):
        raise PeopleError(gettext("%(email)s already works in this union.", email=email))
    for old in db.session.scalars(sa.select(Invitation).where(Invitation.email == email,
                                                              Invitation.accepted_at.is_(None),
                                                              Invitation.revoked_at.is_(None))):
        old.revoked_at = utcnow()  # one live invitation per address: the newest
    invitation = Invitation(email=email, role=role, invited_by_id=actor.id)
    db.session.add(invitation)
    db.session.flush()
    link = url_for("accounts.invite.accept", token=invitation_token(invitation), _external=True)
    locale = existing.locale if existing is not None and existing.locale else "vi"
    with force_locale(locale):
        union, role_name = tenant.name(locale), role_label(role)
    # Through the outbox: the e-mail commits with the invitation, and is delivered after the commit.
    send_invitation(tenant_id=tenant.id, email=email, union=union, role=role_name, inviter=actor.name, link=link,
                    locale=locale, key=f"invitation:{invitation.id}")
    audit.record("people.invite", tenant_id=tenant.id, target=f"invitation:{invitation.id}", detail=f"{email} ({role})")
    db.session.commit()
    return invitation


def revoke(tenant: Tenant, invitation: Invitation) -> None:
    if invitation.pending:
        invitation.revoked_at = utcnow()
        audit.record("people.invite_revoked", tenant_id=tenant.id, target=f"invitation:{invitation.id}",
                     detail=invitation.email)
        db.session.commit()


def pending_invitations() -> sa.Select:
    return (sa.select(Invitation).where(Invitation.accepted_at.is_(None), Invitation.revoked_at.is_(None),
                                        Invitation.created_at > utcnow() - timedelta(days=INVITATION_DAYS))
            .order_by(Invitation.created_at.desc()))


def invitation_for_token(token: str) -> Invitation | None:
    """The pending invitation a token names (loaded in its tenant), or None if bad, expired or used."""
    try:
        data = _serializer().loads(token, max_age=INVITATION_DAYS * 24 * 3600)
    except (SignatureExpired, BadSignature):
        return None
    if not isinstance(data, dict) or not all(isinstance(data.get(k), int) for k in ("t", "i")):
        return None
    with tenant_context(data["t"]):
        invitation = db.session.get(Invitation, data["i"])
        if invitation is None or not invitation.pending or invitation.email != data.get("e"):
            return None
        return invitation


def accept(invitation: Invitation, *, name: str | None = None, password: str | None = None) -> User:
    """Join the union: an existing account gains the membership; otherwise one is created."""
    with tenant_context(invitation.tenant_id):
        invitation = db.session.get(Invitation, invitation.id)
        if invitation is None or not invitation.pending:
            raise AccountError(gettext("This invitation has already been used or withdrawn."))
        user = find_user(invitation.email)
        if user is None:
            if not (name or "").strip():
                raise AccountError(gettext("Enter your name."))
            validate_password(password or "")
            user = User(email=invitation.email, name=name.strip(), locale="vi")
            user.set_password(password)
            db.session.add(user)
            db.session.flush()
        if not user.role_in(invitation.tenant_id):
            db.session.add(Membership(user_id=user.id, tenant_id=invitation.tenant_id, role=invitation.role))
        invitation.accepted_at = utcnow()
        audit.record("people.invite_accepted", tenant_id=invitation.tenant_id, actor_id=user.id,
                     target=f"invitation:{invitation.id}", detail=f"{user.email} ({invitation.role})")
        db.session.commit()
        return user
