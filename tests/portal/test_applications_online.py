"""Online applications end to end over real HTTP (issue 9): a citizen submits the form on the
running portal (no login, a text CAPTCHA) → the intranet pulls it with gkt_protocol's signed
requests and registers it → a handler replies → each change queued its status in the outbox in
the same transaction, and the outbox worker delivers it (with retries when the portal is down)
→ the applicant sees the status and the reply behind the 查询码, and nobody sees them without it."""

from __future__ import annotations

import base64
import html
import io
import re
import urllib.parse
import urllib.request
from datetime import UTC, datetime, timedelta

import docx
import pytest
from sqlalchemy import text

from tests.conftest import login, post
from tests.portal.conftest import SECRET
from webapp.extensions import db
from webapp.models import Application, AuditEvent, OutboxMessage
from webapp.outbox.worker import Settings, run_once
from webapp.services import applications_portal, applications_sync
from webapp.workflow import Role

ANSWERS = {c: i for i, c in enumerate("零一二三四五六七八九")}


def http(url: str, data: dict | None = None) -> tuple[int, str | bytes]:
    body = urllib.parse.urlencode(data).encode() if data is not None else None
    req = urllib.request.Request(url, data=body, method="POST" if data is not None else "GET")
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            raw = r.read()
            return r.status, raw if "officedocument" in r.headers.get("Content-Type", "") else raw.decode()
    except urllib.error.HTTPError as e:
        with e:
            return e.code, e.read().decode()


def solve(page: str) -> dict:
    """Read the CAPTCHA as a person (or a screen reader) would: the question is text."""
    q = re.search(r"请回答：(.)加(.)等于多少？", page)
    token = re.search(r'name="captcha_token" value="([^"]+)"', page).group(1)
    return {"captcha_token": html.unescape(token), "captcha_answer": str(ANSWERS[q[1]] + ANSWERS[q[2]])}


FORM = {"applicant_type": "person", "applicant_name": "赵小红", "id_doc_type": "居民身份证",
        "id_doc_number": "410105198805051234", "contact_phone": "13911112222", "contact_email": "",
        "contact_address": "", "description": "本市2025年度应急避难场所名录", "form_wanted": "electronic"}


@pytest.fixture
def portal_clean(portal_app):
    from portal.extensions import db as portal_db

    with portal_app.app_context():
        portal_db.session.execute(text("DELETE FROM portal_application_files"))
        portal_db.session.execute(text("DELETE FROM portal_applications"))
        portal_db.session.execute(text("DELETE FROM captcha_uses"))
        portal_db.session.commit()
    return portal_app


def submit_on_portal(portal_url: str, **over) -> str:
    """Fill the form on the running portal as a citizen does; returns the 查询码."""
    status, page = http(portal_url + "/yisqgk/")
    assert status == 200 and "无需注册登录" in page
    status, done = http(portal_url + "/yisqgk/", {**FORM, **over, **solve(page)})
    assert status == 200, done[:1000]
    return re.search(r'id="query-code">([A-Z0-9-]+)<', done).group(1)


def worker(url: str) -> Settings:
    return Settings(url, SECRET, timeout=5)


def sent_statuses(outcomes) -> list[str]:
    return [o.status for o in outcomes]


def test_submit_pull_reply_and_read_it_behind_the_query_code(app, people, portal_clean, portal_server):
    status, page = http(portal_server + "/yisqgk/")
    assert status == 200 and "无需注册登录" in page
    # a wrong CAPTCHA answer keeps what was typed and stores nothing
    wrong = {**FORM, **solve(page)}
    wrong["captcha_answer"] = str((int(wrong["captcha_answer"]) + 1) % 19)
    status, again = http(portal_server + "/yisqgk/", wrong)
    assert status == 422 and "答案不正确" in again and "赵小红" in again
    answer = solve(page)
    status, done = http(portal_server + "/yisqgk/", {**FORM, **answer})
    assert status == 200
    code = re.search(r'id="query-code">([A-Z0-9-]+)<', done).group(1)
    assert http(portal_server + "/yisqgk/", {**FORM, **answer})[0] == 422  # a CAPTCHA answer works once
    status, page = http(portal_server + "/yisqgk/chaxun", {"code": code})
    assert status == 200 and "已提交，等待受理" in page

    people.user("handler", Role.HANDLER, department="办公室", name="吴敏")
    people.user("office", Role.OFFICE, department="办公室", name="陈静")
    with app.app_context():
        # a wrong secret is refused by the portal and registers nothing
        bad = applications_sync.pull(portal_server, "not-the-portal-secret-0123456789")
        assert bad.pulled == 0 and bad.errors
        result = applications_sync.pull(portal_server, SECRET)
        assert (result.pulled, result.errors) == (1, [])
        assert applications_sync.pull(portal_server, SECRET).pulled == 0  # acknowledged: not pulled twice
        a = db.session.execute(db.select(Application)).scalar_one()
        assert (a.channel, a.applicant_name, a.handler_id) == ("online", "赵小红", None)
        app_id = a.id
        # registering queued the first status in the same transaction; nothing is sent until the worker runs
        [queued] = db.session.execute(db.select(OutboxMessage).where(OutboxMessage.application_id == app_id)).scalars().all()
        assert (queued.kind, queued.status, queued.version) == ("app_status", "pending", a.version)
        assert "赵小红" not in queued.body.decode() and "410105198805051234" not in queued.body.decode()
    status, page = http(portal_server + "/yisqgk/chaxun", {"code": code})
    assert "已受理" not in page  # not delivered yet
    with app.app_context():
        assert sent_statuses(run_once(worker(portal_server))) == ["sent"]
        a = db.session.get(Application, app_id)
        assert a.portal_pushed_version == a.version
        # the office assigns nothing here: the first handler of the office's department to act takes it
        a.department_id = db.session.execute(text("SELECT id FROM departments WHERE name = '办公室'")).scalar_one()
        db.session.commit()
    status, page = http(portal_server + "/yisqgk/chaxun", {"code": code})
    assert status == 200 and "已受理，正在办理" in page and "下载答复" not in page

    handler, office = app.test_client(), app.test_client()
    login(handler, "handler")
    login(office, "office")
    with app.app_context():
        version = db.session.get(Application, app_id).version
    assert post(handler, f"/applications/{app_id}/move/submit_reply",
                {"version": str(version), "outcome": "public", "reply_text": "现将名录提供给您。"}).status_code == 302
    with app.app_context():
        version = db.session.get(Application, app_id).version
    assert post(office, f"/applications/{app_id}/move/approve_reply", {"version": str(version)}).status_code == 302
    with app.app_context():
        assert sent_statuses(run_once(worker(portal_server))) == ["sent", "sent"]  # 答复待审核, then 已答复
        assert run_once(worker(portal_server)) == []  # delivered: nothing to resend
        assert applications_portal.requeue_stale() == 0  # the portal holds the newest version

    status, page = http(portal_server + "/yisqgk/chaxun", {"code": code})
    assert status == 200 and "已答复" in page and "下载答复" in page
    status, letter = http(portal_server + "/yisqgk/dafu", {"code": code})
    assert status == 200
    text_ = "\n".join(p.text for p in docx.Document(io.BytesIO(letter)).paragraphs)
    assert "政府信息公开告知书" in text_ and "现将名录提供给您。" in text_ and "行政复议" in text_
    # without the code, or with another, nothing is shown
    assert http(portal_server + "/yisqgk/chaxun", {"code": "AAAA-BBBB-CCCC-DDDD"})[0] == 404
    status, page = http(portal_server + "/yisqgk/dafu", {"code": ""})
    assert status == 404 and "赵小红" not in page
    status, page = http(portal_server + "/yisqgk/dafu", {"code": "AAAA-BBBB-CCCC-DDDD"})
    assert status == 404 and "政府信息公开告知书" not in page
    status, page = http(portal_server + "/yisqgk/chaxun")
    assert "已答复" not in page and "赵小红" not in page


def test_portal_down_during_the_reply_is_delivered_once_when_back(app, people, portal_clean):
    """The reply is approved while the portal is down: the worker retries with backoff and,
    once the portal is back on the same port, delivers it exactly once."""
    from tests.pubhelpers import LivePortal
    from webapp import clock

    live = LivePortal(portal_clean).start()
    try:
        code = submit_on_portal(live.url)
        people.user("handler", Role.HANDLER, department="办公室", name="吴敏")
        people.user("office", Role.OFFICE, department="办公室", name="陈静")
        with app.app_context():
            assert applications_sync.pull(live.url, SECRET).pulled == 1
            assert sent_statuses(run_once(worker(live.url))) == ["sent"]
            app_id = db.session.execute(db.select(Application.id)).scalar_one()
            dept = db.session.execute(text("SELECT id FROM departments WHERE name = '办公室'")).scalar_one()
            db.session.get(Application, app_id).department_id = dept
            db.session.commit()
        handler, office = app.test_client(), app.test_client()
        login(handler, "handler")
        login(office, "office")
        live.stop()  # the portal goes down
        with app.app_context():
            version = db.session.get(Application, app_id).version
        assert post(handler, f"/applications/{app_id}/move/submit_reply",
                    {"version": str(version), "outcome": "public", "reply_text": ""}).status_code == 302
        with app.app_context():
            version = db.session.get(Application, app_id).version
        assert post(office, f"/applications/{app_id}/move/approve_reply", {"version": str(version)}).status_code == 302
        with app.app_context():
            now = clock.utcnow()
            with clock.frozen(now):
                first = run_once(worker(live.url))
            assert [(o.status, o.http_status) for o in first] == [("pending", 0), ("pending", 0)]
            rows = db.session.execute(db.select(OutboxMessage).where(OutboxMessage.application_id == app_id,
                                                                      OutboxMessage.status == "pending")).scalars().all()
            assert all("无法连接门户网站" in r.last_answer and r.attempts == 1 for r in rows)
            with clock.frozen(now + timedelta(seconds=1)):
                assert run_once(worker(live.url)) == []  # backoff respected
            assert applications_portal.requeue_stale() == 0  # messages are waiting: the repair adds none
        # while down the applicant still sees the last delivered status
        live.start()
        status, page = http(live.url + "/yisqgk/chaxun", {"code": code})
        assert "已受理，正在办理" in page and "下载答复" not in page
        with app.app_context():
            with clock.frozen(clock.utcnow() + timedelta(seconds=10)):
                assert sent_statuses(run_once(worker(live.url))) == ["sent", "sent"]
                assert run_once(worker(live.url)) == []
            a = db.session.get(Application, app_id)
            assert a.portal_pushed_version == a.version
            delivered = db.session.execute(db.select(AuditEvent).where(AuditEvent.action == "app_status_delivered")
                                           ).scalars().all()
            assert len(delivered) == 3  # received, 答复待审核, 已答复: each exactly once
        status, page = http(live.url + "/yisqgk/chaxun", {"code": code})
        assert status == 200 and "已答复" in page and "下载答复" in page
        status, letter = http(live.url + "/yisqgk/dafu", {"code": code})
        assert status == 200 and "政府信息公开告知书" in "\n".join(
            p.text for p in docx.Document(io.BytesIO(letter)).paragraphs)
    finally:
        live.stop()


def test_a_refused_status_is_shown_on_the_application_and_can_be_sent_again(app, people, portal_clean, portal_server):
    code = submit_on_portal(portal_server)
    people.user("office", Role.OFFICE, department="办公室", name="陈静")
    with app.app_context():
        assert applications_sync.pull(portal_server, SECRET).pulled == 1
        wrong = Settings(portal_server, "a-secret-the-portal-does-not-know-000", timeout=5)
        assert sent_statuses(run_once(wrong)) == ["failed"]
        app_id = db.session.execute(db.select(Application.id)).scalar_one()
        assert db.session.execute(db.select(AuditEvent).where(AuditEvent.action == "app_status_failed")).first()
    office = app.test_client()
    login(office, "office")
    page = office.get(f"/applications/{app_id}").get_data(as_text=True)
    assert "推送失败" in page and "签名校验失败" in page and "重新推送" in page
    assert post(office, f"/applications/{app_id}/resend").status_code == 302
    assert post(office, f"/applications/{app_id}/resend").status_code == 422  # one is waiting now
    with app.app_context():
        assert sent_statuses(run_once(worker(portal_server))) == ["sent"]
    status, page = http(portal_server + "/yisqgk/chaxun", {"code": code})
    assert status == 200 and "已受理，正在办理" in page
    assert "已送达申请人查询页" in office.get(f"/applications/{app_id}").get_data(as_text=True)


def test_status_api_refuses_unsigned_and_older_versions(portal_clean):
    from portal.extensions import db as portal_db
    from portal.services import applying

    c = portal_clean.test_client()
    for path in ("/api/applications/pull", "/api/applications/ack", "/api/applications/status"):
        assert c.post(path, json={}).status_code == 401
    with portal_clean.app_context():
        row, _code = applying.submit(FORM)
        assert applying.receive_status({"public_id": row.public_id, "version": 3, "status_label": "已受理"}) == "updated"
        assert applying.receive_status({"public_id": row.public_id, "version": 2, "status_label": "旧的"}) == "unchanged"
        portal_db.session.expire_all()
        assert portal_db.session.get(type(row), row.id).status_label == "已受理"


def test_documents_provided_with_the_reply_are_behind_the_query_code_only(portal_clean):
    from portal.services import applying
    from tests.portal.conftest import make_docx

    with portal_clean.app_context():
        row, code = applying.submit(FORM)
        public_id = row.public_id
        reply = base64.b64encode(make_docx("告知书")).decode()
        provided = base64.b64encode(make_docx("名录公开版")).decode()
        bad = {"public_id": public_id, "version": 2, "status_label": "已答复", "reply": {"filename": "r.docx",
               "content_b64": reply}, "provided": [{"filename": "x.docx", "content_b64": "不是base64"}]}
        with pytest.raises(Exception, match="不符合接口规范"):
            applying.receive_status(bad)
        assert applying.receive_status({**bad, "provided": [{"filename": "名录（公开版）.docx",
                                                            "content_b64": provided}]}) == "updated"
    c = portal_clean.test_client()
    page = c.post("/yisqgk/chaxun", data={"code": code}).get_data(as_text=True)
    assert "随答复提供的政府信息" in page and "名录（公开版）.docx" in page
    got = c.post("/yisqgk/dafu/1", data={"code": code})
    assert got.status_code == 200 and got.headers["Cache-Control"] == "no-store"
    assert base64.b64encode(got.data).decode() == provided
    assert c.post("/yisqgk/dafu/2", data={"code": code}).status_code == 404
    for wrong in ("", "AAAA-BBBB-CCCC-DDDD"):
        resp = c.post("/yisqgk/dafu/1", data={"code": wrong})
        assert resp.status_code == 404 and resp.data != got.data
    assert "名录（公开版）" not in c.get("/yisqgk/chaxun").get_data(as_text=True)


def test_an_expired_captcha_is_refused(portal_clean):
    from portal import clock as portal_clock
    from portal.services import applying

    with portal_clean.app_context():
        captcha = applying.new_captcha(SECRET)
        q = re.search(r"(.)加(.)等于", captcha.question)
        right = str(ANSWERS[q[1]] + ANSWERS[q[2]])
        with portal_clock.frozen(datetime(2099, 1, 1, tzinfo=UTC)):
            assert "过期" in applying.check_captcha(SECRET, captcha.token, right)
        assert applying.check_captcha(SECRET, captcha.token, right) is None


@pytest.mark.browser
def test_the_form_by_keyboard_in_chromium_and_axe_finds_nothing_serious(portal_clean, portal_server, browser):
    from playwright.sync_api import expect

    from tests.portal.test_portal_browser import SHOTS, serious

    SHOTS.mkdir(parents=True, exist_ok=True)
    page = browser.new_page(viewport={"width": 1366, "height": 768}, locale="zh-CN", bypass_csp=True)
    page.goto(portal_server + "/yisqgk/")
    assert serious(page) == []
    page.get_by_label("姓名或名称").fill("赵小红")
    page.get_by_label("身份证明号码").fill("410105198805051234")
    page.get_by_label("联系电话").fill("13911112222")
    page.get_by_label("政府信息的名称、文号或便于查询的特征描述").fill("本市2025年度应急避难场所名录")
    question = page.get_by_label(re.compile("请回答"))
    label = page.locator("label[for=captcha_answer]").inner_text()
    q = re.search(r"请回答：(.)加(.)等于多少", label)
    question.fill(str(ANSWERS[q[1]] + ANSWERS[q[2]]))
    question.press("Enter")  # the keyboard submits the form
    expect(page.locator("#query-code")).to_have_text(re.compile(r"[A-Z0-9]{4}(-[A-Z0-9]{4}){3}"))
    assert serious(page) == []
    page.screenshot(path=str(SHOTS / "portal-application-done.png"), full_page=True)
    page.close()
