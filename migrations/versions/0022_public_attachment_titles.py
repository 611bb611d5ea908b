"""public_attachment_titles: the reviewed 附件说明 of a document's public copy (R8)

Revision ID: 0022_public_attachment_titles
Revises: 0021_provided_attachments

Written by hand.  Plain ADD COLUMN (no batch rebuild), so SQLite keeps the documents table's
full-text triggers.

The publisher's review now also reads the 附件说明 lines and the attachments' file names.
Documents whose review is open (待去标识化, 更正中) were scanned without them: their scan is
marked as not done, so the review page asks for it again before anything can be confirmed;
the new scan keeps every earlier finding and decision and adds only what they do not cover.
Documents already confirmed keep a NULL public 附件说明; their push masks the lines and names
with the engine as before, until a correction confirms them again.
"""
import sqlalchemy as sa
from alembic import op

revision = "0022_public_attachment_titles"
down_revision = "0021_provided_attachments"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column("documents", sa.Column("public_attachments_text", sa.Text(), nullable=True))
    op.execute("UPDATE documents SET deid_scanned_at = NULL WHERE stage IN ('deid_review', 'correction')")


def downgrade():
    # Plain DROP COLUMN (SQLite >= 3.35): no rebuild, the full-text triggers stay.
    op.drop_column("documents", "public_attachments_text")
