"""Tenant lifecycle: suspend, reactivate (archive and merge come with the national console)."""

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


def set_status(tenant: Tenant, status: str) -> None:
    """Suspend or reactivate a provincial tenant; the national tenant is never suspended."""
    if status not in (TenantStatus.ACTIVE, TenantStatus.SUSPENDED):
        raise LifecycleError(gettext("Only suspending and reactivating are possible here."))
    if tenant.is_national:
        raise LifecycleError(gettext("The national union's site cannot be suspended."))
    previous = tenant.status
    tenant.status = status
    audit.record("tenant.status", tenant_id=tenant.id, target=f"tenant:{tenant.slug}",
                 detail=f"{previous} -> {status}")
    tenant_status_changed.send(tenant, previous=previous, status=status)
    db.session.commit()
