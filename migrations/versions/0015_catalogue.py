"""catalogue: the standard catalogue published to the portal (issue 15)

Revision ID: 0015_catalogue
Revises: 0014_report

Written by hand.  A table of the catalogue's publications (version, who, when, its outbox
message), and outbox messages that concern no document (kind "catalogue"): document_id
becomes nullable.  On SQLite that is a batch rebuild of outbox_messages only (not of
documents, so the full-text triggers are untouched).
"""
import sqlalchemy as sa
from alembic import op

revision = "0015_catalogue"
down_revision = "0014_report"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("outbox_messages", schema=None) as batch_op:
        batch_op.alter_column("document_id", existing_type=sa.Integer(), nullable=True)
    op.create_table(
        "catalogue_publications",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("base_change_id", sa.Integer(), nullable=False),
        sa.Column("item_count", sa.Integer(), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("published_by_id", sa.Integer(), nullable=True),
        sa.Column("outbox_message_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["published_by_id"], ["users.id"],
                                name=op.f("fk_catalogue_publications_published_by_id_users")),
        sa.ForeignKeyConstraint(["outbox_message_id"], ["outbox_messages.id"],
                                name=op.f("fk_catalogue_publications_outbox_message_id_outbox_messages")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_catalogue_publications")),
        sa.UniqueConstraint("version", name=op.f("uq_catalogue_publications_version")),
    )


def downgrade():
    op.drop_table("catalogue_publications")
    op.execute("DELETE FROM outbox_messages WHERE document_id IS NULL")
    with op.batch_alter_table("outbox_messages", schema=None) as batch_op:
        batch_op.alter_column("document_id", existing_type=sa.Integer(), nullable=False)
