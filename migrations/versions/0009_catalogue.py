"""catalogue: the standard catalogue of disclosure items (标准目录), its versions, pending
spreadsheet imports, the 目录事项 of each document, its publication on other channels

Revision ID: 0009_catalogue
Revises: 0008_input

Written by hand.  The data step adds the first-level items seeds 000 and 003 name for the
安全生产 and 救灾 fields (webapp/catalogue.SEED_FIRST_LEVEL), each with its first version row;
second-level items are the agency's own and are not invented here.
"""
import json
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision = "0009_catalogue"
down_revision = "0008_input"
branch_labels = None
depends_on = None

SEED_FIRST_LEVEL = {
    "安全生产": ("政策文件", "依法行政", "行政管理", "公共服务", "重点领域信息公开"),
    "救灾": ("政策文件", "备灾管理", "灾后救助", "款物管理", "工作动态"),
}
ELEMENTS = ("content", "basis", "time_limit", "subject", "channels", "audience", "mode", "level")


def _utc():
    return sa.DateTime(timezone=True)


def upgrade():
    op.create_table(
        "catalogue_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("parent_id", sa.Integer(), nullable=True),
        sa.Column("domain", sa.String(length=30), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("basis", sa.Text(), nullable=False),
        sa.Column("time_limit", sa.String(length=100), nullable=False),
        sa.Column("subject", sa.String(length=200), nullable=False),
        sa.Column("channels", sa.String(length=300), nullable=False),
        sa.Column("audience", sa.String(length=20), nullable=False),
        sa.Column("mode", sa.String(length=20), nullable=False),
        sa.Column("level", sa.String(length=20), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("updated_at", _utc(), nullable=False),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["parent_id"], ["catalogue_items.id"], name=op.f("fk_catalogue_items_parent_id_catalogue_items")),
        sa.ForeignKeyConstraint(["updated_by_id"], ["users.id"], name=op.f("fk_catalogue_items_updated_by_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_catalogue_items")),
        sa.UniqueConstraint("domain", "parent_id", "name", name="uq_catalogue_items_place"),
    )
    with op.batch_alter_table("catalogue_items", schema=None) as batch_op:
        batch_op.create_index("ix_catalogue_items_parent", ["parent_id", "position"], unique=False)
    op.create_table(
        "catalogue_changes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("how", sa.String(length=10), nullable=False),
        sa.Column("before_json", sa.Text(), nullable=False),
        sa.Column("after_json", sa.Text(), nullable=False),
        sa.Column("changed_at", _utc(), nullable=False),
        sa.Column("changed_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["changed_by_id"], ["users.id"], name=op.f("fk_catalogue_changes_changed_by_id_users")),
        sa.ForeignKeyConstraint(["item_id"], ["catalogue_items.id"], name=op.f("fk_catalogue_changes_item_id_catalogue_items")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_catalogue_changes")),
    )
    with op.batch_alter_table("catalogue_changes", schema=None) as batch_op:
        batch_op.create_index("ix_catalogue_changes_item", ["item_id", "version"], unique=False)
    op.create_table(
        "catalogue_imports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("filename", sa.String(length=200), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.Column("base_change_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("created_at", _utc(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("applied_at", _utc(), nullable=True),
        sa.ForeignKeyConstraint(["created_by_id"], ["users.id"], name=op.f("fk_catalogue_imports_created_by_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_catalogue_imports")),
    )
    op.create_table(
        "channel_records",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("channel", sa.String(length=20), nullable=False),
        sa.Column("place", sa.String(length=200), nullable=False),
        sa.Column("account", sa.String(length=100), nullable=False),
        sa.Column("link", sa.String(length=500), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=True),
        sa.Column("note", sa.String(length=500), nullable=False),
        sa.Column("recorded_at", _utc(), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["document_id"], ["documents.id"], name=op.f("fk_channel_records_document_id_documents")),
        sa.ForeignKeyConstraint(["recorded_by_id"], ["users.id"], name=op.f("fk_channel_records_recorded_by_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_channel_records")),
    )
    with op.batch_alter_table("channel_records", schema=None) as batch_op:
        batch_op.create_index("ix_channel_records_document", ["document_id", "id"], unique=False)
    with op.batch_alter_table("documents", schema=None) as batch_op:
        batch_op.add_column(sa.Column("catalogue_item_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("catalogue_item_version", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("catalogue_mismatch_reason", sa.Text(), server_default="", nullable=False))
        batch_op.add_column(sa.Column("catalogue_mismatch_by_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("catalogue_mismatch_at", _utc(), nullable=True))
        batch_op.create_foreign_key(batch_op.f("fk_documents_catalogue_item_id_catalogue_items"),
                                    "catalogue_items", ["catalogue_item_id"], ["id"])
        batch_op.create_foreign_key(batch_op.f("fk_documents_catalogue_mismatch_by_id_users"),
                                    "users", ["catalogue_mismatch_by_id"], ["id"])
    _restore_search_triggers()

    bind = op.get_bind()
    items = sa.table("catalogue_items", *(sa.column(n) for n in (
        "id", "parent_id", "domain", "name", "position", *ELEMENTS, "active", "version", "updated_at")))
    changes = sa.table("catalogue_changes", *(sa.column(n) for n in (
        "item_id", "version", "how", "before_json", "after_json", "changed_at")))
    now = datetime.now(UTC)
    for domain, names in SEED_FIRST_LEVEL.items():
        for pos, name in enumerate(names, start=1):
            empty = dict.fromkeys(ELEMENTS, "")
            bind.execute(items.insert().values(parent_id=None, domain=domain, name=name, position=pos,
                                               active=True, version=1, updated_at=now, **empty))
            item_id = bind.execute(sa.select(items.c.id).where(
                items.c.domain == domain, items.c.name == name, items.c.parent_id.is_(None))).scalar_one()
            after = {"domain": domain, "name": name, "parent": None, "active": True, **empty}
            bind.execute(changes.insert().values(item_id=item_id, version=1, how="create", before_json="{}",
                                                 after_json=json.dumps(after, ensure_ascii=False), changed_at=now))


def _restore_search_triggers():
    """On SQLite a batch alteration rebuilds `documents` (copy, drop, rename), and the
    triggers that keep the full-text index current (0008_input) go with the old table:
    put them back and rebuild the index, or search stops following edits."""
    if op.get_bind().dialect.name != "sqlite":
        return
    from webapp import fulltext

    for statement in fulltext.SQLITE_INDEX_SQL:
        op.execute(statement)
    op.execute(fulltext.SQLITE_REBUILD_SQL)


def downgrade():
    with op.batch_alter_table("documents", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_documents_catalogue_mismatch_by_id_users"), type_="foreignkey")
        batch_op.drop_constraint(batch_op.f("fk_documents_catalogue_item_id_catalogue_items"), type_="foreignkey")
        batch_op.drop_column("catalogue_mismatch_at")
        batch_op.drop_column("catalogue_mismatch_by_id")
        batch_op.drop_column("catalogue_mismatch_reason")
        batch_op.drop_column("catalogue_item_version")
        batch_op.drop_column("catalogue_item_id")
    _restore_search_triggers()
    with op.batch_alter_table("channel_records", schema=None) as batch_op:
        batch_op.drop_index("ix_channel_records_document")
    op.drop_table("channel_records")
    op.drop_table("catalogue_imports")
    with op.batch_alter_table("catalogue_changes", schema=None) as batch_op:
        batch_op.drop_index("ix_catalogue_changes_item")
    op.drop_table("catalogue_changes")
    with op.batch_alter_table("catalogue_items", schema=None) as batch_op:
        batch_op.drop_index("ix_catalogue_items_parent")
    op.drop_table("catalogue_items")
