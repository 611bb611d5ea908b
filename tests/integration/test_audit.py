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


def test_the_log_refuses_a_kind_it_has_no_label_for(app, chain_cast):
    from webapp.events import UnknownEventKind
    from webapp.services import audit

    with app.app_context():
        before = db.session.get(AuditHead, 1).seq
        with pytest.raises(UnknownEventKind, match="frobnicate"):
            audit.record("frobnicate", None)
        db.session.rollback()
        assert db.session.get(AuditHead, 1).seq == before
        assert db.session.execute(db.select(AuditEvent).where(AuditEvent.action == "frobnicate")).first() is None


def _full_chain_run(ids) -> int:
    """One document through every step that leaves a mark on its timeline: edits, attachments,
    a secrecy flag, 退文 with a proposed attribute, referral, 签发, 印发, de-identification."""
    from tests.helpers import doc, draft_input, new_draft, user
    from webapp.services import deid_review, drafting, files, issuing

    code = issuing.save_code(None, "豫应急办", "河南省应急管理厅文件", "河南省应急管理厅", "河南省应急管理厅办公室")
    body = "<p>联系人：张三，电话13812345678。</p>"
    asked = dict(disclosure="on_request", disclosure_reason="涉及个人信息", legal_basis_codes=["art15"])
    d = new_draft(ids["drafter"], body_html=body, may_involve_secrets=True, **asked)
    drafter = user(ids["drafter"])
    drafting.update_draft(d, drafter, draft_input(body_html=body + "<p>值班员老周负责联络。</p>", may_involve_secrets=True,
                                                  **asked), doc(d).version)
    drafting.add_attachment(d, drafter, "说明.txt", "附件说明：值班安排。".encode())
    drafting.add_attachment(d, drafter, "多余.txt", "误传的文件。".encode())
    drafting.remove_attachment(d, drafter, next(f.id for f in files.files_of(d, "attachment")
                                                if f.filename == "多余.txt"))
    act(d, ids["drafter"], Action.SUBMIT)
    act(d, ids["secrecy"], Action.RETURN, "请核实是否涉密")
    act(d, ids["drafter"], Action.SUBMIT)
    act(d, ids["secrecy"], Action.APPROVE)
    act(d, ids["office"], Action.RETURN, "宜主动公开", proposed_disclosure="public", proposal_reason="面向社会")
    drafting.accept_proposal(d, drafter, doc(d).version)
    act(d, ids["drafter"], Action.SUBMIT)
    act(d, ids["secrecy"], Action.APPROVE)
    act(d, ids["office"], Action.REFER_TO_SECRECY, "附件需再审")
    act(d, ids["secrecy"], Action.APPROVE)
    act(d, ids["office"], Action.APPROVE)
    act(d, ids["leader"], Action.APPROVE)
    day = issuing.default_written_date(doc(d))
    issuing.issue_document(d, user(ids["office"]), doc(d).version, issuing.IssueInput(code.id, day, day))
    publisher = user(ids["publisher"])
    for f in deid_review.findings_of(d):
        deid_review.decide(d, f.id, publisher, "mask")
    deid_review.add_by_hand(d, publisher, "body", "值班员", "person_name")  # a mark the engine did not make
    for f in deid_review.eye_check_files(doc(d)):
        deid_review.mark_checked_by_eye(d, f.id, publisher)
    deid_review.confirm(d, publisher, doc(d).version)
    return d


def test_a_full_chain_runs_timeline_shows_every_event_in_chinese(app, chain_cast, people):
    import re

    from webapp.services.audit import document_timeline

    with app.app_context():
        d = _full_chain_run(chain_cast)
        events = document_timeline(d)
        kinds = {e.action for e in events}
    assert {"create", "edit", "attach", "detach", "accept_proposal", "refer_to_secrecy", "confirm_deid",
            "deid_decide", "deid_add", "deid_eye_check"} <= kinds
    page = people.client("drafter").get(f"/documents/{d}").get_data(as_text=True)
    heads = re.findall(r'<div class="tl-head">(.*?)</div>', page, re.S)
    labels = [re.sub(r"<[^>]+>", "", h).split("→")[0].strip() for h in heads]
    assert len(labels) == len(events)
    assert [x for x in labels if x.isascii()] == []  # no attach, detach, deid_eye_check …
    assert {"签发", "审核通过", "保密审查通过", "退文", "重新提交", "送保密审查", "添加附件", "删除附件",
            "目视检查附件", "确认去标识化"} <= set(labels)
    assert any(re.sub(r"<[^>]+>|\s", "", h) == "签发→已签发" for h in heads)  # not "审核通过 → 已签发"

