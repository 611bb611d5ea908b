"""Push throughput: documents per second through the outbox into a running portal (issue 8).

    PYTHONPATH=. python bench/push_bench.py                  # SQLite; PostgreSQL too when TEST_DATABASE_URL is set
    python bench/push_bench.py --documents 100 --rounds 1    # a quick run

Each round queues N push messages (a realistic public copy: ~2,000 characters of HTML and a
real public .docx, with a 解读) in the intranet database, then times `run_once` — claim, sign,
POST over loopback HTTP, record the answer with its audit event — until the queue is empty.
The portal is the real app on its own database, served by werkzeug (threaded) in this
process.  The floor, measured in the same round: the same N messages POSTed straight from
memory with gkt_protocol's client (no outbox, no intranet database).  Figures: documents/s
(median of the rounds) and outbox ÷ floor.
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


def _portal(url: str):
    from flask_migrate import upgrade
    from werkzeug.serving import make_server

    from portal import create_app

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "PORTAL_PUSH_SECRET": SECRET})
    with app.app_context():
        upgrade()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_port}"


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


def run(backend: str, intranet_url: str, portal_url: str, n: int, rounds: int) -> dict:
    from gkt_protocol import client
    from webapp import create_app
    from webapp.extensions import db
    from webapp.outbox.worker import Settings, run_once

    server, base = _portal(portal_url)
    app = create_app({"SQLALCHEMY_DATABASE_URI": intranet_url, "SECRET_KEY": "b" * 40, "TESTING": True})
    with app.app_context():
        db.create_all()
        from webapp.services import audit

        audit.ensure_head()
        db.session.commit()
    docx = _docx()
    outbox_rates, floor_rates = [], []
    offset = 0
    for _ in range(rounds):
        msgs = _messages(n, offset, docx)
        offset += n
        _queue(app, msgs)
        with app.app_context():
            t = time.perf_counter()
            done = run_once(Settings(base, SECRET, timeout=30))
            elapsed = time.perf_counter() - t
        assert len(done) == n and {o.status for o in done} == {"sent"}, {o.status for o in done}
        outbox_rates.append(n / elapsed)
        again = [dict(m, version=2) for m in msgs]  # a second version of the same documents (an update each)
        t = time.perf_counter()
        for m in again:
            assert client.push(base, SECRET, m, timeout=30).ok
        floor_rates.append(n / (time.perf_counter() - t))
    server.shutdown()
    return {"backend": backend, "n": n, "outbox": statistics.median(outbox_rates),
            "floor": statistics.median(floor_rates), "kb": len(json.dumps(msgs[0]).encode()) / 1024}


def main() -> None:
    import os

    parser = argparse.ArgumentParser()
    parser.add_argument("--documents", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        results.append(run("SQLite", f"sqlite:///{tmp}/intranet.db", f"sqlite:///{tmp}/portal.db",
                           args.documents, args.rounds))
    if os.environ.get("TEST_DATABASE_URL"):
        os.environ.setdefault("CI", "")
        from tests.conftest import create_pg_database, drop_pg_database

        a, b = create_pg_database(), create_pg_database()
        try:
            results.append(run("PostgreSQL", a, b, args.documents, args.rounds))
        finally:
            drop_pg_database(a)
            drop_pg_database(b)
    print(f"machine: {describe()}")
    print(f"{args.documents} documents per round, median of {args.rounds} rounds")
    print("| databases | message size | outbox → portal (documents/s) | floor: direct signed POSTs (documents/s) | outbox ÷ floor |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for r in results:
        print(f"| {r['backend']} | {r['kb']:.0f} KB | {r['outbox']:.1f} | {r['floor']:.1f} | {r['outbox'] / r['floor']:.2f} |")


if __name__ == "__main__":
    main()
