"""Time the document search page (GET /documents) at 1,000 / 10,000 / 100,000 documents.

    python bench/search_bench.py                     # SQLite, and PostgreSQL when TEST_DATABASE_URL is set
    python bench/search_bench.py --sizes 1000        # a quick run

The documents carry the five real notices of ../shared/seeds as their bodies (cycled;
2,300–6,700 characters, 5,300 on average), a task code of their own (任务编号 RWnnnnnn)
and, for every 7th finished one, a 文号.  Logged in as the office reviewer, who sees
every submitted document (94 % of them).  Each figure is p50 / p95 over REQUESTS
requests through the WSGI app, median of ROUNDS rounds, beside a floor: the same
results template rendered from rows already in memory (no query at all).

What each kind of search exercises (webapp/services/search.py): a 文号 or a task code
(one document) and a word found nowhere go through the trigram index; a common word fills
its page from the newest documents; a two-character word has no trigram and is matched
by LIKE, newest first — "2-char, no match" is the worst case, a scan of every visible text.
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
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.machine import cpu_model  # noqa: E402
from bench.queue_bench import login, pct  # noqa: E402
from webapp import create_app  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT.parent / "shared" / "seeds"
REQUESTS = 30
SLOW_REQUESTS = 5  # for a search that takes more than half a second
ROUNDS = 3


def seed_bodies() -> list[str]:
    from markupsafe import escape

    bodies = []
    for path in sorted(SEEDS.glob("*.txt")):
        lines = [line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        bodies.append("".join(f"<p>{escape(line)}</p>" for line in lines))
    if not bodies:
        raise SystemExit(f"no seed notices in {SEEDS}")
    return bodies


def _seed(url: str, n: int) -> float:
    code = (
        "import sys; sys.path.insert(0, sys.argv[1]);"
        "from bench.seed_documents import seed; from bench.search_bench import seed_bodies;"
        "seed(sys.argv[2], int(sys.argv[3]), bodies=seed_bodies(), events_per_doc=0)"
    )
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-c", code, str(ROOT), url, str(n)], check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - t0


def queries(n: int, rng: random.Random) -> dict[str, list[str]]:
    """name -> the query strings (one per request) for that kind of search."""
    numbered = [i for i in range(n) if i % 7 == 0 and _stage(i) == "approved"]
    return {
        "文号 (1 match)": [f"豫应急办〔2026〕{rng.choice(numbered)}号" for _ in range(REQUESTS)],
        "task code (1 match)": [f"RW{rng.randrange(n):06d}" for _ in range(REQUESTS)],
        "no match": [f"不存在的词{k}" for k in range(REQUESTS)],
        "common word (page 1)": ["政务公开"] * REQUESTS,
        "two words (page 1)": ["政务公开 信息"] * REQUESTS,
        "2-char, in 20 %": ["瑞丽"] * REQUESTS,
        "2-char, no match": ["鲲鹏"] * REQUESTS,
        "no words, filters": ["@filters"] * REQUESTS,
    }


def _stage(i: int) -> str:
    from bench.seed_documents import STAGE_SHARE

    stages = [s for s, share in STAGE_SHARE for _ in range(round(share * 1000))]
    return stages[i % len(stages)]


def url_for_query(q: str) -> str:
    from urllib.parse import urlencode

    if q == "@filters":
        return "/documents?" + urlencode({"stage": "office_review", "disclosure": "public"})
    return "/documents?" + urlencode({"q": q})


def timed(client, urls: list[str]) -> list[float]:
    out = []
    for url in urls:
        t = time.perf_counter()
        r = client.get(url)
        out.append(time.perf_counter() - t)
        assert r.status_code == 200, (url, r.status_code)
    return out


def floor(app, url: str) -> list[float]:
    """The results page rendered from rows already in memory."""
    from flask import g, render_template
    from flask_login import login_user
    from sqlalchemy import select

    from webapp.blueprints.main.forms import DocumentSearchForm
    from webapp.extensions import db
    from webapp.models import User
    from webapp.services import queues, search

    with app.test_request_context(url):
        office = db.session.execute(select(User).where(User.username == "office")).scalar_one()
        login_user(office)
        page = search.search_documents(office, search.DocumentSearch(text="政务公开"), None)
        for d in page.items:
            _ = (d.department.name, d.drafter.display_name)
        g.nav_counts = queues.counters(office)
        form = DocumentSearchForm()
        form.department.choices = [("", "全部")] + [(str(x.id), x.name) for x in queues.departments()]
        samples = []
        for _ in range(REQUESTS):
            t = time.perf_counter()
            render_template("main/documents.html", form=form, page=page, filters={"q": "政务公开"})
            samples.append(time.perf_counter() - t)
    return samples


def bench_one(url: str, n: int) -> dict:
    seconds = _seed(url, n)
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "ARGON2_MEMORY_COST": 1024, "ARGON2_TIME_COST": 1,
                      "ARGON2_PARALLELISM": 1})
    client = app.test_client()
    login(client, "office")
    rng = random.Random(11)
    kinds = queries(n, rng)
    slow = set()
    for kind, qs in kinds.items():  # warm up; a search that scans every text is timed on fewer requests
        if max(timed(client, [url_for_query(q) for q in qs[:2]])) > 0.5:
            slow.add(kind)
    probe = client.get(url_for_query(kinds["文号 (1 match)"][0])).get_data(as_text=True)
    assert probe.count('<td><a href="/documents/') == 1, "the 文号 search should find exactly one document"
    rounds: dict[str, list[tuple[float, float]]] = {k: [] for k in [*kinds, "floor"]}
    for _ in range(ROUNDS):
        for kind, qs in kinds.items():
            s = timed(client, [url_for_query(q) for q in qs[:SLOW_REQUESTS if kind in slow else REQUESTS]])
            rounds[kind].append((pct(s, .5), pct(s, .95)))
        f = floor(app, url_for_query("政务公开"))
        rounds["floor"].append((pct(f, .5), pct(f, .95)))
    with app.app_context():
        from webapp.extensions import db

        db.engine.dispose()
    med = {k: (statistics.median(a for a, _ in v), statistics.median(b for _, b in v)) for k, v in rounds.items()}
    return {"n": n, "seed_s": seconds, **med}


def backends() -> list[tuple[str, callable]]:
    out = []
    tmp = Path(tempfile.mkdtemp(prefix="gkt-search-bench-"))
    def sqlite(n):
        path = tmp / f"search{n}.db"
        return f"sqlite:///{path}", lambda: [p.unlink(missing_ok=True) for p in tmp.glob(f"{path.name}*")]

    out.append(("SQLite", sqlite))
    if os.environ.get("TEST_DATABASE_URL"):
        from tests.conftest import create_pg_database, drop_pg_database

        def pg(n):
            u = create_pg_database()
            return u, lambda: drop_pg_database(u)

        out.append(("PostgreSQL", pg))
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--only", choices=["SQLite", "PostgreSQL"])
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    print(f"machine: {platform.node()} · {os.cpu_count()} cores · {cpu_model()} · Python {platform.python_version()}")
    print(f"{REQUESTS} requests per figure ({SLOW_REQUESTS} when one takes > 0.5 s), median of {ROUNDS} rounds; "
          "p50 / p95 in ms")
    header = None
    for name, make in backends():
        if args.only and name != args.only:
            continue
        for n in sizes:
            u, cleanup = make(n)
            try:
                r = bench_one(u, n)
            finally:
                cleanup()
            kinds = [k for k in r if k not in ("n", "seed_s", "floor")]
            if header is None:
                header = kinds
                print("| database | documents | " + " | ".join(kinds) + " | floor | seeding (s) |")
                print("| --- | ---: | " + " | ".join("---:" for _ in kinds) + " | ---: | ---: |")
            cells = " | ".join(f"{r[k][0]:.0f} / {r[k][1]:.0f}" for k in header)
            print(f"| {name} | {n:,} | {cells} | {r['floor'][0]:.1f} / {r['floor'][1]:.1f} | {r['seed_s']:.0f} |",
                  flush=True)


if __name__ == "__main__":
    main()
