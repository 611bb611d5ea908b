"""A status the portal refuses (outbox kind app_status) is shown where the application's staff look
for what waits for them (issue 9): the applications queue lists it with the portal's answer and a
retry button, the 待办 list and the navigation count it — for the handler of that department, the
office and the head of the disclosure office only.  The publisher, who watches the failed document
pushes, is told how many application statuses failed and who handles them, never which
application (its reference) nor anything of the applicant.  Real HTTP to a running portal."""

from __future__ import annotations

import html
import re
import urllib.parse
import urllib.request
from datetime import timedelta

from sqlalchemy import text as sql

from tests.conftest import login, post
from tests.pubhelpers import SECRET
from webapp import clock
from webapp.extensions import db
from webapp.models import Application, OutboxMessage
from webapp.outbox.worker import Settings, run_once
from webapp.services import applications_sync
from webapp.workflow import Role

ANSWERS = {c: i for i, c in enumerate("零一二三四五六七八九")}
APPLICANT = {"applicant_type": "person", "applicant_name": "赵小红", "id_doc_type": "居民身份证",
             "id_doc_number": "410105198805051234", "contact_phone": "13911112222", "contact_email": "",
             "contact_address": "", "description": "本市2025年度应急避难场所名录", "form_wanted": "electronic"}


def http(url: str, data: dict | None = None) -> tuple[int, str]:
    body = urllib.parse.urlencode(data).encode() if data is not None else None
    req = urllib.request.Request(url, data=body, method="POST" if data is not None else "GET")
    with urllib.request.urlopen(req, timeout=10) as r:
        return r.status, r.read().decode()


def apply_on_portal(base: str) -> str:
    page = http(base + "/yisqgk/")[1]
    q = re.search(r"请回答：(.)加(.)等于多少？", page)
    token = html.unescape(re.search(r'name="captcha_token" value="([^"]+)"', page).group(1))
    done = http(base + "/yisqgk/", {**APPLICANT, "captcha_token": token,
                                    "captcha_answer": str(ANSWERS[q[1]] + ANSWERS[q[2]])})[1]
    return re.search(r'id="query-code">([A-Z0-9-]+)<', done).group(1)


def todo_count(client) -> int:
    page = client.get("/todo").get_data(as_text=True)
    row = re.search(r'data-key="applications_push_failed">(.*?)</tr>', page, re.S)
    if row is None:
        return -1  # not on this user's list at all
    assert "办理状态推送未成功" in row.group(1)
    found = re.search(r'class="badge badge-warn">(\d+)<', row.group(1))
    return int(found.group(1)) if found else 0


def test_a_refused_status_waits_in_the_handlers_queue_not_on_the_publishers_list(app, people, portal):
    people.user("handler", Role.HANDLER, department="办公室", name="吴敏")
    people.user("other_handler", Role.HANDLER, department="风险监测处", name="郑伟")
    people.user("office", Role.OFFICE, department="办公室", name="陈静")
    people.user("head", Role.DISCLOSURE_HEAD, department="办公室", name="钱主任")
    people.user("publisher", Role.PUBLISHER, department="办公室", name="孙悦")
    code = apply_on_portal(portal.url)
    with app.app_context():
        assert applications_sync.pull(portal.url, SECRET).pulled == 1
        a = db.session.execute(db.select(Application)).scalar_one()
        a.department_id = db.session.execute(sql("SELECT id FROM departments WHERE name = '办公室'")).scalar_one()
        db.session.commit()
        app_id, reference = a.id, a.reference
        wrong = Settings(portal.url, "a-secret-the-portal-does-not-know-000", timeout=5)
        assert [o.status for o in run_once(wrong)] == ["failed"]
    clients = {}
    for name in ("handler", "other_handler", "office", "head", "publisher"):
        clients[name] = app.test_client()
        login(clients[name], name)

    for name in ("handler", "office", "head"):  # the application's staff: listed with the answer and a retry
        page = clients[name].get("/applications/").get_data(as_text=True)
        panel = re.search(r'<section[^>]*id="push-problems".*?</section>', page, re.S)
        assert panel, name
        panel = panel.group(0)
        assert reference in panel and "签名校验失败" in panel and "推送失败" in panel and "重新推送" in panel
        assert f'action="/applications/{app_id}/resend"' in panel and 'name="csrf_token"' in panel
        assert todo_count(clients[name]) == 1
    # another department's handler sees nothing of it
    assert 'id="push-problems"' not in clients["other_handler"].get("/applications/").get_data(as_text=True)
    assert todo_count(clients["other_handler"]) == 0
    # the publisher: a count and who handles it, no reference, nothing of the applicant, no way in
    ready = clients["publisher"].get("/publishing/ready").get_data(as_text=True)
    assert "依申请公开办理状态推送未成功 1 条" in ready and "经办人" in ready
    for secret in (reference, "赵小红", "13911112222", "410105198805051234", f"/applications/{app_id}"):
        assert secret not in ready
    assert clients["publisher"].get("/applications/").status_code == 403
    assert todo_count(clients["publisher"]) == -1

    # retried from the queue (CSRF carried): back on the queue, waiting; then delivered
    resp = post(clients["handler"], f"/applications/{app_id}/resend", {"back": "queue"})
    assert resp.status_code == 302 and resp.headers["Location"].endswith("/applications/#push-problems")
    assert clients["handler"].post(f"/applications/{app_id}/resend", data={"back": "queue"}).status_code == 400  # no CSRF
    with app.app_context():
        assert db.session.execute(db.select(db.func.count(OutboxMessage.id))).scalar_one() == 2
    assert todo_count(clients["handler"]) == 0
    # the portal goes down: the retrying message is listed too, and can be sent at once when it is back
    portal.stop()
    with app.app_context():
        now = clock.utcnow()
        with clock.frozen(now):
            down = run_once(Settings(portal.url, SECRET, timeout=5, base_backoff=60, max_backoff=60))
            assert [o.status for o in down] == ["pending"]
    page = clients["office"].get("/applications/").get_data(as_text=True)
    assert 'id="push-problems"' in page and "无法连接门户网站" in page and "立即重试" in page
    assert todo_count(clients["office"]) == 1
    portal.start()
    with clock.frozen(now + timedelta(seconds=1)):  # retried at once, not after the backoff
        assert post(clients["office"], f"/applications/{app_id}/resend", {"back": "queue"}).status_code == 302
    with app.app_context():
        with clock.frozen(now + timedelta(seconds=1)):
            assert [o.status for o in run_once(Settings(portal.url, SECRET, timeout=5))] == ["sent"]
        assert db.session.execute(db.select(db.func.count(OutboxMessage.id)).where(
            OutboxMessage.status == "failed")).scalar_one() == 1  # the refused one stays, superseded by the newer
    for name in ("handler", "office", "head"):
        assert 'id="push-problems"' not in clients[name].get("/applications/").get_data(as_text=True)
        assert todo_count(clients[name]) == 0
    assert "依申请公开办理状态推送未成功" not in clients["publisher"].get("/publishing/ready").get_data(as_text=True)
    assert "已受理，正在办理" in http(portal.url + "/yisqgk/chaxun", {"code": code})[1]
