"""The chain through HTTP: forms, HTMX fragments from the queue, conflicts, error pages."""

import re

import pytest

from tests.conftest import post
from tests.helpers import doc, new_draft, submitted
from webapp.workflow import Stage


@pytest.fixture
def cast(app, chain_cast, people):
    return {"ids": chain_cast, "people": people, "app": app}


def in_app(cast):
    return cast["app"].app_context()


def test_drafter_creates_and_submits_through_the_form(cast):
    c = cast["people"].client("drafter")
    resp = post(c, "/drafting/new", {
        "title": "关于开展安全生产月活动的通知", "doc_type": "通知", "recipients": "各处室",
        "body_html": "<p>一、活动主题</p><p>人人讲安全。</p>", "disclosure": "public", "intent": "submit",
    })
    assert resp.status_code == 302
    with in_app(cast):
        from webapp.extensions import db
        from webapp.models import Document

        d = db.session.execute(db.select(Document)).scalar_one()
        assert d.stage == Stage.OFFICE_REVIEW and d.body_html == "<p>一、活动主题</p><p>人人讲安全。</p>"
    page = c.get(resp.headers["Location"]).get_data(as_text=True)
    assert "文件已提交审核" in page and "公开属性审查" in page


def test_submission_without_attribute_is_saved_as_draft_and_names_what_is_missing(cast):
    c = cast["people"].client("drafter")
    resp = post(c, "/drafting/new", {"title": "无属性的文件", "doc_type": "通知",
                                      "body_html": "<p>正文</p>", "intent": "submit"})
    assert resp.status_code == 302
    page = c.get(resp.headers["Location"]).get_data(as_text=True)
    assert "尚不能提交" in page and "未设置公开属性" in page
    with in_app(cast):
        from webapp.extensions import db
        from webapp.models import Document

        assert db.session.execute(db.select(Document)).scalar_one().stage == Stage.DRAFT


def test_office_approves_from_the_queue_with_htmx(cast):
    ids = cast["ids"]
    with in_app(cast):
        d = submitted(ids["drafter"], title="队列中的文件")
        version = doc(d).version
    c = cast["people"].client("office")
    queue = c.get("/review/office_review").get_data(as_text=True)
    assert "队列中的文件" in queue and f'id="doc-row-{d}"' in queue
    assert re.search(r'id="nav-count-office_review">1<', queue)
    resp = post(c, f"/review/documents/{d}/decide",
                {"action": "approve", "version": version, "context": "queue"}, htmx=True)
    assert resp.status_code == 200
    html = resp.get_data(as_text=True)
    assert f'<tr id="doc-row-{d}" class="row-done">' in html and "待领导签发" in html
    assert 'id="nav-count-office_review" hx-swap-oob="true">0<' in html  # counter refreshed out of band
    assert "<html" not in html  # a fragment, not a page
    with in_app(cast):
        assert doc(d).stage == Stage.LEADER_APPROVAL


def test_return_from_the_queue_opens_an_inline_form_and_requires_a_comment(cast):
    ids = cast["ids"]
    with in_app(cast):
        d = submitted(ids["drafter"])
        version = doc(d).version
    c = cast["people"].client("office")
    form = c.get(f"/review/documents/{d}/form?action=return", headers={"HX-Request": "true"})
    assert form.status_code == 200 and "退文意见（必填）" in form.get_data(as_text=True)
    resp = post(c, f"/review/documents/{d}/decide",
                {"action": "return", "version": version, "context": "queue", "comment": ""}, htmx=True)
    assert resp.status_code == 422 and "须填写意见" in resp.get_data(as_text=True)
    resp = post(c, f"/review/documents/{d}/decide",
                {"action": "return", "version": version, "context": "queue", "comment": "请补充依据。"}, htmx=True)
    assert resp.status_code == 200
    with in_app(cast):
        assert doc(d).stage == Stage.RETURNED
    drafter = cast["people"].client("drafter")
    returned = drafter.get("/drafting/returned").get_data(as_text=True)
    assert "请补充依据。" in returned and "陈静" in returned  # the comment on top, with who


def test_two_reviewers_one_wins_the_other_sees_the_fresh_state(cast):
    people = cast["people"]
    from webapp.workflow import Role

    people.user("office2", Role.OFFICE, department="办公室", name="黄磊")
    with in_app(cast):
        d = submitted(cast["ids"]["drafter"])
        version = doc(d).version
    first, second = people.client("office"), people.client("office2")
    assert post(first, f"/review/documents/{d}/decide",
                {"action": "approve", "version": version, "context": "queue"}, htmx=True).status_code == 200
    resp = post(second, f"/review/documents/{d}/decide",
                {"action": "return", "version": version, "context": "queue", "comment": "退回"}, htmx=True)
    assert resp.status_code == 409
    html = resp.get_data(as_text=True)
    assert "此文件已被他人处理" in html and "待领导签发" in html
    page = post(second, f"/review/documents/{d}/decide", {"action": "return", "version": version, "comment": "退回"})
    assert page.status_code == 409 and "此文件已被他人处理" in page.get_data(as_text=True)
    with in_app(cast):
        from webapp.services.audit import document_timeline

        assert [e.action for e in document_timeline(d)] == ["create", "submit", "approve"]


def test_leader_signs_from_the_document_page(cast):
    from tests.helpers import act
    from webapp.workflow import Action

    ids = cast["ids"]
    with in_app(cast):
        d = submitted(ids["drafter"])
        act(d, ids["office"], Action.APPROVE)
        version = doc(d).version
    c = cast["people"].client("leader")
    page = c.get(f"/documents/{d}").get_data(as_text=True)
    assert "签发" in page and 'id="decision"' in page
    resp = post(c, f"/review/documents/{d}/decide", {"action": "approve", "version": version})
    assert resp.status_code == 302
    page = c.get(resp.headers["Location"]).get_data(as_text=True)
    assert "已签发" in page and "赵阳" in page  # timeline names the leader


def test_document_page_shows_stage_who_acts_and_timeline(cast):
    ids = cast["ids"]
    with in_app(cast):
        d = submitted(ids["drafter"], may_involve_secrets=True)
    page = cast["people"].client("drafter").get(f"/documents/{d}").get_data(as_text=True)
    assert "保密审查" in page and "保密办审查" in page
    assert "创建草稿" in page and "提交审核" in page and "张丽" in page


def test_queue_filters_and_keyset_paging(cast):
    app = cast["app"]
    app.config["QUEUE_PAGE_SIZE"] = 3
    ids = cast["ids"]
    with in_app(cast):
        mine = [submitted(ids["drafter"], title=f"本处文件{i}") for i in range(5)]
        theirs = [submitted(ids["other_drafter"], title=f"外处文件{i}") for i in range(2)]
    c = cast["people"].client("office")
    first = c.get("/review/office_review").get_data(as_text=True)
    assert first.count('id="doc-row-') == 3 and "加载更多" in first
    cursor = re.search(r'hx-get="([^"]+cursor=[^"]+)"', first).group(1).replace("&amp;", "&")
    more = c.get(cursor, headers={"HX-Request": "true", "HX-Target": "more-row"}).get_data(as_text=True)
    ids_first = set(re.findall(r'id="doc-row-(\d+)"', first))
    ids_more = set(re.findall(r'id="doc-row-(\d+)"', more))
    assert len(ids_more) == 3 and not ids_first & ids_more
    cursor2 = re.search(r'hx-get="([^"]+cursor=[^"]+)"', more).group(1).replace("&amp;", "&")
    last = c.get(cursor2, headers={"HX-Request": "true", "HX-Target": "more-row"}).get_data(as_text=True)
    all_ids = ids_first | ids_more | set(re.findall(r'id="doc-row-(\d+)"', last))
    assert all_ids == {str(i) for i in mine + theirs}
    with in_app(cast):
        from webapp.extensions import db
        from webapp.models import Department

        other = db.session.execute(db.select(Department).where(Department.name == "风险监测处")).scalar_one().id
    filtered = c.get(f"/review/office_review?department={other}", headers={"HX-Request": "true", "HX-Target": "queue-body"})
    rows = set(re.findall(r'id="doc-row-(\d+)"', filtered.get_data(as_text=True)))
    assert rows == {str(i) for i in theirs}
    assert "<html" not in filtered.get_data(as_text=True)
    waiting = c.get("/review/office_review?waiting=3").get_data(as_text=True)
    assert "当前没有待处理的文件" in waiting


def test_error_pages_are_chinese_in_the_layout(cast):
    c = cast["people"].client("drafter")
    r404 = c.get("/documents/999999")
    assert r404.status_code == 404 and "文件不存在" in r404.get_data(as_text=True)
    r403 = c.get("/admin/users")
    assert r403.status_code == 403 and "无权" in r403.get_data(as_text=True) and "公开通" in r403.get_data(as_text=True)
    anon = cast["app"].test_client().get("/drafting/new")
    assert anon.status_code == 302 and "/login" in anon.headers["Location"]


def test_htmx_errors_are_retargeted_to_the_message_area(cast):
    with in_app(cast):
        d = submitted(cast["ids"]["drafter"])
        version = doc(d).version
    c = cast["people"].client("leader")
    resp = post(c, f"/review/documents/{d}/decide", {"action": "approve", "version": version, "context": "queue"}, htmx=True)
    assert resp.status_code == 403
    assert resp.headers["HX-Retarget"] == "#flash-area"
    assert "没有相应权限" in resp.get_data(as_text=True)


def test_drafter_sees_department_documents_but_not_colleagues_drafts(cast):
    ids = cast["ids"]
    with in_app(cast):
        draft = new_draft(ids["colleague"], title="同事的草稿")
        sub = submitted(ids["colleague"], title="同事已提交的文件")
        other = submitted(ids["other_drafter"], title="外处室的文件")
    c = cast["people"].client("drafter")
    page = c.get("/drafting/department").get_data(as_text=True)
    assert "同事已提交的文件" in page and "同事的草稿" not in page and "外处室的文件" not in page
    assert c.get(f"/documents/{draft}").status_code == 403
    assert c.get(f"/documents/{other}").status_code == 403
    assert c.get(f"/documents/{sub}").status_code == 200
    search = c.get("/documents?q=文件").get_data(as_text=True)
    assert "同事已提交的文件" in search and "外处室的文件" not in search


def test_seed_demo_gives_a_living_system(app):
    from webapp.demo import seed_demo

    with app.app_context():
        passwords = seed_demo()
        from webapp.services.audit import verify_chain

        assert verify_chain().ok
    assert set(passwords) >= {"admin", "drafter", "secrecy", "office", "leader", "publisher", "archivist"}
    from tests.conftest import csrf_token

    c = app.test_client()
    token = csrf_token(c)
    c.post("/login", data={"username": "office", "password": passwords["office"], "csrf_token": token})
    new = {"current": passwords["office"], "new": "Office2026x", "confirm": "Office2026x",  # a generated one
           "csrf_token": csrf_token(c, "/account/password")}                              # is changed first
    assert c.post("/account/password", data=new).status_code == 302
    page = c.get("/review/office_review").get_data(as_text=True)
    assert "关于全面推进应急管理系统安全生产和救灾领域政务公开标准化规范化工作的通知" in page


def test_an_unexpected_error_gets_the_chinese_500_page_and_rolls_back(app, people):
    from webapp.authz import login_required
    from webapp.extensions import db
    from webapp.models import Department

    def boom():
        db.session.add(Department(name="半途而废的处室"))
        db.session.flush()
        raise RuntimeError("boom")

    app.add_url_rule("/test-boom", "test_boom", login_required(boom))
    from webapp.workflow import Role

    people.user("zhang", Role.DRAFTER)
    c = people.client("zhang")
    resp = c.get("/test-boom")
    assert resp.status_code == 500 and "系统出现内部错误" in resp.get_data(as_text=True)
    assert "boom" not in resp.get_data(as_text=True)  # no internals shown
    with app.app_context():
        assert db.session.execute(db.select(Department).where(Department.name == "半途而废的处室")).first() is None


def test_the_dashboard_shows_each_role_its_work(app, chain_cast, people):
    office = people.client("office").get("/").get_data(as_text=True)
    assert "公开属性审查 · 待我处理" in office and "待印发 · 待我处理" in office
    publisher = people.client("publisher").get("/").get_data(as_text=True)
    assert "待去标识化 · 待我处理" in publisher and "公开属性审查" not in publisher
    drafter = people.client("drafter").get("/").get_data(as_text=True)
    assert "新建文件" in drafter and "待印发" not in drafter
