"""Two people acting on one document at once, on PostgreSQL with real concurrent sessions.

Exactly one move wins; the other gets 此文件已被他人处理 and writes nothing; the
audit chain stays one unbroken line.
"""

from __future__ import annotations

import random
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import event, func, select
from sqlalchemy.orm import Session

from tests.conftest import People, make_app
from tests.helpers import doc, submitted, user
from webapp import clock
from webapp.extensions import db
from webapp.models import AuditEvent, Document
from webapp.services import chain
from webapp.services.audit import verify_chain
from webapp.services.errors import Conflict, Forbidden
from webapp.workflow import Action, Role, Stage

pytestmark = pytest.mark.postgres


@pytest.fixture
def pg_app(pg_database_url):
    app = make_app(pg_database_url, SQLALCHEMY_ENGINE_OPTIONS={"pool_size": 25, "max_overflow": 30})
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def audit_count() -> int:
    return db.session.execute(select(func.count()).select_from(AuditEvent)).scalar_one()


def test_two_sessions_approve_the_same_document_one_wins(pg_app):
    people = People(pg_app)
    drafter = people.user("drafter", Role.DRAFTER)
    office_a = people.user("office_a", Role.OFFICE, department="办公室")
    office_b = people.user("office_b", Role.OFFICE, department="办公室")
    with pg_app.app_context():
        d = submitted(drafter)
        version = doc(d).version
        before = audit_count()

    # Both transactions have read the document (same version) before either writes.
    barrier = threading.Barrier(2, timeout=20)
    waited = threading.local()

    def hold_first_flush(session, flush_context, instances):
        if not getattr(waited, "done", False):
            waited.done = True
            barrier.wait()

    results: dict[str, str] = {}

    def approve(name: str, uid: int, action: Action, comment: str):
        with pg_app.app_context():
            try:
                chain.move(d, user(uid), action, version, comment)
                results[name] = "won"
            except Conflict as exc:
                results[name] = exc.message

    event.listen(Session, "before_flush", hold_first_flush)
    try:
        threads = [threading.Thread(target=approve, args=("a", office_a, Action.APPROVE, "同意")),
                   threading.Thread(target=approve, args=("b", office_b, Action.RETURN, "退回"))]
        for t in threads:
            t.start()
        for t in threads:
            t.join(30)
    finally:
        event.remove(Session, "before_flush", hold_first_flush)

    assert sorted(results.values()) == ["won", "此文件已被他人处理，页面已显示最新状态。"], results
    with pg_app.app_context():
        assert audit_count() == before + 1
        assert doc(d).stage in (Stage.LEADER_APPROVAL, Stage.RETURNED)
        assert verify_chain().ok


def test_fifty_threads_on_fifty_documents_each_approved_once(pg_app):
    people = People(pg_app)
    drafter = people.user("drafter", Role.DRAFTER)
    officers = [people.user(f"office{i}", Role.OFFICE, department="办公室") for i in range(5)]
    with pg_app.app_context():
        docs = [submitted(drafter, title=f"并发文件{i}") for i in range(50)]
        versions = {d: doc(d).version for d in docs}
        before = audit_count()

    outcomes: list[tuple[int, str]] = []
    lock = threading.Lock()

    def worker(i: int):
        rng = random.Random(i)
        targets = [docs[i]] + rng.sample(docs, 4)  # its own document and four others, racing
        with pg_app.app_context():
            for d in targets:
                try:
                    chain.move(d, user(officers[i % 5]), Action.APPROVE, versions[d])
                    result = "won"
                except (Conflict, Forbidden):
                    result = "lost"
                finally:
                    db.session.rollback()
                with lock:
                    outcomes.append((d, result))

    with ThreadPoolExecutor(max_workers=50) as pool:
        list(pool.map(worker, range(50)))

    wins = [d for d, r in outcomes if r == "won"]
    assert sorted(wins) == sorted(docs), "every document approved exactly once"
    with pg_app.app_context():
        db.session.expire_all()
        stages = db.session.execute(select(Document.stage).where(Document.id.in_(docs))).scalars().all()
        assert set(stages) == {Stage.LEADER_APPROVAL.value}
        approvals = db.session.execute(select(func.count()).select_from(AuditEvent).where(
            AuditEvent.action == "approve", AuditEvent.document_id.in_(docs))).scalar_one()
        assert approvals == 50 and audit_count() == before + 50
        report = verify_chain()
        assert report.ok, report.problem


def test_twenty_concurrent_issues_get_numbers_one_to_twenty(pg_app):
    """文号 stays unique and gap-free when 20 issues run at once on PostgreSQL."""
    from webapp.services import issuing

    people = People(pg_app)
    drafter = people.user("drafter", Role.DRAFTER)
    officers = [people.user(f"office{i}", Role.OFFICE, department="办公室") for i in range(4)]
    leader = people.user("leader", Role.LEADER, department="办公室")
    with pg_app.app_context():
        code = issuing.save_code(None, "豫应急办", "河南省应急管理厅文件", "河南省应急管理厅", "河南省应急管理厅办公室").id
        docs = []
        for i in range(20):
            d = submitted(drafter, title=f"并发印发{i}")
            chain.move(d, user(officers[0]), Action.APPROVE, doc(d).version)
            chain.move(d, user(leader), Action.APPROVE, doc(d).version)
            docs.append((d, doc(d).version))
    today = clock.agency_today()  # the agency's day, as the leader's signing date is (not the UTC date)
    start = threading.Barrier(20, timeout=30)
    errors: list[Exception] = []

    def issue_one(i: int):
        d, version = docs[i]
        with pg_app.app_context():
            start.wait()
            try:
                issuing.issue_document(d, user(officers[i % 4]), version, issuing.IssueInput(code, today, today))
            except Exception as exc:  # collected and asserted below
                errors.append(exc)
                db.session.rollback()

    with ThreadPoolExecutor(max_workers=20) as pool:
        list(pool.map(issue_one, range(20)))
    assert errors == []
    with pg_app.app_context():
        db.session.expire_all()
        seqs = sorted(db.session.execute(select(Document.number_seq).where(Document.id.in_([d for d, _ in docs])))
                      .scalars())
        assert seqs == list(range(1, 21))
        numbers = db.session.execute(select(Document.doc_number).where(Document.id.in_([d for d, _ in docs]))).scalars()
        assert {n for n in numbers} == {f"豫应急办〔{today.year}〕{i}号" for i in range(1, 21)}
        assert verify_chain().ok
