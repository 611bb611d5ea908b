"""Push throughput: documents per second through the outbox into a running portal (issue 8).

    PYTHONPATH=. python bench/push_bench.py                  # SQLite; PostgreSQL too when TEST_DATABASE_URL is set
    python bench/push_bench.py --documents 100 --rounds 1    # a quick run
    python bench/push_bench.py --server gunicorn             # the portal under gunicorn (gthread, keep-alive)

Each round queues N push messages (a realistic public copy: ~2,000 characters of HTML and a
real public .docx, with a 解读) in the intranet database, then times `run_once` — claim, sign,
POST over loopback HTTP, record the answers with their audit events — until the queue is empty:
once with one message in flight at a time (concurrency 1) and once more (N other documents)
with the worker's default concurrency.  The portal is the real app on its own database, served
by werkzeug (threaded, in this process; it closes every connection) or by gunicorn (-w 2,
gthread, keep-alive, in its own process).  The floor, measured in the same round: N messages
like these (N more new documents, so the portal does the same work: an insert each) POSTed one
after another straight from memory with gkt_protocol's client (no outbox, no intranet
database), a new connection per message.  (Before 2026-11-30 the floor re-sent the outbox's
messages as a second version — an update each, which costs the portal less than an insert.)
Figures: documents/s (median of the rounds) and outbox ÷ floor.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import threading
import time
from datetime import UTC, date, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.machine import describe  # noqa: E402

SECRET = "bench-push-secret-0123456789abcdef0123"
USCC = "11410000MB0G6Y810Y"


def _docx() -> bytes:
    from webapp.disclosure import Disclosure
    from webapp.docgen import OfficialDocument, build_docx

    return build_docx(OfficialDocument(
        issuer_mark="河南省应急管理厅文件", doc_number="豫应急办〔2026〕1号", title="关于做好汛期安全防范工作的通知",
        recipients="各市应急管理局", body_html="<p>" + "做好汛期安全防范工作。" * 60 + "</p>", attachments=(),
        signer="河南省应急管理厅", written_date=date(2026, 3, 2), disclosure=Disclosure.PUBLIC,
        printing_office="河南省应急管理厅办公室", print_date=date(2026, 3, 2), cc=""))


def _messages(n: int, offset: int, docx: bytes) -> list[dict]:
    from gkt_protocol import DocxFile, Interpretation
    from gkt_protocol import Publication as Push

    when = datetime(2026, 3, 5, 1, 30, tzinfo=UTC)
    out = []
    for i in range(offset + 1, offset + n + 1):
        out.append(Push(
            index_no=f"{USCC}/2026-{i:05d}", version=1, title=f"关于做好第{i}批汛期安全防范工作的通知",
            doc_number=f"豫应急办〔2026〕{i}号", topic=("综合政务", "应急管理"), publisher="河南省应急管理厅",
            written_date=date(2026, 3, 2), published_at=when, validity="valid", validity_changed_on=None,
            keywords=("汛期",), summary="", body_html="<p>" + "各地要做好汛期安全防范和救灾准备工作。" * 100 + "</p>",
            docx=DocxFile.build(f"第{i}号.docx", docx), interpretation_required=True,
            interpretation=Interpretation("政策解读", "<p>" + "一、出台背景。" * 50 + "</p>", when, None)).to_json())
    return out


def _portal(url: str, server_kind: str):
    """(stop function, base URL) of the portal served on loopback."""
    from flask_migrate import upgrade

    from portal import create_app
    from portal.extensions import db

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "PORTAL_PUSH_SECRET": SECRET})
    with app.app_context():
        upgrade()
        db.engine.dispose()
    if server_kind == "gunicorn":
        import os
        import socket
        import subprocess
        import urllib.request

        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        root = Path(__file__).resolve().parent.parent
        proc = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-k", "gthread", "-w", "2", "--threads", "4", "--keep-alive", "30",
             "-b", f"127.0.0.1:{port}", "--access-logfile", "/dev/null", "portal_wsgi:app"], cwd=root,
            env={**os.environ, "PORTAL_DATABASE_URL": url, "PORTAL_PUSH_SECRET": SECRET, "PYTHONPATH": str(root)},
            stderr=subprocess.DEVNULL)
        base = f"http://127.0.0.1:{port}"
        for _ in range(150):
            try:
                urllib.request.urlopen(base + "/robots.txt", timeout=2).close()
                break
            except OSError:
                time.sleep(0.2)

        def stop() -> None:
            proc.terminate()
            proc.wait(20)
        return stop, base
    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server.shutdown, f"http://127.0.0.1:{server.server_port}"


def _queue(app, messages: list[dict]) -> None:
    from webapp import outbox
    from webapp.extensions import db
    from webapp.models import Department, Document, User

    with app.app_context():
        author = db.session.execute(db.select(User)).scalars().first()
        if author is None:
            dept = Department(name="办公室")
            db.session.add(dept)
            db.session.flush()
            author = User(username="p", display_name="发布员", password_hash="x", department_id=dept.id)
            db.session.add(author)
            db.session.flush()
        for m in messages:
            d = Document(title=m["title"], doc_type="通知", department_id=author.department_id, drafter_id=author.id,
                         stage="published")
            db.session.add(d)
            db.session.flush()
            outbox.enqueue(d, "push", m["index_no"], 1, m, author)
        db.session.commit()


def run(backend: str, intranet_url: str, portal_url: str, n: int, rounds: int, server_kind: str) -> dict:
    from gkt_protocol import client
    from webapp import create_app
    from webapp.extensions import db
    from webapp.outbox.worker import DEFAULT_CONCURRENCY, Settings, run_once

    stop, base = _portal(portal_url, server_kind)
    app = create_app({"SQLALCHEMY_DATABASE_URI": intranet_url, "SECRET_KEY": "b" * 40, "TESTING": True})
    with app.app_context():
        db.create_all()
        from webapp.services import audit

        audit.ensure_head()
        db.session.commit()
    docx = _docx()
    rates: dict[str, list[float]] = {"outbox1": [], "outboxN": [], "floor": []}
    offset = 0
    for _ in range(rounds):
        for key, concurrency in (("outbox1", 1), ("outboxN", DEFAULT_CONCURRENCY)):
            msgs = _messages(n, offset, docx)
            offset += n
            _queue(app, msgs)
            with app.app_context():
                t = time.perf_counter()
                done = run_once(Settings(base, SECRET, timeout=30, concurrency=concurrency))
                elapsed = time.perf_counter() - t
            assert len(done) == n and {o.status for o in done} == {"sent"}, {o.status for o in done}
            rates[key].append(n / elapsed)
        fresh = _messages(n, offset, docx)  # N more new documents: the portal does the same work as for the outbox's
        offset += n
        t = time.perf_counter()
        for m in fresh:
            assert client.push(base, SECRET, m, timeout=30).ok
        rates["floor"].append(n / (time.perf_counter() - t))
    stop()
    return {"backend": backend, "n": n, "server": server_kind, "concurrency": DEFAULT_CONCURRENCY,
            **{k: statistics.median(v) for k, v in rates.items()}, "kb": len(json.dumps(msgs[0]).encode()) / 1024}


def main() -> None:
    import os

    parser = argparse.ArgumentParser()
    parser.add_argument("--documents", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--server", choices=("werkzeug", "gunicorn"), default="werkzeug")
    args = parser.parse_args()
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        results.append(run("SQLite", f"sqlite:///{tmp}/intranet.db", f"sqlite:///{tmp}/portal.db",
                           args.documents, args.rounds, args.server))
    if os.environ.get("TEST_DATABASE_URL"):
        os.environ.setdefault("CI", "")
        from tests.conftest import create_pg_database, drop_pg_database

        if os.environ.get("PUSH_BENCH_PG"):  # "intranet URL,portal URL": databases of one's own, kept
            a, b = os.environ["PUSH_BENCH_PG"].split(",")
            results.append(run("PostgreSQL", a, b, args.documents, args.rounds, args.server))
        else:
            a, b = create_pg_database(), create_pg_database()
            try:
                results.append(run("PostgreSQL", a, b, args.documents, args.rounds, args.server))
            finally:
                drop_pg_database(a)
                drop_pg_database(b)
    print(f"machine: {describe()}; load average {os.getloadavg()[0]:.1f}")
    print(f"{args.documents} documents per round, median of {args.rounds} rounds; portal served by {args.server}")
    c = results[0]["concurrency"]
    print(f"| databases | message size | outbox, 1 in flight (documents/s) | outbox, {c} in flight | "
          "floor: direct signed POSTs, one after another | outbox 1 ÷ floor | "
          f"outbox {c} ÷ floor |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for r in results:
        print(f"| {r['backend']} | {r['kb']:.0f} KB | {r['outbox1']:.1f} | {r['outboxN']:.1f} | {r['floor']:.1f} | "
              f"{r['outbox1'] / r['floor']:.2f} | {r['outboxN'] / r['floor']:.2f} |")


if __name__ == "__main__":
    main()
