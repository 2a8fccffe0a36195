"""Tenant lifecycle: suspend, reactivate, archive and restore (merging is app/reorg)."""

from flask_babel import gettext, lazy_gettext

from app.core import audit
from app.extensions import db
from tenants.models import Tenant, TenantStatus
from tenants.signals import tenant_status_changed

STATUS_LABELS = {
    TenantStatus.ACTIVE: lazy_gettext("active"),
    TenantStatus.SUSPENDED: lazy_gettext("suspended"),
    TenantStatus.ARCHIVED: lazy_gettext("archived"),
    TenantStatus.MERGED: lazy_gettext("merged"),
}


class LifecycleError(Exception):
    pass


def status_label(status: str) -> str:
    return str(STATUS_LABELS.get(status, status))


def set_status(tenant: Tenant, status: str, *, actor_id: int | None = None) -> None:
    """Suspend or reactivate a provincial tenant; the national tenant is never suspended."""
    if status not in (TenantStatus.ACTIVE, TenantStatus.SUSPENDED):
        raise LifecycleError(gettext("Only suspending and reactivating are possible here."))
    if tenant.is_national:
        raise LifecycleError(gettext("The national union's site cannot be suspended."))
    _change(tenant, status, actor_id, "tenant.status")


def archive(tenant: Tenant, *, actor_id: int | None = None) -> None:
    """Archive a union that has no successor: its site stays readable (with a banner), its console read-only,
    and reporting stops expecting it. `restore()` reverses it."""
    if tenant.is_national:
        raise LifecycleError(gettext("The national union's site cannot be archived."))
    if tenant.status not in (TenantStatus.ACTIVE, TenantStatus.SUSPENDED):
        raise LifecycleError(gettext("Only an active or suspended union can be archived."))
    _change(tenant, TenantStatus.ARCHIVED, actor_id, "tenant.archived")


def restore(tenant: Tenant, *, actor_id: int | None = None) -> None:
    """Bring an archived union back: its site without the banner, its console writable, its reports expected."""
    if tenant.status != TenantStatus.ARCHIVED or tenant.successor_id is not None:
        raise LifecycleError(gettext("Only an archived union without a successor can be restored."))
    _change(tenant, TenantStatus.ACTIVE, actor_id, "tenant.restored")


def _change(tenant: Tenant, status: str, actor_id: int | None, action: str) -> None:
    previous = tenant.status
    tenant.status = status
    audit.record(action, tenant_id=tenant.id, actor_id=actor_id, target=f"tenant:{tenant.slug}",
                 detail=f"{previous} -> {status}")
    tenant_status_changed.send(tenant, previous=previous, status=status)
    db.session.commit()


def remove_domain(tenant: Tenant, host: str, *, actor_id: int | None = None) -> None:
    """Stop answering `host` for the union; the last host cannot go, and a primary one hands over to another."""
    domain = next((d for d in tenant.domains if d.host == host), None)
    if domain is None:
        raise LifecycleError(gettext("%(host)s is not a domain of this union.", host=host))
    others = [d for d in tenant.domains if d is not domain]
    if not others:
        raise LifecycleError(gettext("A union keeps at least one domain: add another before removing %(host)s.",
                                     host=host))
    was_primary = domain.is_primary
    tenant.domains.remove(domain)
    db.session.flush()  # one primary per tenant (a unique index): the old one goes first
    if was_primary:
        others[0].is_primary = True
    audit.record("tenant.domain_removed", tenant_id=tenant.id, actor_id=actor_id, target=f"tenant:{tenant.slug}",
                 detail=host)
    db.session.commit()
