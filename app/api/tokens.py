"""Issuing and checking personal access tokens.

A token reads `lhhn_<prefix>_<secret>`: the prefix finds the row, the SHA-256 of the secret must match its hash.
What a token may do is its scopes, each of which its owner must still be allowed to do in its union when it is
used (a demoted editor's token loses what the role lost). Every use is written to the audit log.
"""

import hashlib
import hmac
import re
import secrets
from datetime import timedelta

import sqlalchemy as sa
from flask import abort, g, request
from flask_babel import gettext
from flask_babel import lazy_gettext as _l

from app.api.models import ApiToken
from app.core import audit
from app.core.timeutil import utcnow
from app.extensions import db
from tenants.models import Tenant
from tenants.scoping import all_tenants

# scope: (what it allows, the permission its owner needs for it)
SCOPES = {
    "content:read": (_l("read the union's drafts and articles in review"), "content.view"),
    "content:write": (_l("write drafts and submit them to review"), "content.write"),
    "reports:write": (_l("read the period's report template, put figures and narratives, submit"), "reports.write"),
    "national:read": (_l("read cluster and national summaries (national union only)"), "national.view"),
}
EXPIRY_DAYS = (30, 90, 180, 365)
PREFIX = "lhhn_"


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def allowed_scopes(user, tenant: Tenant) -> list[str]:
    """The scopes `user` may give a token for `tenant` now."""
    from app.accounts.permissions import can

    return [scope for scope, (_, permission) in SCOPES.items()
            if (permission != "national.view" or tenant.is_national) and can(permission, user, tenant)]


def issue(user, tenant: Tenant, name: str, scopes: list[str], days: int) -> tuple[ApiToken, str]:
    """A new token (the row, committed) and its text, which is shown once and never stored."""
    refused = set(scopes) - set(allowed_scopes(user, tenant))
    if refused or not scopes:
        raise ValueError(gettext("Choose scopes your role allows: %(scopes)s.",
                                 scopes=", ".join(allowed_scopes(user, tenant)) or "—"))
    if days not in EXPIRY_DAYS:
        raise ValueError(gettext("Choose one of the offered lifetimes."))
    prefix, secret = secrets.token_hex(6), secrets.token_urlsafe(32)
    token = ApiToken(tenant_id=tenant.id, user_id=user.id, name=name.strip()[:120], prefix=prefix,
                     secret_hash=_digest(secret), scopes=sorted(set(scopes)),
                     expires_at=utcnow() + timedelta(days=days))
    db.session.add(token)
    db.session.flush()
    audit.record("api.token_created", tenant_id=tenant.id, target=f"api_token:{token.id}",
                 detail=f"{token.name}: {' '.join(token.scopes)}, {days} days")
    db.session.commit()
    return token, f"{PREFIX}{prefix}_{secret}"


def revoke(token: ApiToken) -> None:
    if token.revoked_at is None:
        token.revoked_at = utcnow()
        audit.record("api.token_revoked", tenant_id=token.tenant_id, target=f"api_token:{token.id}", detail=token.name)
    db.session.commit()


def _refuse(detail: str):
    abort(401, description=detail)


def authenticate() -> ApiToken:
    """The request's token (401 when there is none, or it is unknown, expired or revoked); its owner becomes the
    request's user, its union the request's tenant."""
    header = request.headers.get("Authorization", "")
    scheme, _, text = header.partition(" ")
    if scheme.lower() != "bearer" or not text.startswith(PREFIX):
        _refuse(gettext("Send a personal access token: Authorization: Bearer lhhn_…"))
    prefix, _, secret = text[len(PREFIX):].strip().partition("_")
    if not re.fullmatch(r"[0-9a-f]{12}", prefix) or not re.fullmatch(r"[A-Za-z0-9_-]{20,100}", secret):
        _refuse(gettext("This token is not valid."))
    digest = _digest(secret)
    with all_tenants("api: finding a token by its prefix", public_read=True):
        found = db.session.scalars(sa.select(ApiToken).where(ApiToken.prefix == prefix)).all()
        token = next((t for t in found if hmac.compare_digest(t.secret_hash, digest)), None)
        if token is not None:
            db.session.expunge(token)
    if token is None:
        _refuse(gettext("This token is not valid."))
    if token.revoked_at is not None:
        _refuse(gettext("This token was revoked."))
    if not token.is_live:
        _refuse(gettext("This token has expired: create a new one in the console."))
    return token


def require(scope: str) -> None:
    """403 unless the request's token has `scope` and its owner may still do what it allows."""
    from app.accounts.permissions import can

    token = g.api_token
    permission = SCOPES[scope][1]
    if scope not in token.scopes:
        abort(403, description=gettext("This token does not have the scope %(scope)s.", scope=scope))
    if not can(permission, g.api_user, g.tenant):
        abort(403, description=gettext("The token's owner may no longer do this in the union."))
