"""publication: 关键词 and 内容概述 of a document and their public copies; withheld attachments (issue 8)

Revision ID: 0016_publication
Revises: 0015_catalogue

Written by hand.  Plain ADD COLUMN (no batch rebuild), so SQLite keeps the documents
table's full-text triggers.
"""
import sqlalchemy as sa
from alembic import op

revision = "0016_publication"
down_revision = "0015_catalogue"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column("documents", sa.Column("keywords", sa.String(300), nullable=False, server_default=""))
    op.add_column("documents", sa.Column("summary", sa.String(300), nullable=False, server_default=""))
    op.add_column("documents", sa.Column("public_keywords", sa.String(300), nullable=True))
    op.add_column("documents", sa.Column("public_summary", sa.String(300), nullable=True))
    # an attachment checked by eye and kept off the portal (it holds personal data no one can mask)
    op.add_column("stored_files", sa.Column("withheld", sa.Boolean(), nullable=False, server_default=sa.false()))


def downgrade():
    op.drop_column("stored_files", "withheld")
    # Plain DROP COLUMN (SQLite >= 3.35): no rebuild, the full-text triggers stay.
    for name in ("public_summary", "public_keywords", "summary", "keywords"):
        op.drop_column("documents", name)
