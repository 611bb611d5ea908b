"""Citizens' disclosure applications through the handler's pages (issue 9): register by each
channel with its 接收回执, 补正, consultation, extension approved by the head of the disclosure
office, the reply reviewed by the office, each letter read back with python-docx; who may see
what; bad input changes nothing.  Real database (SQLite, and PostgreSQL with TEST_DATABASE_URL)."""

from __future__ import annotations

import io
import re
from contextlib import contextmanager
from datetime import UTC, date, datetime

import docx
import pytest

from tests.conftest import post
from webapp import clock
from webapp.applications_flow import CHANNELS, REMEDIES, Channel
from webapp.docgen.letters import letter_text
from webapp.extensions import db
from webapp.models import Application, ApplicationEvent, ApplicationFile, AuditEvent
from webapp.services import audit
from webapp.workflow import Role


@contextmanager
def on(y: int, m: int, d: int):
    """The agency's day (10:00 in Beijing)."""
    with clock.frozen(datetime(y, m, d, 2, 0, tzinfo=UTC)):
        yield


@pytest.fixture
def cast(people):
    return {
        "handler": people.user("handler", Role.HANDLER, department="办公室", name="吴敏"),
        "other_handler": people.user("other_handler", Role.HANDLER, department="风险监测处", name="郑伟"),
        "head": people.user("head", Role.DISCLOSURE_HEAD, department="办公室", name="钱主任"),
        "office": people.user("office", Role.OFFICE, department="办公室", name="陈静"),
        "drafter": people.user("drafter", Role.DRAFTER, name="张丽"),
    }


FORM = {"channel": "in_person", "received_on": "2026-09-21", "applicant_type": "person",
        "applicant_name": "李明", "id_doc_type": "居民身份证", "id_doc_number": "410105199001011234",
        "contact_phone": "13800001234", "contact_address": "郑州市金水区某路1号", "contact_email": "",
        "description": "2025年本市应急物资储备库建设项目的批复文件", "form_wanted": "electronic"}


def register(client, **over) -> int:
    resp = post(client, "/applications/new", {**FORM, **over})
    assert resp.status_code == 302, resp.get_data(as_text=True)[:2000]
    return int(re.search(r"/applications/(\d+)", resp.headers["Location"]).group(1))


def app_row(app, app_id) -> Application:
    with app.app_context():
        db.session.expire_all()
        a = db.session.get(Application, app_id)
        db.session.expunge(a)
        return a


def letters(app, app_id, kind) -> list[str]:
    with app.app_context():
        rows = db.session.execute(db.select(ApplicationFile).where(
            ApplicationFile.application_id == app_id, ApplicationFile.kind == kind)).scalars().all()
        return [letter_text(f.data) for f in rows]


def act(client, app, app_id, action, **data):
    version = app_row(app, app_id).version
    return post(client, f"/applications/{app_id}/move/{action}", {"version": str(version), **data})


@pytest.mark.parametrize("channel", list(Channel))
def test_register_by_each_channel_gives_a_receipt_with_its_receipt_day_rule(app, cast, people, channel):
    client = people.client("handler")
    with on(2026, 9, 22):
        app_id = register(client, channel=channel.value)
    a = app_row(app, app_id)
    assert a.received_on == date(2026, 9, 21) and a.due_on == date(2026, 10, 26)
    [receipt] = letters(app, app_id, "receipt")
    assert "政府信息公开申请接收回执" in receipt and CHANNELS[channel][1] in receipt
    assert "2026年9月21日" in receipt and "2026年10月26日" in receipt  # receipt day and due day
    assert CHANNELS[channel][0] in receipt


def test_the_whole_handling_with_its_letters(app, cast, people):
    handler, head, office = people.client("handler"), people.client("head"), people.client("office")
    with on(2026, 3, 2):
        app_id = register(handler, received_on="2026-03-02", applicant_type="commercial",
                          applicant_name="某某科技有限公司")
    with on(2026, 3, 4):  # 补正 within 7 working days
        resp = act(handler, app, app_id, "request_correction", until="2026-03-18", comment="请写明文件的年份和名称")
        assert resp.status_code == 302, resp.get_data(as_text=True)[:1500]
    assert app_row(app, app_id).stage == "correction" and app_row(app, app_id).due_on == date(9999, 12, 31)  # last in the queue
    assert "请写明文件的年份和名称" in letters(app, app_id, "correction")[0]
    with on(2026, 3, 16):
        assert act(handler, app, app_id, "receive_correction", comment="申请人补正").status_code == 302
    assert app_row(app, app_id).due_on == date(2026, 4, 14)  # restarted from 3/16
    with on(2026, 3, 17):
        assert act(handler, app, app_id, "consult", party="third_party", party_name="某建设集团",
                   comment="涉及其商业信息").status_code == 302
    consultation = letters(app, app_id, "consultation")[0]
    assert "征求意见书" in consultation and "某建设集团" in consultation and "第三十二条" in consultation
    with on(2026, 3, 20):
        assert act(handler, app, app_id, "end_consultation", comment="第三方同意公开").status_code == 302
        assert act(handler, app, app_id, "request_extension", days="10", comment="需调取档案").status_code == 302
        # a handler cannot approve their own extension; the head of the disclosure office can
        assert act(handler, app, app_id, "approve_extension").status_code == 403
        assert act(head, app, app_id, "approve_extension").status_code == 302
    a = app_row(app, app_id)
    # 3/17–3/20 paused (Tue–Fri): the 20 days from 3/16 end 4/20 instead of 4/14 (3/23–27, 3/30–4/3,
    # 4/4–6 清明, 4/7–10, 4/13–17, 4/20); +10: 4/21–24 (4), 4/27–30 (8), 5/1–5 劳动节, 5/6–7 (10)
    assert a.extension_days == 10 and a.due_on == date(2026, 5, 7)
    assert "延长 10 个工作日" in letters(app, app_id, "extension")[0]
    with on(2026, 4, 1):
        assert act(handler, app, app_id, "submit_reply", outcome="partial", reply_text="").status_code == 302
        assert app_row(app, app_id).stage == "reply_review"
        assert act(handler, app, app_id, "approve_reply").status_code == 403  # the office reviews the reply
        assert act(office, app, app_id, "return_reply", comment="").status_code == 422  # a return says why
        assert act(office, app, app_id, "approve_reply").status_code == 302
    a = app_row(app, app_id)
    assert a.stage == "replied" and a.replied_on == date(2026, 4, 1) and a.outcome == "partial"
    reply = letters(app, app_id, "reply")[0]
    assert "部分公开告知书" in reply and "第三十七条" in reply and REMEDIES in reply
    page = handler.get(f"/applications/{app_id}").get_data(as_text=True)
    assert "按期答复" in page and "（二）部分公开" in page
    # every move is in the audit log, and the log still verifies
    with app.app_context():
        kinds = db.session.execute(db.select(AuditEvent.action).order_by(AuditEvent.seq)).scalars().all()
        assert kinds.count("app_register") == 1 and "app_approve_extension" in kinds and "app_approve_reply" in kinds
        assert audit.verify_chain().ok


def test_no_correction_by_the_day_set_closes_it_as_abandoned(app, cast, people):
    handler = people.client("handler")
    with on(2026, 3, 2):
        app_id = register(handler, received_on="2026-03-02")
    with on(2026, 3, 3):
        act(handler, app, app_id, "request_correction", until="2026-03-10", comment="请明确所需文件")
    with on(2026, 3, 10):
        assert act(handler, app, app_id, "close_no_correction").status_code == 403  # not yet lapsed
    with on(2026, 3, 11):
        assert "逾期未补正" in handler.get(f"/applications/{app_id}").get_data(as_text=True)
        assert act(handler, app, app_id, "close_no_correction").status_code == 302
    a = app_row(app, app_id)
    assert a.stage == "replied" and a.outcome == "other_1"
    assert "视为放弃申请" in letters(app, app_id, "reply")[0]


def test_fee_notice_with_the_109_tiers_and_its_letter(app, cast, people):
    handler = people.client("handler")
    with on(2026, 4, 27):
        app_id = register(handler, received_on="2026-04-27")
    with on(2026, 4, 29):
        resp = act(handler, app, app_id, "fee_notice", fee_method="pages", fee_quantity="120")
        assert resp.status_code == 302, resp.get_data(as_text=True)[:1500]
    a = app_row(app, app_id)
    assert a.fee_amount == 700 + 400 and a.fee_pay_by == date(2026, 5, 29)  # 70×10 + 20×20
    assert "人民币 1100 元" in letters(app, app_id, "fee")[0]
    with on(2026, 5, 11):
        act(handler, app, app_id, "fee_paid")
    assert app_row(app, app_id).due_on == date(2026, 6, 5)


def test_a_free_request_gets_no_fee_notice(app, cast, people):
    handler = people.client("handler")
    with on(2026, 4, 27):
        app_id = register(handler, received_on="2026-04-27")
        resp = act(handler, app, app_id, "fee_notice", fee_method="items", fee_quantity="3")
    assert resp.status_code == 422 and "无需发出收费通知" in resp.get_data(as_text=True)
    assert app_row(app, app_id).stage == "handling"


def test_the_same_applicant_asking_the_same_thing_is_flagged(app, cast, people):
    handler = people.client("handler")
    with on(2026, 9, 22):
        first = register(handler)
        other = register(handler, applicant_name="王芳", id_doc_number="410105199202021111")
        again = register(handler, description="2025年本市应急物资储备库建设项目的批复文件。", channel="mail")
    assert app_row(app, again).duplicate_of_id == first
    assert app_row(app, other).duplicate_of_id is None
    assert "疑似重复" in handler.get("/applications/").get_data(as_text=True)


def test_a_handler_of_another_department_cannot_open_it(app, cast, people):
    with on(2026, 9, 22):
        app_id = register(people.client("handler"))
    other = people.client("other_handler")
    assert other.get(f"/applications/{app_id}").status_code == 403
    assert other.get(f"/applications/{app_id}/clock").status_code == 403
    assert act(other, app, app_id, "request_extension", days="5", comment="x").status_code == 403
    assert "李明" not in other.get("/applications/").get_data(as_text=True)
    assert people.client("drafter").get(f"/applications/{app_id}").status_code == 403
    for name in ("office", "head"):  # the office and its head see every application
        assert people.client(name).get(f"/applications/{app_id}").status_code == 200


def test_bad_input_is_refused_in_chinese_and_changes_nothing(app, cast, people):
    handler = people.client("handler")
    with on(2026, 9, 22):
        resp = post(handler, "/applications/new", {**FORM, "applicant_name": "", "contact_phone": "",
                                                  "contact_address": "", "received_on": "2026-09-30"})
        assert resp.status_code == 422
        body = resp.get_data(as_text=True)
        assert "请填写申请人姓名或名称" in body
        resp = post(handler, "/applications/new", {**FORM, "contact_phone": "", "contact_address": "",
                                                  "received_on": "2026-09-30", "description": "x" * 3000})
        assert resp.status_code == 422 and "不能超过 2000 字" in resp.get_data(as_text=True)
        resp = post(handler, "/applications/new", {**FORM, "contact_phone": "", "contact_address": "",
                                                  "received_on": "2026-09-30"})
        body = resp.get_data(as_text=True)
        assert resp.status_code == 422 and "至少填写一种联系方式" in body and "不能晚于今天" in body
        assert 'value="李明"' in body  # what was typed is kept
        app_id = register(handler)
        assert act(handler, app, app_id, "request_correction", until="2026-09-01", comment="").status_code == 422
        assert post(handler, f"/applications/{app_id}/move/frobnicate", {"version": "1"}).status_code == 404
        stale = post(handler, f"/applications/{app_id}/move/request_extension",
                     {"version": "999", "days": "5", "comment": "理由"})
        assert stale.status_code == 409
    with app.app_context():
        assert db.session.execute(db.select(db.func.count(Application.id))).scalar_one() == 1
    a = app_row(app, app_id)
    assert a.stage == "handling" and a.corrections_requested == 0 and not a.extension_requested


def test_the_event_log_is_append_only(app, cast, people):
    with on(2026, 9, 22):
        app_id = register(people.client("handler"))
    with app.app_context():
        ev = db.session.execute(db.select(ApplicationEvent).where(ApplicationEvent.application_id == app_id)).scalar_one()
        ev.comment = "改写"
        with pytest.raises(Exception, match="只能追加|append-only"):
            db.session.commit()
        db.session.rollback()


def test_queue_is_ordered_by_deadline_and_the_letter_downloads(app, cast, people):
    handler = people.client("handler")
    with on(2026, 9, 28):
        late = register(handler, received_on="2026-09-25", applicant_name="甲")
        early = register(handler, received_on="2026-09-01", applicant_name="乙")
        page = handler.get("/applications/").get_data(as_text=True)
    assert page.index("乙") < page.index("甲")
    with app.app_context():
        f = db.session.execute(db.select(ApplicationFile).where(ApplicationFile.application_id == early,
                                                                ApplicationFile.kind == "receipt")).scalar_one()
        file_id = f.id
    resp = handler.get(f"/applications/{early}/files/{file_id}")
    assert resp.status_code == 200 and "接收回执" in "\n".join(p.text for p in docx.Document(io.BytesIO(resp.data)).paragraphs)
    assert handler.get(f"/applications/{late}/files/{file_id}").status_code == 404  # another application's file
    assert people.client("other_handler").get(f"/applications/{early}/files/{file_id}").status_code == 403


def test_the_office_assigns_an_application_to_a_handler_of_another_department(app, cast, people):
    with on(2026, 9, 22):
        app_id = register(people.client("handler"))
    other = people.client("other_handler")
    assert other.get(f"/applications/{app_id}").status_code == 403
    version = app_row(app, app_id).version
    assert post(people.client("handler"), f"/applications/{app_id}/assign",
                {"handler": str(cast["other_handler"]), "version": str(version)}).status_code == 403
    office = people.client("office")
    refused = post(office, f"/applications/{app_id}/assign", {"handler": str(cast["drafter"]), "version": str(version)})
    assert refused.status_code == 422 and "请选择" in refused.get_data(as_text=True)  # not a handler
    assert "Not a valid" not in refused.get_data(as_text=True)
    assert post(office, f"/applications/{app_id}/assign",
                {"handler": str(cast["other_handler"]), "version": str(version)}).status_code == 302
    assert other.get(f"/applications/{app_id}").status_code == 200
    assert app_row(app, app_id).handler_id == cast["other_handler"]
    assert "分配经办人" in other.get(f"/applications/{app_id}").get_data(as_text=True)


def test_the_queue_words_agree_with_the_full_clock(app, cast, people):
    """The queue reads the stored due day; the application's page counts from the events: same words."""
    from webapp.services import applications

    handler = people.client("handler")
    with on(2026, 9, 28):
        ids = [register(handler, received_on=d, applicant_name=f"申请人{i}")
               for i, d in enumerate(["2026-08-03", "2026-09-01", "2026-09-25", "2026-09-28"])]
        act(handler, app, ids[3], "request_correction", until="2026-10-20", comment="请补正")
        with app.app_context():
            rows = [db.session.get(Application, i) for i in ids]
            light = applications.queue_clocks(rows)
            for a in rows:
                full = applications.clock_of(a)
                assert (light[a.id].words, light[a.id].due) == (full.words if a.stage != "correction"
                                                                 else "待补正，补正后重新计算", full.due)
            assert light[ids[0]].tone == "danger" and light[ids[0]].words.startswith("已逾期")
            later = applications.queue_clocks(rows, date(2027, 1, 4))  # across 元旦, seen later
            for a in rows[:3]:
                assert later[a.id].days_left == applications.working_days_left(a.due_on, date(2027, 1, 4),
                                                                              applications.working_calendar())


def test_reconsideration_and_litigation_outcomes_are_recorded_for_table_four(app, cast, people):
    handler, office = people.client("handler"), people.client("office")
    with on(2026, 9, 22):
        app_id = register(handler)
        assert post(office, f"/applications/{app_id}/remedy",
                    {"kind": "reconsideration", "result": "pending"}).status_code == 422  # not replied yet
        act(handler, app, app_id, "submit_reply", outcome="deny_6")
        act(office, app, app_id, "approve_reply")
        assert post(office, f"/applications/{app_id}/remedy", {"kind": "x", "result": "pending"}).status_code == 422
        for kind, result in (("reconsideration", "pending"), ("reconsideration", "upheld"),
                             ("litigation_after", "pending")):
            assert post(office, f"/applications/{app_id}/remedy", {"kind": kind, "result": result}).status_code == 302
    from webapp.services import applications

    with app.app_context():
        assert applications.remedies_of(app_id) == {"reconsideration": "upheld", "litigation_after": "pending"}
    page = office.get(f"/applications/{app_id}").get_data(as_text=True)
    assert "行政复议：结果维持" in page and "行政诉讼：复议后起诉：尚未审结" in page


def test_the_queue_pages_by_deadline_with_its_count_for_each_viewer(app, cast, people):
    """The queue's page, its 下一页 cursor and its 办理中 count (one statement built once per shape
    of viewer): 60 open applications of the handler's department, 5 of another, 3 replied."""
    from webapp.models import Department, User

    with app.app_context():
        own = db.session.get(User, cast["handler"]).department_id
        other = db.session.execute(db.select(Department.id).where(Department.id != own)).scalars().first()
        rows = []
        for i in range(68):
            dept, stage, due = (own, "handling", date(2026, 10, 1 + i % 28)) if i < 60 else \
                (other, "handling", date(2026, 10, 2)) if i < 65 else (own, "replied", None)
            rows.append(Application(channel="online", received_on=date(2026, 9, 1), applicant_type="person",
                                    applicant_name=f"申请人{i:02d}", description="某文件", fingerprint=f"fp-q{i}",
                                    stage=stage, department_id=dept, due_on=due,
                                    handler_id=cast["handler"] if i == 3 else None))
        db.session.add_all(rows)
        db.session.commit()
        ids = {i: r.id for i, r in enumerate(rows)}
    for who, expected_open in (("handler", 60), ("office", 65), ("head", 65)):
        client = people.client(who)
        with on(2026, 9, 28):
            first = client.get("/applications/").get_data(as_text=True)
            assert f"办理中 {expected_open} 件" in first, who
            links = re.findall(r'href="/applications/(\d+)"', first)
            assert len(links) == 50
            more = re.search(r'href="/applications/\?after=([0-9-]+)"', first).group(1)
            second = client.get(f"/applications/?after={more}").get_data(as_text=True)
            rest = re.findall(r'href="/applications/(\d+)"', second)
            assert len(rest) == expected_open - 50 and not set(rest) & set(links)
            assert "下一页" not in second and f"办理中 {expected_open} 件" in second
            past = client.get(f"/applications/?after=999999-{2**40}").get_data(as_text=True)
            assert "没有办理中的申请" in past and f"办理中 {expected_open} 件" in past
            shown = {int(x) for x in links + rest}
            assert ids[60] not in shown if who == "handler" else ids[60] in shown
            assert ids[65] not in shown  # replied: not in the queue
            assert "吴敏" in first  # the handler's name on the row assigned to them
