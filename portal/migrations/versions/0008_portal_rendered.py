"""portal: document pages rendered at write time (issue 8)

Revision ID: 0008_portal_rendered
Revises: 0007_portal_validity

Hand-written.  A new table, one row per item, filled by every push (in its transaction) and by
`flask --app portal_wsgi portal rerender` after a deploy; empty after this migration, so every
page renders live (as before) until the first push of it or the first rerender.
"""
from alembic import op
import sqlalchemy as sa


revision = "0008_portal_rendered"
down_revision = "0007_portal_validity"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "rendered_pages",
        sa.Column("item_id", sa.Integer(), sa.ForeignKey("items.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("seed", sa.String(200), nullable=False),
        sa.Column("tag", sa.String(40), nullable=False),
        sa.Column("script_root", sa.String(200), nullable=False, server_default=""),
        sa.Column("fresh_until", sa.Date(), nullable=True),
        sa.Column("body", sa.LargeBinary(), nullable=False),
    )


def downgrade():
    op.drop_table("rendered_pages")
