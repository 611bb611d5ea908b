"""portal: the standard catalogue (标准目录, issue 15) — its editions and items, and each policy's 目录事项

Revision ID: 0004_portal_catalogue
Revises: 0003_portal_report

Hand-written.  New tables only; `items` is not altered.
"""
from alembic import op
import sqlalchemy as sa


revision = "0004_portal_catalogue"
down_revision = "0003_portal_report"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "catalogue_editions",
        sa.Column("version", sa.Integer(), primary_key=True, autoincrement=False),
        sa.Column("publisher", sa.String(100), nullable=False),
        sa.Column("published_at", sa.DateTime(), nullable=False),
        sa.Column("received_at", sa.DateTime(), nullable=False),
        sa.Column("item_count", sa.Integer(), nullable=False),
    )
    op.create_table(
        "catalogue_entries",
        sa.Column("item_id", sa.Integer(), primary_key=True, autoincrement=False),
        sa.Column("parent_id", sa.Integer(), nullable=True),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("domain", sa.String(30), nullable=False),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("basis", sa.Text(), nullable=False),
        sa.Column("time_limit", sa.String(100), nullable=False),
        sa.Column("subject", sa.String(200), nullable=False),
        sa.Column("channels", sa.String(300), nullable=False),
        sa.Column("audience", sa.String(20), nullable=False),
        sa.Column("mode", sa.String(20), nullable=False),
        sa.Column("level", sa.String(20), nullable=False),
    )
    op.create_index("ix_catalogue_entries_parent", "catalogue_entries", ["parent_id", "position"])
    op.create_table(
        "catalogue_links",
        sa.Column("item_id", sa.Integer(), sa.ForeignKey("items.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("catalogue_item_id", sa.Integer(), nullable=False),
        sa.Column("domain", sa.String(30), nullable=False),
        sa.Column("first_level", sa.String(100), nullable=False),
        sa.Column("second_level", sa.String(100), nullable=False),
        sa.Column("published_at", sa.DateTime(), nullable=False),
    )
    op.create_index("ix_catalogue_links_item", "catalogue_links", ["catalogue_item_id", "published_at", "item_id"])


def downgrade():
    op.drop_index("ix_catalogue_links_item", table_name="catalogue_links")
    op.drop_table("catalogue_links")
    op.drop_index("ix_catalogue_entries_parent", table_name="catalogue_entries")
    op.drop_table("catalogue_entries")
    op.drop_table("catalogue_editions")
