"""Reminders before deadlines and on overdue (issue 12): one per recipient and deadline crossing,
however often the scan runs; e-mailed through a real SMTP server (aiosmtpd, on a free port) by
the outbox worker, once, across a worker that died mid-pass and its restart.

Today is Monday 15 June 2026 in Beijing (端午: 19–21 June).
"""

from __future__ import annotations

import email
import threading
from datetime import UTC, date, datetime

import pytest

from tests.conftest import login, post
from webapp import clock
from webapp.extensions import db
from webapp.models import Application, Document, OutboxMessage, Reminder, User
from webapp.outbox import mail
from webapp.outbox.worker import Settings, claim, run_once
from webapp.services import reminders
from webapp.workflow import Role

aiosmtpd = pytest.importorskip("aiosmtpd.controller", reason="aiosmtpd (requirements-dev.txt) is not installed")

MONDAY = datetime(2026, 6, 15, 2, 0, tzinfo=UTC)  # 10:00 in Beijing
THURSDAY = datetime(2026, 6, 18, 2, 0, tzinfo=UTC)


class Inbox:
    def __init__(self):
        self.messages: list = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's hook name)
        with self.lock:
            self.messages.append((envelope.rcpt_tos, email.message_from_bytes(envelope.content)))
        return "250 OK"


class FreePortController(aiosmtpd.Controller):
    """aiosmtpd listening on port 0 (a free port chosen by the system); the port is read back."""

    def _trigger_server(self):
        self.port = self.server.sockets[0].getsockname()[1]
        super()._trigger_server()


@pytest.fixture
def smtp():
    inbox = Inbox()
    controller = FreePortController(inbox, hostname="127.0.0.1", port=0)
    controller.start()
    try:
        yield inbox, f"smtp://127.0.0.1:{controller.port}"
    finally:
        controller.stop()


@pytest.fixture
def world(app, people):
    ids = {
        "drafter": people.user("drafter", Role.DRAFTER, department="法规处"),
        "office": people.user("office", Role.OFFICE, department="办公室"),
        "publisher": people.user("publisher", Role.PUBLISHER, department="办公室"),
        "handler": people.user("handler", Role.HANDLER, department="办公室"),
    }
    dept = people.department("法规处")
    with app.app_context():
        for who, address in (("publisher", "sun@example.gov.cn"), ("handler", "li@example.gov.cn"),
                             ("office", "chen@example.gov.cn")):
            db.session.get(User, ids[who]).email = address
        ready = Document(title="关于防汛工作的通知", doc_type="通知", department_id=dept, drafter_id=ids["drafter"],
                         stage="ready", disclosure="public", print_date=date(2026, 5, 19), doc_number="豫应急〔2026〕9号")
        normative = Document(title="安全生产行政规范性文件", doc_type="办法", department_id=dept, drafter_id=ids["drafter"],
                             stage="published", disclosure="public", is_normative=True, validity="valid",
                             effective_to=date(2026, 7, 1))
        db.session.add_all([ready, normative])

        def application(stage, **kw) -> Application:
            row = Application(channel="in_person", received_on=date(2026, 5, 20), applicant_type="person",
                              applicant_name="李明", description="某文件", fingerprint=f"fp-{stage}", stage=stage,
                              handler_id=ids["handler"], **kw)
            db.session.add(row)
            return row

        reply = application("handling", due_on=date(2026, 6, 17))
        correction = application("correction", due_on=date(9999, 12, 31), correction_until=date(2026, 6, 12))
        db.session.commit()
        refs = {"ready": ready.id, "normative": normative.id, "reply": reply.id, "correction": correction.id}
    return {"ids": ids, **refs}


def _reminders(app) -> list[tuple]:
    with app.app_context():
        return sorted(tuple(r) for r in db.session.execute(db.select(Reminder.user_id, Reminder.kind, Reminder.phase,
                                                   Reminder.subject_id)).all())


def test_one_reminder_per_deadline_crossing(app, world):
    ids = world["ids"]
    with app.app_context(), clock.frozen(MONDAY):
        first = reminders.scan()
        again = reminders.scan()
    assert (first.created, again.created) == (5, 0)
    assert _reminders(app) == sorted([
        (ids["publisher"], "publication", "soon", world["ready"]),  # due 16 June: 1 working day left
        (ids["handler"], "application", "soon", world["reply"]),  # due 17 June: 2 left
        (ids["handler"], "correction", "overdue", world["correction"]),  # 补正 period ended 12 June
        (ids["drafter"], "validity", "soon", world["normative"]),  # valid to 1 July: 11 working days
        (ids["office"], "validity", "soon", world["normative"]),
    ])
    with app.app_context(), clock.frozen(THURSDAY):
        later = reminders.scan()
        once_more = reminders.scan()
    assert (later.created, once_more.created) == (2, 0)  # the publication and the reply are now overdue
    kinds = [(k, p) for _, k, p, _ in _reminders(app)]
    assert kinds.count(("publication", "overdue")) == 1 and kinds.count(("application", "overdue")) == 1
    assert kinds.count(("correction", "overdue")) == 1
    with app.app_context():
        words = db.session.execute(db.select(Reminder.title, Reminder.message)
                                   .where(Reminder.kind == "publication", Reminder.phase == "overdue")).one()
    assert "已逾期" in words.title and "2026年6月16日" in words.message and "豫应急〔2026〕9号" in words.message


def test_a_moved_deadline_is_a_new_crossing(app, world):
    with app.app_context(), clock.frozen(MONDAY):
        reminders.scan()
        db.session.get(Application, world["reply"]).due_on = date(2026, 6, 16)  # e.g. recomputed
        db.session.commit()
        assert reminders.scan().created == 1


def test_emails_are_sent_once_across_a_worker_restart(app, world, smtp):
    inbox, url = smtp
    app.config["SMTP_URL"] = url
    runner = app.test_cli_runner()
    with clock.frozen(MONDAY):
        for _ in range(2):  # the scan twice: the second finds nothing new, queues no e-mail
            result = runner.invoke(args=["reminders", "scan"])
            assert result.exit_code == 0, result.output
    assert "新建提醒 0 条" in result.output
    with app.app_context():
        queued = db.session.execute(db.select(OutboxMessage).where(OutboxMessage.kind == mail.EMAIL)).scalars().all()
        # the drafter has no address: in-app only
        assert sorted(m.index_no.split("-")[0] for m in queued) == ["reminder"] * 4
        settings = Settings(portal_url="http://127.0.0.1:9", secret="s" * 32, smtp_url=url,
                            smtp_from="gongkaitong@example.gov.cn")
        # a worker claims them and dies before sending: its lease runs out …
        assert len(claim("dead-worker", 10, lease_seconds=-1)) == 4
        # … the restarted worker sends each once; a second pass (or a second restart) sends nothing
        first = run_once(settings, worker="restarted")
        second = run_once(settings, worker="restarted-again")
        assert [o.status for o in first] == ["sent"] * 4 and second == []
        statuses = db.session.execute(db.select(OutboxMessage.status).where(OutboxMessage.kind == mail.EMAIL)).scalars()
        assert set(statuses) == {"sent"}
    assert len(inbox.messages) == 4
    to = sorted(r for rcpts, _ in inbox.messages for r in rcpts)
    assert to == ["chen@example.gov.cn", "li@example.gov.cn", "li@example.gov.cn", "sun@example.gov.cn"]
    subjects = [str(email.header.make_header(email.header.decode_header(m["Subject"]))) for _, m in inbox.messages]
    assert any("主动公开发布期限即将到期" in s for s in subjects)
    assert len({m["Message-ID"] for _, m in inbox.messages}) == 4


def test_an_unreachable_mail_server_is_retried_not_lost(app, world):
    app.config["SMTP_URL"] = "smtp://127.0.0.1:9"  # nothing listens there
    with app.app_context(), clock.frozen(MONDAY):
        reminders.scan(send_email=True)
    with app.app_context():
        settings = Settings(portal_url="http://127.0.0.1:9", secret="s" * 32, smtp_url="smtp://127.0.0.1:9")
        outcomes = run_once(settings, worker="w")
        assert outcomes and {o.status for o in outcomes} == {"pending"}
        row = db.session.execute(db.select(OutboxMessage).where(OutboxMessage.kind == mail.EMAIL)).scalars().first()
        assert "无法连接邮件服务器" in row.last_answer and row.attempts == 1


def test_reminders_in_the_app_read_and_unread(app, world):
    with app.app_context(), clock.frozen(MONDAY):
        reminders.scan()
        mine = db.session.execute(db.select(Reminder.id).where(Reminder.user_id == world["ids"]["handler"])
                                  .order_by(Reminder.id)).scalars().all()
        others = db.session.execute(db.select(Reminder.id).where(Reminder.user_id == world["ids"]["office"])).scalar()
    client = app.test_client()
    login(client, "handler")
    page = client.get("/reminders").get_data(as_text=True)
    assert page.count('class="link-button">标记为已读') == 2 and 'id="nav-count-reminders">2<' in page
    assert post(client, f"/reminders/{others}/read").status_code == 404  # another's: as if none
    resp = post(client, f"/reminders/{mine[0]}/read", htmx=True)
    assert resp.status_code == 200 and "已读" in resp.get_data(as_text=True)
    assert 'id="nav-count-reminders" hx-swap-oob="true">1<' in resp.get_data(as_text=True)
    unread = client.get("/reminders?show=unread").get_data(as_text=True)
    assert unread.count('class="link-button">标记为已读') == 1
    assert post(client, "/reminders/read-all").status_code == 302
    assert "没有未读提醒" in client.get("/reminders?show=unread").get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Reminder, others).read_at is None  # the office's own stays unread


def test_the_todo_list_counts_each_area(app, world):
    client = app.test_client()
    login(client, "handler")
    page = client.get("/todo").get_data(as_text=True)
    assert "待办理的政府信息公开申请" in page
    # the handler's two open applications; the nav's 待办 counter sums the list
    assert 'data-key="applications_open"' in page and ">2</span>" in page
    assert 'id="nav-count-todo">2<' in page
    office = app.test_client()
    login(office, "office")
    page = office.get("/todo").get_data(as_text=True)
    assert "30天内到期或已到期的规范性文件" in page and 'id="nav-count-todo">1<' in page


def test_the_admin_keeps_the_email_address(app, world, people):
    people.user("admin", Role.ADMIN, department="办公室")
    client = app.test_client()
    login(client, "admin")
    target = world["ids"]["drafter"]
    form = {"display_name": "张丽", "department": "", "roles": ["drafter"], "active": "y"}
    bad = post(client, f"/admin/users/{target}/edit", {**form, "email": "不是邮箱"})
    assert bad.status_code == 422 and "电子邮箱格式不正确" in bad.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(User, target).email == ""
    assert post(client, f"/admin/users/{target}/edit", {**form, "email": "zhang@example.gov.cn"}).status_code == 302
    with app.app_context():
        assert db.session.get(User, target).email == "zhang@example.gov.cn"
