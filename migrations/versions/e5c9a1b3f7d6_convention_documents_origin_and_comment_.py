"""convention documents: origin and comment of a draft version

A draft version is either generated from the template (every existing row) or received: the partner's Word
file uploaded as it was sent, with the uploader's optional comment.

Revision ID: e5c9a1b3f7d6
Revises: d2b7e4a1c6f3
Create Date: 2026-12-02 16:52:37

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'e5c9a1b3f7d6'
down_revision = 'd2b7e4a1c6f3'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('convention_documents', schema=None) as batch_op:
        batch_op.add_column(sa.Column('origin', sa.String(length=20), server_default='generated', nullable=False))
        batch_op.add_column(sa.Column('comment', sa.Text(), nullable=True))


def downgrade():
    with op.batch_alter_table('convention_documents', schema=None) as batch_op:
        batch_op.drop_column('comment')
        batch_op.drop_column('origin')
