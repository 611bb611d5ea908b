"""portal: online disclosure applications (issue 9) and used CAPTCHA tokens

Revision ID: 0002_portal_applications
Revises: 0001_portal_initial

Hand-written.
"""
from alembic import op
import sqlalchemy as sa


revision = "0002_portal_applications"
down_revision = "0001_portal_initial"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "portal_applications",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("public_id", sa.String(24), nullable=False),
        sa.Column("code_hash", sa.String(64), nullable=False),
        sa.Column("applicant_type", sa.String(20), nullable=False),
        sa.Column("applicant_name", sa.String(100), nullable=False),
        sa.Column("id_doc_type", sa.String(30), nullable=False),
        sa.Column("id_doc_number", sa.String(50), nullable=False),
        sa.Column("contact_phone", sa.String(30), nullable=False),
        sa.Column("contact_email", sa.String(100), nullable=False),
        sa.Column("contact_address", sa.String(200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("form_wanted", sa.String(20), nullable=False),
        sa.Column("submitted_at", sa.DateTime(), nullable=False),
        sa.Column("pulled_at", sa.DateTime(), nullable=True),
        sa.Column("status_version", sa.Integer(), nullable=False),
        sa.Column("status_label", sa.String(60), nullable=False),
        sa.Column("reference", sa.String(40), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column("replied_on", sa.Date(), nullable=True),
        sa.Column("reply_filename", sa.String(120), nullable=True),
        sa.Column("reply_docx", sa.LargeBinary(), nullable=True),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.UniqueConstraint("public_id", name="uq_portal_applications_public_id"),
        sa.UniqueConstraint("code_hash", name="uq_portal_applications_code_hash"),
    )
    op.create_index("ix_portal_applications_pending", "portal_applications", ["pulled_at", "id"])
    op.create_table(
        "captcha_uses",
        sa.Column("token_hash", sa.String(64), primary_key=True),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
    )


def downgrade():
    op.drop_table("captcha_uses")
    op.drop_index("ix_portal_applications_pending", table_name="portal_applications")
    op.drop_table("portal_applications")
