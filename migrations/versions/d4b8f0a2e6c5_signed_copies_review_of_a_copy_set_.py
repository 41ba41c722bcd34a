"""signed copies: review of a copy set aside by its signature check

A signed copy whose electronic signature is altered, modified after signing or unreadable is set aside until a
user confirms it (with a reason) or discards it. Copies already stored with such a report are set aside too,
so that none of them stays silently the current copy.

Revision ID: d4b8f0a2e6c5
Revises: a1e5c7d9b3f2
Create Date: 2026-12-02 16:51:34.488786

"""
import json

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'd4b8f0a2e6c5'
down_revision = 'a1e5c7d9b3f2'
branch_labels = None
depends_on = None

#: Verdict codes of registry.signatures.labels that set a copy aside (copied: a migration does not import the app).
ALERT_VERDICTS = ("alteree", "modifiee", "illisible")


def upgrade():
    with op.batch_alter_table('convention_documents', schema=None) as batch_op:
        batch_op.add_column(sa.Column('review', sa.String(length=12), nullable=True))
        batch_op.add_column(sa.Column('review_reason', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('reviewed_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('reviewed_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_convention_documents_reviewed_by_id_users'), 'users',
                                    ['reviewed_by_id'], ['id'], ondelete='SET NULL')
    connection = op.get_bind()
    rows = connection.execute(sa.text(
        "SELECT id, signature_report FROM convention_documents WHERE kind = 'signed' AND signature_report IS NOT NULL"))
    alerted = [row.id for row in rows if _has_alert(row.signature_report)]
    for document_id in alerted:
        connection.execute(sa.text("UPDATE convention_documents SET review = 'ecartee' WHERE id = :id"),
                           {"id": document_id})


def _has_alert(report) -> bool:
    report = json.loads(report) if isinstance(report, str) else report or {}
    return any(signature.get("verdict") in ALERT_VERDICTS for signature in report.get("signatures", []))


def downgrade():
    with op.batch_alter_table('convention_documents', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_convention_documents_reviewed_by_id_users'), type_='foreignkey')
        batch_op.drop_column('reviewed_at')
        batch_op.drop_column('reviewed_by_id')
        batch_op.drop_column('review_reason')
        batch_op.drop_column('review')
