"""template versions: a version is a document with its manifest (the same document may return with another manifest)

Revision ID: e1d6dea6c48e
Revises: 99ec11dcd7d2
Create Date: 2026-11-23 01:46:04.953569

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'e1d6dea6c48e'
down_revision = '99ec11dcd7d2'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('template_versions', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_template_versions_code_sha256'), type_='unique')



def downgrade():
    with op.batch_alter_table('template_versions', schema=None) as batch_op:
        batch_op.create_unique_constraint(batch_op.f('uq_template_versions_code_sha256'), ['code', 'sha256'])

