"""Approval as an office works it (issue 10), through the services and over HTTP:
核稿 per department, 会签 (parallel; any may return; again after resubmission; list changes
recorded), opinions with step defaults and saved phrases, the 处理单, urgency in queues,
签发人, and the secrecy office's conclusion "涉及国家秘密"."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from tests.conftest import login, post
from tests.helpers import act, doc, new_draft, submitted, user
from webapp.extensions import db
from webapp.models import (
    AuditEvent,
    Countersign,
    DeidFinding,
    Department,
    Document,
    OpinionPhrase,
    StoredFile,
    User,
)
from webapp.services import accounts, countersign, drafting, opinions, queues
from webapp.services.audit import document_timeline, verify_chain
from webapp.services.errors import Forbidden, Invalid, NotFound
from webapp.urgency import Urgency
from webapp.workflow import Action, Role, Stage


@pytest.fixture
def cast(people, chain_cast):
    """The chain's cast plus department heads: of the drafting department (应急救援处) and of
    two departments that countersign (财务处, 法规处)."""
    ids = dict(chain_cast)
    ids["head_own"] = people.user("head_own", Role.DEPT_HEAD, department="应急救援处", name="吴处长")
    ids["head_finance"] = people.user("head_finance", Role.DEPT_HEAD, department="财务处", name="钱处长")
    ids["head_legal"] = people.user("head_legal", Role.DEPT_HEAD, department="法规处", name="郑处长")
    ids["head_other"] = people.user("head_other", Role.DEPT_HEAD, department="风险监测处", name="冯处长")
    for name in ("应急救援处", "财务处", "法规处", "风险监测处", "办公室"):
        ids[name] = people.department(name)
    return ids


@pytest.fixture
def ctx(app, cast):
    with app.app_context():
        yield cast


def events(doc_id: int, *kinds: str) -> list[AuditEvent]:
    return [e for e in document_timeline(doc_id) if not kinds or e.action in kinds]


def switch_dept_check(dept_id: int, on: bool = True) -> None:
    dept = db.session.get(Department, dept_id)
    accounts.save_department(dept.name, None, dept.id, requires_dept_check=on)


def queue_ids(stage: Stage, user_id: int, **flt) -> list[int]:
    page = queues.review_queue(stage, user(user_id), queues.QueueFilter(**flt), None, 50)
    return [item.id for item in page.items]


def to_countersign(ctx, *departments: str, **draft) -> int:
    """A document submitted with these 会签 departments, approved by the office into 会签."""
    d = new_draft(ctx["drafter"], **draft)
    for name in departments:
        countersign.add_department(d, user(ctx["drafter"]), ctx[name])
    act(d, ctx["drafter"], Action.SUBMIT)
    act(d, ctx["office"], Action.APPROVE)
    assert doc(d).stage == Stage.COUNTERSIGN
    return d


# --------------------------------------------------------------------------- 核稿

def test_dept_check_is_switched_on_per_department_and_done_by_its_own_head(ctx):
    assert doc(submitted(ctx["drafter"])).stage == Stage.OFFICE_REVIEW  # off: straight to the office
    switch_dept_check(ctx["应急救援处"])
    d = submitted(ctx["drafter"])
    assert doc(d).stage == Stage.DEPT_CHECK
    assert d in queue_ids(Stage.DEPT_CHECK, ctx["head_own"])
    assert queue_ids(Stage.DEPT_CHECK, ctx["head_other"]) == []  # another department's head sees nothing
    assert queues.counters(user(ctx["head_own"]))["dept_check"] == 1
    assert queues.counters(user(ctx["head_other"]))["dept_check"] == 0
    with pytest.raises(Forbidden, match="无权查看"):  # another department's document: not even visible
        act(d, ctx["head_other"], Action.APPROVE)
    with pytest.raises(Forbidden):
        act(d, ctx["office"], Action.APPROVE)
    act(d, ctx["head_own"], Action.APPROVE)
    assert doc(d).stage == Stage.OFFICE_REVIEW
    check = events(d, "approve")[-1]
    assert check.from_stage == "dept_check" and check.comment == "同意，请办公室审核。"  # the step's default
    assert check.details["department"] == "应急救援处"
    # another department keeps its own setting
    other = submitted(ctx["other_drafter"])
    assert doc(other).stage == Stage.OFFICE_REVIEW
    kinds = [e.action for e in db.session.execute(select(AuditEvent)).scalars()]
    assert "set_dept_check" in kinds


def test_dept_check_returns_and_the_resubmission_is_checked_again(ctx):
    switch_dept_check(ctx["应急救援处"])
    d = submitted(ctx["drafter"], may_involve_secrets=True)
    act(d, ctx["head_own"], Action.RETURN, "请补充附件。")
    assert doc(d).stage == Stage.RETURNED
    act(d, ctx["drafter"], Action.SUBMIT)
    assert doc(d).stage == Stage.DEPT_CHECK
    act(d, ctx["head_own"], Action.APPROVE)
    assert doc(d).stage == Stage.SECRECY_REVIEW  # flagged: the secrecy office next (R3)


# --------------------------------------------------------------------------- 会签

def test_countersign_every_department_must_agree_before_the_leader_sees_it(ctx):
    d = to_countersign(ctx, "财务处", "法规处")
    office_opinion = events(d, "approve")[-1]
    assert office_opinion.comment == "拟同意，请有关处室会签。"
    assert d in queue_ids(Stage.COUNTERSIGN, ctx["head_finance"])
    assert d in queue_ids(Stage.COUNTERSIGN, ctx["head_legal"])
    assert queue_ids(Stage.COUNTERSIGN, ctx["head_other"]) == []
    assert queue_ids(Stage.LEADER_APPROVAL, ctx["leader"]) == []

    version = doc(d).version
    act(d, ctx["head_finance"], Action.APPROVE, "同意，经费已列入年度预算。")
    assert doc(d).stage == Stage.COUNTERSIGN and doc(d).version == version  # an agreement alone moves nothing
    assert queue_ids(Stage.COUNTERSIGN, ctx["head_finance"]) == []  # done: out of finance's queue
    assert d in queue_ids(Stage.COUNTERSIGN, ctx["head_legal"])
    assert queue_ids(Stage.LEADER_APPROVAL, ctx["leader"]) == []
    with pytest.raises(Forbidden, match="已会签同意"):
        act(d, ctx["head_finance"], Action.APPROVE)
    with pytest.raises(Forbidden):
        act(d, ctx["leader"], Action.APPROVE)

    act(d, ctx["head_legal"], Action.APPROVE)  # one click: the default opinion
    assert doc(d).stage == Stage.LEADER_APPROVAL
    agreements = events(d, "approve")[-2:]
    assert [(e.from_stage, e.to_stage) for e in agreements] == [("countersign", "countersign"),
                                                                 ("countersign", "leader_approval")]
    assert [e.comment for e in agreements] == ["同意，经费已列入年度预算。", "同意。"]
    assert [e.details["department"] for e in agreements] == ["财务处", "法规处"]

    act(d, ctx["leader"], Action.APPROVE, "同意印发。")
    signed = doc(d)
    assert signed.stage == Stage.APPROVED and signed.signed_by_name == "赵阳"
    assert events(d, "approve")[-1].details["signer"] == "赵阳"
    assert verify_chain().ok


def test_any_countersign_department_may_return_and_all_agree_again_after_resubmission(ctx):
    d = to_countersign(ctx, "财务处", "法规处")
    act(d, ctx["head_finance"], Action.APPROVE, "同意。")
    with pytest.raises(Invalid, match="须填写意见"):
        act(d, ctx["head_legal"], Action.RETURN, "")
    act(d, ctx["head_legal"], Action.RETURN, "第三条与《条例》表述不一致，请修改。")
    assert doc(d).stage == Stage.RETURNED
    act(d, ctx["drafter"], Action.SUBMIT)
    act(d, ctx["office"], Action.APPROVE)
    assert doc(d).stage == Stage.COUNTERSIGN
    # finance agreed before the resubmission: that agreement no longer counts
    assert d in queue_ids(Stage.COUNTERSIGN, ctx["head_finance"])
    act(d, ctx["head_legal"], Action.APPROVE, "已按意见修改，同意。")
    assert doc(d).stage == Stage.COUNTERSIGN
    act(d, ctx["head_finance"], Action.APPROVE, "同意。")
    assert doc(d).stage == Stage.LEADER_APPROVAL


def test_changes_to_the_countersign_list_after_some_agreed_are_recorded(ctx):
    d = to_countersign(ctx, "财务处", "法规处")
    act(d, ctx["head_finance"], Action.APPROVE, "同意。")
    countersign.add_department(d, user(ctx["office"]), ctx["风险监测处"])
    added = events(d, "countersign_add")[-1]
    assert added.actor_id == ctx["office"] and added.details["department"] == "风险监测处"
    assert added.details["agreed_before"] == ["财务处"]
    assert d in queue_ids(Stage.COUNTERSIGN, ctx["head_other"])

    countersign.remove_department(d, user(ctx["office"]), ctx["法规处"])
    assert doc(d).stage == Stage.COUNTERSIGN  # 风险监测处 still to agree
    removed = events(d, "countersign_remove")[-1]
    assert removed.details == {"department_id": ctx["法规处"], "department": "法规处", "had_agreed": False,
                               "agreed_before": ["财务处"]}
    act(d, ctx["head_other"], Action.APPROVE)
    assert doc(d).stage == Stage.LEADER_APPROVAL


def test_removing_the_last_pending_department_sends_the_document_to_the_leader(ctx):
    d = to_countersign(ctx, "财务处", "法规处")
    act(d, ctx["head_finance"], Action.APPROVE, "同意。")
    countersign.remove_department(d, user(ctx["office"]), ctx["法规处"])
    assert doc(d).stage == Stage.LEADER_APPROVAL
    removed = events(d, "countersign_remove")[-1]
    assert (removed.from_stage, removed.to_stage) == ("countersign", "leader_approval")


def test_who_may_list_countersign_departments_and_when(ctx):
    d = new_draft(ctx["drafter"])
    with pytest.raises(Forbidden, match="不必列为会签处室"):
        countersign.add_department(d, user(ctx["drafter"]), ctx["应急救援处"])
    with pytest.raises(Forbidden):
        countersign.add_department(d, user(ctx["office"]), ctx["财务处"])  # not in the office's hands yet
    with pytest.raises(Invalid, match="不存在"):
        countersign.add_department(d, user(ctx["drafter"]), 999_999)
    countersign.add_department(d, user(ctx["drafter"]), ctx["财务处"])
    with pytest.raises(Invalid, match="已是会签处室"):
        countersign.add_department(d, user(ctx["drafter"]), ctx["财务处"])
    act(d, ctx["drafter"], Action.SUBMIT)
    with pytest.raises(Forbidden, match="只有公开审查员"):
        countersign.add_department(d, user(ctx["drafter"]), ctx["法规处"])
    countersign.add_department(d, user(ctx["office"]), ctx["法规处"])
    act(d, ctx["office"], Action.APPROVE)
    act(d, ctx["head_finance"], Action.APPROVE)
    act(d, ctx["head_legal"], Action.APPROVE)
    with pytest.raises(Forbidden, match="不能调整会签处室"):
        countersign.add_department(d, user(ctx["office"]), ctx["风险监测处"])
    assert {c.department_id for c in db.session.execute(select(Countersign)).scalars()} == {
        ctx["财务处"], ctx["法规处"]}


# --------------------------------------------------------------------------- secrecy: 涉及国家秘密

def test_the_secrecy_conclusion_purges_the_content_keeps_title_and_decision(ctx):
    d = new_draft(ctx["drafter"], may_involve_secrets=True, attachments_text="附件一：点位表",
                  body_html="<p>某型装备部署点位：……</p>", recipients="各市应急管理局")
    drafting.add_attachment(d, user(ctx["drafter"]), "点位.pdf", b"%PDF-1.4 points\n%%EOF\n")
    countersign.add_department(d, user(ctx["drafter"]), ctx["财务处"])
    act(d, ctx["drafter"], Action.SUBMIT)
    with pytest.raises(Invalid, match="须填写意见"):
        act(d, ctx["secrecy"], Action.CLASSIFY, "")
    act(d, ctx["secrecy"], Action.CLASSIFY, "含装备部署点位，属国家秘密（机密级）。")
    gone = doc(d)
    assert gone.stage == Stage.CLASSIFIED and gone.title == "关于做好2026年政务公开工作的通知"
    assert (gone.body_html, gone.attachments_text, gone.recipients) == ("", "", "")
    searched = db.session.execute(select(Document.search_text).where(Document.id == d)).scalar_one()
    assert "部署点位" not in searched and "政务公开工作" in searched  # document search no longer finds the body
    assert db.session.execute(select(func.count()).select_from(StoredFile)
                              .where(StoredFile.document_id == d)).scalar_one() == 0
    assert db.session.execute(select(func.count()).select_from(DeidFinding)
                              .where(DeidFinding.document_id == d)).scalar_one() == 0
    decision = events(d, "classify")[-1]
    assert decision.comment == "含装备部署点位，属国家秘密（机密级）。" and decision.to_stage == "classified"
    assert decision.details["files_removed"] == 1
    assert verify_chain().ok
    for who in ("drafter", "secrecy", "office", "leader"):  # nothing more happens to it here
        for action in Action:
            with pytest.raises((Forbidden, Invalid)):
                act(d, ctx[who], action, "意见")
    with pytest.raises(Forbidden):
        drafting.update_draft(d, user(ctx["drafter"]), drafting.DraftInput(title="x", doc_type="通知"),
                              doc(d).version)


def test_the_drafter_is_told_to_use_the_classified_system(app, cast):
    with app.app_context():
        d = submitted(cast["drafter"], may_involve_secrets=True)
        act(d, cast["secrecy"], Action.CLASSIFY, "涉及国家秘密。")
    client = app.test_client()
    login(client, "drafter")
    home = client.get("/").get_data(as_text=True)
    assert "涉密信息系统中办理" in home and "关于做好2026年政务公开工作的通知" in home
    page = client.get(f"/documents/{d}").get_data(as_text=True)
    assert "已移出本系统" in page and "全面推进政务公开标准化规范化" not in page


# --------------------------------------------------------------------------- opinions and the 处理单

def test_every_decision_carries_an_opinion_shown_as_the_processing_record(ctx):
    switch_dept_check(ctx["应急救援处"])
    d = new_draft(ctx["drafter"])
    countersign.add_department(d, user(ctx["drafter"]), ctx["财务处"])
    act(d, ctx["drafter"], Action.SUBMIT, "请审核。")
    act(d, ctx["head_own"], Action.APPROVE)
    act(d, ctx["office"], Action.APPROVE, "公开属性恰当。")
    act(d, ctx["head_finance"], Action.APPROVE)
    act(d, ctx["leader"], Action.APPROVE, "同意印发。")
    record = opinions.processing_record(d)
    assert [(r.step, r.decision, r.department, r.person, r.opinion) for r in record] == [
        ("拟稿", "提交审核", "应急救援处", "张丽", "请审核。"),
        ("核稿", "核稿通过", "应急救援处", "吴处长", "同意，请办公室审核。"),
        ("办公室审核", "审核通过", "办公室", "陈静", "公开属性恰当。"),
        ("会签", "会签同意", "财务处", "钱处长", "同意。"),
        ("签发", "签发", "办公室", "赵阳", "同意印发。"),
    ]
    assert all(r.at.tzinfo is not None for r in record)


def test_personal_phrases_are_saved_offered_and_private(app, ctx):
    office = user(ctx["office"])
    opinions.save_phrase(office, "  拟同意，  请赵局长审签。 ")
    assert [p.text for p in opinions.phrases_of(office)] == ["拟同意， 请赵局长审签。"]
    with pytest.raises(Invalid, match="相同"):
        opinions.save_phrase(office, "拟同意， 请赵局长审签。")
    with pytest.raises(Invalid, match="不能为空"):
        opinions.save_phrase(office, "   ")
    with pytest.raises(Invalid, match="200"):
        opinions.save_phrase(office, "长" * 201)
    d = submitted(ctx["drafter"])
    choices = opinions.choices_for(doc(d), office)
    assert choices.default == "拟同意，请领导签发。" and "拟同意， 请赵局长审签。" in choices.phrases
    leader_choices = opinions.choices_for(doc(d), user(ctx["leader"]))
    assert "拟同意， 请赵局长审签。" not in leader_choices.phrases
    phrase_id = opinions.phrases_of(office)[0].id
    with pytest.raises(NotFound):
        opinions.delete_phrase(user(ctx["leader"]), phrase_id)  # not theirs
    opinions.delete_phrase(office, phrase_id)
    assert opinions.phrases_of(office) == []


def test_phrases_and_opinions_over_http(app, cast):
    with app.app_context():
        d = submitted(cast["drafter"])
    office = app.test_client()
    login(office, "office")
    resp = post(office, "/approval/phrases", {"text": "拟同意，请分管领导审签。"})
    assert resp.status_code == 302
    page = office.get(f"/documents/{d}").get_data(as_text=True)
    assert 'data-phrase="拟同意，请分管领导审签。"' in page and 'data-phrase="拟同意，请领导签发。"' in page
    resp = post(office, "/approval/phrases", {"text": "拟同意，请分管领导审签。"})
    assert resp.status_code == 422 and "已有相同的常用意见" in resp.get_data(as_text=True)
    # decide with an opinion and keep it as a phrase
    with app.app_context():
        version = doc(d).version
    resp = post(office, f"/review/documents/{d}/decide",
                {"action": "approve", "version": version, "comment": "公开属性恰当，拟同意。", "save_phrase": "y"})
    assert resp.status_code == 302
    with app.app_context():
        assert events(d, "approve")[-1].comment == "公开属性恰当，拟同意。"
        texts = set(db.session.execute(select(OpinionPhrase.text)
                                       .where(OpinionPhrase.user_id == cast["office"])).scalars())
        assert texts == {"拟同意，请分管领导审签。", "公开属性恰当，拟同意。"}
        version = doc(d).version
        phrase_id = db.session.execute(select(OpinionPhrase.id)).scalars().first()
    # the one-click approve from the leader's queue records the default
    leader = app.test_client()
    login(leader, "leader")
    resp = post(leader, f"/review/documents/{d}/decide",
                {"action": "approve", "version": version, "context": "queue"}, htmx=True)
    assert resp.status_code == 200 and "已签发" in resp.get_data(as_text=True)
    with app.app_context():
        assert events(d, "approve")[-1].comment == "同意。"
    page = leader.get(f"/documents/{d}").get_data(as_text=True)
    processing = page[page.index('id="processing"'):]
    for text in ("办公室审核", "公开属性恰当，拟同意。", "签发", "同意。", "赵阳", "陈静"):
        assert text in processing
    assert post(leader, f"/approval/phrases/{phrase_id}/delete").status_code == 404  # the office's, not theirs
    assert post(office, f"/approval/phrases/{phrase_id}/delete").status_code == 302


def test_countersign_departments_over_http(app, cast):
    with app.app_context():
        d = new_draft(cast["drafter"])
    drafter = app.test_client()
    login(drafter, "drafter")
    page = drafter.get(f"/documents/{d}").get_data(as_text=True)
    assert 'id="countersign-department"' in page
    resp = post(drafter, f"/approval/documents/{d}/countersign", {"department": str(cast["财务处"])})
    assert resp.status_code == 302
    for bad in ("", "财务处", "１２", "-1", "9" * 40, "2147483648", "99999999999", "²", "٣", "7777777"):
        resp = post(drafter, f"/approval/documents/{d}/countersign", {"department": bad})
        assert resp.status_code == 422, (bad, resp.status_code)
        assert "会签处室" in resp.get_data(as_text=True)
    with app.app_context():
        assert [c.department_id for c in doc(d).countersigns] == [cast["财务处"]]
    resp = post(drafter, f"/approval/documents/{d}/countersign/{cast['财务处']}/remove")
    assert resp.status_code == 302
    with app.app_context():
        assert doc(d).countersigns == []
    office = app.test_client()
    login(office, "office")
    resp = post(office, f"/approval/documents/{d}/countersign", {"department": str(cast["法规处"])})
    assert resp.status_code == 403


# --------------------------------------------------------------------------- urgency

def test_urgent_documents_first_when_the_user_sorts_by_urgency(app, cast):
    with app.app_context():
        plain = submitted(cast["drafter"], title="普通文件")
        very = submitted(cast["drafter"], title="特急文件", urgency=Urgency.VERY_URGENT)
        urgent = submitted(cast["drafter"], title="加急文件", urgency=Urgency.URGENT)
        plain2 = submitted(cast["drafter"], title="普通文件二")
        assert queue_ids(Stage.OFFICE_REVIEW, cast["office"]) == [plain, very, urgent, plain2]  # oldest first
        assert queue_ids(Stage.OFFICE_REVIEW, cast["office"], urgent_first=True) == [very, urgent, plain, plain2]
        # keyset pages in urgency order: one row per page, no row twice, none lost
        seen, cursor = [], None
        for _ in range(6):
            page = queues.review_queue(Stage.OFFICE_REVIEW, user(cast["office"]),
                                       queues.QueueFilter(urgent_first=True), cursor, 1)
            seen += [i.id for i in page.items]
            cursor = page.next_cursor
            if cursor is None:
                break
        assert seen == [very, urgent, plain, plain2]
    office = app.test_client()
    login(office, "office")
    html = office.get("/review/office_review?order=urgent").get_data(as_text=True)
    assert [int(r) for r in re.findall(r'id="doc-row-(\d+)"', html)] == [very, urgent, plain, plain2]
    assert "badge-urgent" in html and "特急" in html
    html = office.get("/review/office_review").get_data(as_text=True)
    assert [int(r) for r in re.findall(r'id="doc-row-(\d+)"', html)] == [plain, very, urgent, plain2]


def test_urgency_is_set_at_drafting_and_refused_when_unknown(app, cast):
    with app.app_context(), pytest.raises(Invalid):
        new_draft(cast["drafter"], urgency=7)
    drafter = app.test_client()
    login(drafter, "drafter")
    resp = post(drafter, "/drafting/new", {"title": "特急通知", "doc_type": "通知", "urgency": "2",
                                           "recipients": "各市", "intent": "save"})
    assert resp.status_code == 302
    doc_id = int(re.search(r"/drafting/(\d+)/edit", resp.headers["Location"]).group(1))
    with app.app_context():
        assert doc(doc_id).urgency == Urgency.VERY_URGENT
    form = drafter.get(f"/drafting/{doc_id}/edit").get_data(as_text=True)
    assert re.search(r'<option selected value="2">特急</option>|<option value="2" selected>特急</option>', form)
    resp = post(drafter, "/drafting/new", {"title": "x", "doc_type": "通知", "urgency": "9", "intent": "save"})
    assert resp.status_code == 422 and "紧急程度无效" in resp.get_data(as_text=True)


# --------------------------------------------------------------------------- the admin

def test_the_admin_gives_the_dept_head_role_and_switches_the_check_on(app, cast):
    admin = app.test_client()
    login(admin, "admin")
    form = admin.get("/admin/users/new").get_data(as_text=True)
    assert 'value="dept_head"' in form and "处室负责人" in form
    resp = post(admin, "/admin/users/new", {"username": "new_head", "display_name": "新处长",
                                            "department": str(cast["应急救援处"]), "roles": ["dept_head"]})
    assert resp.status_code == 302
    with app.app_context():
        head = db.session.execute(select(User).where(User.username == "new_head")).scalar_one()
        assert head.roles == {Role.DEPT_HEAD}
    resp = post(admin, f"/admin/departments/{cast['应急救援处']}/edit",
                {"name": "应急救援处", "requires_dept_check": "y"})
    assert resp.status_code == 302
    with app.app_context():
        assert db.session.get(Department, cast["应急救援处"]).requires_dept_check is True
        d = submitted(cast["drafter"])
        assert doc(d).stage == Stage.DEPT_CHECK
    listing = admin.get("/admin/departments").get_data(as_text=True)
    assert "已开启" in listing and "新处长" in listing and "吴处长" in listing


# --------------------------------------------------------------------------- the demo

def test_the_demo_shows_dept_check_and_countersign_at_work(app, monkeypatch):
    from webapp.demo import seed_demo

    monkeypatch.setenv("DEMO_PASSWORD", "Demo2026pass")
    with app.app_context():
        seed_demo()
        assert verify_chain().ok

    def page(username: str, path: str) -> str:
        client = app.test_client()
        login(client, username, "Demo2026pass")
        return client.get(path).get_data(as_text=True)

    check = page("head_rescue", "/review/dept_check")
    assert "关于开展2026年汛期应急演练的通知" in check and "加急" in check
    sign = page("head_law", "/review/countersign")
    assert "关于下达2026年自然灾害防治专项资金的通知" in sign and "特急" in sign
    assert "关于下达2026年自然灾害防治专项资金的通知" not in page("head_finance", "/review/countersign")  # agreed
    assert "第五条报送时限" in page("drafter2", "/drafting/returned")
    with app.app_context():
        issued = db.session.execute(select(Document).where(
            Document.title == "关于印发2022年政务公开工作实施方案的通知")).scalar_one()
    sheet = page("office", f"/approval/documents/{issued.id}/sheet")
    for words in ("会签", "政策法规处", "经审查，符合法律法规，同意。", "签发", "赵阳", "60 份"):
        assert words in sheet
    admin = page("admin", "/admin/departments")
    assert "已开启" in admin and "黄伟" in admin


def test_a_listed_department_without_a_head_is_pointed_out(app, cast, people):
    people.department("审计处")  # no 处室负责人 there
    with app.app_context():
        d = new_draft(cast["drafter"])
        countersign.add_department(d, user(cast["drafter"]), cast["财务处"])
        countersign.add_department(d, user(cast["drafter"]), people.department("审计处"))
        assert countersign.without_head(doc(d)) == {people.department("审计处")}
    client = app.test_client()
    login(client, "drafter")
    panel = client.get(f"/documents/{d}").get_data(as_text=True)
    panel = panel[panel.index('id="countersign"'):]
    assert panel.count("尚无处室负责人") == 1 and panel.index("审计处") < panel.index("尚无处室负责人")
