"""The working calendar is kept per process (services/holidays.working_calendar) and must never go
stale: an admin's holiday override saved through one worker shows in every other worker's pages on
their next request.  Two apps on the same database stand for two gunicorn workers; each keeps its
own counters and calendar.  Real database (SQLite, and PostgreSQL with TEST_DATABASE_URL)."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from tests.conftest import TEST_CONFIG, login, post
from webapp import clock, create_app
from webapp.extensions import db
from webapp.workflow import Role

LEFT = re.compile(r"剩余 (\d+) 个工作日")
FORM = {"channel": "in_person", "received_on": "2026-09-21", "applicant_type": "person",
        "applicant_name": "李明", "id_doc_type": "居民身份证", "id_doc_number": "410105199001011234",
        "contact_phone": "13800001234", "contact_address": "郑州市金水区某路1号", "contact_email": "",
        "description": "2025年本市应急物资储备库建设项目的批复文件", "form_wanted": "electronic"}


def _left(client) -> int:
    html = client.get("/applications/").get_data(as_text=True)
    return int(LEFT.search(html).group(1))


def test_a_holiday_override_saved_by_one_worker_shows_at_once_in_another(app, database_url, people):
    people.user("handler", Role.HANDLER, department="办公室", name="吴敏")
    people.user("admin", Role.ADMIN, department="办公室", name="管理员")
    other = create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": database_url})  # a second worker
    try:
        with clock.frozen(datetime(2026, 9, 22, 2, 0, tzinfo=UTC)):
            handler_a = people.client("handler")
            assert post(handler_a, "/applications/new", FORM).status_code == 302
            handler_b = other.test_client()
            login(handler_b, "handler")
            before = _left(handler_b)  # worker B builds and keeps its calendar
            assert _left(handler_a) == before

            admin_a = people.client("admin")  # Monday 12 October becomes a day off, through worker A
            resp = post(admin_a, "/admin/holidays", {"day": "2026-10-12", "working": "0", "note": "本机关停电，不办公"})
            assert resp.status_code == 302
            assert _left(handler_b) == before - 1  # worker B's very next request
            assert _left(handler_a) == before - 1

            resp = post(admin_a, "/admin/holidays/2026-10-12/delete", {})
            assert resp.status_code == 302
            assert _left(handler_b) == before
            # and back through worker B: a Saturday worked (调休上班) counts on worker A's next page
            admin_b = other.test_client()
            login(admin_b, "admin")
            resp = post(admin_b, "/admin/holidays", {"day": "2026-10-17", "working": "1", "note": "调休上班"})
            assert resp.status_code == 302
            assert _left(handler_a) == before + 1
    finally:
        with other.app_context():
            db.session.remove()
            db.engine.dispose()
