"""reporting: narrative section labels (vi/en) per template version

Revision ID: c4f1a7d2e9b0
Revises: bb9f8f123713
Create Date: 2026-11-23 15:00:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'c4f1a7d2e9b0'
down_revision = 'bb9f8f123713'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('report_template_version', schema=None) as batch_op:
        batch_op.add_column(sa.Column('narrative_labels', sa.JSON(), nullable=True))


def downgrade():
    with op.batch_alter_table('report_template_version', schema=None) as batch_op:
        batch_op.drop_column('narrative_labels')
