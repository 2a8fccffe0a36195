"""documents: the text of their file (PDF, DOCX) with its extraction status, and folded search text

Revision ID: a17d0c5e7a02
Revises: a17e0e7c1a01
Create Date: 2026-12-08 00:15:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a17d0c5e7a02'
down_revision = 'a17e0e7c1a01'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('document', schema=None) as batch_op:
        batch_op.add_column(sa.Column('text_content', sa.Text(), server_default='', nullable=False))
        batch_op.add_column(sa.Column('text_status', sa.String(length=16), server_default='none', nullable=False))
        batch_op.add_column(sa.Column('text_error', sa.String(length=300), nullable=True))
        batch_op.add_column(sa.Column('search_text', sa.Text(), server_default='', nullable=False))
        batch_op.create_check_constraint(op.f('ck_document_text_status'),
                                         "text_status in ('none', 'pending', 'ok', 'failed')")
    if op.get_bind().dialect.name == 'postgresql':
        op.execute("CREATE INDEX ix_document_search ON document USING gin (to_tsvector('simple', search_text))")
    _fold_existing()


def _fold_existing():
    """Documents saved before: their number, title, issuer and summary become searchable at once."""
    import re

    from app.core.vntext import fold

    bind = op.get_bind()
    if bind.dialect.name == 'postgresql':
        op.execute("SELECT set_config('app.all_tenants', 'on', true)")
    rows = bind.execute(sa.text("SELECT id, number, title, issuer, summary FROM document")).all()
    for row_id, *parts in rows:
        bind.execute(sa.text("UPDATE document SET search_text = :t WHERE id = :id"),
                     {"t": " ".join(re.findall(r"[^\W_]+", fold(" ".join(p or "" for p in parts)))), "id": row_id})


def downgrade():
    if op.get_bind().dialect.name == 'postgresql':
        op.execute("DROP INDEX IF EXISTS ix_document_search")
    with op.batch_alter_table('document', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_document_text_status'), type_='check')
        batch_op.drop_column('search_text')
        batch_op.drop_column('text_error')
        batch_op.drop_column('text_status')
        batch_op.drop_column('text_content')
