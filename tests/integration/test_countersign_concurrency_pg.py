"""Two 会签 departments agreeing at the same instant, on PostgreSQL with real concurrent
sessions: the document moves on to the leader exactly once, and both opinions are recorded.

Each agreement is held, after it has read the document and before it writes, until the
other has also read (or for at most two seconds): without the row lock both would see
the other still pending and neither would move the document — the case this proves away.
"""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import event, select
from sqlalchemy.orm import Session

from tests.conftest import People, make_app
from tests.helpers import act, doc, new_draft, user
from webapp.extensions import db
from webapp.models import AuditEvent, Countersign
from webapp.services import chain, countersign
from webapp.services.audit import verify_chain
from webapp.workflow import Action, Role, Stage

pytestmark = pytest.mark.postgres


@pytest.fixture
def pg_app(pg_database_url):
    app = make_app(pg_database_url, SQLALCHEMY_ENGINE_OPTIONS={"pool_size": 10, "max_overflow": 10})
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def agree_at_once(app, doc_id: int, version: int, heads: dict[str, int]) -> dict[str, str]:
    """Both heads agree from their own sessions, each held before its first write until the other
    has read too (or for two seconds, when the other is queued on the row lock)."""
    both_read = threading.Barrier(2, timeout=2)
    start = threading.Barrier(2, timeout=20)
    held = threading.local()
    results: dict[str, str] = {}

    def hold_first_write(session, flush_context, instances):
        if getattr(held, "done", False):
            return
        held.done = True
        try:
            both_read.wait()
        except threading.BrokenBarrierError:  # the other is waiting for the row lock: go on
            pass

    def agree(name: str, uid: int):
        with app.app_context():
            start.wait()
            try:
                chain.move(doc_id, user(uid), Action.APPROVE, version, f"{name}同意。")
                results[name] = "agreed"
            except Exception as exc:  # reported by the caller's assertion
                results[name] = f"{type(exc).__name__}: {exc}"
                db.session.rollback()

    event.listen(Session, "before_flush", hold_first_write)
    try:
        threads = [threading.Thread(target=agree, args=(name, uid)) for name, uid in heads.items()]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
    finally:
        event.remove(Session, "before_flush", hold_first_write)
    return results


def test_two_departments_agree_at_once_the_leader_gets_it_exactly_once(pg_app):
    people = People(pg_app)
    drafter = people.user("drafter", Role.DRAFTER)
    office = people.user("office", Role.OFFICE, department="办公室")
    heads = {"财务处": people.user("head_finance", Role.DEPT_HEAD, department="财务处"),
             "法规处": people.user("head_legal", Role.DEPT_HEAD, department="法规处")}
    depts = {name: people.department(name) for name in heads}

    for round_ in range(3):
        with pg_app.app_context():
            d = new_draft(drafter, title=f"会签并发{round_}")
            for dept in depts.values():
                countersign.add_department(d, user(drafter), dept)
            act(d, drafter, Action.SUBMIT)
            act(d, office, Action.APPROVE)
            assert doc(d).stage == Stage.COUNTERSIGN
            version = doc(d).version

        results = agree_at_once(pg_app, d, version, heads)

        assert results == {"财务处": "agreed", "法规处": "agreed"}, results
        with pg_app.app_context():
            db.session.expire_all()
            assert doc(d).stage == Stage.LEADER_APPROVAL
            moves = db.session.execute(select(AuditEvent).where(
                AuditEvent.document_id == d, AuditEvent.from_stage == Stage.COUNTERSIGN.value)
                .order_by(AuditEvent.seq)).scalars().all()
            assert [e.action for e in moves] == ["approve", "approve"]
            assert [e.to_stage for e in moves] == ["countersign", "leader_approval"]  # moved exactly once
            assert {e.comment for e in moves} == {"财务处同意。", "法规处同意。"}
            rows = db.session.execute(select(Countersign).where(Countersign.document_id == d)).scalars().all()
            assert {(r.opinion, r.agreed_round) for r in rows} == {("财务处同意。", 1), ("法规处同意。", 1)}
            assert verify_chain().ok
