"""Several outbox workers on PostgreSQL (issue 8): `FOR UPDATE SKIP LOCKED` hands each message to
one worker; two real `flask outbox run --once` processes deliver 200 messages to the running
portal, each exactly once."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import create_engine, select, text

from gkt_protocol import Publication as PushMessage
from tests.conftest import ROOT, make_app
from tests.pubhelpers import (
    SECRET,
    USCC,
    LivePortal,
    drop_portal_database,
    portal_app,
    portal_database,
    portal_receipts,
)
from webapp import outbox
from webapp.extensions import db
from webapp.models import Department, Document, OutboxMessage, User
from webapp.outbox.worker import claim

pytest.importorskip("portal", reason="the public portal (portal/) is not in this tree")
pytestmark = pytest.mark.postgres


def _queue(n: int) -> list[int]:
    """n published documents, each with one push message waiting (built directly: this test is
    about the workers, not the chain)."""
    dept = Department(name="办公室")
    db.session.add(dept)
    db.session.flush()
    author = User(username="p", display_name="发布员", password_hash="x", department_id=dept.id)
    db.session.add(author)
    db.session.flush()
    ids = []
    for i in range(1, n + 1):
        d = Document(title=f"第{i}号通知", doc_type="通知", department_id=dept.id, drafter_id=author.id,
                     stage="published")
        db.session.add(d)
        db.session.flush()
        index_no = f"{USCC}/2026-{i:05d}"
        message = PushMessage(index_no=index_no, version=1, title=f"关于第{i}项工作的通知", doc_number="",
                              topic=("综合政务", "政务公开"), publisher="示范局", written_date=date(2026, 3, 2),
                              published_at=datetime(2026, 3, 5, 1, 30, tzinfo=UTC), validity="valid",
                              validity_changed_on=None, keywords=(), summary="",
                              body_html=f"<p>第{i}项工作的正文。</p>", docx=None).to_json()
        ids.append(outbox.enqueue(d, "push", index_no, 1, message, author).id)
    db.session.commit()
    return ids


def test_skip_locked_hands_a_locked_message_to_nobody_else(pg_database_url):
    app = make_app(pg_database_url)
    with app.app_context():
        ids = _queue(4)
        engine = create_engine(db.engine.url)
        with engine.connect() as other:  # another worker holds the first two rows mid-claim
            other.execute(text("SELECT id FROM outbox_messages WHERE id IN (:a, :b) FOR UPDATE"),
                          {"a": ids[0], "b": ids[1]})
            assert claim("w2", 10, 60) == ids[2:]  # no wait, no double claim
            other.rollback()
        engine.dispose()
        assert claim("w3", 10, 60) == ids[:2]
        assert claim("w4", 10, 60) == []  # all four leased
        db.session.remove()
        db.engine.dispose()


def test_two_worker_processes_deliver_200_messages_each_exactly_once(pg_database_url, tmp_path):
    portal_url_db = portal_database("postgresql", tmp_path)
    live = LivePortal(portal_app(portal_url_db)).start()
    app = make_app(pg_database_url)
    try:
        with app.app_context():
            ids = _queue(200)
        env = {**os.environ, "DATABASE_URL": pg_database_url, "PORTAL_URL": live.url, "PORTAL_PUSH_SECRET": SECRET,
               "SECRET_KEY": "outbox-test-" + "k" * 40, "FLASK_APP": "wsgi.py"}
        command = [sys.executable, "-m", "flask", "outbox", "run", "--once", "--batch", "5"]
        workers = [subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                    text=True) for _ in range(2)]
        outputs = [w.communicate(timeout=600) for w in workers]
        assert [w.returncode for w in workers] == [0, 0], outputs
        with app.app_context():
            rows = db.session.execute(select(OutboxMessage).order_by(OutboxMessage.id)).scalars().all()
            assert [r.id for r in rows] == ids
            assert {(r.status, r.attempts) for r in rows} == {("sent", 1)}  # each claimed and sent once
            db.session.remove()
        receipts = portal_receipts(live.app)
        assert len(receipts) == 200 and len({i for i, _, _ in receipts}) == 200
        assert {a for _, a, _ in receipts} == {"push"}
        print("messages per worker:", [o[0].strip() for o in outputs])
    finally:
        live.stop()
        from portal.extensions import db as portal_db

        with live.app.app_context():
            portal_db.session.remove()
            portal_db.engine.dispose()
        drop_portal_database("postgresql", portal_url_db)
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
