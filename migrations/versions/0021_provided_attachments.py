"""provided_attachments: the 附件 of the documents a reply to an application provides (issue 9)

Revision ID: 0021_provided_attachments
Revises: 0020_dashperf

Written by hand.  One new table; the documents table is not touched (its full-text triggers stay).
Replies already given keep what they sent (their documents' attachments were not provided).
"""
import sqlalchemy as sa
from alembic import op

revision = "0021_provided_attachments"
down_revision = "0020_dashperf"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "application_provided_attachments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("provided_id", sa.Integer(), nullable=False),
        sa.Column("source_file_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("filename", sa.String(length=200), nullable=False),
        sa.Column("needs_eye_check", sa.Boolean(), nullable=False),
        sa.Column("eye_decision", sa.String(length=10), nullable=True),
        sa.Column("eye_checked_by_id", sa.Integer(), nullable=True),
        sa.Column("eye_checked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("public_file_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["provided_id"], ["application_provided.id"],
                                name=op.f("fk_application_provided_attachments_provided_id_application_provided")),
        sa.ForeignKeyConstraint(["source_file_id"], ["stored_files.id"],
                                name=op.f("fk_application_provided_attachments_source_file_id_stored_files")),
        sa.ForeignKeyConstraint(["eye_checked_by_id"], ["users.id"],
                                name=op.f("fk_application_provided_attachments_eye_checked_by_id_users")),
        sa.ForeignKeyConstraint(["public_file_id"], ["application_files.id"],
                                name=op.f("fk_application_provided_attachments_public_file_id_application_files")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_application_provided_attachments")),
    )
    op.create_index("ix_application_provided_attachments_provided", "application_provided_attachments",
                    ["provided_id", "position"])


def downgrade():
    op.drop_index("ix_application_provided_attachments_provided", table_name="application_provided_attachments")
    op.drop_table("application_provided_attachments")
