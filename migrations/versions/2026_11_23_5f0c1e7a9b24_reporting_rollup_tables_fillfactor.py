"""reporting: rollup tables keep room on their pages (fillfactor 50) for in-place (HOT) updates

Every recompute stamps as_of on every row it covers; with full pages each such update also writes a new entry in
every index and bloats the table. With room on the page PostgreSQL updates in place (no indexed column changes).

Revision ID: 5f0c1e7a9b24
Revises: c4f1a7d2e9b0
Create Date: 2026-11-23 15:20:00.000000

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '5f0c1e7a9b24'
down_revision = 'c4f1a7d2e9b0'
branch_labels = None
depends_on = None

TABLES = ("report_rollup_cluster", "report_rollup_national")


def upgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    for table in TABLES:
        op.execute(f"ALTER TABLE {table} SET (fillfactor = 50)")


def downgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    for table in TABLES:
        op.execute(f"ALTER TABLE {table} RESET (fillfactor)")
