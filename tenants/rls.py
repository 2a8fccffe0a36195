"""Row-level security for tenant tables on PostgreSQL, called from migrations.

The policy reads the per-transaction settings that tenants.scoping sets; with neither set a
session sees no rows at all. FORCE applies the policy to the table owner too (superusers and
BYPASSRLS roles are never subject to RLS: the application must not connect as one).
"""

from alembic import op

POLICY = "tenant_isolation"
_PREDICATE = (
    "current_setting('app.all_tenants', true) = 'on' "
    "OR tenant_id = nullif(current_setting('app.tenant_id', true), '')::integer"
)


MERGE_POLICY = "tenant_merge"
# A merge (app.reorg) sees exactly the two unions it works on, with row-level security still on for every other.
_MERGE_PREDICATE = (
    "tenant_id = ANY (string_to_array(nullif(current_setting('app.merge_tenants', true), ''), ',')::integer[])"
)


def enable_merge(table: str) -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(f"CREATE POLICY {MERGE_POLICY} ON {table} USING ({_MERGE_PREDICATE}) WITH CHECK ({_MERGE_PREDICATE})")


def enable(table: str) -> None:
    """Turn on row-level security for one tenant table (no-op off PostgreSQL)."""
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
    op.execute(f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY")
    op.execute(f"CREATE POLICY {POLICY} ON {table} USING ({_PREDICATE}) WITH CHECK ({_PREDICATE})")
    enable_merge(table)


def disable(table: str) -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(f"DROP POLICY IF EXISTS {POLICY} ON {table}")
    op.execute(f"DROP POLICY IF EXISTS {MERGE_POLICY} ON {table}")
    op.execute(f"ALTER TABLE {table} NO FORCE ROW LEVEL SECURITY")
    op.execute(f"ALTER TABLE {table} DISABLE ROW LEVEL SECURITY")
