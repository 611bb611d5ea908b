"""Time the approval queues (issue 10) at 1,000 / 100,000 documents: the office queue sorted
by urgency (特急, 加急 first) beside its default order, and a department head's 会签 queue
(documents where their department is listed and has not agreed since the last submission).

    python bench/approval_bench.py                  # SQLite, and PostgreSQL when TEST_DATABASE_URL is set
    python bench/approval_bench.py --sizes 1000     # a quick run

The database is seeded by bench/seed_documents.py (stages as a working agency's), then:
3 % of the office queue is 特急 and 10 % 加急; 5 % of all documents are in 会签 with two of
the ten departments listed, one of which has agreed in half of them; and 30 % of the
finished (approved) documents carry the two agreed 会签 rows of their past — the history
a department's queue must not have to read.  Every figure is
p50 / p95 over 200 requests through the WSGI app, median of 3 rounds, beside a floor
measured in the same run: the same queue template rendered from rows already in memory.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.machine import cpu_model  # noqa: E402
from bench.queue_bench import REQUESTS, ROUNDS, backends, login, pct, time_requests  # noqa: E402
from webapp import create_app  # noqa: E402

PAGES = {
    "office, oldest first": ("office", "/review/office_review", "office_review"),
    "office, urgent first": ("office", "/review/office_review?order=urgent", "office_review"),
    "head, 会签 queue": ("head", "/review/countersign", "countersign"),
}


def add_approval_data(app, n: int) -> None:
    """Urgency on the office queue, 会签 rows, one department head (all by bulk statements)."""
    from sqlalchemy import insert, select, update

    from bench.seed_documents import BENCH_PASSWORD
    from webapp.extensions import db
    from webapp.models import Countersign, Department, Document, User, UserRole, utcnow
    from webapp.passwords import hash_password

    rng = random.Random(10)
    with app.app_context():
        depts = db.session.execute(select(Department.id).order_by(Department.id)).scalars().all()
        head = User(username="head", display_name="处室负责人", password_hash=hash_password(BENCH_PASSWORD),
                    department_id=depts[1])
        db.session.add(head)
        db.session.flush()
        db.session.add(UserRole(user_id=head.id, role="dept_head"))
        queue = db.session.execute(select(Document.id).where(Document.stage == "office_review")).scalars().all()
        for ids, level in ((queue[: len(queue) * 3 // 100], 2), (queue[len(queue) * 3 // 100: len(queue) * 13 // 100], 1)):
            for i in range(0, len(ids), 5000):
                db.session.execute(update(Document).where(Document.id.in_(ids[i:i + 5000])).values(urgency=level))
        approved = db.session.execute(select(Document.id, Document.department_id)
                                      .where(Document.stage == "approved")).all()
        rng.shuffle(approved)
        chosen = approved[: n * 5 // 100]
        history = approved[n * 5 // 100:][: len(approved) * 30 // 100]
        rows, now = [], utcnow()
        for k, (doc_id, own) in enumerate(chosen + history):
            others = rng.sample([d for d in depts if d != own], 2)
            for j, dept in enumerate(others):
                agreed = k >= len(chosen) or (j == 0 and k % 2 == 0)
                rows.append(dict(document_id=doc_id, department_id=dept, added_at=now, opinion="同意。" if agreed else "",
                                 agreed_round=1 if agreed else None, agreed_at=now if agreed else None))
        ids = [d for d, _ in chosen]
        for i in range(0, len(ids), 5000):
            db.session.execute(update(Document).where(Document.id.in_(ids[i:i + 5000]))
                               .values(stage="countersign", submission_round=1))
        for i in range(0, len(rows), 5000):
            db.session.execute(insert(Countersign), rows[i:i + 5000])
        db.session.commit()
        from sqlalchemy import text

        if db.engine.dialect.name == "postgresql":
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.execute(text("VACUUM ANALYZE"))
        else:
            db.session.execute(text("ANALYZE"))
            db.session.commit()


def floor(app, username: str, path: str, stage_value: str) -> list[float]:
    """The queue template rendered from a page of rows already in memory (no query)."""
    from flask import g, render_template
    from flask_login import login_user
    from sqlalchemy import select

    from webapp.blueprints.review.forms import QueueFilterForm
    from webapp.extensions import db
    from webapp.models import User
    from webapp.services import queues
    from webapp.workflow import STAGES, Stage

    stage = Stage(stage_value)
    with app.test_request_context(path):
        user = db.session.execute(select(User).where(User.username == username)).scalar_one()
        login_user(user)
        flt = queues.QueueFilter(urgent_first="urgent" in path)
        page = queues.review_queue(stage, user, flt, None, app.config["QUEUE_PAGE_SIZE"])
        nav = queues.counters(user)
        form = QueueFilterForm()
        form.department.choices = [("", "全部")] + [(str(x.id), x.name) for x in queues.departments()]
        samples = []
        for _ in range(REQUESTS):
            g.nav_counts = nav
            t = time.perf_counter()
            render_template("review/queue.html", stage=stage, info=STAGES[stage], page=page, form=form, filters={})
            samples.append(time.perf_counter() - t)
    return samples


def bench_one(url: str, n: int) -> dict:
    t0 = time.perf_counter()
    subprocess.run([sys.executable, str(Path(__file__).with_name("seed_documents.py")), url, str(n)],
                   check=True, stdout=subprocess.DEVNULL)
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "ARGON2_MEMORY_COST": 1024, "ARGON2_TIME_COST": 1,
                      "ARGON2_PARALLELISM": 1})
    add_approval_data(app, n)
    seeded = time.perf_counter() - t0
    clients = {}
    for who in ("office", "head"):
        clients[who] = app.test_client()
        login(clients[who], who)
    out: dict = {"n": n, "seed_s": seeded}
    for label, (who, path, stage) in PAGES.items():
        time_requests(clients[who], [path] * 20)  # warm up
        rounds, floors = [], []
        for _ in range(ROUNDS):
            samples = time_requests(clients[who], [path] * REQUESTS)
            rounds.append((pct(samples, .5), pct(samples, .95)))
            f = floor(app, who, path, stage)
            floors.append((pct(f, .5), pct(f, .95)))
        out[label] = (statistics.median(a for a, _ in rounds), statistics.median(b for _, b in rounds))
        out[label + " floor"] = (statistics.median(a for a, _ in floors), statistics.median(b for _, b in floors))
    with app.app_context():
        from webapp.extensions import db

        db.engine.dispose()
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="1000,100000")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    print(f"machine: {platform.node()} · {os.cpu_count()} cores · {cpu_model()} · Python {platform.python_version()}")
    print(f"{REQUESTS} requests per figure, median of {ROUNDS} rounds")
    print("| database | documents | page | p50 / p95 (ms) | floor p50 / p95 | p95 ÷ floor p95 | p95 vs 1k |")
    print("| --- | ---: | --- | ---: | ---: | ---: | ---: |")
    for name, make in backends():
        first: dict[str, float] = {}
        for n in sizes:
            url, cleanup = make(n)
            try:
                r = bench_one(url, n)
            finally:
                cleanup()
            for label in PAGES:
                p50, p95 = r[label]
                f50, f95 = r[label + " floor"]
                first.setdefault(label, p95)
                print(f"| {name} | {n:,} | {label} | {p50:.1f} / {p95:.1f} | {f50:.1f} / {f95:.1f} | "
                      f"{p95 / f95:.2f}× | {p95 / first[label]:.2f}× |", flush=True)
            print(f"| {name} | {n:,} | (seeding: {r['seed_s']:.0f} s) | | | | |", flush=True)


if __name__ == "__main__":
    main()
