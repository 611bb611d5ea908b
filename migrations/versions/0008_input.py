"""document search: search_text (title, 文号, body text) and its trigram index

Revision ID: 0008_input
Revises: 0007_upload
"""
import logging

import sqlalchemy as sa
from alembic import op

from webapp import fulltext

revision = "0008_input"
down_revision = "0007_upload"
branch_labels = None
depends_on = None

BATCH = 500
log = logging.getLogger("alembic.runtime.migration")


def upgrade():
    with op.batch_alter_table("documents", schema=None) as batch_op:
        batch_op.add_column(sa.Column("search_text", sa.Text(), nullable=False, server_default=""))

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
            [{"doc_id": r.id, "text": fulltext.document_search_text(r.title, r.doc_number, r.body_html)} for r in rows],
        )
        last = rows[-1].id

    # The trigram index, made once the texts are in (faster than row by row).
    if conn.dialect.name == "sqlite":
        for statement in fulltext.SQLITE_INDEX_SQL:
            op.execute(statement)
        op.execute(fulltext.SQLITE_REBUILD_SQL)
    elif conn.dialect.name == "postgresql":
        try:
            with conn.begin_nested():
                op.execute(fulltext.POSTGRESQL_EXTENSION_SQL)
        except sa.exc.DBAPIError:
            log.warning("pg_trgm 扩展无法创建（需 postgresql-contrib 与建库者权限）：文件查询将逐条扫描，结果不变，只是更慢。")
        else:
            op.execute(fulltext.POSTGRESQL_INDEX_SQL)


def downgrade():
    conn = op.get_bind()
    if conn.dialect.name == "sqlite":
        for statement in fulltext.SQLITE_DROP_SQL:
            op.execute(statement)
    elif conn.dialect.name == "postgresql":
        op.execute(f"DROP INDEX IF EXISTS {fulltext.POSTGRESQL_INDEX}")
    with op.batch_alter_table("documents", schema=None) as batch_op:
        batch_op.drop_column("search_text")
