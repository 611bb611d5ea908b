"""dashcache: data versions for the dashboard's cache of figures (issue 12)

Revision ID: 0024_dashcache
Revises: 0023_intraperf

Written by hand.  A table `data_versions` (name, version) with one row per table the dashboard's
figures read, and triggers on those tables bumping their row in the same transaction as every
change (webapp/data_versions.py explains the SQLite and PostgreSQL triggers: on PostgreSQL the bump
is a DEFERRABLE INITIALLY DEFERRED constraint trigger, so it happens at COMMIT).  The tables'
list is written out here, frozen: a later change to the list is a migration of its own.  Existing
rows are not touched; the version rows start at random values.
"""
import sqlalchemy as sa
from alembic import op

from webapp import data_versions

revision = "0024_dashcache"
down_revision = "0023_intraperf"
branch_labels = None
depends_on = None

TABLES = ("annual_reports", "applications", "catalogue_changes", "catalogue_items", "departments", "documents",
          "holiday_overrides", "holiday_years", "publications", "transfer_batches", "transfer_destinations",
          "transfer_items")


def upgrade():
    op.create_table("data_versions",
                    sa.Column("name", sa.String(length=64), nullable=False),
                    sa.Column("version", sa.BigInteger(), nullable=False),
                    sa.PrimaryKeyConstraint("name", name=op.f("pk_data_versions")))
    dialect = op.get_bind().dialect.name
    for statement in data_versions.create_statements(dialect, TABLES):
        op.execute(statement)
    op.execute(data_versions.seed_statement(dialect, TABLES))


def downgrade():
    for statement in data_versions.drop_statements(op.get_bind().dialect.name, TABLES):
        op.execute(statement)
    op.drop_table("data_versions")
