"""cpom follow-up: cpoms, their sites, engagements, yearly declarations and proofs

Revision ID: 7d4e1b2c9a80
Revises: 5c2a9e1f7d3b
Create Date: 2026-12-02 07:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '7d4e1b2c9a80'
down_revision = '5c2a9e1f7d3b'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'cpoms',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('finess_ej', sa.String(length=9), nullable=True),
        sa.Column('name', sa.String(length=200), nullable=False),
        sa.Column('region', sa.String(length=2), nullable=True),
        sa.Column('signed_on', sa.Date(), nullable=False),
        sa.Column('effective_on', sa.Date(), nullable=False),
        sa.Column('duration_years', sa.Integer(), nullable=False),
        sa.Column('created_by_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id'))
    with op.batch_alter_table('cpoms', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_cpoms_finess_ej'), ['finess_ej'], unique=False)
        batch_op.create_index(batch_op.f('ix_cpoms_region'), ['region'], unique=False)
    op.create_table(
        'cpom_sites',
        sa.Column('cpom_id', sa.Integer(), nullable=False),
        sa.Column('hospital_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['cpom_id'], ['cpoms.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['hospital_id'], ['hospital_profiles.id']),
        sa.PrimaryKeyConstraint('cpom_id', 'hospital_id'))
    with op.batch_alter_table('cpom_sites', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_cpom_sites_hospital_id'), ['hospital_id'], unique=False)
    op.create_table(
        'cpom_engagements',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('cpom_id', sa.Integer(), nullable=False),
        sa.Column('indicator', sa.String(length=60), nullable=False),
        sa.Column('comparator', sa.String(length=10), nullable=False),
        sa.Column('target_value', sa.Float(), nullable=True),
        sa.Column('applicable', sa.Boolean(), nullable=False),
        sa.Column('reason', sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(['cpom_id'], ['cpoms.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('cpom_id', 'indicator'))
    with op.batch_alter_table('cpom_engagements', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_cpom_engagements_cpom_id'), ['cpom_id'], unique=False)
    op.create_table(
        'cpom_declarations',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('engagement_id', sa.Integer(), nullable=False),
        sa.Column('year', sa.Integer(), nullable=False),
        sa.Column('status', sa.String(length=20), nullable=False),
        sa.Column('value', sa.JSON(), nullable=True),
        sa.Column('numerator', sa.Float(), nullable=True),
        sa.Column('denominator', sa.Float(), nullable=True),
        sa.Column('items', sa.JSON(), nullable=False),
        sa.Column('comment', sa.Text(), nullable=True),
        sa.Column('declared_by_id', sa.Integer(), nullable=True),
        sa.Column('declared_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('proof_due', sa.Date(), nullable=True),
        sa.Column('review_comment', sa.Text(), nullable=True),
        sa.Column('reviewed_by_id', sa.Integer(), nullable=True),
        sa.Column('reviewed_at', sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['declared_by_id'], ['users.id'], ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['engagement_id'], ['cpom_engagements.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['reviewed_by_id'], ['users.id'], ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('engagement_id', 'year'))
    with op.batch_alter_table('cpom_declarations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_cpom_declarations_engagement_id'), ['engagement_id'], unique=False)
    op.create_table(
        'cpom_proofs',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('declaration_id', sa.Integer(), nullable=False),
        sa.Column('sha256', sa.String(length=64), nullable=False),
        sa.Column('size', sa.Integer(), nullable=False),
        sa.Column('filename', sa.String(length=255), nullable=False),
        sa.Column('media_type', sa.String(length=120), nullable=False),
        sa.Column('uploaded_by_id', sa.Integer(), nullable=True),
        sa.Column('uploaded_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['declaration_id'], ['cpom_declarations.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['uploaded_by_id'], ['users.id'], ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id'))
    with op.batch_alter_table('cpom_proofs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_cpom_proofs_declaration_id'), ['declaration_id'], unique=False)


def downgrade():
    op.drop_table('cpom_proofs')
    op.drop_table('cpom_declarations')
    op.drop_table('cpom_engagements')
    op.drop_table('cpom_sites')
    op.drop_table('cpoms')
