"""The user of a page that only reads, kept between requests (webapp/services/session_user.py).

A reads-only page takes its user from what an earlier request loaded, with no statement; the
page's own statement brings the user's fingerprint as the database holds it, and a user changed in
the meantime — by the admin's screens or behind the application's back, in SQL — never gets an
answer computed for who they were: the request runs again with the user read afresh.  Real
databases (SQLite, and PostgreSQL with TEST_DATABASE_URL)."""

from __future__ import annotations

import pytest
from flask import jsonify
from flask_login import current_user
from sqlalchemy import delete, event, inspect, update

from tests.conftest import app_on, post
from webapp.authz import login_required
from webapp.extensions import db
from webapp.models import Department, User, UserRole
from webapp.readonly import reads_only
from webapp.services import session_user
from webapp.workflow import Role

FORM = {"channel": "in_person", "received_on": "2026-09-21", "applicant_type": "person",
        "applicant_name": "李明", "id_doc_type": "居民身份证", "id_doc_number": "410105199001011234",
        "contact_phone": "13800001234", "contact_address": "郑州市金水区某路1号", "contact_email": "",
        "description": "2025年本市应急物资储备库建设项目的批复文件", "form_wanted": "electronic"}


@login_required
@reads_only
def who_am_i():  # a reads-only answer with no navigation (as a fragment or a download)
    return jsonify(name=current_user.display_name, roles=sorted(r.value for r in current_user.roles),
                   department=current_user.department.name if current_user.department else None)


@pytest.fixture
def app(database_url):
    for app in app_on(database_url):
        app.add_url_rule("/test/who-am-i", view_func=who_am_i)
        yield app


@pytest.fixture
def statements(app):
    out: list[str] = []

    def record(conn, cursor, statement, parameters, context, executemany):  # noqa: ARG001
        out.append(statement)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", record)
    yield out
    event.remove(engine, "before_cursor_execute", record)


def sql(app, statement) -> None:
    """A change made behind the application's back (no epoch raised, nothing forgotten)."""
    with app.app_context():
        db.session.execute(statement)
        db.session.commit()


@pytest.fixture
def handler(app, people):
    uid = people.user("handler", Role.HANDLER, department="办公室", name="吴敏")
    client = people.client("handler")
    assert post(client, "/applications/new", FORM).status_code == 302  # a write: the user read and kept
    client.get("/applications/")  # shows the flash
    return uid, client


def test_a_kept_user_costs_no_statement_of_its_own(handler, statements):
    _, client = handler
    statements.clear()
    html = client.get("/applications/").get_data(as_text=True)
    assert "应急物资储备库" in html and "吴敏" in html
    assert len(statements) == 1  # the page's rows, with the counters and the user's fingerprint
    assert "FROM users" in statements[0]


def test_a_role_taken_away_in_sql_is_refused_at_the_next_page(app, handler):
    uid, client = handler
    sql(app, delete(UserRole).where(UserRole.user_id == uid))
    response = client.get("/applications/")
    assert response.status_code == 403
    assert "应急物资储备库" not in response.get_data(as_text=True)


def test_a_disabled_account_is_logged_out_at_the_next_page(app, handler):
    uid, client = handler
    sql(app, update(User).where(User.id == uid).values(is_active_account=False))
    response = client.get("/applications/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_a_role_change_by_the_admin_ends_the_session(app, people, handler):
    uid, client = handler
    people.user("admin", Role.ADMIN, department="办公室", name="管理员")
    admin = people.client("admin")
    with app.app_context():
        dept = db.session.get(User, uid).department_id
    answer = post(admin, f"/admin/users/{uid}/edit", {"display_name": "吴敏", "department": str(dept),
                                                       "roles": ["drafter"], "active": "y", "email": ""})
    assert answer.status_code == 302
    with app.app_context():
        assert db.session.get(User, uid).roles == frozenset({Role.DRAFTER})
    response = client.get("/applications/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_a_new_name_and_a_renamed_department_show_at_once(app, handler):
    uid, client = handler
    with app.app_context():
        dept_id = db.session.get(User, uid).department_id
    sql(app, update(User).where(User.id == uid).values(display_name="吴敏华"))
    sql(app, update(Department).where(Department.id == dept_id).values(name="政府办公室"))
    html = client.get("/applications/").get_data(as_text=True)
    assert "吴敏华" in html and "政府办公室" in html


def test_a_page_without_navigation_confirms_its_user_after_the_view(app, handler, statements):
    uid, client = handler
    assert client.get("/test/who-am-i").get_json()["roles"] == ["handler"]
    statements.clear()
    assert client.get("/test/who-am-i").get_json() == {"name": "吴敏", "roles": ["handler"], "department": "办公室"}
    assert len(statements) == 1  # the confirmation only: the user itself was not read
    sql(app, update(UserRole).where(UserRole.user_id == uid).values(role="office"))
    assert client.get("/test/who-am-i").get_json()["roles"] == ["office"]


def test_the_first_run_of_a_stale_user_leaves_nothing_behind(app, people, statements):
    """The thrown-away run read the flash; the rerun starts from the request as it came, so the
    message is shown once, by the answer that leaves."""
    uid = people.user("handler", Role.HANDLER, department="办公室", name="吴敏")
    client = people.client("handler")
    client.get("/applications/")  # kept
    assert post(client, "/applications/new", FORM).status_code == 302  # flashes "已登记 …"
    sql(app, update(User).where(User.id == uid).values(display_name="吴敏华"))
    statements.clear()
    html = client.get("/applications/").get_data(as_text=True)
    assert "已登记" in html and "吴敏华" in html
    assert sum("FROM users" in s for s in statements) >= 2  # the fingerprint, then the user read afresh
    assert "已登记" not in client.get("/applications/").get_data(as_text=True)


def test_a_write_never_uses_the_kept_user(app, handler):
    uid, client = handler
    sql(app, delete(UserRole).where(UserRole.user_id == uid))
    assert post(client, "/applications/new", {**FORM, "applicant_name": "王芳"}).status_code == 403


def test_the_fingerprint_covers_every_column_a_request_depends_on():
    """Each column of users and departments is either in the fingerprint or named here with why
    it need not be: a new column must take a side."""
    not_needed = {
        "users": {"id": "the key it is read by", "created_at": "never changes",
                  "password_hash": "a new password raises session_epoch (ends every session)"},
        "departments": {"id": "users.department_id is in it", "created_at": "never changes"},
    }
    for model, covered in ((User, session_user.USER_COLUMNS), (Department, session_user.DEPARTMENT_COLUMNS)):
        table = inspect(model).local_table
        assert set(covered) | set(not_needed[table.name]) == {c.name for c in table.columns}, table.name
        assert not set(covered) & set(not_needed[table.name])
