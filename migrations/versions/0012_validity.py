"""validity: the validity period and clean-up state of 行政规范性文件 (R11, issue 11)

Revision ID: 0012_validity
Revises: 0011_applications

Written by hand.  Plain ADD COLUMN (no batch rebuild), so SQLite keeps the documents
table's full-text triggers.
"""
import sqlalchemy as sa
from alembic import op

revision = "0012_validity"
down_revision = "0011_applications"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column("documents", sa.Column("is_normative", sa.Boolean(), nullable=False, server_default=sa.false()))
    op.add_column("documents", sa.Column("effective_from", sa.Date(), nullable=True))
    op.add_column("documents", sa.Column("effective_to", sa.Date(), nullable=True))
    op.add_column("documents", sa.Column("validity", sa.String(10), nullable=False, server_default="valid"))
    op.add_column("documents", sa.Column("validity_changed_on", sa.Date(), nullable=True))


def downgrade():
    # Plain DROP COLUMN (SQLite >= 3.35): no rebuild, the full-text triggers stay.
    for name in ("validity_changed_on", "validity", "effective_to", "effective_from", "is_normative"):
        op.drop_column("documents", name)
