"""signed copies: signature report

Revision ID: 2e16e27ddeb2
Revises: e1d6dea6c48e
Create Date: 2026-11-23 01:53:25.511056

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '2e16e27ddeb2'
down_revision = 'e1d6dea6c48e'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('convention_documents', schema=None) as batch_op:
        batch_op.add_column(sa.Column('signature_report', sa.JSON(), nullable=True))



def downgrade():
    with op.batch_alter_table('convention_documents', schema=None) as batch_op:
        batch_op.drop_column('signature_report')

