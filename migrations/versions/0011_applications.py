"""applications: citizens' disclosure applications (依申请公开, issue 9), their append-only
events and their letters

Revision ID: 0011_applications
Revises: 0010_transfers

Written by hand.  On PostgreSQL the database itself refuses to change or delete an
application's events (the same trigger as the audit log's).
"""
import sqlalchemy as sa
from alembic import op

revision = "0011_applications"
down_revision = "0010_transfers"
branch_labels = None
depends_on = None


def _utc():
    return sa.DateTime(timezone=True)


EVENTS_APPEND_ONLY = (
    "CREATE OR REPLACE FUNCTION application_events_append_only() RETURNS trigger AS $$ "
    "BEGIN RAISE EXCEPTION 'application_events is append-only'; END; $$ LANGUAGE plpgsql",
    "CREATE TRIGGER application_events_no_change BEFORE UPDATE OR DELETE ON application_events "
    "FOR EACH ROW EXECUTE FUNCTION application_events_append_only()",
)


def upgrade():
    op.create_table(
        "applications",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("channel", sa.String(length=20), nullable=False),
        sa.Column("received_on", sa.Date(), nullable=False),
        sa.Column("applicant_type", sa.String(length=20), nullable=False),
        sa.Column("applicant_name", sa.String(length=100), nullable=False),
        sa.Column("id_doc_type", sa.String(length=30), nullable=False),
        sa.Column("id_doc_number", sa.String(length=50), nullable=False),
        sa.Column("contact_phone", sa.String(length=30), nullable=False),
        sa.Column("contact_address", sa.String(length=200), nullable=False),
        sa.Column("contact_email", sa.String(length=100), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("form_wanted", sa.String(length=20), nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("duplicate_of_id", sa.Integer(), nullable=True),
        sa.Column("stage", sa.String(length=20), nullable=False),
        sa.Column("department_id", sa.Integer(), nullable=True),
        sa.Column("handler_id", sa.Integer(), nullable=True),
        sa.Column("registered_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", _utc(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column("corrections_requested", sa.Integer(), nullable=False),
        sa.Column("correction_until", sa.Date(), nullable=True),
        sa.Column("extension_requested", sa.Boolean(), nullable=False),
        sa.Column("extension_days", sa.Integer(), nullable=False),
        sa.Column("fee_pay_by", sa.Date(), nullable=True),
        sa.Column("fee_amount", sa.Integer(), nullable=False),
        sa.Column("search_notes", sa.Text(), nullable=False),
        sa.Column("outcome", sa.String(length=30), nullable=True),
        sa.Column("reply_text", sa.Text(), nullable=False),
        sa.Column("replied_on", sa.Date(), nullable=True),
        sa.Column("portal_ref", sa.String(length=40), nullable=True),
        sa.Column("portal_pushed_version", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["department_id"], ["departments.id"], name=op.f("fk_applications_department_id_departments")),
        sa.ForeignKeyConstraint(["duplicate_of_id"], ["applications.id"], name=op.f("fk_applications_duplicate_of_id_applications")),
        sa.ForeignKeyConstraint(["handler_id"], ["users.id"], name=op.f("fk_applications_handler_id_users")),
        sa.ForeignKeyConstraint(["registered_by_id"], ["users.id"], name=op.f("fk_applications_registered_by_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_applications")),
        sa.UniqueConstraint("portal_ref", name=op.f("uq_applications_portal_ref")),
    )
    with op.batch_alter_table("applications", schema=None) as batch_op:
        batch_op.create_index("ix_applications_queue", ["due_on", "id"], unique=False)
        batch_op.create_index("ix_applications_department", ["department_id", "due_on", "id"], unique=False)
        batch_op.create_index("ix_applications_fingerprint", ["fingerprint"], unique=False)
    op.create_table(
        "application_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("application_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("days", sa.Integer(), nullable=False),
        sa.Column("party", sa.String(length=20), nullable=False),
        sa.Column("until", sa.Date(), nullable=True),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("details_json", sa.Text(), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("actor_name", sa.String(length=50), nullable=False),
        sa.Column("created_at", _utc(), nullable=False),
        sa.ForeignKeyConstraint(["actor_id"], ["users.id"], name=op.f("fk_application_events_actor_id_users")),
        sa.ForeignKeyConstraint(["application_id"], ["applications.id"], name=op.f("fk_application_events_application_id_applications")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_application_events")),
    )
    with op.batch_alter_table("application_events", schema=None) as batch_op:
        batch_op.create_index("ix_application_events_application", ["application_id", "id"], unique=False)
    op.create_table(
        "application_files",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("application_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("filename", sa.String(length=200), nullable=False),
        sa.Column("content_type", sa.String(length=100), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", _utc(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["application_id"], ["applications.id"], name=op.f("fk_application_files_application_id_applications")),
        sa.ForeignKeyConstraint(["created_by_id"], ["users.id"], name=op.f("fk_application_files_created_by_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_application_files")),
    )
    with op.batch_alter_table("application_files", schema=None) as batch_op:
        batch_op.create_index("ix_application_files_application", ["application_id", "kind"], unique=False)
    if op.get_bind().dialect.name == "postgresql":
        for statement in EVENTS_APPEND_ONLY:
            op.execute(statement)


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS application_events_no_change ON application_events")
        op.execute("DROP FUNCTION IF EXISTS application_events_append_only()")
    with op.batch_alter_table("application_files", schema=None) as batch_op:
        batch_op.drop_index("ix_application_files_application")
    op.drop_table("application_files")
    with op.batch_alter_table("application_events", schema=None) as batch_op:
        batch_op.drop_index("ix_application_events_application")
    op.drop_table("application_events")
    with op.batch_alter_table("applications", schema=None) as batch_op:
        batch_op.drop_index("ix_applications_fingerprint")
        batch_op.drop_index("ix_applications_department")
        batch_op.drop_index("ix_applications_queue")
    op.drop_table("applications")
