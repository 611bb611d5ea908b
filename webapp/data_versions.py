"""Data versions: one row per watched table (`data_versions`: name, version), changed by triggers in
the same transaction as every INSERT, UPDATE, DELETE (and, on PostgreSQL, TRUNCATE) of that table.

What it is for: a figure computed from watched tables can be kept under the versions read *before*
it was computed (services/dashboard's cache).  The versions change exactly when a watched table's
committed content may have changed, and they become visible in the same commit as the change.

How the triggers bump:
- SQLite (one writer at a time, so no lock order to worry about): a row trigger per table and event
  inserts the table's row if missing and adds 1.
- PostgreSQL: bumping at the moment of the write would hold the version row's lock from the first
  write to the commit, making every writer of a table wait for every other one and adding deadlocks
  between transactions that write the same tables in different orders.  So a statement-level AFTER
  trigger (immediate, cheap, no lock) only notes the table in a transaction-local setting
  (`data_versions.dirty`), and a row-level constraint trigger DEFERRABLE INITIALLY DEFERRED — it runs
  at COMMIT, after all the transaction's own work — bumps every noted table in one statement, in the
  order of their names.  The version rows are then the last locks a transaction takes and it holds
  them only through its commit; two committing transactions take them in the same order, so they
  can wait for each other briefly but never deadlock.  The first deferred firing does the bump and
  empties the note; the transaction's other deferred firings (one per row written) return at once.
  A TRUNCATE (no row triggers) bumps at once from a statement-level trigger.
- A missing row (a fresh schema, or after `data_versions` itself was emptied, as the tests' wipe
  does) is created with a random start between 0 and 10^12, never 0: versions read after such a
  reset cannot repeat a key read before it (chance about 10^-12 per table).

Pure: SQLAlchemy text only, no Flask, no models.  Used by the models' create events (tests, benches:
create_all) and by migration 0024_dashcache (with its own frozen list of tables).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

TABLE = "data_versions"
# Every table a dashboard figure reads (services/dashboard: timeliness, stages_by_age,
# applications_due, transfers_pending, report_panel -> annual_report.report_status, and
# deadlines.fill_late_from with its calendar and 目录事项 terms).
WATCHED: tuple[str, ...] = (
    "annual_reports",
    "applications",
    "catalogue_changes",
    "catalogue_items",
    "departments",
    "documents",
    "holiday_overrides",
    "holiday_years",
    "publications",
    "transfer_batches",
    "transfer_destinations",
    "transfer_items",
)
# Tables whose UPDATEs bump their version only when one of these columns is set: the columns the
# figures read (id and keys included).  A drafter's autosave (title, body) or a reply's text is an
# UPDATE of documents or applications every few seconds in a working agency; it must not make the
# next dashboard view recompute everything.  INSERT and DELETE always bump.  A figure that starts
# reading another column of these tables adds it here (and a migration recreates the triggers).
UPDATE_COLUMNS: dict[str, tuple[str, ...]] = {
    "applications": ("id", "department_id", "due_on", "stage"),
    "documents": ("id", "annual_report_year", "approved_at", "catalogue_item_id", "catalogue_item_version",
                  "department_id", "print_date", "stage", "stage_entered_at"),
    "publications": ("document_id", "first_published_at", "late_from"),
}
RANDOM_START_SQLITE = "abs(random()) % 1000000000000"
RANDOM_START_PG = "floor(random() * 1000000000000)::bigint"
_EVENTS = ("insert", "update", "delete")


def _event(table: str, event: str) -> str:
    """INSERT, DELETE, or UPDATE [OF the columns the figures read]."""
    columns = UPDATE_COLUMNS.get(table) if event == "update" else None
    return f"UPDATE OF {', '.join(columns)}" if columns else event.upper()


def _changes(table: str) -> str:
    return " OR ".join(_event(table, ev) for ev in _EVENTS)


def sqlite_create(tables: Iterable[str] = WATCHED) -> list[str]:
    out = []
    for t in tables:
        for ev in _EVENTS:
            out.append(
                f"CREATE TRIGGER IF NOT EXISTS dv_{t}_{ev} AFTER {_event(t, ev)} ON {t} BEGIN "
                f"INSERT OR IGNORE INTO {TABLE} (name, version) VALUES ('{t}', {RANDOM_START_SQLITE}); "
                f"UPDATE {TABLE} SET version = version + 1 WHERE name = '{t}'; END")
    return out


def sqlite_drop(tables: Iterable[str] = WATCHED) -> list[str]:
    return [f"DROP TRIGGER IF EXISTS dv_{t}_{ev}" for t in tables for ev in _EVENTS]


_PG_FUNCTIONS = (
    # Statement-level, immediate: note the table (once) in this transaction's list.
    "CREATE OR REPLACE FUNCTION data_versions_note() RETURNS trigger AS $$ "
    "DECLARE dirty text := coalesce(current_setting('data_versions.dirty', true), ''); "
    "BEGIN "
    "IF position(',' || TG_TABLE_NAME || ',' IN ',' || dirty) = 0 THEN "
    "PERFORM set_config('data_versions.dirty', dirty || TG_TABLE_NAME || ',', true); "
    "END IF; "
    "RETURN NULL; END; $$ LANGUAGE plpgsql",
    # Row-level, deferred to COMMIT: bump every noted table once, in name order.
    "CREATE OR REPLACE FUNCTION data_versions_bump() RETURNS trigger AS $$ "
    "DECLARE dirty text := coalesce(current_setting('data_versions.dirty', true), ''); "
    "BEGIN "
    "IF dirty = '' THEN RETURN NULL; END IF; "
    "PERFORM set_config('data_versions.dirty', '', true); "
    f"INSERT INTO {TABLE} AS v (name, version) "
    f"SELECT n, {RANDOM_START_PG} FROM unnest(string_to_array(rtrim(dirty, ','), ',')) AS n ORDER BY n "
    "ON CONFLICT (name) DO UPDATE SET version = v.version + 1; "
    "RETURN NULL; END; $$ LANGUAGE plpgsql",
    # TRUNCATE fires no row trigger: bump at once (TRUNCATE holds the table exclusively anyway).
    "CREATE OR REPLACE FUNCTION data_versions_truncated() RETURNS trigger AS $$ "
    "BEGIN "
    f"INSERT INTO {TABLE} AS v (name, version) VALUES (TG_TABLE_NAME, {RANDOM_START_PG}) "
    "ON CONFLICT (name) DO UPDATE SET version = v.version + 1; "
    "RETURN NULL; END; $$ LANGUAGE plpgsql",
)


def postgresql_create(tables: Sequence[str] = WATCHED) -> list[str]:
    out = list(_PG_FUNCTIONS)
    for t in tables:
        out += [
            f"DROP TRIGGER IF EXISTS dv_{t}_note ON {t}",
            f"DROP TRIGGER IF EXISTS dv_{t}_bump ON {t}",
            f"DROP TRIGGER IF EXISTS dv_{t}_truncate ON {t}",
            f"CREATE TRIGGER dv_{t}_note AFTER {_changes(t)} ON {t} "
            "FOR EACH STATEMENT EXECUTE FUNCTION data_versions_note()",
            f"CREATE CONSTRAINT TRIGGER dv_{t}_bump AFTER {_changes(t)} ON {t} "
            "DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION data_versions_bump()",
            f"CREATE TRIGGER dv_{t}_truncate AFTER TRUNCATE ON {t} "
            "FOR EACH STATEMENT EXECUTE FUNCTION data_versions_truncated()",
        ]
    return out


def postgresql_drop(tables: Sequence[str] = WATCHED) -> list[str]:
    out = []
    for t in tables:
        out += [f"DROP TRIGGER IF EXISTS dv_{t}_note ON {t}", f"DROP TRIGGER IF EXISTS dv_{t}_bump ON {t}",
                f"DROP TRIGGER IF EXISTS dv_{t}_truncate ON {t}"]
    return out + ["DROP FUNCTION IF EXISTS data_versions_note()", "DROP FUNCTION IF EXISTS data_versions_bump()",
                  "DROP FUNCTION IF EXISTS data_versions_truncated()"]


def create_statements(dialect: str, tables: Sequence[str] = WATCHED) -> list[str]:
    return postgresql_create(tables) if dialect == "postgresql" else sqlite_create(tables)


def drop_statements(dialect: str, tables: Sequence[str] = WATCHED) -> list[str]:
    return postgresql_drop(tables) if dialect == "postgresql" else sqlite_drop(tables)


def seed_statement(dialect: str, tables: Sequence[str] = WATCHED) -> str:
    """The rows of a fresh schema, each with a random start."""
    start = RANDOM_START_PG if dialect == "postgresql" else RANDOM_START_SQLITE
    values = " UNION ALL ".join(f"SELECT '{t}', {start}" for t in tables)
    return f"INSERT INTO {TABLE} (name, version) {values}"
