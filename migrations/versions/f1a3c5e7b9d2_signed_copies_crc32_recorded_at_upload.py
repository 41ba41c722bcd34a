"""signed copies: their CRC-32, recorded at upload

A bundle writes each copy's CRC-32 in the ZIP; recorded with the copy's SHA-256 and size, it is not computed again
for every download (registry/bundles/stream.py). Copies stored before have none (NULL): a bundle computes theirs
while it writes them, as it did.

Revision ID: f1a3c5e7b9d2
Revises: d4b8f0a2e6c5
Create Date: 2026-12-05 23:55:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'f1a3c5e7b9d2'
down_revision = 'd4b8f0a2e6c5'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('convention_documents', schema=None) as batch_op:
        batch_op.add_column(sa.Column('crc32', sa.BigInteger(), nullable=True))


def downgrade():
    with op.batch_alter_table('convention_documents', schema=None) as batch_op:
        batch_op.drop_column('crc32')
