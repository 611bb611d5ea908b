"""transfers: destinations, batches, items, files (lists, BagIt packages, receipts); 归档 with
the DA/T 22 档号 (settings, counters, filings); the yearly self-review (R10)

Revision ID: 0010_transfers
Revises: 0009_catalogue

Written by hand; new tables only.
"""
import sqlalchemy as sa
from alembic import op

revision = "0010_transfers"
down_revision = "0009_catalogue"
branch_labels = None
depends_on = None


def _utc():
    return sa.DateTime(timezone=True)


def upgrade():
    op.create_table(
        "transfer_destinations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("contact_name", sa.String(length=50), nullable=False),
        sa.Column("contact_phone", sa.String(length=50), nullable=False),
        sa.Column("address", sa.String(length=200), nullable=False),
        sa.Column("period_days", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", _utc(), nullable=False),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["updated_by_id"], ["users.id"],
                                name=op.f("fk_transfer_destinations_updated_by_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_transfer_destinations")),
        sa.UniqueConstraint("name", name=op.f("uq_transfer_destinations_name")),
    )
    op.create_table(
        "transfer_batches",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("batch_no", sa.String(length=40), nullable=False),
        sa.Column("destination_id", sa.Integer(), nullable=False),
        sa.Column("medium", sa.String(length=12), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("created_at", _utc(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=False),
        sa.Column("delivered_by", sa.String(length=50), nullable=False),
        sa.Column("received_by", sa.String(length=50), nullable=False),
        sa.Column("received_at", _utc(), nullable=True),
        sa.Column("receipt_recorded_at", _utc(), nullable=True),
        sa.Column("receipt_recorded_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["destination_id"], ["transfer_destinations.id"],
                                name=op.f("fk_transfer_batches_destination_id_transfer_destinations")),
        sa.ForeignKeyConstraint(["created_by_id"], ["users.id"], name=op.f("fk_transfer_batches_created_by_id_users")),
        sa.ForeignKeyConstraint(["receipt_recorded_by_id"], ["users.id"],
                                name=op.f("fk_transfer_batches_receipt_recorded_by_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_transfer_batches")),
        sa.UniqueConstraint("batch_no", name=op.f("uq_transfer_batches_batch_no")),
    )
    op.create_index("ix_transfer_batches_destination", "transfer_batches", ["destination_id", "created_at"])
    op.create_table(
        "transfer_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("batch_id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("index_no", sa.String(length=40), nullable=False),
        sa.Column("pages", sa.Integer(), nullable=False),
        sa.Column("copies", sa.Integer(), nullable=False),
        sa.Column("remark", sa.String(length=200), nullable=False),
        sa.Column("resend_reason", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["batch_id"], ["transfer_batches.id"],
                                name=op.f("fk_transfer_items_batch_id_transfer_batches")),
        sa.ForeignKeyConstraint(["document_id"], ["documents.id"], name=op.f("fk_transfer_items_document_id_documents")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_transfer_items")),
        sa.UniqueConstraint("batch_id", "document_id", name="uq_transfer_items_batch_document"),
    )
    op.create_index("ix_transfer_items_document", "transfer_items", ["document_id", "batch_id"])
    op.create_table(
        "transfer_files",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("batch_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("filename", sa.String(length=200), nullable=False),
        sa.Column("content_type", sa.String(length=100), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", _utc(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["batch_id"], ["transfer_batches.id"],
                                name=op.f("fk_transfer_files_batch_id_transfer_batches")),
        sa.ForeignKeyConstraint(["created_by_id"], ["users.id"], name=op.f("fk_transfer_files_created_by_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_transfer_files")),
    )
    op.create_index("ix_transfer_files_batch", "transfer_files", ["batch_id", "kind"])
    op.create_table(
        "archive_settings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("fonds_no", sa.String(length=10), nullable=False),
        sa.Column("org_code", sa.String(length=10), nullable=False),
        sa.Column("default_retention", sa.String(length=4), nullable=False),
        sa.Column("updated_at", _utc(), nullable=False),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["updated_by_id"], ["users.id"], name=op.f("fk_archive_settings_updated_by_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_archive_settings")),
    )
    op.create_table(
        "archive_counters",
        sa.Column("fonds_no", sa.String(length=10), nullable=False),
        sa.Column("year", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("retention", sa.String(length=4), nullable=False),
        sa.Column("org_code", sa.String(length=10), nullable=False),
        sa.Column("last_item", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("fonds_no", "year", "retention", "org_code", name=op.f("pk_archive_counters")),
    )
    op.create_table(
        "filings",
        sa.Column("document_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("archive_code", sa.String(length=60), nullable=False),
        sa.Column("fonds_no", sa.String(length=10), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("retention", sa.String(length=4), nullable=False),
        sa.Column("org_code", sa.String(length=10), nullable=False),
        sa.Column("item_no", sa.Integer(), nullable=False),
        sa.Column("filed_at", _utc(), nullable=False),
        sa.Column("filed_by_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["document_id"], ["documents.id"], name=op.f("fk_filings_document_id_documents")),
        sa.ForeignKeyConstraint(["filed_by_id"], ["users.id"], name=op.f("fk_filings_filed_by_id_users")),
        sa.PrimaryKeyConstraint("document_id", name=op.f("pk_filings")),
        sa.UniqueConstraint("archive_code", name=op.f("uq_filings_archive_code")),
    )
    op.create_table(
        "self_reviews",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("original_disclosure", sa.String(length=20), nullable=False),
        sa.Column("decision", sa.String(length=10), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("decided_by_id", sa.Integer(), nullable=False),
        sa.Column("decided_at", _utc(), nullable=False),
        sa.Column("status", sa.String(length=24), nullable=False),
        sa.Column("response_reason", sa.Text(), nullable=False),
        sa.Column("responded_by_id", sa.Integer(), nullable=True),
        sa.Column("responded_at", _utc(), nullable=True),
        sa.ForeignKeyConstraint(["document_id"], ["documents.id"], name=op.f("fk_self_reviews_document_id_documents")),
        sa.ForeignKeyConstraint(["decided_by_id"], ["users.id"], name=op.f("fk_self_reviews_decided_by_id_users")),
        sa.ForeignKeyConstraint(["responded_by_id"], ["users.id"], name=op.f("fk_self_reviews_responded_by_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_self_reviews")),
        sa.UniqueConstraint("year", "document_id", name="uq_self_reviews_year_document"),
    )
    op.create_index("ix_self_reviews_status", "self_reviews", ["status", "id"])


def downgrade():
    op.drop_index("ix_self_reviews_status", table_name="self_reviews")
    op.drop_table("self_reviews")
    op.drop_table("filings")
    op.drop_table("archive_counters")
    op.drop_table("archive_settings")
    op.drop_index("ix_transfer_files_batch", table_name="transfer_files")
    op.drop_table("transfer_files")
    op.drop_index("ix_transfer_items_document", table_name="transfer_items")
    op.drop_table("transfer_items")
    op.drop_index("ix_transfer_batches_destination", table_name="transfer_batches")
    op.drop_table("transfer_batches")
    op.drop_table("transfer_destinations")
