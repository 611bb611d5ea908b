"""publication: holiday overrides, agency settings, 索引号, publications, the outbox;
主题分类 moved to the State Council taxonomy

Revision ID: 0006_publication
Revises: 0005_auth

Written by hand.  The data step maps the old ad-hoc 主题分类 values to the two-level
State Council taxonomy (webapp/taxonomy.py) where one clearly corresponds; the others
(政策文件, 行政许可, 行政处罚 are kinds of document, not subjects) become empty, to be chosen
again by the drafter.  Downgrade maps the values back where it can.
"""
import sqlalchemy as sa
from alembic import op

revision = "0006_publication"
down_revision = "0005_auth"
branch_labels = None
depends_on = None

TOPIC_MAP = {
    "安全生产": "市场监管、安全生产监管/安全生产监管",
    "防灾减灾救灾": "民政、扶贫、救灾/减灾救灾",
    "应急救援": "综合政务/应急管理",
    "规划计划": "国民经济管理、国有资产监管/国民经济发展规划、计划",
    "财政资金": "财政、金融、审计/财政",
    "人事信息": "劳动、人事、监察/人事工作",
    "其他": "其他",
    "政策文件": "",
    "行政许可": "",
    "行政处罚": "",
}


def _utc():
    return sa.DateTime(timezone=True)


def upgrade():
    op.create_table(
        "holiday_overrides",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("working", sa.Boolean(), nullable=False),
        sa.Column("note", sa.String(length=100), nullable=False),
        sa.Column("updated_at", _utc(), nullable=False),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["updated_by_id"], ["users.id"], name=op.f("fk_holiday_overrides_updated_by_id_users")),
        sa.PrimaryKeyConstraint("day", name=op.f("pk_holiday_overrides")),
    )
    op.create_table(
        "holiday_years",
        sa.Column("year", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("confirmed_at", _utc(), nullable=False),
        sa.Column("confirmed_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["confirmed_by_id"], ["users.id"], name=op.f("fk_holiday_years_confirmed_by_id_users")),
        sa.PrimaryKeyConstraint("year", name=op.f("pk_holiday_years")),
    )
    op.create_table(
        "agency_settings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uscc", sa.String(length=18), nullable=False),
        sa.Column("publisher_name", sa.String(length=100), nullable=False),
        sa.Column("updated_at", _utc(), nullable=False),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["updated_by_id"], ["users.id"], name=op.f("fk_agency_settings_updated_by_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_agency_settings")),
    )
    op.create_table(
        "index_counters",
        sa.Column("agency_code", sa.String(length=18), nullable=False),
        sa.Column("year", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("last_seq", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("agency_code", "year", name=op.f("pk_index_counters")),
    )
    op.create_table(
        "publications",
        sa.Column("document_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("index_no", sa.String(length=40), nullable=False),
        sa.Column("agency_code", sa.String(length=18), nullable=False),
        sa.Column("index_year", sa.Integer(), nullable=False),
        sa.Column("index_seq", sa.Integer(), nullable=False),
        sa.Column("first_published_at", _utc(), nullable=False),
        sa.Column("published_at", _utc(), nullable=False),
        sa.Column("published_by_id", sa.Integer(), nullable=False),
        sa.Column("message_version", sa.Integer(), nullable=False),
        sa.Column("public_url", sa.String(length=500), nullable=False),
        sa.Column("interpretation_url", sa.String(length=500), nullable=False),
        sa.Column("pushed_at", _utc(), nullable=True),
        sa.Column("withdrawn_at", _utc(), nullable=True),
        sa.Column("withdrawn_by_id", sa.Integer(), nullable=True),
        sa.Column("withdraw_reason", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["document_id"], ["documents.id"], name=op.f("fk_publications_document_id_documents")),
        sa.ForeignKeyConstraint(["published_by_id"], ["users.id"], name=op.f("fk_publications_published_by_id_users")),
        sa.ForeignKeyConstraint(["withdrawn_by_id"], ["users.id"], name=op.f("fk_publications_withdrawn_by_id_users")),
        sa.PrimaryKeyConstraint("document_id", name=op.f("pk_publications")),
        sa.UniqueConstraint("agency_code", "index_year", "index_seq", name="uq_publications_serial"),
        sa.UniqueConstraint("index_no", name=op.f("uq_publications_index_no")),
    )
    op.create_table(
        "outbox_messages",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("index_no", sa.String(length=40), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("body", sa.LargeBinary(), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("batch", sa.String(length=32), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", _utc(), nullable=False),
        sa.Column("claimed_by", sa.String(length=64), nullable=True),
        sa.Column("claimed_until", _utc(), nullable=True),
        sa.Column("last_attempt_at", _utc(), nullable=True),
        sa.Column("last_status", sa.Integer(), nullable=True),
        sa.Column("last_answer", sa.Text(), nullable=False),
        sa.Column("sent_at", _utc(), nullable=True),
        sa.Column("created_at", _utc(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["created_by_id"], ["users.id"], name=op.f("fk_outbox_messages_created_by_id_users")),
        sa.ForeignKeyConstraint(["document_id"], ["documents.id"], name=op.f("fk_outbox_messages_document_id_documents")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outbox_messages")),
    )
    with op.batch_alter_table("outbox_messages", schema=None) as batch_op:
        batch_op.create_index("ix_outbox_messages_due", ["status", "next_attempt_at", "id"], unique=False)
        batch_op.create_index("ix_outbox_messages_document", ["document_id", "id"], unique=False)
        batch_op.create_index("ix_outbox_messages_batch", ["batch", "id"], unique=False)

    documents = sa.table("documents", sa.column("topic_category", sa.String))
    for old, new in TOPIC_MAP.items():
        op.execute(documents.update().where(documents.c.topic_category == old).values(topic_category=new))


def downgrade():
    documents = sa.table("documents", sa.column("topic_category", sa.String))
    for old, new in TOPIC_MAP.items():
        if new:
            op.execute(documents.update().where(documents.c.topic_category == new).values(topic_category=old))
    with op.batch_alter_table("outbox_messages", schema=None) as batch_op:
        batch_op.drop_index("ix_outbox_messages_batch")
        batch_op.drop_index("ix_outbox_messages_document")
        batch_op.drop_index("ix_outbox_messages_due")
    op.drop_table("outbox_messages")
    op.drop_table("publications")
    op.drop_table("index_counters")
    op.drop_table("agency_settings")
    op.drop_table("holiday_years")
    op.drop_table("holiday_overrides")
