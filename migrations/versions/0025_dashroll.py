"""dashroll: the dashboard's rollup counts, kept by triggers in the writing transaction (issue 12)

Revision ID: 0025_dashroll
Revises: 0024_dashcache

Written by hand.  A table `dashboard_rollup` of delta rows (figure, key_id, key_text, day, flag,
n) and triggers on documents, publications, applications, transfer_items and transfer_batches
inserting +1/-1 per key in the writing statement (webapp/dashboard_rollup.py explains the figures,
the agency days and why deltas), then one merged row per key counted from the existing rows — in
this one transaction, after the triggers: on PostgreSQL creating a trigger locks its table against
writers until the migration commits, so no write falls between the triggers and the count.
"""
import sqlalchemy as sa
from alembic import op

from webapp import dashboard_rollup

revision = "0025_dashroll"
down_revision = "0024_dashcache"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table("dashboard_rollup",
                    sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
                    sa.Column("figure", sa.String(length=8), nullable=False),
                    sa.Column("key_id", sa.Integer(), nullable=True),
                    sa.Column("key_text", sa.String(length=20), nullable=True),
                    sa.Column("day", sa.Date(), nullable=True),
                    sa.Column("flag", sa.Integer(), nullable=False),
                    sa.Column("n", sa.Integer(), nullable=False),
                    sa.Column("merged", sa.Boolean(), server_default=sa.false(), nullable=False),
                    sa.PrimaryKeyConstraint("id", name=op.f("pk_dashboard_rollup")))
    op.create_index("ix_dashboard_rollup_figure", "dashboard_rollup",
                    ["figure", "day", "key_id", "key_text", "flag", "n"], unique=False)
    op.create_index("ix_dashboard_rollup_unmerged", "dashboard_rollup", ["id"], unique=False,
                    sqlite_where=sa.text("NOT merged"), postgresql_where=sa.text("NOT merged"))
    dialect = op.get_bind().dialect.name
    # Triggers first, then the counts, in this one transaction (PostgreSQL: the triggers' DDL locks
    # the tables, so no write falls between them; SQLite: one writer).
    for statement in dashboard_rollup.create_statements(dialect):
        op.execute(statement)
    op.execute(dashboard_rollup.backfill_statement(dialect))


def downgrade():
    for statement in dashboard_rollup.drop_statements(op.get_bind().dialect.name):
        op.execute(statement)
    op.drop_index("ix_dashboard_rollup_unmerged", table_name="dashboard_rollup")
    op.drop_index("ix_dashboard_rollup_figure", table_name="dashboard_rollup")
    op.drop_table("dashboard_rollup")
