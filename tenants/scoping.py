"""Tenant scoping, in one place: every read, write and raw statement is confined to the current tenant.

- `TenantScoped` marks a model as tenant-owned (tenant_id, indexed, part of its unique constraints).
- `do_orm_execute` adds `with_loader_criteria` to every ORM SELECT/UPDATE/DELETE, lazy and
  relationship loads included; with no tenant set it fails closed.
- `before_flush` stamps tenant_id on new rows and refuses rows of another tenant.
- `TenantSession.get()` never hands back another tenant's object from the identity map.
- On PostgreSQL every transaction carries `app.tenant_id` / `app.all_tenants`, which the row-level
  security policies created by `tenants.rls` read, so even raw SQL stays inside the tenant.
- `all_tenants(reason)` is the one, audited way to look across tenants (national rollups).
"""

import logging
from contextlib import contextmanager

import sqlalchemy as sa
from flask_sqlalchemy.session import Session as FlaskSession
from sqlalchemy import event
from sqlalchemy.orm import Mapped, declared_attr, mapped_column, with_loader_criteria

from tenants.context import (
    TenantContextMissing,
    TenantMismatch,
    _bypass,
    all_tenants_active,
    current_tenant_id,
)

log = logging.getLogger("lhhn.tenancy")
_RLS_KEY = "lhhn_rls_state"


class TenantScoped:
    """Mixin for tenant-owned models. Put tenant_id first in every UniqueConstraint of the model."""

    @declared_attr
    def tenant_id(cls) -> Mapped[int]:
        return mapped_column(sa.ForeignKey("tenant.id", ondelete="CASCADE"), index=True, nullable=False)


def scoped_models(registry) -> list[type]:
    """Every tenant-scoped model class (for RLS checks and the isolation tests)."""
    return sorted((m.class_ for m in registry.mappers if issubclass(m.class_, TenantScoped)),
                  key=lambda cls: cls.__tablename__)


class TenantSession(FlaskSession):
    """Flask-SQLAlchemy's session, with get() honouring the tenant even on identity-map hits."""

    def get(self, entity, ident, **kwargs):
        obj = super().get(entity, ident, **kwargs)
        if isinstance(obj, TenantScoped) and not all_tenants_active():
            tenant_id = current_tenant_id()
            if tenant_id is None:
                raise TenantContextMissing(f"no tenant set while loading {type(obj).__name__}")
            if obj.tenant_id != tenant_id:
                return None
        return obj


def _is_scoped(mapper) -> bool:
    return mapper is not None and issubclass(mapper.class_, TenantScoped)


def _on_postgresql(session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def _sync_rls_setting(session, connection=None) -> None:
    """Make the transaction's app.tenant_id / app.all_tenants match the current context."""
    if not _on_postgresql(session):
        return
    connection = connection or session.connection()
    wanted = (current_tenant_id(), all_tenants_active())
    if connection.info.get(_RLS_KEY) == wanted:
        return
    connection.execute(
        sa.text("select set_config('app.tenant_id', :tenant, true), set_config('app.all_tenants', :all, true)"),
        {"tenant": "" if wanted[0] is None else str(wanted[0]), "all": "on" if wanted[1] else "off"},
    )
    connection.info[_RLS_KEY] = wanted


def _after_begin(session, transaction, connection) -> None:
    connection.info.pop(_RLS_KEY, None)  # set_config(..., true) ends with the transaction
    _sync_rls_setting(session, connection)


def _scope_statement(state) -> None:
    _sync_rls_setting(state.session)
    if all_tenants_active() or not (state.is_select or state.is_update or state.is_delete):
        return
    if not any(_is_scoped(m) for m in state.all_mappers):
        return
    tenant_id = current_tenant_id()
    if tenant_id is None:
        raise TenantContextMissing("a tenant-scoped query ran with no tenant set")
    state.statement = state.statement.options(
        with_loader_criteria(TenantScoped, lambda cls: cls.tenant_id == tenant_id, include_aliases=True)
    )


def _check_writes(session, flush_context, instances) -> None:
    _sync_rls_setting(session)
    bypass = all_tenants_active()
    tenant_id = current_tenant_id()
    for obj in session.new:
        if not isinstance(obj, TenantScoped):
            continue
        if obj.tenant_id is None:
            if tenant_id is None:
                raise TenantContextMissing(f"new {type(obj).__name__} with no tenant set")
            obj.tenant_id = tenant_id
        elif not bypass and obj.tenant_id != tenant_id:
            raise TenantMismatch(f"new {type(obj).__name__} belongs to tenant {obj.tenant_id}, "
                                 f"not the current tenant {tenant_id}")
    for obj in list(session.dirty) + list(session.deleted):
        if isinstance(obj, TenantScoped) and not bypass:
            history = sa.inspect(obj).attrs.tenant_id.history
            owners = set(history.deleted or ()) | set(history.unchanged or ()) | set(history.added or ())
            if tenant_id is None:
                raise TenantContextMissing(f"{type(obj).__name__} changed with no tenant set")
            if owners - {tenant_id}:
                raise TenantMismatch(f"{type(obj).__name__} #{obj.id} belongs to another tenant")


def install(session_class=TenantSession) -> None:
    """Attach the listeners once per process (idempotent)."""
    if event.contains(session_class, "do_orm_execute", _scope_statement):
        return
    event.listen(session_class, "do_orm_execute", _scope_statement)
    event.listen(session_class, "before_flush", _check_writes)
    event.listen(session_class, "after_begin", _after_begin)


@contextmanager
def all_tenants(reason: str, *, actor_id: int | None = None):
    """Look across every tenant for national work; each use is written to the audit log."""
    from app.core.audit import record_detached

    if not reason:
        raise ValueError("all_tenants() needs a reason for the audit log")
    log.info("all_tenants opened: %s (actor %s)", reason, actor_id)
    record_detached("tenancy.all_tenants", detail=reason, actor_id=actor_id)
    with _bypass():
        yield
