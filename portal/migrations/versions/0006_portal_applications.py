"""portal: the documents a reply provides (their public copies), behind the applicant's 查询码

Revision ID: 0006_portal_applications
Revises: 0005_portal_attachments

Hand-written.
"""
from alembic import op
import sqlalchemy as sa


revision = "0006_portal_applications"
down_revision = "0005_portal_attachments"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "portal_application_files",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("application_id", sa.Integer(), sa.ForeignKey("portal_applications.id"), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("filename", sa.String(200), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
    )
    op.create_index("ix_portal_application_files_application", "portal_application_files",
                    ["application_id", "position"])


def downgrade():
    op.drop_index("ix_portal_application_files_application", table_name="portal_application_files")
    op.drop_table("portal_application_files")
