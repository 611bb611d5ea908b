"""The dashboard's rollup (issue 12): small counts of the rows its figures count, kept by triggers in
the writing transaction, so the first view after a change sums a few thousand small rows instead of
grouping every publication, document and application.

One table, `dashboard_rollup` (figure, key_id, key_text, day, flag, n): the figure counts n rows
with those keys.  A row is a *delta*: the triggers only ever INSERT (+1 for a row that now counts,
-1 for a row that no longer does, both grouped and dropped when they cancel), and a figure is the
SUM of n over its keys.  The figures (services/dashboard):

- `rate`  按期发布率: publications joined to their document with 印发日期 set; key_id the document's
  department, day the agency month (its first day) of the first publication, flag 1 when on time
  (`first_published_at < late_from`, as dashboard.Window.on_time; a NULL late_from counts late,
  as the query did, until deadlines.fill_late_from fills it — an UPDATE the trigger follows).
- `stage` 在办文件: documents in an active stage with stage_entered_at set; key_text the stage, day
  the agency day it entered the stage.  Ages (today minus that day) and "entered by today" are
  then comparisons of days at read time: exactly dashboard.entered_by / _age_condition.
- `apps`  依申请公开: applications whose clock runs, due_on set and not the 9999-12-31 marker;
  key_id the department (NULL: not yet given), day the due day.
- `pub`   送交 (published side): documents at stage `published` with a publication; day the agency
  day of the first publication.
- `dlv`   送交 (delivered side): per destination (key_id), the published documents with a `deliver`
  item in one of its batches, each once however many batches delivered it; day as for pub.
  Pending = pub − dlv, as transfers_pending computes it.

The agency day of an instant is its UTC value plus 8 hours (clock.AGENCY_TZ, a fixed offset), so
the days here are the same days as the dashboard's `_agency_midnight` bounds.

Why deltas (PostgreSQL concurrency): a count row updated in place would be locked by the first
writer that moves it until that writer commits, making every writer of the same department and
month wait for every other one, and adding deadlocks between transactions that move two counts in
different orders.  An INSERT never waits for another INSERT, so the triggers take no lock a reader
or another writer could wait on; they run as row triggers in the writing statement (SQLite and
PostgreSQL alike, the same SQL), so bulk loads and every code path are covered, and the counts
become visible in the same commit as the rows they count (the figures cache's argument in
services/dashboard holds unchanged).  Compaction (`compact_statements`) replaces the rows by one
row per key, in one statement on PostgreSQL (DELETE … RETURNING into INSERT; rows committed
meanwhile are not in its snapshot and stay, still counted) and under SQLite's single writer by
id; the outbox worker runs it between idle passes, and services/dashboard on a view (in a session
and transaction of its own: the view only reads) when more than COMPACT_AFTER rows were added since
the last one (`merged` marks the compacted rows).  TRUNCATE of a base table (no row triggers) rebuilds
the rollup on PostgreSQL.

The one count that depends on other rows than the written one is dlv's "each document once": a
delivery counts +1 only if its (destination, document) had no deliver item before the write.  On
PostgreSQL the transfer_items triggers are statement triggers with transition tables (several items
of one pair in one statement count once) and first lock the documents they touch FOR NO KEY UPDATE
(in id order), as do the publications triggers when a first publication moves; an UPDATE of the
document takes that lock itself.  So two transactions delivering the same document, or one
delivering it while another withdraws or republishes it, run their triggers one after the other,
the second seeing the first's rows (READ COMMITTED: each statement a new snapshot): no count is
missed or doubled.  The lock conflicts with no foreign-key check (KEY SHARE).  A batch moved to
another destination (an admin's correction) recounts dlv.

Pure: SQL text only, no Flask, no models.  Used by the models' create events (tests, benches) and
by migration 0025_dashroll, which also fills the table from the existing rows (`backfill_statement`).
"""

from __future__ import annotations

TABLE = "dashboard_rollup"
# Stages a document has not left the chain in (dashboard.active_stages(); a unit test checks them).
ACTIVE_STAGES: tuple[str, ...] = ("dept_check", "secrecy_review", "office_review", "countersign",
                                  "leader_approval", "returned", "classified", "approved", "deid_review",
                                  "ready", "withdrawn", "correction")
# Applications whose clock runs (dashboard.CLOCK_RUNNING), and the "waiting for a correction" marker.
CLOCK_RUNNING: tuple[str, ...] = ("handling", "reply_review")
NO_DUE = "9999-12-31"
PUBLISHED = "published"
DELIVER = "deliver"
COMPACT_AFTER = 1000  # delta rows added since the last compaction before a view compacts
COLUMNS = "figure, key_id, key_text, day, flag, n"
# The triggers: (table, event, UPDATE OF columns).  An UPDATE that sets none of these moves no count.
UPDATE_COLUMNS = {
    "documents": ("id", "stage", "stage_entered_at", "department_id", "print_date"),
    "publications": ("document_id", "first_published_at", "late_from"),
    "applications": ("stage", "due_on", "department_id"),
}
TABLES = tuple(UPDATE_COLUMNS)


def _quote(values) -> str:
    return ", ".join(f"'{v}'" for v in values)


def _day(dialect: str, ts: str, month: bool = False) -> str:
    """The agency day (or the first day of its month) of a stored UTC instant."""
    if dialect == "postgresql":
        local = f"(({ts}) AT TIME ZONE 'UTC' + interval '8 hours')"
        return f"CAST(date_trunc('month', {local}) AS date)" if month else f"CAST({local} AS date)"
    return f"date({ts}, '+8 hours', 'start of month')" if month else f"date({ts}, '+8 hours')"


_INT = "CAST(NULL AS INTEGER)"
_TEXT = "CAST(NULL AS VARCHAR(20))"


def _select(figure: str, key_id: str, key_text: str, day: str, flag: str, n: str) -> str:
    # Every SELECT names its columns: SQLite names a union's columns from its first SELECT.
    return (f"SELECT '{figure}' AS figure, {key_id} AS key_id, {key_text} AS key_text, {day} AS day, "
            f"{flag} AS flag, {n} AS n")


def _ok(p: str) -> str:
    return f"CASE WHEN {p}.first_published_at < {p}.late_from THEN 1 ELSE 0 END"


def _delivered_to(doc_id: str) -> str:
    """The destinations a document has been delivered to (each once)."""
    return ("(SELECT DISTINCT b.destination_id AS dest FROM transfer_items i JOIN transfer_batches b "
            f"ON b.id = i.batch_id WHERE i.document_id = {doc_id} AND i.kind = '{DELIVER}') AS x")


def _pair_rows(dialect: str, p: str, d: str, sign: str, where: str, from_: str, doc_id: str) -> list[str]:
    """The rate, pub and dlv rows of publication `p` with its document `d` (row names or aliases);
    `doc_id`: the document's id as a trigger row's column."""
    return [
        _select("dlv", "x.dest", _TEXT, _day(dialect, f"{p}.first_published_at"), "0", sign)
        + f" FROM {from_}, {_delivered_to(doc_id)} WHERE {where} AND {d}.stage = '{PUBLISHED}'",
        _select("rate", f"{d}.department_id", _TEXT, _day(dialect, f"{p}.first_published_at", True), _ok(p), sign)
        + f" FROM {from_} WHERE {where} AND {d}.print_date IS NOT NULL AND {p}.first_published_at IS NOT NULL",
        _select("pub", _INT, _TEXT, _day(dialect, f"{p}.first_published_at"), "0", sign)
        + f" FROM {from_} WHERE {where} AND {d}.stage = '{PUBLISHED}'",
    ]


def _publication_rows(dialect: str, row: str, sign: str) -> list[str]:
    return _pair_rows(dialect, row, "d", sign, f"d.id = {row}.document_id", "documents d", f"{row}.document_id")


def _document_rows(dialect: str, row: str, sign: str) -> list[str]:
    stage = (_select("stage", _INT, f"{row}.stage", _day(dialect, f"{row}.stage_entered_at"), "0", sign)
             + f" WHERE {row}.stage IN ({_quote(ACTIVE_STAGES)}) AND {row}.stage_entered_at IS NOT NULL")
    return [stage, *_pair_rows(dialect, "p", row, sign, f"p.document_id = {row}.id", "publications p", f"{row}.id")]


def _application_rows(dialect: str, row: str, sign: str) -> list[str]:
    return [_select("apps", f"{row}.department_id", _TEXT, f"{row}.due_on", "0", sign)
            + f" WHERE {row}.stage IN ({_quote(CLOCK_RUNNING)}) AND {row}.due_on IS NOT NULL"
            f" AND {row}.due_on <> '{NO_DUE}'"]


_ROWS = {"documents": _document_rows, "publications": _publication_rows, "applications": _application_rows}
KEYS = "figure, key_id, key_text, day, flag"


def _insert(dialect: str, table: str, event: str) -> str:
    """One INSERT of the event's deltas: -1 for what the old row counted, +1 for the new one, summed
    per key and kept only where they do not cancel (an UPDATE that moves no count adds no row)."""
    rows = []
    if event in ("delete", "update"):
        rows += _ROWS[table](dialect, "OLD", "-1")
    if event in ("insert", "update"):
        rows += _ROWS[table](dialect, "NEW", "1")
    return (f"INSERT INTO {TABLE} ({COLUMNS}) SELECT {KEYS}, sum(n) FROM ({' UNION ALL '.join(rows)}) AS delta "
            f"GROUP BY {KEYS} HAVING sum(n) <> 0")


def _items_insert(dialect: str, new: str | None, old: str | None) -> str:
    """The dlv deltas of a write to transfer_items: `new` / `old` name the written rows (PostgreSQL's
    transition tables, SQLite's NEW / OLD as a one-row subquery; None: that side is empty).  Per
    (destination, document) the write touches: now = its deliver items in the table after the write,
    before = now − the new rows + the old rows; the pair counts +1 if now > 0 and not before, −1 if
    before and not now (so a second delivery of the same document to the same destination, or a
    statement writing several items of one pair, counts the document once)."""
    sides = []
    for src, sign in ((new, 1), (old, -1)):
        if src is not None:
            sides.append(f"SELECT b.destination_id AS dest, t.document_id AS doc, {sign} AS s FROM {src} AS t "
                         f"JOIN transfer_batches b ON b.id = t.batch_id WHERE t.kind = '{DELIVER}'")
    touched = (f"SELECT dest, doc, sum(CASE WHEN s > 0 THEN 1 ELSE 0 END) AS new_n, "
               f"sum(CASE WHEN s < 0 THEN 1 ELSE 0 END) AS old_n FROM ({' UNION ALL '.join(sides)}) AS w "
               "GROUP BY dest, doc")
    counted = ("SELECT w.dest, w.doc, w.new_n, w.old_n, (SELECT count(*) FROM transfer_items i JOIN transfer_batches b "
               f"ON b.id = i.batch_id WHERE i.document_id = w.doc AND b.destination_id = w.dest AND i.kind = '{DELIVER}') "
               f"AS now_n FROM ({touched}) AS w")
    delta = ("SELECT c.dest, c.doc, CASE WHEN c.now_n > 0 THEN 1 ELSE 0 END - "
             f"CASE WHEN c.now_n - c.new_n + c.old_n > 0 THEN 1 ELSE 0 END AS s FROM ({counted}) AS c")
    day = _day(dialect, "p.first_published_at")
    return (f"INSERT INTO {TABLE} ({COLUMNS}) SELECT 'dlv', m.dest, {_TEXT}, {day}, 0, sum(m.s) FROM ({delta}) AS m "
            "JOIN documents d ON d.id = m.doc JOIN publications p ON p.document_id = d.id "
            f"WHERE d.stage = '{PUBLISHED}' AND m.s <> 0 GROUP BY m.dest, {day} HAVING sum(m.s) <> 0")


def _sqlite_row(row: str) -> str:
    return f"(SELECT {row}.batch_id AS batch_id, {row}.document_id AS document_id, {row}.kind AS kind)"


def _rebuild_delivered(dialect: str) -> str:
    """A batch moved to another destination (an admin's correction, rare): count the dlv rows again."""
    return (f"DELETE FROM {TABLE} WHERE figure = 'dlv'; INSERT INTO {TABLE} ({COLUMNS}, merged) "
            f"SELECT figure, key_id, key_text, day, flag, n, {'true' if dialect == 'postgresql' else '1'} "
            f"FROM ({_recount_delivered(dialect)}) AS counted")


def _recount_delivered(dialect: str) -> str:
    day = _day(dialect, "p.first_published_at")
    return (f"SELECT 'dlv' AS figure, x.dest AS key_id, {_TEXT} AS key_text, {day} AS day, 0 AS flag, count(*) AS n "
            "FROM (SELECT DISTINCT b.destination_id AS dest, i.document_id AS doc FROM transfer_items i "
            f"JOIN transfer_batches b ON b.id = i.batch_id WHERE i.kind = '{DELIVER}') AS x "
            "JOIN documents d ON d.id = x.doc JOIN publications p ON p.document_id = d.id "
            f"WHERE d.stage = '{PUBLISHED}' GROUP BY x.dest, {day}")


def _sqlite_transfers() -> list[str]:
    out = []
    for ev, new, old in (("insert", _sqlite_row("NEW"), None), ("delete", None, _sqlite_row("OLD")),
                         ("update", _sqlite_row("NEW"), _sqlite_row("OLD"))):
        columns = " OF batch_id, document_id, kind" if ev == "update" else ""
        out.append(f"CREATE TRIGGER IF NOT EXISTS dr_transfer_items_{ev} AFTER {ev.upper()}{columns} ON transfer_items "
                   f"FOR EACH ROW BEGIN {_items_insert('sqlite', new, old)}; END")
    out.append("CREATE TRIGGER IF NOT EXISTS dr_transfer_batches_update AFTER UPDATE OF destination_id ON "
               "transfer_batches FOR EACH ROW WHEN OLD.destination_id IS NOT NEW.destination_id BEGIN "
               f"{_rebuild_delivered('sqlite')}; END")
    return out


_LOCK_ITEMS = ("PERFORM 1 FROM documents WHERE id IN ({ids}) ORDER BY id FOR NO KEY UPDATE; ")


def _postgresql_transfers() -> list[str]:
    """Statement triggers with transition tables (all the statement's rows at once).  Before counting,
    each locks the documents it touches (FOR NO KEY UPDATE, in id order): two transactions delivering
    the same document, or one delivering it while another publishes or withdraws it (the document's
    and publication's triggers take the same lock), then run one after the other, and the second
    counts with the first's rows committed — so neither misses the other."""
    out = []
    for ev, new, old in (("insert", "new_t", None), ("delete", None, "old_t"), ("update", "new_t", "old_t")):
        ids = " UNION ".join(f"SELECT document_id FROM {src}" for src in (new, old) if src)
        refs = " ".join(part for part in ("OLD TABLE AS old_t" if old else "", "NEW TABLE AS new_t" if new else "")
                        if part)
        out += [
            f"CREATE OR REPLACE FUNCTION dr_transfer_items_{ev}() RETURNS trigger AS $$ BEGIN "
            f"{_LOCK_ITEMS.format(ids=ids)}{_items_insert('postgresql', new, old)}; RETURN NULL; END; $$ LANGUAGE plpgsql",
            f"DROP TRIGGER IF EXISTS dr_transfer_items_{ev} ON transfer_items",
            f"CREATE TRIGGER dr_transfer_items_{ev} AFTER {ev.upper()} ON transfer_items REFERENCING {refs} "
            f"FOR EACH STATEMENT EXECUTE FUNCTION dr_transfer_items_{ev}()",
        ]
    out += [
        "CREATE OR REPLACE FUNCTION dr_transfer_batches_update() RETURNS trigger AS $$ BEGIN "
        f"{_rebuild_delivered('postgresql')}; RETURN NULL; END; $$ LANGUAGE plpgsql",
        "DROP TRIGGER IF EXISTS dr_transfer_batches_update ON transfer_batches",
        "CREATE TRIGGER dr_transfer_batches_update AFTER UPDATE OF destination_id ON transfer_batches FOR EACH ROW "
        "WHEN (OLD.destination_id IS DISTINCT FROM NEW.destination_id) EXECUTE FUNCTION dr_transfer_batches_update()",
    ]
    for t in ("transfer_items", "transfer_batches"):
        out += [f"DROP TRIGGER IF EXISTS dr_{t}_truncate ON {t}",
                f"CREATE TRIGGER dr_{t}_truncate AFTER TRUNCATE ON {t} FOR EACH STATEMENT "
                "EXECUTE FUNCTION dashboard_rollup_rebuild()"]
    return out


def _event(table: str, event: str) -> str:
    return f"UPDATE OF {', '.join(UPDATE_COLUMNS[table])}" if event == "update" else event.upper()


_EVENTS = ("insert", "update", "delete")


def sqlite_create() -> list[str]:
    return [*(f"CREATE TRIGGER IF NOT EXISTS dr_{t}_{ev} AFTER {_event(t, ev)} ON {t} FOR EACH ROW BEGIN "
              f"{_insert('sqlite', t, ev)}; END" for t in TABLES for ev in _EVENTS), *_sqlite_transfers()]


def sqlite_drop() -> list[str]:
    return [*(f"DROP TRIGGER IF EXISTS dr_{t}_{ev}" for t in (*TABLES, "transfer_items") for ev in _EVENTS),
            "DROP TRIGGER IF EXISTS dr_transfer_batches_update"]


def postgresql_create() -> list[str]:
    out = []
    for t in TABLES:
        for ev in _EVENTS:
            out += [
                f"CREATE OR REPLACE FUNCTION dr_{t}_{ev}() RETURNS trigger AS $$ BEGIN "
                f"{_LOCK_PUBLICATION[ev] if t == 'publications' else ''}"
                f"{_insert('postgresql', t, ev)}; RETURN NULL; END; $$ LANGUAGE plpgsql",
                f"DROP TRIGGER IF EXISTS dr_{t}_{ev} ON {t}",
                f"CREATE TRIGGER dr_{t}_{ev} AFTER {_event(t, ev)} ON {t} FOR EACH ROW EXECUTE FUNCTION dr_{t}_{ev}()",
            ]
        out += [f"DROP TRIGGER IF EXISTS dr_{t}_truncate ON {t}",
                f"CREATE TRIGGER dr_{t}_truncate AFTER TRUNCATE ON {t} FOR EACH STATEMENT "
                "EXECUTE FUNCTION dashboard_rollup_rebuild()"]
    return [
        # TRUNCATE fires no row trigger: count again from what is left.
        "CREATE OR REPLACE FUNCTION dashboard_rollup_rebuild() RETURNS trigger AS $$ BEGIN "
        f"DELETE FROM {TABLE}; {backfill_statement('postgresql')}; RETURN NULL; END; $$ LANGUAGE plpgsql",
        *out,
        *_postgresql_transfers(),
    ]


# A publication's dlv rows read the document's deliveries: take the lock the transfer_items triggers
# take (_postgresql_transfers), unless the UPDATE moves no dlv row (late_from filled).
_LOCK_PUBLICATION = {
    "insert": "PERFORM 1 FROM documents WHERE id = NEW.document_id FOR NO KEY UPDATE; ",
    "delete": "PERFORM 1 FROM documents WHERE id = OLD.document_id FOR NO KEY UPDATE; ",
    "update": "IF OLD.document_id IS DISTINCT FROM NEW.document_id OR OLD.first_published_at IS DISTINCT FROM "
              "NEW.first_published_at THEN PERFORM 1 FROM documents WHERE id IN (OLD.document_id, NEW.document_id) "
              "ORDER BY id FOR NO KEY UPDATE; END IF; ",
}


def postgresql_drop() -> list[str]:
    out = []
    for t in (*TABLES, "transfer_items"):
        out += [f"DROP TRIGGER IF EXISTS dr_{t}_{ev} ON {t}" for ev in (*_EVENTS, "truncate")]
        out += [f"DROP FUNCTION IF EXISTS dr_{t}_{ev}()" for ev in _EVENTS]
    out += ["DROP TRIGGER IF EXISTS dr_transfer_batches_update ON transfer_batches",
            "DROP TRIGGER IF EXISTS dr_transfer_batches_truncate ON transfer_batches",
            "DROP FUNCTION IF EXISTS dr_transfer_batches_update()"]
    return [*out, "DROP FUNCTION IF EXISTS dashboard_rollup_rebuild()"]


def create_statements(dialect: str) -> list[str]:
    return postgresql_create() if dialect == "postgresql" else sqlite_create()


def drop_statements(dialect: str) -> list[str]:
    return postgresql_drop() if dialect == "postgresql" else sqlite_drop()


def recount_select(dialect: str) -> str:
    """Every figure's count from the base tables, one row per key (figure, key_id, key_text, day,
    flag, n): what the rollup sums to.  The backfill, and the tests' recount."""
    pub_day = _day(dialect, "p.first_published_at")
    month = _day(dialect, "p.first_published_at", True)
    entered = _day(dialect, "d.stage_entered_at")
    return " UNION ALL ".join([
        f"SELECT 'rate' AS figure, d.department_id AS key_id, {_TEXT} AS key_text, {month} AS day, "
        "CASE WHEN p.first_published_at < p.late_from THEN 1 ELSE 0 END AS flag, count(*) AS n "
        "FROM publications p JOIN documents d ON d.id = p.document_id "
        "WHERE d.print_date IS NOT NULL AND p.first_published_at IS NOT NULL "
        f"GROUP BY d.department_id, {month}, CASE WHEN p.first_published_at < p.late_from THEN 1 ELSE 0 END",
        f"SELECT 'stage', {_INT}, d.stage, {entered}, 0, count(*) FROM documents d "
        f"WHERE d.stage IN ({_quote(ACTIVE_STAGES)}) AND d.stage_entered_at IS NOT NULL GROUP BY d.stage, {entered}",
        f"SELECT 'apps', a.department_id, {_TEXT}, a.due_on, 0, count(*) FROM applications a "
        f"WHERE a.stage IN ({_quote(CLOCK_RUNNING)}) AND a.due_on IS NOT NULL AND a.due_on <> '{NO_DUE}' "
        "GROUP BY a.department_id, a.due_on",
        f"SELECT 'pub', {_INT}, {_TEXT}, {pub_day}, 0, count(*) FROM publications p "
        f"JOIN documents d ON d.id = p.document_id WHERE d.stage = '{PUBLISHED}' GROUP BY {pub_day}",
        _recount_delivered(dialect),
    ])


def backfill_statement(dialect: str) -> str:
    """Fill the rollup from the existing rows (migration 0025_dashroll; PostgreSQL's TRUNCATE)."""
    return (f"INSERT INTO {TABLE} ({COLUMNS}, merged) SELECT figure, key_id, key_text, day, flag, n, "
            f"{'true' if dialect == 'postgresql' else '1'} FROM ({recount_select(dialect)}) AS counted")


def compact_statements(dialect: str) -> list[str]:
    """One row per key (the sum of its deltas), dropping the keys that sum to nothing; run in one
    transaction.  PostgreSQL: one statement; a rival compaction waits on the rows this one deletes and
    then finds them gone (it deletes and re-adds nothing); writers only insert, so they never wait on
    it, and rows they commit meanwhile are not in its snapshot: they stay, still counted.  SQLite:
    one writer at a time, so no row appears between the two statements (`:upto`: max(id) read first
    in the same transaction)."""
    if dialect == "postgresql":
        return [f"WITH gone AS (DELETE FROM {TABLE} RETURNING {KEYS}, n) "
                f"INSERT INTO {TABLE} ({COLUMNS}, merged) SELECT {KEYS}, sum(n), true FROM gone "
                f"GROUP BY {KEYS} HAVING sum(n) <> 0"]
    return [f"INSERT INTO {TABLE} ({COLUMNS}, merged) SELECT {KEYS}, sum(n), 1 FROM {TABLE} "
            f"WHERE id <= :upto GROUP BY {KEYS} HAVING sum(n) <> 0",
            f"DELETE FROM {TABLE} WHERE id <= :upto"]
