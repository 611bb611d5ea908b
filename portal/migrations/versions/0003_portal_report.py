"""portal: the 政府信息公开年报 column (issue 12)

Revision ID: 0003_portal_report
Revises: 0002_portal_applications

Hand-written.  One plain ADD COLUMN: items.site_column ("annual_report" for the agency's annual
reports, "" otherwise).
"""
from alembic import op
import sqlalchemy as sa


revision = "0003_portal_report"
down_revision = "0002_portal_applications"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column("items", sa.Column("site_column", sa.String(20), nullable=False, server_default=""))


def downgrade():
    op.drop_column("items", "site_column")
