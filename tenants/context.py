"""The current tenant: one ContextVar holding an id, set per request or per task."""

from contextlib import contextmanager
from contextvars import ContextVar

_current_tenant_id: ContextVar[int | None] = ContextVar("current_tenant_id", default=None)
_all_tenants: ContextVar[bool] = ContextVar("all_tenants", default=False)


class TenantContextMissing(RuntimeError):
    """A tenant-scoped query or write ran with no tenant set (the kernel fails closed)."""


class TenantMismatch(RuntimeError):
    """A write tried to touch a row belonging to another tenant."""


def current_tenant_id() -> int | None:
    return _current_tenant_id.get()


def all_tenants_active() -> bool:
    return _all_tenants.get()


def set_current_tenant(tenant_id: int | None):
    """Set the tenant for the rest of this context; returns a token for reset_current_tenant()."""
    return _current_tenant_id.set(tenant_id)


def reset_current_tenant(token) -> None:
    _current_tenant_id.reset(token)


@contextmanager
def tenant_context(tenant_id: int | None):
    """Run a block as tenant `tenant_id` (tasks, CLI, tests)."""
    token = _current_tenant_id.set(tenant_id)
    bypass = _all_tenants.set(False)
    try:
        yield tenant_id
    finally:
        _all_tenants.reset(bypass)
        _current_tenant_id.reset(token)


@contextmanager
def _bypass():
    token = _all_tenants.set(True)
    try:
        yield
    finally:
        _all_tenants.reset(token)
