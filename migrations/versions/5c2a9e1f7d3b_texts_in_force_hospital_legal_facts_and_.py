"""texts in force: hospital legal facts (status, GHT support, removal, confirmed declarations) and convention
legal bases with the day it was sent to the ARS

Revision ID: 5c2a9e1f7d3b
Revises: 2e16e27ddeb2
Create Date: 2026-12-02 06:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5c2a9e1f7d3b'
down_revision = '2e16e27ddeb2'
branch_labels = None
depends_on = None

EMPTY_LIST = sa.text("'[]'")


def upgrade():
    with op.batch_alter_table('hospital_profiles', schema=None) as batch_op:
        batch_op.add_column(sa.Column('confirmed_activities', sa.JSON(), nullable=False, server_default=EMPTY_LIST))
        batch_op.add_column(sa.Column('own_equipment', sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column('confirmed_equipment', sa.JSON(), nullable=False, server_default=EMPTY_LIST))
        batch_op.add_column(sa.Column('legal_status', sa.String(length=10), nullable=True))
        batch_op.add_column(sa.Column('ght_support', sa.String(length=9), nullable=True))
        batch_op.add_column(sa.Column('removed_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('removal_ground', sa.String(length=1), nullable=True))

    with op.batch_alter_table('conventions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('legal_bases', sa.JSON(), nullable=False, server_default=EMPTY_LIST))
        batch_op.add_column(sa.Column('transmitted_to_ars_on', sa.Date(), nullable=True))


def downgrade():
    with op.batch_alter_table('conventions', schema=None) as batch_op:
        batch_op.drop_column('transmitted_to_ars_on')
        batch_op.drop_column('legal_bases')

    with op.batch_alter_table('hospital_profiles', schema=None) as batch_op:
        batch_op.drop_column('removal_ground')
        batch_op.drop_column('removed_on')
        batch_op.drop_column('ght_support')
        batch_op.drop_column('legal_status')
        batch_op.drop_column('confirmed_equipment')
        batch_op.drop_column('own_equipment')
        batch_op.drop_column('confirmed_activities')
