"""validity: every clean-up decision on a 行政规范性文件 (R11, issue 11)

Revision ID: 0019_validity
Revises: 0018_dashboard

Written by hand.  A new table only: the documents table is not touched (its validity
columns came with 0012_validity), so SQLite keeps its full-text triggers.
"""
import sqlalchemy as sa
from alembic import op

revision = "0019_validity"
down_revision = "0018_dashboard"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "validity_decisions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("decision", sa.String(length=10), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("decided_on", sa.Date(), nullable=False),
        sa.Column("previous_validity", sa.String(length=10), nullable=False),
        sa.Column("previous_effective_to", sa.Date(), nullable=True),
        sa.Column("new_effective_to", sa.Date(), nullable=True),
        sa.Column("decided_by_id", sa.Integer(), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["document_id"], ["documents.id"],
                                name=op.f("fk_validity_decisions_document_id_documents")),
        sa.ForeignKeyConstraint(["decided_by_id"], ["users.id"], name=op.f("fk_validity_decisions_decided_by_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_validity_decisions")),
    )
    op.create_index("ix_validity_decisions_document", "validity_decisions", ["document_id", "id"])


def downgrade():
    op.drop_index("ix_validity_decisions_document", table_name="validity_decisions")
    op.drop_table("validity_decisions")
