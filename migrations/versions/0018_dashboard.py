"""dashboard: reminders (read/unread, one per recipient and deadline crossing), users' e-mail
addresses, and e-mail messages in the outbox (issue 12)

Revision ID: 0018_dashboard
Revises: 0017_applications

Written by hand.  The documents table is not touched (its full-text triggers stay).
outbox_messages.document_id becomes nullable — an e-mail is about no one document — with a
batch rebuild of outbox_messages on SQLite (that table has no triggers).
"""
import sqlalchemy as sa
from alembic import op


revision = "0018_dashboard"
down_revision = "0017_applications"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column("users", sa.Column("email", sa.String(254), nullable=False, server_default=""))
    with op.batch_alter_table("outbox_messages", schema=None) as batch_op:
        batch_op.alter_column("document_id", existing_type=sa.Integer(), nullable=True)
    op.create_table(
        "reminders",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("crossing", sa.String(120), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("phase", sa.String(10), nullable=False),
        sa.Column("subject_id", sa.Integer(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("title", sa.String(300), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("link", sa.String(300), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("read_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("email_message_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_reminders_user_id_users"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reminders")),
        sa.UniqueConstraint("user_id", "crossing", name="uq_reminders_user_crossing"),
    )
    op.create_index("ix_reminders_user_read", "reminders", ["user_id", "read_at", "id"])
    # the dashboard's aggregates from indexes alone (CREATE INDEX: no rebuild, the triggers stay)
    op.create_index("ix_documents_dashboard", "documents", ["id", "department_id", "print_date", "stage"])
    op.create_index("ix_documents_validity_end", "documents", ["is_normative", "validity", "effective_to"])
    op.create_index("ix_publications_first_published", "publications", ["first_published_at", "document_id"])


def downgrade():
    op.drop_index("ix_publications_first_published", table_name="publications")
    op.drop_index("ix_documents_validity_end", table_name="documents")
    op.drop_index("ix_documents_dashboard", table_name="documents")
    op.drop_index("ix_reminders_user_read", table_name="reminders")
    op.drop_table("reminders")
    op.execute("DELETE FROM outbox_messages WHERE document_id IS NULL")
    with op.batch_alter_table("outbox_messages", schema=None) as batch_op:
        batch_op.alter_column("document_id", existing_type=sa.Integer(), nullable=False)
    op.drop_column("users", "email")
