"""portal nominations: articles a union offers to the national portal, and the decisions

Revision ID: a4836f58d718
Revises: 15ea6f32be8d
Create Date: 2026-11-23 13:07:38.301948

"""
from alembic import op
import sqlalchemy as sa

from tenants import rls


# revision identifiers, used by Alembic.
revision = 'a4836f58d718'
down_revision = '15ea6f32be8d'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('news_nomination',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('article_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('nominated_by_id', sa.Integer(), nullable=True),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('reason', sa.String(length=500), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.CheckConstraint("status in ('pending', 'approved', 'declined')", name=op.f('ck_news_nomination_status')),
    sa.ForeignKeyConstraint(['decided_by_id'], ['user_account.id'], name=op.f('fk_news_nomination_decided_by_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['nominated_by_id'], ['user_account.id'], name=op.f('fk_news_nomination_nominated_by_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['tenant_id', 'article_id'], ['news_article.tenant_id', 'news_article.id'], name='fk_news_nomination_article_same_tenant', ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenant.id'], name=op.f('fk_news_nomination_tenant_id_tenant'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_news_nomination')),
    sa.UniqueConstraint('tenant_id', 'article_id', name=op.f('uq_news_nomination_tenant_id_article_id')),
    sa.UniqueConstraint('tenant_id', 'id', name=op.f('uq_news_nomination_tenant_id_id'))
    )
    with op.batch_alter_table('news_nomination', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_news_nomination_article_id'), ['article_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_news_nomination_tenant_id'), ['tenant_id'], unique=False)

    # Articles the demo or earlier data marked as shared were on the portal: keep them there, as approved.
    if op.get_bind().dialect.name == "postgresql":  # news_article is under RLS: read it as national work
        op.execute("SELECT set_config('app.all_tenants', 'on', true)")
    op.execute("INSERT INTO news_nomination (tenant_id, article_id, status, reason, created_at) "
               "SELECT tenant_id, id, 'approved', '', CURRENT_TIMESTAMP FROM news_article "
               "WHERE share_national AND translation_of_id IS NULL")
    rls.enable('news_nomination')


def downgrade():
    rls.disable('news_nomination')
    with op.batch_alter_table('news_nomination', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_news_nomination_tenant_id'))
        batch_op.drop_index(batch_op.f('ix_news_nomination_article_id'))

    op.drop_table('news_nomination')
