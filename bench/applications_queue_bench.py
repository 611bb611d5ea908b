"""Time the handler's queue of disclosure applications at 1,000 / 10,000 / 100,000 applications
of 10 events each (issue 9: within 3x its template floor, flat across sizes).

    python bench/applications_queue_bench.py                 # SQLite
    python bench/applications_queue_bench.py --pg            # PostgreSQL too (TEST_DATABASE_URL)
    python bench/applications_queue_bench.py --sizes 1000    # a quick run

Each figure is the median over REQUESTS requests, wall time and CPU time (time.process_time: this
process only — SQLite runs in it, PostgreSQL's server does not; steadier than wall time when the
machine is shared), with the 1-minute load average when the row was printed through the WSGI app (Flask's test client:
routing, login, the keyset query, the rows' deadlines in words from the stored due day, the template),
beside a floor measured in the same run, interleaved with the requests (one request, one floor
render, and so on), so both see the same load on a shared machine: the same template rendered from rows and clocks
already held in memory (no query at all).  Two viewers: the office (sees all) and a handler
(their department's applications, a tenth of the total).
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
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.machine import cpu_model  # noqa: E402

REQUESTS = 200
PASSWORD = "Bench-passw0rd"


def seed(app, n: int) -> None:
    from sqlalchemy import insert

    from webapp.extensions import db
    from webapp.models import Application, ApplicationEvent
    from webapp.services import accounts
    from webapp.workflow import Role

    with app.app_context():
        depts = [accounts.save_department(f"处室{i}", None).id for i in range(10)]
        accounts.create_user("office", "办公室", PASSWORD, depts[0], {Role.OFFICE})
        accounts.create_user("handler", "经办人", PASSWORD, depts[1], {Role.HANDLER})
        rnd = random.Random(9)
        start = date(2026, 3, 2)
        now = datetime(2026, 3, 2, tzinfo=UTC)
        kinds = ["received", "search_recorded", "consultation_started", "consultation_ended", "extension_requested",
                 "extension_approved", "reply_submitted", "reply_returned", "search_recorded", "reply_submitted"]
        batch = 5000
        for lo in range(0, n, batch):
            apps, events = [], []
            for i in range(lo, min(n, lo + batch)):
                received = start + timedelta(days=rnd.randrange(200))
                apps.append(dict(id=i + 1, channel="online", received_on=received, applicant_type="person",
                                 applicant_name=f"申请人{i}", id_doc_type="", id_doc_number=str(i), contact_phone="1",
                                 contact_address="", contact_email="", description=f"所需信息{i}",
                                 form_wanted="electronic", fingerprint=f"{i:064d}", stage="handling",
                                 department_id=depts[i % 10], created_at=now, due_on=received + timedelta(days=28),
                                 corrections_requested=0, extension_requested=False, extension_days=0,
                                 fee_amount=0, search_notes="", reply_text="", portal_pushed_version=0, version=1))
                for k, kind in enumerate(kinds):
                    events.append(dict(application_id=i + 1, kind=kind, day=received + timedelta(days=k), days=10 if
                                       kind == "extension_approved" else 0, party="third_party", comment="",
                                       details_json="{}", actor_name="经办人", created_at=now))
            db.session.execute(insert(Application), apps)
            db.session.execute(insert(ApplicationEvent), events)
            db.session.commit()


def login(client, username: str) -> None:
    import re

    html = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf-token" content="([^"]+)"', html).group(1)
    assert client.post("/login", data={"username": username, "password": PASSWORD, "csrf_token": token}).status_code == 302


def _timed(fn) -> tuple[float, float]:
    t, c = time.perf_counter(), time.process_time()
    fn()
    return time.perf_counter() - t, time.process_time() - c


def measure(app, username: str) -> tuple[float, float, float, float, float, float]:
    """(page wall, floor wall, page CPU, floor CPU, direct wall, direct CPU) medians in ms.

    "page": through Flask's test client; "direct": the same request, with the same session
    cookie, called as a WSGI server calls the app (bench/wsgi_direct.py) — what a server pays."""
    from flask import g, render_template
    from flask_login import login_user
    from sqlalchemy import select
    from sqlalchemy.orm import joinedload

    from webapp.extensions import db
    from webapp.models import User
    from webapp.services import applications

    client = app.test_client()
    login(client, username)
    assert client.get("/applications/").status_code == 200
    with app.test_request_context("/applications/"):
        user = db.session.execute(select(User).options(joinedload(User.role_rows), joinedload(User.department))
                                  .where(User.username == username)).unique().scalar_one()
        login_user(user)
        rows = applications.queue(user)  # rows as the view gets them (with the handler's name)
        clocks = applications.queue_clocks(rows)
        render_template("applications/queue.html", rows=rows, clocks=clocks, more="x", total=100)
        held = {"nav_counts": g.nav_counts, "csrf_token": g.csrf_token}  # the floor reads these from memory
        db.session.expunge_all()

    def floor_render():
        render_template("applications/queue.html", rows=rows, clocks=clocks, more="x", total=100)

    from bench.wsgi_direct import Direct

    direct = Direct.from_client(app, client)
    assert direct.get("/applications/").status_code == 200
    samples, floor, straight = [], [], []
    for _ in range(REQUESTS):  # interleaved: the page and its floor see the same machine load
        samples.append(_timed(lambda: client.get("/applications/")))
        straight.append(_timed(lambda: direct.get("/applications/")))
        with app.test_request_context("/applications/"):  # its own context, as before, but not timed
            login_user(user)
            for k, v in held.items():
                setattr(g, k, v)
            floor.append(_timed(floor_render))
    assert client.get("/applications/").status_code == 200

    def med(xs, k):
        return statistics.median(x[k] for x in xs) * 1000

    return (med(samples, 0), med(floor, 0), med(samples, 1), med(floor, 1),
            med(straight, 0), med(straight, 1))


def run(url: str, sizes: list[int]) -> list[str]:
    from tests.conftest import TEST_CONFIG, make_app  # the test schema builder (create_all)

    lines = []
    for n in sizes:
        app = make_app(url, **{**TEST_CONFIG, "WTF_CSRF_ENABLED": True})
        seed(app, n)
        if url.startswith("postgresql"):  # what autovacuum does soon after a bulk load (as dashboard_bench)
            import psycopg

            with psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://"), autocommit=True) as conn:
                conn.execute("VACUUM ANALYZE")
        for who in ("office", "handler"):
            page, floor, page_cpu, floor_cpu, direct, direct_cpu = measure(app, who)
            load = os.getloadavg()[0]
            lines.append(f"| {url.split(':')[0]} | {n:,} | {who} | {page:.1f} | {floor:.1f} | {page / floor:.1f}× "
                         f"| {page_cpu:.1f} | {floor_cpu:.1f} | {page_cpu / floor_cpu:.1f}× "
                         f"| {direct:.1f} ({direct / floor:.1f}×) | {direct_cpu:.1f} ({direct_cpu / floor_cpu:.1f}×) "
                         f"| {load:.1f} |")
            print(lines[-1], flush=True)
    return lines


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=lambda s: [int(x) for x in s.split(",")], default=[1000, 10000, 100000])
    parser.add_argument("--pg", action="store_true")
    args = parser.parse_args()
    print(f"{platform.node()} · {cpu_model()} · Python {platform.python_version()}")
    print("| database | applications | viewer | page median ms | template floor ms | ratio "
          "| page CPU ms | floor CPU ms | CPU ratio | direct wall ms (ratio) | direct CPU ms (ratio) | load (1 min) |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for n in args.sizes:
        run(f"sqlite:///{tempfile.mkdtemp()}/bench.db", [n])
    if args.pg and os.environ.get("TEST_DATABASE_URL"):
        from tests.conftest import create_pg_database, drop_pg_database

        for n in args.sizes:
            url = create_pg_database()
            try:
                run(url, [n])
            finally:
                drop_pg_database(url)


if __name__ == "__main__":
    main()
