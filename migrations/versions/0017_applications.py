"""applications: status back to the portal through the outbox, fees per applicant per month,
documents provided with a reply and their de-identification review (issue 9)

Revision ID: 0017_applications
Revises: 0016_publication

Written by hand.
- outbox_messages: document_id may be empty (an application's status message has none) and
  a new application_id; rebuilt on SQLite by batch_alter_table (outbox_messages has no
  full-text triggers; documents is not touched).
- applications.applicant_key: the applicant (name and identity number, normalised), for the
  109号文 per-item tiers counted per applicant per natural month; filled for existing rows.
- application_provided and application_deid_findings: the documents a reply provides, their
  public copy, and the review of personal data in those without one.
"""
import hashlib
import re
import unicodedata

import sqlalchemy as sa
from alembic import op

revision = "0017_applications"
down_revision = "0016_publication"
branch_labels = None
depends_on = None


def _utc():
    return sa.DateTime(timezone=True)


def _key(name: str, number: str) -> str:
    # the same as webapp.services.applications.applicant_key (copied: a migration is frozen)
    def clean(t):
        return re.sub(r"\s+", "", unicodedata.normalize("NFKC", t or "").strip())
    return hashlib.sha256(f"{clean(name).lower()}|{clean(number).upper()}".encode()).hexdigest()


def upgrade():
    with op.batch_alter_table("outbox_messages", schema=None) as batch_op:
        batch_op.alter_column("document_id", existing_type=sa.Integer(), nullable=True)
        batch_op.add_column(sa.Column("application_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(op.f("fk_outbox_messages_application_id_applications"), "applications",
                                    ["application_id"], ["id"])
        batch_op.create_index("ix_outbox_messages_application", ["application_id", "id"], unique=False)

    op.add_column("applications", sa.Column("applicant_key", sa.String(64), nullable=False, server_default=""))
    op.create_index("ix_applications_applicant_month", "applications", ["applicant_key", "received_on", "id"])
    apps = sa.table("applications", sa.column("id", sa.Integer), sa.column("applicant_name", sa.String),
                    sa.column("id_doc_number", sa.String), sa.column("applicant_key", sa.String))
    conn = op.get_bind()
    for row in conn.execute(sa.select(apps.c.id, apps.c.applicant_name, apps.c.id_doc_number)).all():
        conn.execute(apps.update().where(apps.c.id == row.id)
                     .values(applicant_key=_key(row.applicant_name, row.id_doc_number)))

    op.create_table(
        "application_provided",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("application_id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=10), nullable=False),
        sa.Column("public_file_id", sa.Integer(), nullable=True),
        sa.Column("confirmed_by_id", sa.Integer(), nullable=True),
        sa.Column("confirmed_at", _utc(), nullable=True),
        sa.Column("added_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", _utc(), nullable=False),
        sa.ForeignKeyConstraint(["application_id"], ["applications.id"],
                                name=op.f("fk_application_provided_application_id_applications")),
        sa.ForeignKeyConstraint(["document_id"], ["documents.id"],
                                name=op.f("fk_application_provided_document_id_documents")),
        sa.ForeignKeyConstraint(["public_file_id"], ["application_files.id"],
                                name=op.f("fk_application_provided_public_file_id_application_files")),
        sa.ForeignKeyConstraint(["confirmed_by_id"], ["users.id"],
                                name=op.f("fk_application_provided_confirmed_by_id_users")),
        sa.ForeignKeyConstraint(["added_by_id"], ["users.id"], name=op.f("fk_application_provided_added_by_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_application_provided")),
        sa.UniqueConstraint("application_id", "document_id", name="uq_application_provided_document"),
    )
    op.create_table(
        "application_deid_findings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("provided_id", sa.Integer(), nullable=False),
        sa.Column("field", sa.String(length=40), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("start", sa.Integer(), nullable=False),
        sa.Column("end", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("decision", sa.String(length=10), nullable=True),
        sa.Column("keep_reason", sa.Text(), nullable=False),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.Column("decided_at", _utc(), nullable=True),
        sa.ForeignKeyConstraint(["provided_id"], ["application_provided.id"],
                                name=op.f("fk_application_deid_findings_provided_id_application_provided")),
        sa.ForeignKeyConstraint(["decided_by_id"], ["users.id"],
                                name=op.f("fk_application_deid_findings_decided_by_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_application_deid_findings")),
    )
    op.create_index("ix_application_deid_findings_provided", "application_deid_findings", ["provided_id", "id"])


def downgrade():
    op.drop_index("ix_application_deid_findings_provided", table_name="application_deid_findings")
    op.drop_table("application_deid_findings")
    op.drop_table("application_provided")
    op.drop_index("ix_applications_applicant_month", table_name="applications")
    op.drop_column("applications", "applicant_key")
    op.execute("DELETE FROM outbox_messages WHERE document_id IS NULL")
    with op.batch_alter_table("outbox_messages", schema=None) as batch_op:
        batch_op.drop_index("ix_outbox_messages_application")
        batch_op.drop_constraint(op.f("fk_outbox_messages_application_id_applications"), type_="foreignkey")
        batch_op.drop_column("application_id")
        batch_op.alter_column("document_id", existing_type=sa.Integer(), nullable=False)
