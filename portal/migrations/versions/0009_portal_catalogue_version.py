"""portal: the catalogue's version, raised at the commit of every change to what the list shows (issue 8)

Revision ID: 0009_portal_catalogue_version
Revises: 0008_portal_rendered

Hand-written.  A one-row table `catalogue_version`; triggers on `items` and `publishers` (the
list's rows and its 发布机构 filter) raise it in the writing transaction.

- PostgreSQL: a DEFERRABLE INITIALLY DEFERRED constraint trigger, so the UPDATE of the one row
  runs when the transaction commits, after every other write: the row lock is taken last and held
  only through the commit (a push does not queue on it from its first write), and no lock is
  taken after it, so it adds no deadlock.  A transaction-local setting makes the first firing the
  only UPDATE of the transaction.  TRUNCATE (tests, maintenance) raises it too.
- SQLite: plain AFTER triggers (writers are serialised anyway).
"""
from alembic import op
import sqlalchemy as sa


revision = "0009_portal_catalogue_version"
down_revision = "0008_portal_rendered"
branch_labels = None
depends_on = None

TABLES = ("items", "publishers")

PG_FUNCTION = """
CREATE FUNCTION portal_bump_catalogue_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF current_setting('portal.catalogue_bumped', true) = 'yes' THEN
        RETURN NULL;
    END IF;
    PERFORM set_config('portal.catalogue_bumped', 'yes', true);
    UPDATE catalogue_version SET version = version + 1 WHERE id = 1;
    RETURN NULL;
END $$
"""


def upgrade():
    op.create_table(
        "catalogue_version",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.CheckConstraint("id = 1", name="ck_catalogue_version_one_row"),
    )
    op.execute("INSERT INTO catalogue_version (id, version) VALUES (1, 1)")
    if op.get_bind().dialect.name == "postgresql":
        op.execute(PG_FUNCTION)
        for table in TABLES:
            op.execute(f"CREATE CONSTRAINT TRIGGER {table}_catalogue_version AFTER INSERT OR UPDATE OR DELETE "
                       f"ON {table} DEFERRABLE INITIALLY DEFERRED FOR EACH ROW "
                       f"EXECUTE FUNCTION portal_bump_catalogue_version()")
            op.execute(f"CREATE TRIGGER {table}_catalogue_version_truncate AFTER TRUNCATE ON {table} "
                       f"FOR EACH STATEMENT EXECUTE FUNCTION portal_bump_catalogue_version()")
    else:
        for table in TABLES:
            for action in ("INSERT", "UPDATE", "DELETE"):
                op.execute(f"CREATE TRIGGER {table}_catalogue_version_{action.lower()} AFTER {action} ON {table} "
                           f"BEGIN UPDATE catalogue_version SET version = version + 1 WHERE id = 1; END")


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        for table in TABLES:
            op.execute(f"DROP TRIGGER {table}_catalogue_version ON {table}")
            op.execute(f"DROP TRIGGER {table}_catalogue_version_truncate ON {table}")
        op.execute("DROP FUNCTION portal_bump_catalogue_version()")
    else:
        for table in TABLES:
            for action in ("insert", "update", "delete"):
                op.execute(f"DROP TRIGGER {table}_catalogue_version_{action}")
    op.drop_table("catalogue_version")
