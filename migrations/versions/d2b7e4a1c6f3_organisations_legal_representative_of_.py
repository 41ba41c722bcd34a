"""organisations: legal representative of a partner outside FINESS

Revision ID: d2b7e4a1c6f3
Revises: e3c8f5b2d7a4
Create Date: 2026-12-02 14:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'd2b7e4a1c6f3'
down_revision = 'e3c8f5b2d7a4'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('organisations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('representative_name', sa.String(length=120), nullable=True))
        batch_op.add_column(sa.Column('representative_title', sa.String(length=120), nullable=True))


def downgrade():
    with op.batch_alter_table('organisations', schema=None) as batch_op:
        batch_op.drop_column('representative_title')
        batch_op.drop_column('representative_name')
