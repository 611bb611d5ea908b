"""intraperf: indexes for the navigation's application counters and the dashboard's check (issues 9, 12)

Revision ID: 0023_intraperf
Revises: 0022_public_attachment_titles

Written by hand.  The office's counter of replies waiting for review (stage = reply_review) and
the head's counter of extensions waiting (extension requested, not yet decided) run on every page;
without an index each scanned the whole applications table.  The dashboard's check for
publications whose stored "late from" is missing (late_from IS NULL) read every publication.
The documents table is not touched.
"""
from alembic import op

revision = "0023_intraperf"
down_revision = "0022_public_attachment_titles"
branch_labels = None
depends_on = None


def upgrade():
    op.create_index("ix_applications_stage", "applications", ["stage", "id"])
    op.create_index("ix_applications_extension", "applications", ["extension_requested", "extension_days", "due_on"])
    op.create_index("ix_publications_late_from", "publications", ["late_from"])


def downgrade():
    op.drop_index("ix_publications_late_from", table_name="publications")
    op.drop_index("ix_applications_extension", table_name="applications")
    op.drop_index("ix_applications_stage", table_name="applications")
