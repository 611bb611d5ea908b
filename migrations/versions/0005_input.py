"""document search: search_text (title, 文号, body text) and the updated_at index

Revision ID: 0005_input
Revises: 0004
"""
import sqlalchemy as sa
from alembic import op

from webapp.fulltext import document_search_text

revision = "0005_input"
down_revision = "0004"
branch_labels = None
depends_on = None

BATCH = 500


def upgrade():
    with op.batch_alter_table("documents", schema=None) as batch_op:
        batch_op.add_column(sa.Column("search_text", sa.Text(), nullable=False, server_default=""))
    op.create_index("ix_documents_updated", "documents", ["updated_at", "id"])

    # Fill search_text for the documents already there, a batch at a time.
    conn = op.get_bind()
    documents = sa.table("documents", sa.column("id", sa.Integer), sa.column("title", sa.String),
                         sa.column("doc_number", sa.String), sa.column("body_html", sa.Text),
                         sa.column("search_text", sa.Text))
    last = 0
    while True:
        rows = conn.execute(
            sa.select(documents.c.id, documents.c.title, documents.c.doc_number, documents.c.body_html)
            .where(documents.c.id > last).order_by(documents.c.id).limit(BATCH)
        ).all()
        if not rows:
            break
        conn.execute(
            documents.update().where(documents.c.id == sa.bindparam("doc_id")).values(search_text=sa.bindparam("text")),
            [{"doc_id": r.id, "text": document_search_text(r.title, r.doc_number, r.body_html)} for r in rows],
        )
        last = rows[-1].id


def downgrade():
    op.drop_index("ix_documents_updated", table_name="documents")
    with op.batch_alter_table("documents", schema=None) as batch_op:
        batch_op.drop_column("search_text")
