"""Time the office queue page and the document page at 1,000 / 10,000 / 100,000 documents.

    python bench/queue_bench.py                 # SQLite, and PostgreSQL when TEST_DATABASE_URL is set
    python bench/queue_bench.py --sizes 1000    # a quick run

Every figure is p50 / p95 over >= 200 requests through the WSGI app (Flask's test
client: routing, login, queries, template, response), beside a floor: the same
template rendered from rows already held in memory (no query at all).
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.machine import cpu_model  # noqa: E402
from bench.seed_documents import BENCH_PASSWORD  # noqa: E402
from webapp import create_app  # noqa: E402

REQUESTS = 200
ROUNDS = 3


def pct(samples: list[float], q: float) -> float:
    s = sorted(samples)
    return s[min(len(s) - 1, int(round(q * (len(s) - 1))))] * 1000


def login(client, username: str) -> None:
    import re

    html = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf-token" content="([^"]+)"', html).group(1)
    r = client.post("/login", data={"username": username, "password": BENCH_PASSWORD, "csrf_token": token})
    assert r.status_code == 302, r.status_code


def time_requests(client, urls: list[str]) -> list[float]:
    out = []
    for url in urls:
        t = time.perf_counter()
        r = client.get(url)
        out.append(time.perf_counter() - t)
        assert r.status_code == 200, (url, r.status_code)
    return out


def floors(app, doc_ids: list[int]) -> tuple[list[float], list[float]]:
    """Render the queue and document templates from rows already loaded in memory."""
    from flask import g, render_template
    from flask_login import login_user
    from sqlalchemy import select

    from webapp.blueprints.review.forms import DecisionForm, QueueFilterForm
    from webapp.extensions import db
    from webapp.models import Document, User
    from webapp.services import audit, queues
    from webapp.workflow import STAGES, Stage

    with app.test_request_context("/review/office_review"):
        office = db.session.execute(select(User).where(User.username == "office")).scalar_one()
        login_user(office)
        page = queues.review_queue(Stage.OFFICE_REVIEW, office, queues.QueueFilter(), None, 25)
        docs = {d: db.session.get(Document, d) for d in doc_ids}
        timelines = {d: audit.document_timeline(d) for d in doc_ids}
        for d in docs.values():
            _ = (d.department.name, d.drafter.display_name)
        nav = queues.counters(office)
        form = QueueFilterForm()
        form.department.choices = [("", "全部")] + [(str(x.id), x.name) for x in queues.departments()]
        q_samples, d_samples = [], []
        for _ in range(REQUESTS):
            g.nav_counts = nav
            t = time.perf_counter()
            render_template("review/queue.html", stage=Stage.OFFICE_REVIEW, info=STAGES[Stage.OFFICE_REVIEW],
                            page=page, form=form, filters={})
            q_samples.append(time.perf_counter() - t)
        for i in range(REQUESTS):
            d = docs[doc_ids[i % len(doc_ids)]]
            t = time.perf_counter()
            render_template("main/document.html", doc=d, actions=[], editable=False, missing=[],
                            timeline=timelines[d.id], decision_form=DecisionForm(version=d.version),
                            info=STAGES[d.stage_enum])
            d_samples.append(time.perf_counter() - t)
    return q_samples, d_samples


def bench_one(url: str, n: int) -> dict:
    import subprocess

    # Seed in a child process, so its million temporary objects do not haunt this one's GC.
    t0 = time.perf_counter()
    subprocess.run([sys.executable, str(Path(__file__).with_name("seed_documents.py")), url, str(n)],
                   check=True, stdout=subprocess.DEVNULL)
    seeded = {"seconds": time.perf_counter() - t0}
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "ARGON2_MEMORY_COST": 1024, "ARGON2_TIME_COST": 1,
                      "ARGON2_PARALLELISM": 1})
    client = app.test_client()
    login(client, "office")
    rng = random.Random(7)
    with app.app_context():
        from sqlalchemy import select

        from webapp.extensions import db
        from webapp.models import Document

        visible = db.session.execute(select(Document.id).where(Document.stage == "office_review").limit(2000)).scalars().all()
    doc_urls = [f"/documents/{rng.choice(visible)}" for _ in range(REQUESTS)]
    time_requests(client, ["/review/office_review"] * 20 + doc_urls[:20])  # warm up
    # Three rounds of each, interleaved with the floor; each figure is the median of the rounds.
    rounds = {"queue": [], "doc": [], "queue_floor": [], "doc_floor": []}
    for _ in range(ROUNDS):
        q = time_requests(client, ["/review/office_review"] * REQUESTS)
        d = time_requests(client, doc_urls)
        qf, df = floors(app, [int(u.rsplit("/", 1)[1]) for u in doc_urls[:50]])
        for key, samples in (("queue", q), ("doc", d), ("queue_floor", qf), ("doc_floor", df)):
            rounds[key].append((pct(samples, .5), pct(samples, .95)))
    with app.app_context():
        from webapp.extensions import db

        db.engine.dispose()
    med = {k: (statistics.median(a for a, _ in v), statistics.median(b for _, b in v)) for k, v in rounds.items()}
    return {"n": n, "seed_s": seeded["seconds"], **med}


def backends() -> list[tuple[str, callable]]:
    out = []
    tmp = Path(tempfile.mkdtemp(prefix="gkt-bench-"))
    out.append(("SQLite", lambda n: (f"sqlite:///{tmp / f'bench{n}.db'}", lambda: None)))
    if os.environ.get("TEST_DATABASE_URL"):
        from tests.conftest import create_pg_database, drop_pg_database

        def pg(n):
            url = create_pg_database()
            return url, lambda: drop_pg_database(url)

        out.append(("PostgreSQL", pg))
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="1000,10000,100000")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    print(f"machine: {platform.node()} · {os.cpu_count()} cores · {cpu_model()} · Python {platform.python_version()}")
    print(f"{REQUESTS} requests per figure, median of {ROUNDS} rounds")
    print("| database | documents | queue p50 / p95 (ms) | queue floor p50 / p95 | queue p95 ÷ floor p95 | "
          "document p50 / p95 (ms) | document floor p50 / p95 | seeding (s) |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for name, make in backends():
        first_q95 = None
        for n in sizes:
            url, cleanup = make(n)
            try:
                r = bench_one(url, n)
            finally:
                cleanup()
            first_q95 = first_q95 or r["queue"][1]
            print(f"| {name} | {n:,} | {r['queue'][0]:.1f} / {r['queue'][1]:.1f} | "
                  f"{r['queue_floor'][0]:.1f} / {r['queue_floor'][1]:.1f} | "
                  f"{r['queue'][1] / r['queue_floor'][1]:.2f}× (vs 1k: {r['queue'][1] / first_q95:.2f}×) | "
                  f"{r['doc'][0]:.1f} / {r['doc'][1]:.1f} | {r['doc_floor'][0]:.1f} / {r['doc_floor'][1]:.1f} | "
                  f"{r['seed_s']:.0f} |", flush=True)



if __name__ == "__main__":
    main()
