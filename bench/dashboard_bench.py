"""Time the dashboard (issue 12) at 10,000 / 100,000 documents, against its template floor.

    python bench/dashboard_bench.py                  # SQLite, and PostgreSQL when TEST_DATABASE_URL is set
    python bench/dashboard_bench.py --sizes 10000    # a quick run

The documents come from bench/seed_documents.py; then half of the "approved" ones become
published 主动公开 documents (印发日期 and first publication spread over the last 14 months, a
tenth late), 1/5 as many applications as documents with due days around today, and three
transfer destinations with a tenth of the published documents delivered.  Every figure is
p50 / p95 over 100 requests through the WSGI app (login, navigation counters, every dashboard
query, the SVG charts, the template), median of 3 rounds, beside the floor: the same template
rendered from a dashboard already held in memory (no query at all).  Wall time and CPU time
(time.process_time: this process only; PostgreSQL's server work is not in it) are both given,
with the 1-minute load average (median over the rounds).

Since the figures are kept per process (services/dashboard.figures_cache, branch dashcache), each
round measures, interleaved: "hit" (the data unchanged since the last view: the versions read, the
figures kept), "miss" (the first view after a write to a watched table — a column the figures read set on one document
and committed before each timed request, the write itself not timed: MISSES per round), "no cache"
(the cache switched off: what every view cost before), and the floor.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.machine import cpu_model  # noqa: E402
from bench.queue_bench import login, pct  # noqa: E402
from webapp import create_app  # noqa: E402

REQUESTS = 100
MISSES = 30
ROUNDS = 3


def add_dashboard_data(app, n_docs: int) -> None:
    from sqlalchemy import bindparam, insert, select

    from webapp.extensions import db
    from webapp.models import (
        Application,
        Department,
        Document,
        Publication,
        TransferBatch,
        TransferDestination,
        TransferItem,
        User,
    )

    rng = random.Random(12)
    today = date.today()
    with app.app_context():
        approved = db.session.execute(select(Document.id).where(Document.stage == "approved")).scalars().all()
        chosen = approved[: len(approved) // 2]
        publisher = db.session.execute(select(User.id)).scalars().first()
        pubs, docs = [], []
        for i, doc_id in enumerate(chosen):
            printed = today - timedelta(days=rng.randint(0, 430))
            lag = rng.randint(60, 90) if rng.random() < 0.1 else rng.randint(1, 25)
            first = datetime.combine(printed + timedelta(days=lag), datetime.min.time(), UTC) + timedelta(hours=3)
            docs.append({"b_id": doc_id, "b_print": printed})
            pubs.append({"document_id": doc_id, "index_no": f"B/{i:07d}", "agency_code": "B", "index_year": 2026,
                         "index_seq": i, "first_published_at": first, "published_at": first,
                         "published_by_id": publisher, "message_version": 1, "public_url": "", "interpretation_url": "",
                         "withdraw_reason": ""})
        t = Document.__table__  # core: the ORM's bulk update wants each row's version
        stmt = t.update().where(t.c.id == bindparam("b_id")).values(print_date=bindparam("b_print"),
                                                                    disclosure="public", stage="published")
        for k in range(0, len(docs), 5000):
            db.session.execute(stmt, docs[k:k + 5000])
            db.session.execute(insert(Publication), pubs[k:k + 5000])
        depts = db.session.execute(select(Department.id)).scalars().all()
        apps = []
        for i in range(n_docs // 5):
            stage = rng.choice(["handling", "handling", "reply_review", "consulting", "replied", "replied"])
            apps.append({"channel": "online", "received_on": today - timedelta(days=rng.randint(0, 60)),
                         "applicant_type": "person", "applicant_name": f"申请人{i}", "description": "某文件",
                         "fingerprint": f"{i:064d}", "stage": stage, "department_id": rng.choice(depts),
                         "due_on": None if stage == "replied" else today + timedelta(days=rng.randint(-10, 30)),
                         "version": 1})
        for k in range(0, len(apps), 5000):
            db.session.execute(insert(Application), apps[k:k + 5000])
        dests = []
        for name, kind, period in (("省档案馆", "archives", 30), ("省图书馆", "library", 15),
                                   ("信息公开查阅室", "reading_room", 15)):
            d = TransferDestination(kind=kind, name=name, period_days=period)
            db.session.add(d)
            dests.append(d)
        db.session.flush()
        for d in dests:
            batch = TransferBatch(batch_no=f"B-{d.id}", destination_id=d.id, medium="paper", created_by_id=publisher)
            db.session.add(batch)
            db.session.flush()
            items = [{"batch_id": batch.id, "document_id": doc_id, "kind": "deliver", "index_no": "B", "pages": 1,
                      "copies": 1} for doc_id in chosen[: len(chosen) // 10]]
            for k in range(0, len(items), 5000):
                db.session.execute(insert(TransferItem), items[k:k + 5000])
        db.session.commit()


def floor(app) -> tuple[list[float], list[float]]:
    from flask import g, render_template
    from flask_login import login_user
    from sqlalchemy import select

    from webapp.extensions import db
    from webapp.models import User
    from webapp.services import dashboard as board
    from webapp.services import queues, todo

    with app.test_request_context("/dashboard"):
        office = db.session.execute(select(User).where(User.username == "office")).scalar_one()
        login_user(office)
        d = board.dashboard(office)
        chain = queues.counters(office)
        nav = {**chain, **todo.nav_counts(office, chain)}
        out, cpu = [], []
        for _ in range(REQUESTS):
            g.nav_counts = nav
            t, c = time.perf_counter(), time.process_time()
            render_template("dashboard/index.html", d=d, AGE_BUCKETS=board.AGE_BUCKETS, cn_month=board.cn_month)
            out.append(time.perf_counter() - t)
            cpu.append(time.process_time() - c)
    return out, cpu


FIGURE_RUNS = 20


def figures(app) -> dict[str, tuple[float, float, float]]:
    """Each figure's statements timed alone, as a miss runs them (the cache bypassed): per figure the
    median wall ms, p95 wall ms and median CPU ms over FIGURE_RUNS calls."""
    from sqlalchemy import select

    from webapp.extensions import db
    from webapp.models import User
    from webapp.services import dashboard as board
    from webapp.services.deadlines import fill_late_from
    from webapp.services.holidays import working_calendar

    out = {}
    with app.test_request_context("/dashboard"):
        office = db.session.execute(select(User).where(User.username == "office")).scalar_one()
        today = board.clock.agency_today()
        cal = working_calendar()
        win = board.window(today, fill=False)
        calls = {
            "late_from check": lambda: fill_late_from(cal),
            "on-time rate": lambda: board.timeliness(office, win),
            "stages by age": lambda: board.stages_by_age(office, today),
            "applications due": lambda: board.applications_due(today, cal),
            "transfers pending": lambda: board.transfers_pending(today),
            "report panel": lambda: board.report_panel(today),
            "every rollup figure, one statement (a miss's)": lambda: board.read_folded(today, cal, win),
        }
        for name, call in calls.items():
            call()
            wall, cpu = [], []
            for _ in range(FIGURE_RUNS):
                t, c = time.perf_counter(), time.process_time()
                call()
                wall.append(time.perf_counter() - t)
                cpu.append(time.process_time() - c)
            out[name] = (pct(wall, .5), pct(wall, .95), pct(cpu, .5))
            db.session.rollback()
    return out


def bench_one(url: str, n: int) -> dict:
    t0 = time.perf_counter()
    subprocess.run([sys.executable, str(Path(__file__).with_name("seed_documents.py")), url, str(n)],
                   check=True, stdout=subprocess.DEVNULL)
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "ARGON2_MEMORY_COST": 1024, "ARGON2_TIME_COST": 1,
                      "ARGON2_PARALLELISM": 1})
    add_dashboard_data(app, n)
    from webapp.services.deadlines import fill_late_from
    from webapp.services.holidays import working_calendar

    try:  # the bulk load's rollup deltas folded into one row per key, as a deployment's migration leaves them
        from webapp.services.dashboard import compact_rollup
    except ImportError:  # the code before the rollup (branch dashroll)
        compact_rollup = None
    with app.app_context():
        # Every publication's "late from" filled (what the first view does once) before the statistics
        # are taken: else PostgreSQL's planner, told that every late_from is NULL, scans them all on
        # each view to find none.
        fill_late_from(working_calendar())
        if compact_rollup is not None:
            compact_rollup(force=True)
    if url.startswith("postgresql"):
        # What autovacuum does soon after a bulk load: without statistics the planner expects one row
        # per table and nests loops over thousands (the transfers' counts took 0.1 s instead of 20 ms);
        # and the rollup's compacted deltas are dead rows an index-only scan would visit.
        import psycopg

        with psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://"), autocommit=True) as conn:
            conn.execute("VACUUM ANALYZE")
    seeded = time.perf_counter() - t0
    client = app.test_client()
    login(client, "office")
    from webapp.services import dashboard as board

    for _ in range(5):  # warm up
        assert client.get("/dashboard").status_code == 200

    def write() -> None:  # a change to a watched table, committed: the next view misses
        from sqlalchemy import text

        from webapp.extensions import db

        with app.app_context():
            db.session.execute(text("UPDATE documents SET stage_entered_at = stage_entered_at WHERE id = (SELECT min(id) FROM documents)"))
            db.session.commit()

    def timed(n: int, before=None) -> tuple[list[float], list[float]]:
        samples, cpu = [], []
        for _ in range(n):
            if before:
                before()
            t, c = time.perf_counter(), time.process_time()
            r = client.get("/dashboard")
            samples.append(time.perf_counter() - t)
            cpu.append(time.process_time() - c)
            assert r.status_code == 200
        return samples, cpu

    rounds = {k: [] for k in ("page", "page_cpu", "miss", "miss_cpu", "nocache", "nocache_cpu", "floor", "floor_cpu")}
    loads = []
    for _ in range(ROUNDS):
        client.get("/dashboard")
        samples, cpu = timed(REQUESTS)
        rounds["page"].append((pct(samples, .5), pct(samples, .95)))
        rounds["page_cpu"].append((pct(cpu, .5), pct(cpu, .95)))
        samples, cpu = timed(MISSES, write)
        rounds["miss"].append((pct(samples, .5), pct(samples, .95)))
        rounds["miss_cpu"].append((pct(cpu, .5), pct(cpu, .95)))
        board.figures_cache.enabled = False
        try:
            samples, cpu = timed(REQUESTS)
        finally:
            board.figures_cache.enabled = True
        rounds["nocache"].append((pct(samples, .5), pct(samples, .95)))
        rounds["nocache_cpu"].append((pct(cpu, .5), pct(cpu, .95)))
        f, fc = floor(app)
        rounds["floor"].append((pct(f, .5), pct(f, .95)))
        rounds["floor_cpu"].append((pct(fc, .5), pct(fc, .95)))
        loads.append(os.getloadavg()[0])
    parts = figures(app)
    with app.app_context():
        from webapp.extensions import db

        db.engine.dispose()
    med = {k: (statistics.median(a for a, _ in v), statistics.median(b for _, b in v)) for k, v in rounds.items()}
    return {"n": n, "seed_s": seeded, "load": statistics.median(loads), "figures": parts, **med}


def backends():
    tmp = Path(tempfile.mkdtemp(prefix="gkt-dash-"))
    out = [("SQLite", lambda n: (f"sqlite:///{tmp / f'dash{n}.db'}", lambda: None))]
    if os.environ.get("TEST_DATABASE_URL"):
        from tests.conftest import create_pg_database, drop_pg_database

        def pg(n):
            url = create_pg_database()
            return url, lambda: drop_pg_database(url)

        out.append(("PostgreSQL", pg))
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--databases", default="SQLite,PostgreSQL", help="which of SQLite, PostgreSQL")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    print(f"machine: {platform.node()} · {os.cpu_count()} cores · {cpu_model()} · Python {platform.python_version()}")
    print(f"{REQUESTS} requests per figure ({MISSES} for a miss), median of {ROUNDS} rounds; wall / CPU ms, p50 / p95")
    print("| database | documents | hit wall | miss wall | no cache wall | floor wall | hit p95 ÷ floor p95 (wall) "
          "| miss p95 ÷ floor p95 (wall) | hit CPU | miss CPU | no cache CPU | floor CPU | hit p95 ÷ floor p95 (CPU) "
          "| miss p95 ÷ floor p95 (CPU) | load (1 min) | seeding (s) |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for name, make in backends():
        if name not in args.databases.split(","):
            continue
        for n in sizes:
            url, cleanup = make(n)
            try:
                r = bench_one(url, n)
            finally:
                cleanup()
            def pair(k: str, r: dict = r) -> str:
                return f"{r[k][0]:.1f} / {r[k][1]:.1f}"

            print(f"| {name} | {n:,} | {pair('page')} | {pair('miss')} | {pair('nocache')} | {pair('floor')} | "
                  f"{r['page'][1] / r['floor'][1]:.2f}× | {r['miss'][1] / r['floor'][1]:.2f}× | {pair('page_cpu')} | "
                  f"{pair('miss_cpu')} | {pair('nocache_cpu')} | {pair('floor_cpu')} | "
                  f"{r['page_cpu'][1] / r['floor_cpu'][1]:.2f}× | {r['miss_cpu'][1] / r['floor_cpu'][1]:.2f}× | "
                  f"{r['load']:.1f} | {r['seed_s']:.0f} |", flush=True)
            print("  figures alone (wall p50 / p95, CPU p50, ms): " + "; ".join(
                f"{k} {a:.1f} / {b:.1f}, {c:.1f}" for k, (a, b, c) in r["figures"].items()),
                flush=True)


if __name__ == "__main__":
    main()
