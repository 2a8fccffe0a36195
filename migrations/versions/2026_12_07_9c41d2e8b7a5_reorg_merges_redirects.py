"""reorg: merge operations, moved rows, redirects; in-tenant foreign keys deferrable; the merge RLS policy

Revision ID: 9c41d2e8b7a5
Revises: 7b3e9c2a4d10
Create Date: 2026-12-07 13:10:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '9c41d2e8b7a5'
down_revision = '7b3e9c2a4d10'
branch_labels = None
depends_on = None

# Every foreign key of two or more columns, one of them tenant_id (an in-tenant reference).
_IN_TENANT_KEYS = """
SELECT c.conname, t.relname FROM pg_constraint c
JOIN pg_class t ON t.oid = c.conrelid JOIN pg_namespace n ON n.oid = t.relnamespace
WHERE c.contype = 'f' AND n.nspname = current_schema() AND array_length(c.conkey, 1) > 1
  AND EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = t.oid AND a.attnum = ANY (c.conkey)
              AND a.attname = 'tenant_id')
"""


def _deferrable(clause: str) -> None:
    op.execute(f"""
DO $$ DECLARE r record; BEGIN
  FOR r IN {_IN_TENANT_KEYS} LOOP
    EXECUTE format('ALTER TABLE %I ALTER CONSTRAINT %I {clause}', r.relname, r.conname);
  END LOOP;
END $$""")


def upgrade():
    op.create_table('reorg_operation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('source_tenant_id', sa.Integer(), nullable=False),
    sa.Column('target_tenant_id', sa.Integer(), nullable=False),
    sa.Column('effective_on', sa.Date(), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('counts', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['user_account.id'], name=op.f('fk_reorg_operation_actor_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['source_tenant_id'], ['tenant.id'], name=op.f('fk_reorg_operation_source_tenant_id_tenant')),
    sa.ForeignKeyConstraint(['target_tenant_id'], ['tenant.id'], name=op.f('fk_reorg_operation_target_tenant_id_tenant')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reorg_operation')),
    sa.UniqueConstraint('kind', 'source_tenant_id', 'target_tenant_id', name=op.f('uq_reorg_operation_kind_source_tenant_id_target_tenant_id'))
    )
    with op.batch_alter_table('reorg_operation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_reorg_operation_source_tenant_id'), ['source_tenant_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_reorg_operation_target_tenant_id'), ['target_tenant_id'], unique=False)

    op.create_table('reorg_moved_row',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('operation_id', sa.Integer(), nullable=False),
    sa.Column('table_name', sa.String(length=63), nullable=False),
    sa.Column('row_id', sa.Integer(), nullable=False),
    sa.Column('from_tenant_id', sa.Integer(), nullable=False),
    sa.Column('merged_into_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['from_tenant_id'], ['tenant.id'], name=op.f('fk_reorg_moved_row_from_tenant_id_tenant')),
    sa.ForeignKeyConstraint(['operation_id'], ['reorg_operation.id'], name=op.f('fk_reorg_moved_row_operation_id_reorg_operation'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reorg_moved_row')),
    sa.UniqueConstraint('operation_id', 'table_name', 'row_id', name=op.f('uq_reorg_moved_row_operation_id_table_name_row_id'))
    )
    with op.batch_alter_table('reorg_moved_row', schema=None) as batch_op:
        batch_op.create_index('ix_reorg_moved_row_lookup', ['table_name', 'row_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_reorg_moved_row_operation_id'), ['operation_id'], unique=False)

    op.create_table('tenant_redirect',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.Column('old_path', sa.String(length=500), nullable=False),
    sa.Column('target_tenant_id', sa.Integer(), nullable=False),
    sa.Column('new_path', sa.String(length=500), nullable=False),
    sa.Column('operation_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['operation_id'], ['reorg_operation.id'], name=op.f('fk_tenant_redirect_operation_id_reorg_operation'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['target_tenant_id'], ['tenant.id'], name=op.f('fk_tenant_redirect_target_tenant_id_tenant'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenant.id'], name=op.f('fk_tenant_redirect_tenant_id_tenant'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_tenant_redirect')),
    sa.UniqueConstraint('tenant_id', 'old_path', name=op.f('uq_tenant_redirect_tenant_id_old_path'))
    )

    if op.get_bind().dialect.name == 'postgresql':
        # SQLite cannot alter a constraint: a merge there defers every check with PRAGMA defer_foreign_keys.
        _deferrable('DEFERRABLE INITIALLY IMMEDIATE')
        op.execute("""
DO $$ DECLARE r record; BEGIN
  FOR r IN SELECT p.tablename FROM pg_policies p WHERE p.schemaname = current_schema()
           AND p.policyname = 'tenant_isolation'
           AND NOT EXISTS (SELECT 1 FROM pg_policies q WHERE q.tablename = p.tablename AND q.schemaname = p.schemaname
                           AND q.policyname = 'tenant_merge') LOOP
    EXECUTE format('CREATE POLICY tenant_merge ON %I USING (tenant_id = ANY (string_to_array(nullif('
                   'current_setting(''app.merge_tenants'', true), ''''), '','')::integer[])) WITH CHECK (tenant_id = ANY ('
                   'string_to_array(nullif(current_setting(''app.merge_tenants'', true), ''''), '','')::integer[]))',
                   r.tablename);
  END LOOP;
END $$""")


def downgrade():
    if op.get_bind().dialect.name == 'postgresql':
        op.execute("""
DO $$ DECLARE r record; BEGIN
  FOR r IN SELECT tablename FROM pg_policies WHERE schemaname = current_schema() AND policyname = 'tenant_merge' LOOP
    EXECUTE format('DROP POLICY tenant_merge ON %I', r.tablename);
  END LOOP;
END $$""")
        _deferrable('NOT DEFERRABLE')
    op.drop_table('tenant_redirect')
    with op.batch_alter_table('reorg_moved_row', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_reorg_moved_row_operation_id'))
        batch_op.drop_index('ix_reorg_moved_row_lookup')
    op.drop_table('reorg_moved_row')
    with op.batch_alter_table('reorg_operation', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_reorg_operation_target_tenant_id'))
        batch_op.drop_index(batch_op.f('ix_reorg_operation_source_tenant_id'))
    op.drop_table('reorg_operation')
