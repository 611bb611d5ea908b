"""report: the annual report on government information disclosure (R12, issue 12)

Revision ID: 0014_report
Revises: 0013_approval

Written by hand.  Two new tables, and one plain ADD COLUMN on documents (no batch rebuild,
so SQLite keeps the documents table's full-text triggers): ``annual_report_year`` marks the
报告 that is a year's annual report (the portal files it under 政府信息公开年报).
"""
import sqlalchemy as sa
from alembic import op

revision = "0014_report"
down_revision = "0013_approval"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column("documents", sa.Column("annual_report_year", sa.Integer(), nullable=True))
    op.create_table(
        "annual_reports",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("year", sa.Integer(), nullable=False, unique=True),
        sa.Column("makes_rules", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column("overview_html", sa.Text(), nullable=False, server_default=""),
        sa.Column("problems_html", sa.Text(), nullable=False, server_default=""),
        sa.Column("other_html", sa.Text(), nullable=False, server_default=""),
        sa.Column("recipients", sa.String(500), nullable=False, server_default=""),
        sa.Column("document_id", sa.Integer(), sa.ForeignKey("documents.id"), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by_id", sa.Integer(), sa.ForeignKey("users.id"), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by_id", sa.Integer(), sa.ForeignKey("users.id"), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
    )
    op.create_table(
        "annual_report_entries",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("report_id", sa.Integer(), sa.ForeignKey("annual_reports.id"), nullable=False),
        sa.Column("cell", sa.String(60), nullable=False),
        sa.Column("value", sa.String(20), nullable=False),
        sa.Column("entered_by_id", sa.Integer(), sa.ForeignKey("users.id"), nullable=True),
        sa.Column("entered_by_name", sa.String(50), nullable=False, server_default=""),
        sa.Column("entered_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("report_id", "cell", name="uq_annual_report_entries_cell"),
    )
    # the report's aggregate counts (services/annual_report.py)
    op.create_index("ix_applications_received_on", "applications", ["received_on"])
    op.create_index("ix_applications_replied_on", "applications", ["replied_on"])


def downgrade():
    op.drop_index("ix_applications_replied_on", "applications")
    op.drop_index("ix_applications_received_on", "applications")
    op.drop_table("annual_report_entries")
    op.drop_table("annual_reports")
    op.drop_column("documents", "annual_report_year")
