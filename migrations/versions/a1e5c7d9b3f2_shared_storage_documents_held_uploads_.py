"""shared storage: documents, held uploads and PDF previews in the database

Revision ID: a1e5c7d9b3f2
Revises: e5c9a1b3f7d6
Create Date: 2026-12-02 16:52:34.849685

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a1e5c7d9b3f2'
down_revision = 'e5c9a1b3f7d6'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('held_uploads',
        sa.Column('token', sa.String(length=32), nullable=False),
        sa.Column('key', sa.String(length=100), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('meta', sa.Text(), nullable=False),
        sa.Column('size', sa.BigInteger(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('claimed_at', sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint('token', name=op.f('pk_held_uploads'))
    )
    with op.batch_alter_table('held_uploads', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_held_uploads_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_held_uploads_key'), ['key'], unique=False)
        batch_op.create_index(batch_op.f('ix_held_uploads_user_id'), ['user_id'], unique=False)

    op.create_table('pdf_previews',
        sa.Column('draft_sha256', sa.String(length=64), nullable=False),
        sa.Column('pdf_sha256', sa.String(length=64), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('draft_sha256', name=op.f('pk_pdf_previews'))
    )
    op.create_table('stored_documents',
        sa.Column('sha256', sa.String(length=64), nullable=False),
        sa.Column('size', sa.BigInteger(), nullable=False),
        sa.Column('data', sa.LargeBinary(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('sha256', name=op.f('pk_stored_documents'))
    )
    op.create_table('held_upload_parts',
        sa.Column('token', sa.String(length=32), nullable=False),
        sa.Column('name', sa.String(length=50), nullable=False),
        sa.Column('data', sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(['token'], ['held_uploads.token'], name=op.f('fk_held_upload_parts_token_held_uploads'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('token', 'name', name=op.f('pk_held_upload_parts'))
    )


def downgrade():
    op.drop_table('held_upload_parts')
    op.drop_table('stored_documents')
    op.drop_table('pdf_previews')
    with op.batch_alter_table('held_uploads', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_held_uploads_user_id'))
        batch_op.drop_index(batch_op.f('ix_held_uploads_key'))
        batch_op.drop_index(batch_op.f('ix_held_uploads_created_at'))

    op.drop_table('held_uploads')
