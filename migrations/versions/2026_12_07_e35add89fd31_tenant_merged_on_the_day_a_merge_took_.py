"""tenant merged_on: the day a merge took effect

Revision ID: e35add89fd31
Revises: 5f0c1e7a9b24
Create Date: 2026-12-07 06:20:22.674935

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'e35add89fd31'
down_revision = '5f0c1e7a9b24'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('tenant', schema=None) as batch_op:
        batch_op.add_column(sa.Column('merged_on', sa.Date(), nullable=True))


def downgrade():
    with op.batch_alter_table('tenant', schema=None) as batch_op:
        batch_op.drop_column('merged_on')
