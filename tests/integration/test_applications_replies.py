"""Replies to citizens' applications (issue 9): the 109号文 per-item tiers counted per applicant
per natural month across their applications, with the computation on the 收费通知书; the
登记表 and the 征求意见告知书（给申请人） read back with python-docx; documents provided as their
PUBLIC copies, those with personal data only after the de-identification review (seed 004's
contact line, a synthetic 身份证号); what waits for whom (the navigation's counter); every
change of an online application queues its status in the outbox.  Real database (SQLite, and
PostgreSQL with TEST_DATABASE_URL)."""

from __future__ import annotations

import base64
import io
import json
import re
from contextlib import contextmanager
from datetime import UTC, date, datetime

import docx
import pytest

from tests.conftest import post
from tests.helpers import doc, user
from tests.pubhelpers import BODY, issued, ready, set_agency
from webapp import clock
from webapp.docgen.letters import letter_text
from webapp.extensions import db
from webapp.models import Application, ApplicationFile, ApplicationProvided, AuditEvent, OutboxMessage
from webapp.services import applications, applications_portal, applications_provided
from webapp.workflow import Role

ID_NUMBER = "110101199003076414"  # synthetic, check digit correct (GB 11643)


@contextmanager
def on(y: int, m: int, d: int):
    with clock.frozen(datetime(y, m, d, 2, 0, tzinfo=UTC)):
        yield


@pytest.fixture
def cast(people, chain_cast):
    return {**chain_cast,
            "handler": people.user("handler", Role.HANDLER, department="办公室", name="吴敏"),
            "other_handler": people.user("other_handler", Role.HANDLER, department="风险监测处", name="郑伟"),
            "head": people.user("head", Role.DISCLOSURE_HEAD, department="办公室", name="钱主任")}


FORM = {"channel": "in_person", "received_on": "2026-04-01", "applicant_type": "person",
        "applicant_name": "李明", "id_doc_type": "居民身份证", "id_doc_number": "410105199001011234",
        "contact_phone": "13800001234", "contact_address": "郑州市金水区某路1号", "contact_email": "",
        "description": "2025年本市应急物资储备库建设项目的批复文件", "form_wanted": "electronic"}


def register(client, **over) -> int:
    resp = post(client, "/applications/new", {**FORM, **over})
    assert resp.status_code == 302, resp.get_data(as_text=True)[:2000]
    return int(re.search(r"/applications/(\d+)", resp.headers["Location"]).group(1))


def version(app, app_id) -> str:
    with app.app_context():
        db.session.expire_all()
        return str(db.session.get(Application, app_id).version)


def act(client, app, app_id, action, **data):
    return post(client, f"/applications/{app_id}/move/{action}", {"version": version(app, app_id), **data})


def letters(app, app_id, kind) -> list[bytes]:
    with app.app_context():
        return [f.data for f in db.session.execute(db.select(ApplicationFile).where(
            ApplicationFile.application_id == app_id, ApplicationFile.kind == kind)
            .order_by(ApplicationFile.id)).scalars()]


# --------------------------------------------------------------------------- fees per applicant per month

def test_per_item_tiers_count_the_applicants_applications_in_the_month(app, cast, people):
    handler = people.client("handler")
    with on(2026, 4, 30):
        ids = [register(handler, description=f"第{i}项信息：某文件{i}", received_on=f"2026-04-{1 + i % 28:02d}")
               for i in range(1, 12)]  # 11 applications in April, by the same applicant
        other_month = register(handler, description="三月的申请", received_on="2026-03-31")
        other_person = register(handler, description="另一人的申请", applicant_name="王芳",
                                id_doc_number="410105199202021111")
        # the same applicant written with a full-width space is the same applicant
        same_person = register(handler, description="第十二项", applicant_name="李　明", received_on="2026-04-30")
    ordered = sorted(ids, key=lambda i: (date(2026, 4, 1 + (ids.index(i) + 1) % 28), i))
    eleventh, first = ordered[10], ordered[0]
    with on(2026, 4, 30):
        refused = act(handler, app, first, "fee_notice", fee_method="items")
        assert refused.status_code == 422 and "不收费" in refused.get_data(as_text=True)  # the 1st of the month: free
        for free in (other_month, other_person):  # another month, another applicant: counted apart
            assert act(handler, app, free, "fee_notice", fee_method="items").status_code == 422
        resp = act(handler, app, eleventh, "fee_notice", fee_method="items", fee_quantity="999")
        assert resp.status_code == 302, resp.get_data(as_text=True)[:1500]
        assert act(handler, app, same_person, "fee_notice", fee_method="items").status_code == 302
    with app.app_context():
        assert db.session.get(Application, eleventh).fee_amount == 100  # the quantity typed is not used
        assert db.session.get(Application, same_person).fee_amount == 100  # the 12th of April
    notice = letter_text(letters(app, eleventh, "fee")[0])
    assert "收费通知书" in notice and "人民币 100 元" in notice
    assert "2026年4月共提出政府信息公开申请 12 件，本申请为其中第 11 件" in notice
    assert "11—30件（含30件），每件100元" in notice and "按量计收（" not in notice
    # never both: a second notice on the same application, by the other method, is refused
    with on(2026, 5, 6):
        assert act(handler, app, eleventh, "fee_paid").status_code == 302
        again = act(handler, app, eleventh, "fee_notice", fee_method="pages", fee_quantity="120")
    assert again.status_code == 422 and "不能两种方式同时收费" in again.get_data(as_text=True)
    assert len(letters(app, eleventh, "fee")) == 1


def test_per_volume_shows_its_bands_on_the_notice(app, cast, people):
    handler = people.client("handler")
    with on(2026, 4, 27):
        app_id = register(handler, received_on="2026-04-27")
        assert act(handler, app, app_id, "fee_notice", fee_method="pages", fee_quantity="").status_code == 422
        assert act(handler, app, app_id, "fee_notice", fee_method="pages", fee_quantity="201").status_code == 302
    notice = letter_text(letters(app, app_id, "fee")[0])
    assert "按量计收" in notice and "共 201 页" in notice and "人民币 2740 元" in notice
    assert "第101—200页 100 页×20元＝2000元" in notice and "第201—201页 1 页×40元＝40元" in notice
    assert "按件计收（" not in notice


# --------------------------------------------------------------------------- the two letters

def _layout(data: bytes) -> tuple:
    d = docx.Document(io.BytesIO(data))
    s = d.sections[0]
    return (round(s.page_width.mm), round(s.page_height.mm), round(s.top_margin.mm), round(s.bottom_margin.mm),
            round(s.left_margin.mm), round(s.right_margin.mm))


def test_registration_form_and_consultation_notice_to_the_applicant(app, cast, people):
    handler = people.client("handler")
    with on(2026, 9, 22):
        app_id = register(handler, channel="mail", received_on="2026-09-21")
        assert act(handler, app, app_id, "consult", party="third_party", party_name="某建设集团",
                   comment="涉及其商业信息").status_code == 302
    [form] = letters(app, app_id, "registration")
    assert _layout(form) == (210, 297, 37, 35, 28, 26)  # GB/T 9704 letter layout, as the other letters
    d = docx.Document(io.BytesIO(form))
    rows = {r.cells[0].text: r.cells[1].text for r in d.tables[0].rows}
    assert d.paragraphs[0].text == "政府信息公开申请登记表"
    assert rows["申请方式"] == "邮寄" and rows["收到申请之日"] == "2026年9月21日" and "签收之日" in rows["收到日期的确定"]
    assert rows["申请人姓名或名称"] == "李明" and rows["身份证明号码"] == "410105199001011234"
    assert rows["申请人类型"] == "自然人" and rows["登记人"] == "吴敏" and rows["疑似重复申请"] == "否"
    assert rows["答复期限"] == "2026年10月26日"
    [notice] = letters(app, app_id, "consultation_notice")
    assert _layout(notice) == (210, 297, 37, 35, 28, 26)
    text = letter_text(notice)
    assert text.splitlines()[0] == "征求意见告知书" and "李明：" in text
    assert "第三十二条" in text and "不计算在答复期限内" in text and "2026年10月20日" in text  # 15 working days
    assert "某建设集团" not in text  # the third party is not named to the applicant
    with app.app_context():  # the 登记表 holds personal data: it never goes to the portal
        assert db.session.execute(db.select(OutboxMessage)).first() is None


# --------------------------------------------------------------------------- documents provided

def test_a_provided_document_with_personal_data_needs_its_review_before_the_reply(app, cast, people):
    with app.app_context():
        set_agency(cast["admin"])
        body = BODY + f"<p>举报人身份证号{ID_NUMBER}。</p>"
        on_request = issued(cast, interpretation=False, disclosure="on_request", disclosure_reason="涉及个人信息",
                            legal_basis_codes=["art15"], body_html=body)
        published = ready(cast, title="关于公布2026年应急避难场所名录的通知")
        numbers = {k: doc(v).doc_number for k, v in (("on_request", on_request), ("published", published))}
        assert doc(on_request).stage == "filed"
    handler, office = people.client("handler"), people.client("office")
    with on(2026, 9, 22):
        app_id = register(handler, received_on="2026-09-22")
        assert post(handler, f"/applications/{app_id}/provided", {"doc_number": "豫应急〔1999〕1号"}).status_code == 422
        assert post(handler, f"/applications/{app_id}/provided", {"doc_number": numbers["published"]}).status_code == 302
        resp = post(handler, f"/applications/{app_id}/provided",
                    {"doc_number": numbers["on_request"].replace("〔", "[").replace("〕", "]")})
        assert resp.status_code == 302
        with app.app_context():
            public, reviewed = applications_provided.applications_provided_of(app_id)
            assert (public.source, public.ready, reviewed.source, reviewed.ready) == ("public", True, "reviewed", False)
            findings = applications_provided.findings_of(reviewed.id)
            texts = {f.text for f in findings}
            assert ID_NUMBER in texts and "叶玉才" in texts and "83186312" in texts  # seed 004's contact line
            reviewed_id, finding_ids = reviewed.id, [f.id for f in findings]
            id_finding = next(f.id for f in findings if f.text == ID_NUMBER)
        page = handler.get(f"/applications/{app_id}").get_data(as_text=True)
        assert "待审查个人信息" in page and "身份证" in page
        # nothing unreviewed goes out: the reply can be neither submitted nor approved
        refused = act(handler, app, app_id, "submit_reply", outcome="public")
        assert refused.status_code == 422 and "尚未完成个人信息审查" in refused.get_data(as_text=True)
        assert post(handler, f"/applications/{app_id}/provided/{reviewed_id}/confirm", {}).status_code == 422
        assert post(handler, f"/applications/{app_id}/provided/{reviewed_id}/findings/{id_finding}",
                    {"decision": "keep", "keep_reason": ""}).status_code == 422  # keeping needs a reason
        for fid in finding_ids:
            assert post(handler, f"/applications/{app_id}/provided/{reviewed_id}/findings/{fid}",
                        {"decision": "mask"}).status_code == 302
        assert post(handler, f"/applications/{app_id}/provided/{reviewed_id}/confirm", {}).status_code == 302
        assert act(handler, app, app_id, "submit_reply", outcome="public").status_code == 302
        assert act(office, app, app_id, "approve_reply").status_code == 302
    with app.app_context():
        rows = applications_provided.applications_provided_of(app_id)
        copies = {p.source: db.session.get(ApplicationFile, p.public_file_id).data for p in rows}
        masked = "\n".join(p.text for p in docx.Document(io.BytesIO(copies["reviewed"])).paragraphs)
        assert ID_NUMBER not in masked and "叶玉才" not in masked and "83186312" not in masked
        assert "叶某" in masked and "全面推进政务公开标准化规范化" in masked
        assert copies["public"] == db.session.execute(  # the publisher's public copy, unchanged
            db.select(ApplicationFile.data).where(ApplicationFile.id == rows[0].public_file_id)).scalar_one()
        from webapp.services import files

        assert copies["public"] == files.latest(published, "public").data
        decided = db.session.execute(db.select(AuditEvent.action).where(
            AuditEvent.action.in_(["app_deid_decide", "app_deid_confirm", "app_provide_document"]))).scalars().all()
        assert decided.count("app_deid_decide") == len(finding_ids) and decided.count("app_provide_document") == 2
    reply = letter_text(letters(app, app_id, "reply")[0])
    assert "随本告知书提供以下政府信息" in reply and numbers["published"] in reply


def test_only_the_public_copy_of_a_provided_document_reaches_the_portal(app, cast, people):
    with app.app_context():
        set_agency(cast["admin"])
        on_request = issued(cast, interpretation=False, disclosure="on_request", disclosure_reason="涉及个人信息",
                            legal_basis_codes=["art15"], body_html=BODY + f"<p>身份证号：{ID_NUMBER}</p>")
        number = doc(on_request).doc_number
        a = applications.register(None, applications.RegisterInput(
            "online", date(2026, 9, 22), "person", "赵小红", "应急避难场所名录", id_doc_number="410105198805051234",
            contact_phone="13911112222"), portal_ref="abcdef0123456789abcd")
        a.department_id = user(cast["handler"]).department_id
        db.session.commit()
        app_id = a.id
    handler, office = people.client("handler"), people.client("office")
    with on(2026, 9, 22):
        assert post(handler, f"/applications/{app_id}/provided", {"doc_number": number}).status_code == 302
        with app.app_context():
            [p] = applications_provided.applications_provided_of(app_id)
            for f in applications_provided.findings_of(p.id):
                applications_provided.decide(app_id, user(cast["handler"]), p.id, f.id, "mask")
            applications_provided.confirm(app_id, user(cast["handler"]), p.id)
        assert act(handler, app, app_id, "submit_reply", outcome="public").status_code == 302
        assert act(office, app, app_id, "approve_reply").status_code == 302
    with app.app_context():
        msgs = db.session.execute(db.select(OutboxMessage).where(OutboxMessage.application_id == app_id)
                                  .order_by(OutboxMessage.id)).scalars().all()
        assert [m.kind for m in msgs] == ["app_status"] * 3 and [m.status for m in msgs] == ["pending"] * 3
        versions = [m.version for m in msgs]
        assert versions == sorted(versions) and len(set(versions)) == 3
        last = json.loads(msgs[-1].body)
        assert last["status_label"] == "已答复" and last["reply"] and len(last["provided"]) == 1
        provided = base64.b64decode(last["provided"][0]["content_b64"])
        text = "\n".join(p.text for p in docx.Document(io.BytesIO(provided)).paragraphs)
        assert ID_NUMBER not in text and "叶玉才" not in text and "政务公开" in text
        for m in msgs:  # the applicant's personal data travels only inside their own reply letter
            assert "410105198805051234" not in m.body.decode() and "13911112222" not in m.body.decode()


def test_provided_documents_are_changed_only_by_the_applications_handlers_while_handling(app, cast, people):
    with app.app_context():
        set_agency(cast["admin"])
        number = doc(ready(cast)).doc_number
    with on(2026, 9, 22):
        app_id = register(people.client("handler"), received_on="2026-09-22")
    assert post(people.client("other_handler"), f"/applications/{app_id}/provided", {"doc_number": number}).status_code == 403
    assert post(people.client("head"), f"/applications/{app_id}/provided", {"doc_number": number}).status_code == 403
    assert post(people.client("office"), f"/applications/{app_id}/provided", {"doc_number": number}).status_code == 302
    with app.app_context():
        assert db.session.execute(db.select(db.func.count(ApplicationProvided.id))).scalar_one() == 1


# --------------------------------------------------------------------------- who waits

def test_applications_waiting_for_each_role(app, cast, people):
    handler, office = people.client("handler"), people.client("office")
    with on(2026, 9, 22):
        first = register(handler, received_on="2026-09-22")
        second = register(handler, received_on="2026-09-22", description="另一份文件")
        assert act(handler, app, second, "request_extension", days="5", comment="需调取档案").status_code == 302
        third = register(people.client("other_handler"), received_on="2026-09-22", description="风险监测处的")
        assert act(people.client("other_handler"), app, third, "submit_reply", outcome="public").status_code == 302
    with app.app_context():
        def waiting(name):
            return applications.applications_waiting_for(user(cast[name]))
        assert waiting("handler") == 2 and waiting("other_handler") == 0  # third is with the office now
        assert waiting("office") == 1 and waiting("head") == 1 and waiting("drafter") == 0
    with on(2026, 9, 23):
        assert act(office, app, third, "approve_reply").status_code == 302
        assert act(people.client("head"), app, second, "approve_extension").status_code == 302
        assert act(handler, app, first, "submit_reply", outcome="public").status_code == 302
    with app.app_context():
        assert [applications.applications_waiting_for(user(cast[n])) for n in ("handler", "office", "head")] == [1, 1, 0]


def test_a_lapsed_application_sends_no_provided_document(app, cast, people):
    """视为放弃 closes the application with its own letter: a document added before, still under
    review, goes nowhere (and does not stop the closing)."""
    with app.app_context():
        set_agency(cast["admin"])
        number = doc(issued(cast, interpretation=False, disclosure="on_request", disclosure_reason="涉及个人信息",
                            legal_basis_codes=["art15"], body_html=BODY)).doc_number
        a = applications.register(None, applications.RegisterInput(
            "online", date(2026, 9, 21), "person", "赵小红", "应急避难场所名录", id_doc_number="410105198805051234",
            contact_phone="13911112222"), portal_ref="0123456789abcdef0123")
        a.department_id = user(cast["handler"]).department_id
        db.session.commit()
        app_id = a.id
    handler = people.client("handler")
    with on(2026, 9, 22):
        assert post(handler, f"/applications/{app_id}/provided", {"doc_number": number}).status_code == 302
        assert act(handler, app, app_id, "request_correction", until="2026-09-24", comment="请写明年份").status_code == 302
    with on(2026, 9, 25):
        resp = act(handler, app, app_id, "close_no_correction")
        assert resp.status_code == 302, resp.get_data(as_text=True)[:1500]
    with app.app_context():
        last = json.loads(applications_portal.last_message(app_id).body)
        assert last["status_label"] == "已答复" and last["reply"] and last["provided"] == []
        assert "叶玉才" not in json.dumps(last, ensure_ascii=False)
    reply = letter_text(letters(app, app_id, "reply")[0])
    assert "视为放弃申请" in reply and "随本告知书提供" not in reply
