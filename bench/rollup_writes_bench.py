"""What the dashboard rollup's triggers (webapp/dashboard_rollup.py) cost the writers.

    python bench/rollup_writes_bench.py            # SQLite, and PostgreSQL when TEST_DATABASE_URL is set

The dashboard bench's data at 10,000 documents; then, with the rollup's triggers and, alternately,
with them dropped (the data_versions triggers stay in both), per write + COMMIT: a one-row UPDATE of
a document's stage_entered_at (moves a stage count), a one-row UPDATE of a publication's
first_published_at (moves rate, pub and dlv counts), a one-row INSERT and DELETE of a delivery, and a
2,000-row UPDATE of documents' stage_entered_at.  Median wall ms (CPU beside it: this process only,
so SQLite's work, not PostgreSQL's server), 3 alternations.  A throw-away database.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.dashboard_bench import add_dashboard_data  # noqa: E402
from webapp import create_app  # noqa: E402

N_DOCS = 10_000
ONE_ROW = 200
BULK = 2_000
BULK_RUNS = 5
ROUNDS = 3


def measure(app) -> dict[str, tuple[float, float]]:
    from sqlalchemy import text

    from webapp.extensions import db

    out: dict[str, list[tuple[float, float]]] = {}
    with app.app_context():
        s = db.session
        doc = s.execute(text("SELECT min(id) FROM documents WHERE stage = 'approved'")).scalar()
        pub = s.execute(text("SELECT min(document_id) FROM publications")).scalar()
        batch = s.execute(text("SELECT min(id) FROM transfer_batches")).scalar()
        delivered = {r[0] for r in s.execute(text("SELECT document_id FROM transfer_items WHERE batch_id = :b"),
                                             {"b": batch})}
        spare = s.execute(text("SELECT document_id FROM publications ORDER BY document_id DESC LIMIT 1")).scalar()
        assert spare not in delivered
        bulk_ids = s.execute(text("SELECT id FROM documents ORDER BY id LIMIT :n"), {"n": BULK}).scalars().all()
        s.commit()

        def timed(name, sql, params_of, runs):
            for i in range(runs):
                t, c = time.perf_counter(), time.process_time()
                for statement in sql:
                    s.execute(text(statement), params_of(i))
                s.commit()
                out.setdefault(name, []).append(((time.perf_counter() - t) * 1000, (time.process_time() - c) * 1000))

        stamp = "2026-06-%02d 03:00:00"
        timed("document stage_entered_at, 1 row", ["UPDATE documents SET stage_entered_at = :t WHERE id = :i"],
              lambda i: {"t": stamp % (1 + i % 28), "i": doc}, ONE_ROW)
        timed("publication first_published_at, 1 row",
              ["UPDATE publications SET first_published_at = :t WHERE document_id = :i"],
              lambda i: {"t": stamp % (1 + i % 28), "i": pub}, ONE_ROW)
        timed("delivery inserted + deleted, 1 row each",
              ["INSERT INTO transfer_items (batch_id, document_id, kind, index_no, pages, copies, remark, resend_reason) "
               "VALUES (:b, :d, 'deliver', 'B', 1, 1, '', '')",
               "DELETE FROM transfer_items WHERE batch_id = :b AND document_id = :d"],
              lambda i: {"b": batch, "d": spare}, ONE_ROW)
        ids = ",".join(str(i) for i in bulk_ids)
        timed(f"documents stage_entered_at, {BULK:,} rows",
              [f"UPDATE documents SET stage_entered_at = :t WHERE id IN ({ids})"],
              lambda i: {"t": stamp % (1 + i % 28)}, BULK_RUNS)
    return {k: (statistics.median(a for a, _ in v), statistics.median(b for _, b in v)) for k, v in out.items()}


def toggle(app, on: bool) -> None:
    from sqlalchemy import text

    from webapp import dashboard_rollup
    from webapp.extensions import db

    with app.app_context():
        dialect = db.engine.dialect.name
        for statement in (dashboard_rollup.create_statements if on else dashboard_rollup.drop_statements)(dialect):
            db.session.execute(text(statement))
        db.session.commit()


def run(name: str, url: str) -> None:
    subprocess.run([sys.executable, str(Path(__file__).with_name("seed_documents.py")), url, str(N_DOCS)],
                   check=True, stdout=subprocess.DEVNULL)
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "ARGON2_MEMORY_COST": 1024, "ARGON2_TIME_COST": 1,
                      "ARGON2_PARALLELISM": 1})
    add_dashboard_data(app, N_DOCS)
    results: dict[bool, list[dict]] = {True: [], False: []}
    for _ in range(ROUNDS):
        for on in (True, False):
            toggle(app, on)
            results[on].append(measure(app))
    print(f"| database | write (+ COMMIT) | with rollup triggers wall / CPU | without wall / CPU | load {os.getloadavg()[0]:.1f} |")
    for key in results[True][0]:
        w = [statistics.median(r[key][k] for r in results[True]) for k in (0, 1)]
        wo = [statistics.median(r[key][k] for r in results[False]) for k in (0, 1)]
        print(f"| {name} | {key} | {w[0]:.2f} / {w[1]:.2f} | {wo[0]:.2f} / {wo[1]:.2f} |", flush=True)
    with app.app_context():
        from webapp.extensions import db

        db.engine.dispose()


def main() -> None:
    tmp = Path(tempfile.mkdtemp(prefix="gkt-rollup-"))
    run("SQLite", f"sqlite:///{tmp / 'w.db'}")
    if os.environ.get("TEST_DATABASE_URL"):
        from tests.conftest import create_pg_database, drop_pg_database

        url = create_pg_database()
        try:
            run("PostgreSQL", url)
        finally:
            drop_pg_database(url)


if __name__ == "__main__":
    main()
