"""Sign-in, lockout, password reset and user creation: the rules, callable without a request."""

import math

import sqlalchemy as sa
from flask import current_app, render_template, url_for
from flask_babel import force_locale, gettext
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from werkzeug.security import check_password_hash, generate_password_hash

from app.accounts.models import Membership, User
from app.accounts.roles import NationalRole, TenantRole
from app.core import audit, mail
from app.core.timeutil import as_utc, utcnow
from app.extensions import db
from tenants.context import current_tenant_id
from tenants.models import Tenant

_DUMMY_HASH = generate_password_hash("not-a-password", method="scrypt")
MIN_PASSWORD_LENGTH = 10


class AccountError(Exception):
    """A user-facing refusal; str(error) is already translated."""


class InvalidCredentials(AccountError):
    pass


class AccountLocked(AccountError):
    def __init__(self, minutes: int):
        self.minutes = minutes
        super().__init__(gettext("Too many failed sign-in attempts. This account is locked for "
                                 "%(minutes)d more minute(s); try again later or reset your password.",
                                 minutes=minutes))


def find_user(email: str) -> User | None:
    return db.session.scalars(sa.select(User).where(User.email == email.strip().lower())).first()


def authenticate(email: str, password: str) -> User:
    """The user for these credentials; counts failures and locks the account after too many."""
    user = find_user(email)
    now = utcnow()
    if user is not None and user.locked_until and as_utc(user.locked_until) > now:
        raise AccountLocked(math.ceil((as_utc(user.locked_until) - now).total_seconds() / 60))
    if user is None:
        check_password_hash(_DUMMY_HASH, password)  # same cost whether or not the address exists
        raise InvalidCredentials(gettext("Wrong e-mail address or password."))
    if not user.check_password(password) or not user.active:
        _count_failure(user, now)
        raise InvalidCredentials(gettext("Wrong e-mail address or password."))
    user.failed_logins = 0
    user.locked_until = None
    user.last_login_at = now
    audit.record("login", actor_id=user.id, target=f"user:{user.id}", tenant_id=None)
    db.session.commit()
    return user


def _count_failure(user: User, now) -> None:
    """Count the failure atomically (concurrent guesses cannot overwrite each other) and lock at the limit."""
    failures = db.session.execute(
        sa.update(User).where(User.id == user.id).values(failed_logins=User.failed_logins + 1)
        .returning(User.failed_logins)).scalar_one()
    audit.record("login.failed", actor_id=user.id, target=f"user:{user.id}", tenant_id=None)
    if failures >= current_app.config["LOGIN_MAX_FAILURES"]:
        db.session.execute(sa.update(User).where(User.id == user.id)
                           .values(failed_logins=0, locked_until=now + current_app.config["LOGIN_LOCKOUT"]))
        audit.record("login.locked", actor_id=user.id, target=f"user:{user.id}", tenant_id=None)
        db.session.commit()
        raise AccountLocked(math.ceil(current_app.config["LOGIN_LOCKOUT"].total_seconds() / 60))
    db.session.commit()


def _reset_serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="password-reset")


def reset_token(user: User) -> str:
    """A signed token that stops working once the password changes (single use) or after an hour."""
    return _reset_serializer().dumps({"uid": user.id, "pw": user.password_hash[-16:]})


def user_for_reset_token(token: str) -> User | None:
    try:
        data = _reset_serializer().loads(token, max_age=current_app.config["PASSWORD_RESET_MAX_AGE"])
    except (SignatureExpired, BadSignature):
        return None
    user = db.session.get(User, data.get("uid"))
    if user is None or not user.active or user.password_hash[-16:] != data.get("pw"):
        return None
    return user


def send_password_reset(email: str) -> None:
    """E-mail a reset link if the address belongs to an active user; say nothing either way."""
    user = find_user(email)
    if user is None or not user.active:
        return
    link = url_for("accounts.reset_password", token=reset_token(user), _external=True)
    with force_locale(user.locale or "vi"):
        if current_tenant_id() is None:  # no tenant to own an outbox row (a CLI call): send as before
            mail.send_templated(user.email, gettext("Reset your password"), "accounts/email/reset_password",
                                user=user, link=link)
        else:  # through the notifications outbox: delivered after commit, retried, never lost
            from app.notifications.outbox import queue_email

            queue_email(to=user.email, subject=gettext("Reset your password"), event_type="account.password_reset",
                        text=render_template("accounts/email/reset_password.txt", user=user, link=link),
                        html=render_template("accounts/email/reset_password.html", user=user, link=link))
    audit.record("password.reset_requested", actor_id=user.id, target=f"user:{user.id}", tenant_id=None)
    db.session.commit()


def validate_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(gettext("The password must have at least %(n)d characters.", n=MIN_PASSWORD_LENGTH))


def set_password(user: User, password: str) -> None:
    validate_password(password)
    user.set_password(password)
    user.failed_logins = 0
    user.locked_until = None
    audit.record("password.changed", target=f"user:{user.id}", tenant_id=None)
    db.session.commit()


def create_user(email: str, name: str, password: str, *, tenant: Tenant | None = None,
                role: str | None = None, national_role: str | None = None, locale: str = "vi",
                password_hash: str | None = None) -> User:
    """Create (or update the role of) a user; used by the CLI and the demo loader. `password_hash`: the hash of
    `password` made already (the demo's one published password, hashed once for all its accounts)."""
    validate_password(password)
    if role is not None and role not in set(TenantRole):
        raise AccountError(gettext("Unknown role: %(role)s", role=role))
    if national_role is not None and national_role not in set(NationalRole):
        raise AccountError(gettext("Unknown role: %(role)s", role=national_role))
    user = find_user(email)
    if user is None:
        user = User(email=email.strip().lower(), name=name, locale=locale)
        if password_hash is not None:
            user.password_hash = password_hash
        else:
            user.set_password(password)
        db.session.add(user)
    if national_role is not None:
        user.national_role = national_role
    if tenant is not None and role is not None:
        membership = next((m for m in user.memberships if m.tenant_id == tenant.id), None)
        if membership is None:
            user.memberships.append(Membership(tenant=tenant, role=role))
        else:
            membership.role = role
    db.session.commit()
    return user


def unlock_expired_accounts() -> int:
    """Clear lockouts whose time has passed, so that the people list shows who is really locked."""
    result = db.session.execute(sa.update(User).where(User.locked_until.is_not(None), User.locked_until <= utcnow())
                                .values(locked_until=None, failed_logins=0))
    db.session.commit()
    return result.rowcount
