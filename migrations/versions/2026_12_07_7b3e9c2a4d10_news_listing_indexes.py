"""news: partial indexes for the public lists (published originals, newest first), overall and per category

Revision ID: 7b3e9c2a4d10
Revises: e35add89fd31
Create Date: 2026-12-07 12:20:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '7b3e9c2a4d10'
down_revision = 'e35add89fd31'
branch_labels = None
depends_on = None

LISTED = sa.text("status = 'published' AND translation_of_id IS NULL")


def upgrade():
    op.create_index('ix_news_article_listing', 'news_article', ['tenant_id', 'published_at', 'id'],
                    postgresql_where=LISTED, sqlite_where=LISTED)
    op.create_index('ix_news_article_category_listing', 'news_article',
                    ['tenant_id', 'category_id', 'published_at', 'id'], postgresql_where=LISTED, sqlite_where=LISTED)
    if op.get_bind().dialect.name == 'postgresql':
        op.execute('ANALYZE news_article')  # plan the lists with real statistics from the first request on


def downgrade():
    op.drop_index('ix_news_article_category_listing', table_name='news_article')
    op.drop_index('ix_news_article_listing', table_name='news_article')
