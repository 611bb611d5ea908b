"""approval as an office works it: 核稿 per department, 会签 departments, urgency,
签发人, 印发份数, personal opinion phrases

Revision ID: 0007_approval
Revises: 0005_auth

Hand-written.  Additive only: new columns carry server defaults so existing rows read
as before (no 核稿, 普通, no 会签, nothing signed by name).
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0007_approval"
down_revision = "0005_auth"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("departments", schema=None) as batch_op:
        batch_op.add_column(sa.Column("requires_dept_check", sa.Boolean(), nullable=False,
                                      server_default=sa.false()))

    with op.batch_alter_table("documents", schema=None) as batch_op:
        batch_op.add_column(sa.Column("urgency", sa.Integer(), nullable=False, server_default="0"))
        batch_op.add_column(sa.Column("submission_round", sa.Integer(), nullable=False, server_default="0"))
        batch_op.add_column(sa.Column("signed_by_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("signed_by_name", sa.String(length=50), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("print_copies", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f("fk_documents_signed_by_id_users"), "users", ["signed_by_id"], ["id"])
    # a queue sorted by urgency: 特急, 加急, then oldest waiting first
    op.create_index("ix_documents_queue_urgent", "documents",
                    ["stage", sa.text("urgency DESC"), "stage_entered_at", "id"], unique=False)

    op.create_table(
        "countersigns",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("department_id", sa.Integer(), nullable=False),
        sa.Column("added_by_id", sa.Integer(), nullable=True),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("agreed_round", sa.Integer(), nullable=True),
        sa.Column("agreed_by_id", sa.Integer(), nullable=True),
        sa.Column("agreed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("opinion", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["added_by_id"], ["users.id"], name=op.f("fk_countersigns_added_by_id_users")),
        sa.ForeignKeyConstraint(["agreed_by_id"], ["users.id"], name=op.f("fk_countersigns_agreed_by_id_users")),
        sa.ForeignKeyConstraint(["department_id"], ["departments.id"],
                                name=op.f("fk_countersigns_department_id_departments")),
        sa.ForeignKeyConstraint(["document_id"], ["documents.id"], ondelete="CASCADE",
                                name=op.f("fk_countersigns_document_id_documents")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_countersigns")),
        sa.UniqueConstraint("document_id", "department_id", name="uq_countersigns_document_department"),
    )
    with op.batch_alter_table("countersigns", schema=None) as batch_op:
        batch_op.create_index("ix_countersigns_department", ["department_id", "document_id"], unique=False)
    # only the rows still waiting for their department: a head's 会签 queue
    op.create_index("ix_countersigns_pending", "countersigns", ["department_id", "document_id"], unique=False,
                    sqlite_where=sa.text("agreed_at IS NULL"), postgresql_where=sa.text("agreed_at IS NULL"))

    op.create_table(
        "opinion_phrases",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], ondelete="CASCADE",
                                name=op.f("fk_opinion_phrases_user_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_opinion_phrases")),
        sa.UniqueConstraint("user_id", "text", name="uq_opinion_phrases_user_text"),
    )


def downgrade():
    op.drop_table("opinion_phrases")
    op.drop_index("ix_countersigns_pending", table_name="countersigns")
    with op.batch_alter_table("countersigns", schema=None) as batch_op:
        batch_op.drop_index("ix_countersigns_department")
    op.drop_table("countersigns")

    op.drop_index("ix_documents_queue_urgent", table_name="documents")
    with op.batch_alter_table("documents", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_documents_signed_by_id_users"), type_="foreignkey")
        batch_op.drop_column("print_copies")
        batch_op.drop_column("signed_by_name")
        batch_op.drop_column("signed_by_id")
        batch_op.drop_column("submission_round")
        batch_op.drop_column("urgency")

    with op.batch_alter_table("departments", schema=None) as batch_op:
        batch_op.drop_column("requires_dept_check")
