"""A union's site settings and its custom domains (requested by the union, approved nationally)."""

import sqlalchemy as sa
from flask_babel import gettext

from app.core import audit
from app.core.timeutil import utcnow
from app.extensions import db
from app.settings.models import DomainRequest
from tenants.context import tenant_context
from tenants.hosts import is_valid_host, normalise_host
from tenants.models import Tenant, TenantDomain

SETTING_FIELDS = ("name_vi", "name_en", "address", "phone", "email", "editor_in_chief", "logo_url",
                  "enabled_locales")


class SettingsError(ValueError):
    """A refused setting or request, with the reason to show."""


def save_settings(tenant: Tenant, values: dict) -> list[str]:
    """Apply `values` (only SETTING_FIELDS) and audit which fields changed; returns their names."""
    changed = []
    for field in SETTING_FIELDS:
        if field in values:
            new = (values[field] or "").strip() or None if field not in ("name_vi", "name_en", "enabled_locales") \
                else values[field].strip()
            if getattr(tenant, field) != new:
                setattr(tenant, field, new)
                changed.append(field)
    if changed:
        audit.record("settings.change", tenant_id=tenant.id, target=f"tenant:{tenant.slug}",
                     detail=", ".join(changed))
    db.session.commit()
    return changed


def clean_host(raw: str) -> str:
    host = normalise_host(raw or "")
    if "://" in (raw or "") or "/" in host or not is_valid_host(host) or "." not in host:
        raise SettingsError(gettext("“%(host)s” is not a domain name (write it like lienhiephuunghi.vinhphuc.gov.vn, "
                                    "without http:// or a path).", host=(raw or "")[:80]))
    taken = db.session.scalar(sa.select(TenantDomain.id).where(TenantDomain.host == host))
    if taken is not None:
        raise SettingsError(gettext("%(host)s already belongs to a site on the platform.", host=host))
    return host


def request_domain(tenant: Tenant, raw_host: str, *, make_primary: bool, note: str, user_id: int) -> DomainRequest:
    host = clean_host(raw_host)
    pending = db.session.scalar(sa.select(DomainRequest.id).where(DomainRequest.host == host,
                                                                  DomainRequest.status == "pending"))
    if pending is not None:
        raise SettingsError(gettext("A request for %(host)s is already waiting for a decision.", host=host))
    request = DomainRequest(host=host, make_primary=make_primary, note=(note or "").strip()[:500],
                            requested_by_id=user_id)
    db.session.add(request)
    db.session.flush()
    audit.record("domain.request", tenant_id=tenant.id, target=f"domain_request:{request.id}", detail=host)
    db.session.commit()
    return request


def pending_requests() -> list[tuple[DomainRequest, Tenant]]:
    """Every union's pending requests (national work: read across tenants)."""
    from tenants.scoping import all_tenants

    with all_tenants("national: pending domain requests"):
        rows = db.session.execute(sa.select(DomainRequest, Tenant).join(Tenant, Tenant.id == DomainRequest.tenant_id)
                                  .where(DomainRequest.status == "pending")
                                  .order_by(DomainRequest.created_at)).all()
        for request, _tenant in rows:
            db.session.expunge(request)  # readable outside the bypass
        return [tuple(r) for r in rows]


def decide(tenant: Tenant, request_id: int, *, approve: bool, reason: str, user_id: int) -> str:
    """Approve (the host then answers for the tenant, as its primary if asked) or decline with a reason;
    returns the host decided on."""
    with tenant_context(tenant.id):
        request = db.session.get(DomainRequest, request_id)
        if request is None or request.status != "pending":
            raise LookupError(request_id)
        if not approve and not (reason or "").strip():
            raise SettingsError(gettext("Give a reason for declining."))
        if approve:
            host = clean_host(request.host)  # still free?
            if request.make_primary:
                for domain in tenant.domains:
                    domain.is_primary = False
                db.session.flush()
            db.session.add(TenantDomain(host=host, tenant_id=tenant.id, is_primary=request.make_primary))
        request.status = "approved" if approve else "declined"
        request.decided_by_id, request.decided_at = user_id, utcnow()
        request.decision_reason = (reason or "").strip()[:500]
        audit.record("domain.approve" if approve else "domain.decline", tenant_id=tenant.id,
                     target=f"domain_request:{request.id}", detail=f"{request.host} {request.decision_reason}".strip())
        host = request.host
        db.session.commit()
        return host
