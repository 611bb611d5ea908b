"""Views marked @reads_only (webapp/readonly.py): on PostgreSQL their statements run in autocommit
(no BEGIN/ROLLBACK round trips); on every database a write from such a view fails loudly before it
reaches the database; and the pooled connection the next request checks out is transactional
again.  One pooled connection, so "the next request" really gets the same one.  Real databases
(SQLite, and PostgreSQL with TEST_DATABASE_URL)."""

from __future__ import annotations

import logging

import pytest
from sqlalchemy import event, select, update

from tests.conftest import make_app, post
from webapp.authz import login_required
from webapp.extensions import db
from webapp.models import Department, User
from webapp.readonly import OPTION, WriteInReadOnlyView, reads_only
from webapp.workflow import Role

FORM = {"channel": "in_person", "received_on": "2026-09-21", "applicant_type": "person",
        "applicant_name": "李明", "id_doc_type": "居民身份证", "id_doc_number": "410105199001011234",
        "contact_phone": "13800001234", "contact_address": "郑州市金水区某路1号", "contact_email": "",
        "description": "2025年本市应急物资储备库建设项目的批复文件", "form_wanted": "electronic"}


class Boom(Exception):
    pass


@pytest.fixture
def app(database_url):
    app = make_app(database_url, SQLALCHEMY_ENGINE_OPTIONS={"pool_size": 1, "max_overflow": 0})

    @reads_only
    @login_required
    def writes_through_the_orm():
        db.session.add(Department(name="不应写入的处室"))
        db.session.commit()
        return "written"

    @login_required
    @reads_only
    def writes_through_core():
        db.session.execute(update(User).values(display_name="改名"))
        return "written"

    @login_required
    def writes_then_fails():  # an ordinary view: its write is rolled back with the failure
        db.session.add(Department(name="随失败回滚的处室"))
        db.session.flush()
        raise Boom()

    app.add_url_rule("/test/ro-orm", view_func=writes_through_the_orm)
    app.add_url_rule("/test/ro-core", view_func=writes_through_core)
    app.add_url_rule("/test/rw-fails", view_func=writes_then_fails)
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def seen(app):
    """Per statement: (the checked-out DBAPI connection's id, reads-only option, autocommit)."""
    out: list[tuple[int, bool, bool]] = []

    def record(conn, cursor, statement, parameters, context, executemany):  # noqa: ARG001
        dbapi = conn.connection.dbapi_connection
        out.append((id(dbapi), bool(conn.get_execution_options().get(OPTION)), bool(getattr(dbapi, "autocommit", False))))

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", record)
    yield out
    event.remove(engine, "before_cursor_execute", record)


def _postgres(app) -> bool:
    with app.app_context():
        return db.engine.dialect.name == "postgresql"


def test_the_queue_reads_without_a_transaction_on_postgresql_and_still_works(app, people, seen):
    people.user("handler", Role.HANDLER, department="办公室", name="吴敏")
    handler = people.client("handler")
    assert post(handler, "/applications/new", FORM).status_code == 302
    seen.clear()
    html = handler.get("/applications/").get_data(as_text=True)
    assert "应急物资储备库" in html and "个工作日" in html  # the row and its deadline in words (the calendar)
    assert seen and all(reads for _, reads, _ in seen)
    assert all(auto for _, _, auto in seen) == _postgres(app)  # autocommit on PostgreSQL only


def test_a_reads_only_view_that_writes_fails_loudly_and_writes_nothing(app, people, caplog):
    people.user("handler", Role.HANDLER, department="办公室", name="吴敏")
    handler = people.client("handler")
    for path in ("/test/ro-orm", "/test/ro-core"):
        caplog.clear()
        # Alembic's fileConfig (any earlier test that ran the migrations) disables existing loggers
        disabled, app.logger.disabled = app.logger.disabled, False
        app.logger.addHandler(caplog.handler)
        try:
            with caplog.at_level(logging.ERROR, logger=app.logger.name):
                assert handler.get(path).status_code == 500
        finally:
            app.logger.removeHandler(caplog.handler)
            app.logger.disabled = disabled
        errors = [r.exc_info[0] for r in caplog.records if r.exc_info]
        assert WriteInReadOnlyView in errors, path
    with app.app_context():
        assert db.session.execute(select(Department).where(Department.name == "不应写入的处室")).first() is None
        assert db.session.execute(select(User.display_name)).scalars().all() == ["吴敏"]


def test_the_next_request_on_the_same_pooled_connection_is_transactional_again(app, people, seen):
    people.user("handler", Role.HANDLER, department="办公室", name="吴敏")
    handler = people.client("handler")
    seen.clear()
    assert handler.get("/applications/").status_code == 200
    read_conn = {c for c, _, _ in seen}
    assert len(read_conn) == 1
    seen.clear()
    assert handler.get("/test/rw-fails").status_code == 500  # a write, then a failure
    assert {c for c, _, _ in seen} == read_conn  # the very connection the reads-only page used
    assert not any(reads or auto for _, reads, auto in seen)  # back in a transaction, unguarded
    with app.app_context():
        assert db.session.execute(select(Department).where(Department.name == "随失败回滚的处室")).first() is None


def _nav_count(html: str, key: str) -> str:
    import re

    return re.search(rf'id="nav-count-{key}">([^<]+)<', html).group(1)


def test_the_queue_reads_its_navigation_counters_with_its_rows_and_they_are_current(app, people, seen):
    """On the reads-only queue the navigation's counters ride on the page's own statement: one
    statement in all once the user is kept from an earlier request (the rows with their count,
    the counters, the calendar and the user's fingerprint — services/session_user), on every
    database.  The counters are those of this very request — a registration shows at the
    next one — and equal those of a page that reads them on their own (/todo); a page past the
    end, with no row to carry them, reads them by themselves and shows the same."""
    people.user("handler", Role.HANDLER, department="办公室", name="吴敏")
    handler = people.client("handler")
    assert post(handler, "/applications/new", FORM).status_code == 302
    seen.clear()
    html = handler.get("/applications/").get_data(as_text=True)
    assert len(seen) == 1
    assert _nav_count(html, "todo") == "1" and "应急物资储备库" in html
    assert "办理中 1 件" in html  # the page's total, read from the navigation's equal counter
    assert _nav_count(handler.get("/todo").get_data(as_text=True), "todo") == "1"

    assert post(handler, "/applications/new", {**FORM, "applicant_name": "王芳"}).status_code == 302
    html = handler.get("/applications/").get_data(as_text=True)
    assert _nav_count(html, "todo") == "2" and "办理中 2 件" in html
    past = handler.get(f"/applications/?after=999999-{2**40}").get_data(as_text=True)
    assert "没有办理中的申请" in past and _nav_count(past, "todo") == "2"
