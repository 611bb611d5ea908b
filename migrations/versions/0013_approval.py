"""approval as an office works it: 核稿 per department, 会签 departments, urgency,
签发人, 印发份数, personal opinion phrases

Revision ID: 0013_approval
Revises: 0012_validity

Hand-written.  Additive only: new columns carry server defaults so existing rows read
as before (no 核稿, 普通, no 会签, nothing signed by name).  Plain ADD COLUMN on
`documents` (no batch rebuild on SQLite), so its full-text triggers stay; only the
downgrade rebuilds it (SQLite cannot drop a column with a foreign key) and restores them.
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0013_approval"
down_revision = "0012_validity"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column("departments", sa.Column("requires_dept_check", sa.Boolean(), nullable=False,
                                           server_default=sa.false()))

    op.add_column("documents", sa.Column("urgency", sa.Integer(), nullable=False, server_default="0"))
    op.add_column("documents", sa.Column("submission_round", sa.Integer(), nullable=False, server_default="0"))
    if op.get_bind().dialect.name == "sqlite":  # ADD COLUMN … REFERENCES: no rebuild of the table
        op.execute("ALTER TABLE documents ADD COLUMN signed_by_id INTEGER "
                   "CONSTRAINT fk_documents_signed_by_id_users REFERENCES users (id)")
    else:
        op.add_column("documents", sa.Column("signed_by_id", sa.Integer(), nullable=True))
        op.create_foreign_key("fk_documents_signed_by_id_users", "documents", "users", ["signed_by_id"], ["id"])
    op.add_column("documents", sa.Column("signed_by_name", sa.String(length=50), nullable=False, server_default=""))
    op.add_column("documents", sa.Column("print_copies", sa.Integer(), nullable=True))
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
    sqlite = op.get_bind().dialect.name == "sqlite"
    with op.batch_alter_table("documents", schema=None) as batch_op:
        if not sqlite:  # SQLite reflects the inline REFERENCES unnamed; the rebuild drops it with its column
            batch_op.drop_constraint("fk_documents_signed_by_id_users", type_="foreignkey")
        batch_op.drop_column("print_copies")
        batch_op.drop_column("signed_by_name")
        batch_op.drop_column("signed_by_id")
        batch_op.drop_column("submission_round")
        batch_op.drop_column("urgency")
    _restore_search_triggers()

    op.drop_column("departments", "requires_dept_check")


def _restore_search_triggers():
    """On SQLite a batch alteration rebuilds `documents` (copy, drop, rename), and the
    triggers that keep the full-text index current (0008_input) go with the old table:
    put them back and rebuild the index (as 0009_catalogue does)."""
    if op.get_bind().dialect.name != "sqlite":
        return
    from webapp import fulltext

    for statement in fulltext.SQLITE_INDEX_SQL:
        op.execute(statement)
    op.execute(fulltext.SQLITE_REBUILD_SQL)
