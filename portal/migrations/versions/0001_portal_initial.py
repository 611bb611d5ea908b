"""portal: items, files, publishers, seen signatures, receipts, and the search index

Revision ID: 0001_portal_initial
Revises:
Create Date: 2026-11-30

Hand-written.  The search index depends on the database: an FTS5 table of bigram tokens on
SQLite, a table of bigram tsvectors with GIN indexes on PostgreSQL (portal/search).
"""
from alembic import op
import sqlalchemy as sa


revision = "0001_portal_initial"
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "items",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("index_no", sa.String(40), nullable=False),
        sa.Column("policy_id", sa.Integer(), sa.ForeignKey("items.id", ondelete="CASCADE"), nullable=True),
        sa.Column("interpretation_id", sa.Integer(), nullable=True),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("doc_number", sa.String(60), nullable=False),
        sa.Column("topic", sa.String(40), nullable=False),
        sa.Column("subtopic", sa.String(40), nullable=False),
        sa.Column("publisher", sa.String(100), nullable=False),
        sa.Column("written_date", sa.Date(), nullable=True),
        sa.Column("published_at", sa.DateTime(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("validity", sa.String(10), nullable=False),
        sa.Column("validity_changed_on", sa.Date(), nullable=True),
        sa.Column("keywords", sa.String(300), nullable=False),
        sa.Column("summary", sa.String(300), nullable=False),
        sa.Column("body_html", sa.Text(), nullable=False),
        sa.Column("body_text", sa.Text(), nullable=False),
        sa.Column("docx_filename", sa.String(120), nullable=True),
        sa.Column("docx_sha256", sa.String(64), nullable=True),
        sa.Column("docx_size", sa.Integer(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(12), nullable=False),
        sa.Column("notice", sa.Text(), nullable=False),
        sa.Column("withdrawn_at", sa.DateTime(), nullable=True),
        sa.Column("first_published_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.UniqueConstraint("index_no", "kind", name="uq_items_index_no_kind"),
        sa.UniqueConstraint("policy_id", name="uq_items_policy_id"),
    )
    op.create_index("ix_items_catalogue", "items", ["kind", "status", "published_at", "id"])
    op.create_index("ix_items_topic", "items", ["kind", "status", "topic", "published_at", "id"])
    op.create_index("ix_items_publisher", "items", ["kind", "status", "publisher", "published_at", "id"])
    op.create_index("ix_items_updated", "items", ["updated_at"])
    op.create_table(
        "item_files",
        sa.Column("item_id", sa.Integer(), sa.ForeignKey("items.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("content", sa.LargeBinary(), nullable=False),
    )
    op.create_table(
        "publishers",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("name", sa.String(100), nullable=False, unique=True),
    )
    op.create_table(
        "seen_signatures",
        sa.Column("signature", sa.String(64), primary_key=True),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
    )
    op.create_index("ix_seen_signatures_expires_at", "seen_signatures", ["expires_at"])
    op.create_table(
        "receipt_events",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("index_no", sa.String(40), nullable=False),
        sa.Column("action", sa.String(20), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("received_at", sa.DateTime(), nullable=False),
    )
    op.create_index("ix_receipt_events_index_no", "receipt_events", ["index_no"])

    if op.get_bind().dialect.name == "postgresql":
        op.create_table(
            "search_entries",
            sa.Column("item_id", sa.Integer(), sa.ForeignKey("items.id", ondelete="CASCADE"), primary_key=True),
            sa.Column("vec", sa.dialects.postgresql.TSVECTOR(), nullable=False),
            sa.Column("title_vec", sa.dialects.postgresql.TSVECTOR(), nullable=False),
        )
        op.execute("CREATE INDEX ix_search_entries_vec ON search_entries USING gin (vec)")
        op.execute("CREATE INDEX ix_search_entries_title_vec ON search_entries USING gin (title_vec)")
    else:
        # Tokens are pre-cut (portal/search/bigrams.py); unicode61 only splits them on spaces.
        op.execute("CREATE VIRTUAL TABLE search_fts USING fts5(title, body, tokenize = 'unicode61 remove_diacritics 0')")


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.drop_table("search_entries")
    else:
        op.execute("DROP TABLE search_fts")
    op.drop_table("receipt_events")
    op.drop_table("seen_signatures")
    op.drop_table("publishers")
    op.drop_table("item_files")
    op.drop_table("items")
