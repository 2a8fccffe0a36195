"""events: a calendar per union (event, event_article)

Revision ID: a17e0e7c1a01
Revises: d4e62effac57
Create Date: 2026-12-08 00:10:00.000000

"""
from alembic import op
import sqlalchemy as sa

from tenants import rls


# revision identifiers, used by Alembic.
revision = "a17e0e7c1a01"
down_revision = "d4e62effac57"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=255), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('starts_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('ends_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('all_day', sa.Boolean(), nullable=False),
    sa.Column('place', sa.String(length=255), nullable=False),
    sa.Column('partners', sa.Text(), nullable=False),
    sa.Column('description_html', sa.Text(), nullable=False),
    sa.Column('published', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.CheckConstraint("kind in ('conference', 'delegation', 'festival', 'exchange', 'other')", name=op.f('ck_event_kind')),
    sa.CheckConstraint('ends_at >= starts_at', name=op.f('ck_event_ends_after_start')),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenant.id'], name=op.f('fk_event_tenant_id_tenant'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_event')),
    sa.UniqueConstraint('tenant_id', 'id', name=op.f('uq_event_tenant_id_id'))
    )
    with op.batch_alter_table('event', schema=None) as batch_op:
        batch_op.create_index('ix_event_listing', ['tenant_id', 'published', 'starts_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_event_tenant_id'), ['tenant_id'], unique=False)

    op.create_table('event_article',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('article_id', sa.Integer(), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id', 'event_id'], ['event.tenant_id', 'event.id'], name='fk_event_article_event_same_tenant', ondelete='CASCADE', initially='IMMEDIATE', deferrable=True),
    sa.ForeignKeyConstraint(['tenant_id', 'article_id'], ['news_article.tenant_id', 'news_article.id'], name='fk_event_article_article_same_tenant', ondelete='CASCADE', initially='IMMEDIATE', deferrable=True),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenant.id'], name=op.f('fk_event_article_tenant_id_tenant'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_event_article')),
    sa.UniqueConstraint('tenant_id', 'event_id', 'article_id', name=op.f('uq_event_article_tenant_id_event_id_article_id')),
    sa.UniqueConstraint('tenant_id', 'id', name=op.f('uq_event_article_tenant_id_id'))
    )
    with op.batch_alter_table('event_article', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_event_article_article_id'), ['article_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_event_article_event_id'), ['event_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_event_article_tenant_id'), ['tenant_id'], unique=False)

    for table in ('event', 'event_article'):
        rls.enable(table)


def downgrade():
    for table in ('event_article', 'event'):
        rls.disable(table)
    op.drop_table('event_article')
    op.drop_table('event')
