"""Same-process A/B of branch `queuepg` on the applications queue: "before" switches its three changes
off by monkeypatching (the navigation's own statement instead of riding on the page's, statements
through the ORM's execution layer, the EmptyForm always built); page before, page after and the
template floor of applications_queue_bench interleaved per iteration, so all three see the same load.

    TEST_DATABASE_URL=... python bench/queue_navigation_ab.py pg 1000      # or: sqlite 100000
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.applications_queue_bench import login, seed  # noqa: E402

REQUESTS = 200


def switches():
    import webapp.blueprints.applications.routes as routes
    from webapp.extensions import db
    from webapp.services import standin, todo

    riders, execute, render = todo.navigation_riders, standin.execute, routes.render_template

    def before(on: bool) -> None:
        todo.navigation_riders = (lambda u: None) if on else riders
        standin.execute = (lambda s, p: db.session.execute(s, p)) if on else execute
        routes.render_template = ((lambda *a, **k: render(*a, **{**k, "empty_form": routes.EmptyForm(formdata=None)}))
                                  if on else render)

    return {"before": before, "after": lambda on: None}


def measure(app, who: str, variants) -> str:
    from flask import g, render_template
    from flask_login import login_user
    from sqlalchemy import select
    from sqlalchemy.orm import joinedload

    from webapp.extensions import db
    from webapp.models import User
    from webapp.services import applications

    client = app.test_client()
    login(client, who)
    with app.test_request_context("/applications/"):
        user = db.session.execute(select(User).options(joinedload(User.role_rows), joinedload(User.department))
                                  .where(User.username == who)).unique().scalar_one()
        login_user(user)
        rows = applications.queue(user)
        clocks = applications.queue_clocks(rows)
        render_template("applications/queue.html", rows=rows, clocks=clocks, more="x", total=100)
        held = {"nav_counts": g.nav_counts, "csrf_token": g.csrf_token}
        db.session.expunge_all()
    for switch in variants.values():
        switch(True)
        for _ in range(20):
            assert client.get("/applications/").status_code == 200
        switch(False)
    pages: dict[str, list] = {n: [] for n in variants}
    floor, loads = [], []
    for i in range(REQUESTS):
        for name, switch in variants.items():
            switch(True)
            t, c = time.perf_counter(), time.process_time()
            client.get("/applications/")
            pages[name].append((time.perf_counter() - t, time.process_time() - c))
            switch(False)
        with app.test_request_context("/applications/"):
            login_user(user)
            for k, v in held.items():
                setattr(g, k, v)
            t, c = time.perf_counter(), time.process_time()
            render_template("applications/queue.html", rows=rows, clocks=clocks, more="x", total=100)
            floor.append((time.perf_counter() - t, time.process_time() - c))
        if i % 50 == 0:
            loads.append(os.getloadavg()[0])

    def med(xs, k):
        return statistics.median(x[k] for x in xs) * 1000

    fw, fc = med(floor, 0), med(floor, 1)
    out = [f"{who} | floor {fw:.1f} / {fc:.1f}"]
    for name in variants:
        w, c = med(pages[name], 0), med(pages[name], 1)
        out.append(f"{name} {w:.1f} / {c:.1f} ({w / fw:.1f}× / {c / fc:.1f}×)")
    out.append(f"load {min(loads):.1f}–{max(loads):.1f}")
    return " | ".join(out)


def main() -> None:
    from tests.conftest import TEST_CONFIG, create_pg_database, drop_pg_database, make_app

    which, size = sys.argv[1], int(sys.argv[2])
    url = create_pg_database() if which == "pg" else f"sqlite:///{tempfile.mkdtemp()}/bench.db"
    try:
        app = make_app(url, **{**TEST_CONFIG, "WTF_CSRF_ENABLED": True})
        seed(app, size)
        if which == "pg":
            import psycopg

            with psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://"), autocommit=True) as conn:
                conn.execute("VACUUM ANALYZE")
        variants = switches()
        for who in ("office", "handler"):
            print(f"{which} | {size:,} | {measure(app, who, variants)}", flush=True)
    finally:
        if which == "pg":
            drop_pg_database(url)


if __name__ == "__main__":
    main()
