"""portal: 行政规范性文件 — validity period and the latest clean-up decision (R11, issue 11)

Revision ID: 0007_portal_validity
Revises: 0006_portal_applications

Hand-written.  Plain ADD COLUMN (no table rebuild).  The 规范性文件清理结果 page lists the
policies whose push carried a clean-up decision.
"""
from alembic import op
import sqlalchemy as sa


revision = "0007_portal_validity"
down_revision = "0006_portal_applications"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column("items", sa.Column("normative", sa.Boolean(), nullable=False, server_default=sa.false()))
    op.add_column("items", sa.Column("effective_from", sa.Date(), nullable=True))
    op.add_column("items", sa.Column("effective_to", sa.Date(), nullable=True))
    op.add_column("items", sa.Column("cleanup_decision", sa.String(10), nullable=True))
    op.add_column("items", sa.Column("cleanup_decided_on", sa.Date(), nullable=True))


def downgrade():
    for name in ("cleanup_decided_on", "cleanup_decision", "effective_to", "effective_from", "normative"):
        op.drop_column("items", name)
