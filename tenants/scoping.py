"""Tenant scoping, in one place: every read, write and raw statement is confined to the current tenant.

- `TenantScoped` marks a model as tenant-owned (tenant_id, indexed, part of its unique constraints).
- `do_orm_execute` adds `with_loader_criteria` to every ORM SELECT/UPDATE/DELETE while a tenant is set
  (subqueries, EXISTS, unions, lazy and relationship loads included); with no tenant set, a statement
  touching a tenant table fails closed. ORM INSERT statements are stamped or refused.
- `before_flush` stamps tenant_id on new rows and refuses to write rows of another tenant.
- `load`/`refresh` listeners refuse to hand out another tenant's row, even from the identity map.
- On PostgreSQL every transaction carries `app.tenant_id` / `app.all_tenants` (set just before each
  statement), which the row-level security policies created by `tenants.rls` read.
- `all_tenants(reason)` is the one, audited way to look across tenants (national rollups).
"""

import logging
import select
from contextlib import contextmanager

import sqlalchemy as sa
from flask_sqlalchemy.session import Session as FlaskSession
from sqlalchemy import event
from sqlalchemy.orm import Mapped, declared_attr, mapped_column, with_loader_criteria
from sqlalchemy.orm.exc import ObjectDeletedError
from sqlalchemy.sql.util import find_tables

from tenants.context import (
    TenantContextMissing,
    TenantMismatch,
    _bypass,
    all_tenants_active,
    current_tenant_id,
)

log = logging.getLogger("lhhn.tenancy")
_RLS_KEY = "lhhn_rls_state"
_SET_RLS = "select set_config('app.tenant_id', %s, true), set_config('app.all_tenants', %s, true)"


class TenantScoped:
    """Mixin for tenant-owned models. Put tenant_id first in every UniqueConstraint of the model, and
    point foreign keys to other tenant rows at (tenant_id, id) so that a row can never reference
    another tenant's row."""

    @declared_attr
    def tenant_id(cls) -> Mapped[int]:
        return mapped_column(sa.ForeignKey("tenant.id", ondelete="CASCADE"), index=True, nullable=False)


def scoped_models(registry) -> list[type]:
    """Every tenant-scoped model class (for RLS checks and the isolation tests)."""
    return sorted((m.class_ for m in registry.mappers if issubclass(m.class_, TenantScoped)),
                  key=lambda cls: cls.__tablename__)


_scoped_tables_cache: dict[int, frozenset[str]] = {}


def _scoped_table_names() -> frozenset[str]:
    from app.extensions import db

    registry = db.Model.registry
    key = len(registry.mappers)  # grows only when a model is defined
    if key not in _scoped_tables_cache:
        _scoped_tables_cache[key] = frozenset(m.__tablename__ for m in scoped_models(registry))
    return _scoped_tables_cache[key]


def _is_scoped(mapper) -> bool:
    return mapper is not None and issubclass(mapper.class_, TenantScoped)


def _check_owner(obj, tenant_id) -> None:
    if obj.tenant_id != tenant_id:
        raise TenantMismatch(f"{type(obj).__name__} #{obj.id} belongs to another tenant")


class TenantSession(FlaskSession):
    """Flask-SQLAlchemy's session, with get() and the bulk helpers honouring the tenant."""

    def get(self, entity, ident, **kwargs):
        try:
            obj = super().get(entity, ident, **kwargs)
        except TenantMismatch:
            return None
        if isinstance(obj, TenantScoped) and not all_tenants_active():
            tenant_id = current_tenant_id()
            if tenant_id is None:
                raise TenantContextMissing(f"no tenant set while loading {type(obj).__name__}")
            if obj.tenant_id != tenant_id:
                return None
        return obj

    def _stamp_mappings(self, mapper, mappings):
        if not _is_scoped(sa.inspect(mapper)) or all_tenants_active():
            return mappings
        tenant_id = current_tenant_id()
        if tenant_id is None:
            raise TenantContextMissing("bulk write with no tenant set")
        for row in mappings:
            if row.setdefault("tenant_id", tenant_id) != tenant_id:
                raise TenantMismatch("bulk write into another tenant")
        return mappings

    def bulk_insert_mappings(self, mapper, mappings, *args, **kwargs):
        return super().bulk_insert_mappings(mapper, self._stamp_mappings(mapper, list(mappings)), *args, **kwargs)

    def bulk_update_mappings(self, mapper, mappings):
        return super().bulk_update_mappings(mapper, self._stamp_mappings(mapper, list(mappings)))

    def bulk_save_objects(self, objects, *args, **kwargs):
        objects = list(objects)
        for obj in objects:
            if isinstance(obj, TenantScoped) and not all_tenants_active():
                tenant_id = current_tenant_id()
                if tenant_id is None:
                    raise TenantContextMissing("bulk write with no tenant set")
                if obj.tenant_id is None:
                    obj.tenant_id = tenant_id
                _check_owner(obj, tenant_id)
        return super().bulk_save_objects(objects, *args, **kwargs)


def _check_insert(state, tenant_id) -> None:
    """ORM insert(Model): parameter rows are stamped/checked; inline .values() are refused (use add())."""
    statement = state.statement
    if getattr(statement, "_values", None) or getattr(statement, "_multi_values", None):
        raise TenantMismatch("insert(...).values(...) into a tenant table: use session.add() or pass rows "
                             "as parameters so that they can be stamped")
    rows = state.parameters if isinstance(state.parameters, list) else [state.parameters or {}]
    for row in rows:
        if row.setdefault("tenant_id", tenant_id) != tenant_id:
            raise TenantMismatch("insert into another tenant")


def _scope_statement(state) -> None:
    if all_tenants_active():
        return
    tenant_id = current_tenant_id()
    if state.is_insert:
        if any(_is_scoped(m) for m in state.all_mappers):
            if tenant_id is None:
                raise TenantContextMissing("insert into a tenant table with no tenant set")
            _check_insert(state, tenant_id)
        return
    if not (state.is_select or state.is_update or state.is_delete):
        return
    if tenant_id is None:
        scoped = _scoped_table_names()
        if any(getattr(t, "name", None) in scoped
               for t in find_tables(state.statement, include_aliases=True, include_joins=True, include_crud=True)):
            raise TenantContextMissing("a tenant-scoped query ran with no tenant set")
        return
    criteria = _criteria_for(tenant_id)
    if criteria not in state.statement._with_options:  # a refresh or lazy load carries its parent's already
        state.statement = state.statement.options(criteria)


_criteria_options: dict[int, object] = {}


def _criteria_for(tenant_id: int):
    """One loader-criteria option per tenant, built once: objects keep the option they were loaded with and
    pass it to their refreshes and lazy loads, so adding a new one each time would pile them up (a longer
    WHERE clause and a statement-cache miss on every refresh)."""
    option = _criteria_options.get(tenant_id)
    if option is None:
        if len(_criteria_options) > 10_000:
            _criteria_options.clear()
        option = _criteria_options[tenant_id] = with_loader_criteria(
            TenantScoped, lambda cls: cls.tenant_id == tenant_id, include_aliases=True)
    return option


def defer_tenant_keys(metadata) -> None:
    """Every in-tenant foreign key ((tenant_id, x_id) → the same tenant's row) is DEFERRABLE INITIALLY IMMEDIATE:
    checked per statement as usual, but a merge (app.reorg) can defer the checks to its commit and move a union's
    rows to its successor table by table."""
    for table in metadata.tables.values():
        for fk in table.foreign_key_constraints:
            columns = [c.name for c in fk.columns]
            if len(columns) > 1 and "tenant_id" in columns:
                fk.deferrable, fk.initially = True, "IMMEDIATE"


_built: dict[tuple, sa.Executable] = {}


def built_statement(name: str, key, build):
    """`build()`'s statement for the current tenant and `key`, built once per process, the tenant's criteria in it:
    building a large statement and computing its cache key cost more than running it. Whatever changes per request
    must be a bind parameter (sa.bindparam) given at execution."""
    tenant_id = current_tenant_id()
    if tenant_id is None:
        raise TenantContextMissing("a tenant statement was asked for with no tenant set")
    found = _built.get((name, tenant_id, key))
    if found is None:
        if len(_built) > 5000:
            _built.clear()
        found = _built[(name, tenant_id, key)] = build().options(_criteria_for(tenant_id))
    return found


def _refuse_foreign_rows(target, *args) -> None:
    """load/refresh: a row of another tenant never reaches the caller, whatever path loaded it."""
    if all_tenants_active():
        return
    tenant_id = current_tenant_id()
    if tenant_id is None:
        raise TenantContextMissing(f"{type(target).__name__} loaded with no tenant set")
    if target.__dict__.get("tenant_id", tenant_id) != tenant_id:
        raise TenantMismatch(f"{type(target).__name__} of another tenant loaded in tenant {tenant_id}")


def _persisted_owner(obj):
    try:
        return obj.tenant_id  # loads it if expired, inside the current tenant's criteria
    except ObjectDeletedError as error:
        raise TenantMismatch(f"{type(obj).__name__} is not visible in the current tenant") from error


def _check_writes(session, flush_context, instances) -> None:
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
    if bypass:
        return
    for obj in list(session.dirty) + list(session.deleted):
        if not isinstance(obj, TenantScoped):
            continue
        if tenant_id is None:
            raise TenantContextMissing(f"{type(obj).__name__} changed with no tenant set")
        history = sa.inspect(obj).attrs.tenant_id.history
        owners = set(history.deleted or ()) | set(history.added or ())
        owners.add(_persisted_owner(obj))
        if owners - {tenant_id}:
            raise TenantMismatch(f"{type(obj).__name__} #{obj.id} belongs to another tenant")


def _set_rls_before_statement(conn, cursor, statement, parameters, context, executemany) -> None:
    """PostgreSQL: make the transaction's RLS settings match the current context before each statement."""
    wanted = (current_tenant_id(), all_tenants_active())
    if conn.info.get(_RLS_KEY) == wanted:
        return
    with conn.connection.dbapi_connection.cursor() as own:
        own.execute(_SET_RLS, ("" if wanted[0] is None else str(wanted[0]), "on" if wanted[1] else "off"))
    conn.info[_RLS_KEY] = wanted


def _forget_rls(conn, *args) -> None:
    """set_config(..., true) ends with the transaction (or the savepoint that is rolled back)."""
    conn.info.pop(_RLS_KEY, None)


def _forget_rls_on_reset(dbapi_connection, connection_record, reset_state) -> None:
    connection_record.info.pop(_RLS_KEY, None)


def _forget_rls_on_checkin(dbapi_connection, connection_record) -> None:
    connection_record.info.pop(_RLS_KEY, None)


def _check_alive(dbapi_connection, connection_record, connection_proxy) -> None:
    """A pre-ping without a round trip: an idle connection's socket has nothing to read unless the server closed
    it (or said why it is about to: a terminate message). Either way the pool replaces the connection."""
    if dbapi_connection.closed:
        raise sa.exc.DisconnectionError("connection closed")
    try:
        readable, _, _ = select.select([dbapi_connection.fileno()], [], [], 0)
    except (OSError, ValueError) as error:
        raise sa.exc.DisconnectionError("connection socket unusable") from error
    if readable:
        raise sa.exc.DisconnectionError("the server closed the connection or spoke out of turn")


def install_engine(engine) -> None:
    """Per-engine hooks: RLS settings on PostgreSQL, enforced foreign keys on SQLite."""
    if engine.dialect.name == "postgresql":
        if not event.contains(engine, "before_cursor_execute", _set_rls_before_statement):
            event.listen(engine, "before_cursor_execute", _set_rls_before_statement)
            for name in ("commit", "rollback", "rollback_savepoint"):
                event.listen(engine, name, _forget_rls)
            event.listen(engine.pool, "reset", _forget_rls_on_reset)
            event.listen(engine.pool, "checkin", _forget_rls_on_checkin)
            event.listen(engine.pool, "checkout", _check_alive)
    elif engine.dialect.name == "sqlite":
        if not event.contains(engine, "connect", _sqlite_foreign_keys):
            event.listen(engine, "connect", _sqlite_foreign_keys)


def _sqlite_foreign_keys(dbapi_connection, record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.close()


def install(session_class=TenantSession) -> None:
    """Attach the session and mapper listeners once per process (idempotent)."""
    if event.contains(session_class, "do_orm_execute", _scope_statement):
        return
    event.listen(session_class, "do_orm_execute", _scope_statement)
    event.listen(session_class, "before_flush", _check_writes)
    event.listen(TenantScoped, "load", _refuse_foreign_rows, propagate=True)
    event.listen(TenantScoped, "refresh", _refuse_foreign_rows, propagate=True)


@contextmanager
def all_tenants(reason: str, *, actor_id: int | None = None, public_read: bool = False):
    """Look across every tenant for national work; each use is written to the audit log.

    `public_read=True` marks an anonymous read of what every tenant already publishes (the portal's shared
    news, cross-site search, the visits ranking): logged, but not written to the audit log on every view."""
    from app.core.audit import record_detached

    if not reason:
        raise ValueError("all_tenants() needs a reason for the audit log")
    log.info("all_tenants opened: %s (actor %s)", reason, actor_id)
    if not public_read:
        record_detached("tenancy.all_tenants", detail=reason, actor_id=actor_id)
    with _bypass():
        yield
