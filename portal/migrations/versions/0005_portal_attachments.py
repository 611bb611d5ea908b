"""portal: 附件 — the public copies of a policy's attachments

Revision ID: 0005_portal_attachments
Revises: 0004_portal_catalogue

Hand-written.
"""
from alembic import op
import sqlalchemy as sa


revision = "0005_portal_attachments"
down_revision = "0004_portal_catalogue"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "item_attachments",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("item_id", sa.Integer(), sa.ForeignKey("items.id", ondelete="CASCADE"), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("filename", sa.String(120), nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("content_type", sa.String(100), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.UniqueConstraint("item_id", "position", name="uq_item_attachments_position"),
    )


def downgrade():
    op.drop_table("item_attachments")
