"""domain requests: a union asks for a custom domain, a national administrator decides

Revision ID: 15ea6f32be8d
Revises: 6db0e557f07f
Create Date: 2026-11-23 12:56:55.332346

"""
from alembic import op
import sqlalchemy as sa

from tenants import rls


# revision identifiers, used by Alembic.
revision = '15ea6f32be8d'
down_revision = '6db0e557f07f'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('domain_request',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('host', sa.String(length=253), nullable=False),
    sa.Column('make_primary', sa.Boolean(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('note', sa.String(length=500), nullable=False),
    sa.Column('requested_by_id', sa.Integer(), nullable=True),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('decision_reason', sa.String(length=500), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.CheckConstraint("status in ('pending', 'approved', 'declined')", name=op.f('ck_domain_request_status')),
    sa.ForeignKeyConstraint(['decided_by_id'], ['user_account.id'], name=op.f('fk_domain_request_decided_by_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['requested_by_id'], ['user_account.id'], name=op.f('fk_domain_request_requested_by_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenant.id'], name=op.f('fk_domain_request_tenant_id_tenant'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_domain_request')),
    sa.UniqueConstraint('tenant_id', 'id', name=op.f('uq_domain_request_tenant_id_id'))
    )
    with op.batch_alter_table('domain_request', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_domain_request_tenant_id'), ['tenant_id'], unique=False)

    rls.enable('domain_request')


def downgrade():
    rls.disable('domain_request')
    with op.batch_alter_table('domain_request', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_domain_request_tenant_id'))

    op.drop_table('domain_request')
