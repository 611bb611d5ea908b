"""dashperf: each publication's stored "late from" instant for the dashboard's 按期发布率 (issue 12)

Revision ID: 0020_dashperf
Revises: 0019_validity

Written by hand.  publications.late_from is added empty: the application fills it on first use
(services/deadlines.fill_late_from, which needs the agency's working calendar), so no data is
computed here.  The documents table is not touched (its full-text triggers stay).
"""
import sqlalchemy as sa
from alembic import op

revision = "0020_dashperf"
down_revision = "0019_validity"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column("publications", sa.Column("late_from", sa.DateTime(timezone=True), nullable=True))
    # The on-time query reads (first publication, document, late from) from this index alone.
    op.create_index("ix_publications_on_time", "publications", ["first_published_at", "document_id", "late_from"])


def downgrade():
    op.drop_index("ix_publications_on_time", table_name="publications")
    op.drop_column("publications", "late_from")
