"""R13: an append-only log in which each entry carries the hash of the previous one."""

import pytest
from sqlalchemy import text

from tests.helpers import act, submitted
from webapp.extensions import db
from webapp.models import AuditEvent, AuditHead
from webapp.services.audit import verify_chain
from webapp.workflow import Action


@pytest.fixture
def history(app, chain_cast):
    with app.app_context():
        for _ in range(3):
            d = submitted(chain_cast["drafter"])
            act(d, chain_cast["office"], Action.APPROVE)
    return app


def _tamper(sql: str, **params) -> None:
    if db.engine.dialect.name == "postgresql":  # the trigger refuses; a superuser switches it off
        db.session.execute(text("SET LOCAL session_replication_role = replica"))
    db.session.execute(text(sql), params)
    db.session.commit()


def test_an_intact_chain_verifies(history):
    with history.app_context():
        report = verify_chain()
        assert report.ok and report.events == db.session.get(AuditHead, 1).seq > 9


def test_an_edited_comment_is_found_at_its_entry(history):
    with history.app_context():
        _tamper("UPDATE audit_events SET comment = '后来改的' WHERE seq = 5")
        report = verify_chain()
        assert not report.ok and report.first_broken_seq == 5 and "被修改" in report.problem


def test_a_deleted_entry_is_found(history):
    with history.app_context():
        _tamper("DELETE FROM audit_events WHERE seq = 4")
        report = verify_chain()
        assert not report.ok and report.first_broken_seq == 4


def test_a_deleted_last_entry_is_found(history):
    with history.app_context():
        _tamper("DELETE FROM audit_events WHERE seq = 9")
        report = verify_chain()
        assert not report.ok and report.first_broken_seq == 9


def test_the_orm_refuses_to_change_an_entry(history):
    with history.app_context():
        ev = db.session.execute(db.select(AuditEvent)).scalars().first()
        ev.comment = "改"
        with pytest.raises(RuntimeError, match="只能追加"):
            db.session.commit()
        db.session.rollback()


def test_postgresql_refuses_to_change_an_entry(history):
    with history.app_context():
        if db.engine.dialect.name != "postgresql":
            pytest.skip("the database trigger exists on PostgreSQL only; SQLite relies on the ORM guard and the hash chain")
        with pytest.raises(Exception, match="append-only"):
            db.session.execute(text("UPDATE audit_events SET comment = 'x' WHERE seq = 1"))
        db.session.rollback()


def test_flask_audit_verify_reports_the_first_broken_link(history):
    runner = history.test_cli_runner()
    ok = runner.invoke(args=["audit", "verify"])
    assert ok.exit_code == 0 and "哈希链校验通过" in ok.output
    with history.app_context():
        _tamper("UPDATE audit_events SET actor_name = '别人' WHERE seq = 2")
    bad = runner.invoke(args=["audit", "verify"])
    assert bad.exit_code == 1 and "第一个断点：第 2 条" in bad.output


def test_every_decision_records_who_when_what_and_why(history, chain_cast):
    with history.app_context():
        d = submitted(chain_cast["drafter"])
        act(d, chain_cast["office"], Action.RETURN, "依据不足")
        ev = db.session.execute(db.select(AuditEvent).order_by(AuditEvent.seq.desc())).scalars().first()
        assert (ev.actor_name, ev.action, ev.from_stage, ev.to_stage, ev.comment) == (
            "陈静", "return", "office_review", "returned", "依据不足")
        assert ev.created_at is not None and ev.document_id == d
