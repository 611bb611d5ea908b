"""The dashboard's cache of figures (issue 12, services/dashboard.figures_cache) never serves figures
older than the committed data: every kind of write the figures depend on shows on the very next view,
in the same app and in a second app on the same database (two apps stand for two worker processes,
each with its own cache); the agency day's rollover moves ages and transfers' waiting time exactly at
midnight in Beijing, with each number still equal to its list; the cache stays within its bound.
Real database (SQLite, and PostgreSQL with TEST_DATABASE_URL).  The fixture is test_dashboard's:
today is Monday 15 June 2026 in Beijing.
"""

from __future__ import annotations

import html
import re
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import create_engine, select, text

from tests.conftest import PASSWORD, TEST_CONFIG, app_on, login
from tests.integration.test_dashboard import NOW, NUMBER, at, world  # noqa: F401  (world: the fixture)
from webapp import clock, create_app
from webapp.data_versions import UPDATE_COLUMNS, WATCHED
from webapp.extensions import db
from webapp.models import (
    Application,
    Department,
    Document,
    Publication,
    TransferDestination,
    TransferItem,
    User,
)
from webapp.services import accounts, annual_report, holidays
from webapp.services import dashboard as board
from webapp.workflow import Role


def view(app_, user_id: int) -> board.Dashboard:
    with app_.app_context():
        return board.dashboard(db.session.get(User, user_id))


def computed(app_, user_id: int) -> board.Dashboard:
    """The figures as the database holds them now, with no cache at all."""
    board.figures_cache.enabled = False
    try:
        return view(app_, user_id)
    finally:
        board.figures_cache.enabled = True


# Each kind of write the figures depend on: (what it does, in the app's context).
def _stage_moves(w):
    doc = db.session.get(Document, w["docs"]["office_1d"])
    doc.stage, doc.stage_entered_at = "leader_approval", NOW
    db.session.commit()


def _first_publication(w):
    doc = db.session.get(Document, w["docs"]["leader_10d"])
    doc.stage, doc.print_date, doc.stage_entered_at = "published", date(2026, 6, 10), NOW
    db.session.add(Publication(document_id=doc.id, index_no="X/2026-00901", agency_code="X", index_year=2026,
                               index_seq=901, first_published_at=NOW, published_at=NOW,
                               published_by_id=w["ids"]["publisher"]))
    db.session.commit()


def _application_due_day(w):
    db.session.get(Application, w["apps"]["b_later"]).due_on = date(2026, 6, 12)  # now overdue
    db.session.commit()


def _application_stage(w):
    db.session.get(Application, w["apps"]["b_paused"]).stage = "handling"  # the clock runs again
    db.session.commit()


def _delivery(w):
    batch_id = db.session.execute(select(TransferItem.batch_id)).scalar_one()
    db.session.add(TransferItem(batch_id=batch_id, document_id=w["docs"]["b_may_late"], kind="deliver", index_no="X"))
    db.session.commit()


def _destination_period(w):
    db.session.get(TransferDestination, w["dests"]["library"]).period_days = 60
    db.session.commit()


def _holiday_override(w):
    admin = db.session.execute(select(User).where(User.username == "admin")).scalar_one()
    holidays.save_override(admin, date(2026, 6, 16), False, "本机关停电，不办公")  # the soon limit moves


def _report_opened(w):
    annual_report.open_report(2026, db.session.get(User, w["ids"]["office"]))


def _department_renamed(w):
    db.session.get(Department, w["a"]).name = "应急救援与保障处"
    db.session.commit()


WRITES = {
    "a document changes stage": _stage_moves,
    "a first publication": _first_publication,
    "an application's due day": _application_due_day,
    "an application's stage": _application_stage,
    "a delivery": _delivery,
    "a destination's period": _destination_period,
    "a holiday override": _holiday_override,
    "the report's status": _report_opened,
    "a department's name": _department_renamed,
}


@pytest.mark.parametrize("write", list(WRITES), ids=list(WRITES))
def test_a_write_shows_on_the_next_view_in_this_worker_and_another(app, database_url, world, people, write):  # noqa: F811
    people.user("admin", Role.ADMIN, department="办公室")
    office = world["ids"]["office"]
    other = create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": database_url})  # a second worker
    try:
        with clock.frozen(NOW):
            before_a, before_b = view(app, office), view(other, office)
            assert view(app, office) is before_a and view(other, office) is before_b  # both kept
            assert before_a == before_b == computed(app, office)

            with app.app_context():
                WRITES[write](world)

            after_a, after_b = view(app, office), view(other, office)
            now_true = computed(app, office)
            assert after_a != before_a, "the write changes a figure (else this test proves nothing)"
            assert after_a == now_true, f"{write}: this worker served figures older than the data"
            assert after_b == now_true, f"{write}: the other worker served figures older than the data"
    finally:
        with other.app_context():
            db.session.remove()
            db.engine.dispose()


def test_figures_kept_are_served_until_something_changes(app, world):  # noqa: F811
    office = world["ids"]["office"]
    with clock.frozen(NOW):
        first = view(app, office)
        assert view(app, office) is first
        with app.app_context():  # a write to a table the figures do not read: still kept
            db.session.get(User, office).display_name = "公开审查员甲"
            db.session.commit()
        assert view(app, office) is first
        with app.app_context():  # a drafter's autosave, a reply's text: columns no figure reads
            doc = db.session.get(Document, world["docs"]["draft"])
            doc.title, doc.body_html = "改过标题的草稿", "<p>改过的正文</p>"
            db.session.get(Application, world["apps"]["b_later"]).reply_text = "答复正文的修改"
            db.session.commit()
        assert view(app, office) is first
        with app.app_context():  # a column a figure reads, even when no figure moves: recomputed
            db.session.get(Document, world["docs"]["draft"]).department_id = \
                db.session.get(Document, world["docs"]["draft"]).department_id
            db.session.execute(text("UPDATE documents SET stage_entered_at = stage_entered_at WHERE id = :id"),
                               {"id": world["docs"]["draft"]})
            db.session.commit()
        assert view(app, office) is not first
        assert view(app, office) == first


@pytest.mark.parametrize("table, column", [(t, c) for t, cs in UPDATE_COLUMNS.items() for c in cs if c != "id"])
def test_every_column_a_figure_reads_bumps_its_table_on_update(app, world, table, column):  # noqa: F811
    """The UPDATE triggers are limited to these columns (data_versions.UPDATE_COLUMNS); each one of
    them, set alone, changes its table's version and no other."""
    with app.app_context():
        before = board.read_versions()
        db.session.execute(text(f"UPDATE {table} SET {column} = {column}"))
        db.session.commit()
        after = board.read_versions()
    changed = {name for name, b, a in zip(WATCHED, before, after, strict=True) if a != b}
    assert changed == {table}


def test_every_watched_table_has_its_version_bumped_in_the_writing_transaction(app):
    with app.app_context():
        before = board.read_versions()
        assert len(before) == len(WATCHED)
        db.session.add(Department(name="新设处室"))
        db.session.commit()
        after = board.read_versions()
    changed = {name for name, b, a in zip(WATCHED, before, after, strict=True) if a != b}
    assert changed == {"departments"}


def _age(d: board.Dashboard, stage: str) -> dict[str, int]:
    return {k: d.stages.cells[(stage, k)] for k in board.AGE_KEYS}


def _bj(y, m, d, hh, mm=0, ss=0) -> datetime:
    return datetime(y, m, d, hh, mm, ss, tzinfo=clock.AGENCY_TZ).astimezone(UTC)


def test_ages_move_at_midnight_in_beijing_and_the_kept_figures_follow(app, world):  # noqa: F811
    """office_1d entered its stage on Sunday 14 June (10:00): 3 days old on the 17th, all day long
    (until 23:59:59 Beijing), 4 days old from midnight — whatever the hour it entered; office_5d
    (10 June) goes from 7 days to 8 at the same midnight."""
    office = world["ids"]["office"]
    with clock.frozen(_bj(2026, 6, 17, 23, 59, 59)):
        late_evening = view(app, office)
        assert _age(late_evening, "office_review") == {"0-3": 1, "4-7": 1, "8-30": 0, "31+": 1}
    with clock.frozen(_bj(2026, 6, 18, 0, 0, 0)):
        midnight = view(app, office)
        assert midnight is not late_evening
        assert _age(midnight, "office_review") == {"0-3": 0, "4-7": 1, "8-30": 1, "31+": 1}
        assert midnight == computed(app, office)


def test_transfers_become_overdue_at_midnight_in_beijing(app, world):  # noqa: F811
    """a_jun_on was first published on 3 June (10:00 Beijing); the library's period is 15 days: it
    waits longer than that from 19 June, 00:00 Beijing."""
    office = world["ids"]["office"]
    with clock.frozen(_bj(2026, 6, 18, 23, 59, 59)):
        lib = {t.name: t for t in view(app, office).transfers}["省图书馆"]
        assert (lib.pending, lib.overdue) == (6, 5)
    with clock.frozen(_bj(2026, 6, 19, 0, 0, 0)):
        lib = {t.name: t for t in view(app, office).transfers}["省图书馆"]
        assert (lib.pending, lib.overdue) == (6, 6)


@pytest.mark.parametrize("instant", [(2026, 6, 17, 23, 59, 59), (2026, 6, 18, 0, 0, 0),
                                     (2026, 6, 18, 23, 59, 59), (2026, 6, 19, 0, 0, 0)],
                         ids=["17th 23:59:59", "18th 00:00", "18th 23:59:59", "19th 00:00"])
def test_at_each_side_of_midnight_every_number_equals_its_list(app, world, instant):  # noqa: F811
    client = app.test_client()
    login(client, "office")
    with clock.frozen(_bj(*instant)):
        body = client.get("/dashboard").get_data(as_text=True)
        links = [(h, c) for h, c in NUMBER.findall(body) if "metric=stage" in h or "metric=transfers" in h]
        assert len(links) > 20
        for href, count in links:
            listed = client.get(html.unescape(href)).get_data(as_text=True)
            total = int(re.search(r'data-total="(\d+)"', listed).group(1))
            assert total == int(count), f"{href}: the dashboard says {count}, the list has {total}"


def test_the_cache_stays_within_its_bound(app, world):  # noqa: F811
    office = world["ids"]["office"]
    for day in range(3 * board.figures_cache.SIZE):  # a new agency day: a new entry each time
        with clock.frozen(NOW + timedelta(days=day)):
            view(app, office)
    with app.app_context():
        assert len(board.figures_cache.of(db.engine)) == board.figures_cache.SIZE


def test_only_the_shared_scope_is_kept(app, world):  # noqa: F811
    with app.app_context():
        office = db.session.get(User, world["ids"]["office"])
        drafter = db.session.get(User, world["ids"]["drafter"])
        assert board.cache_scope(office) == board.cache_scope(db.session.get(User, world["ids"]["leader"])) == "all"
        assert board.cache_scope(drafter) is None  # their figures depend on what they may see


# --------------------------------------------------------------------------- PostgreSQL: when the bump happens

def _pg_engine(url: str):
    return create_engine(url.replace("postgresql://", "postgresql+psycopg://"))


def _versions(conn) -> dict[str, int]:
    return dict(conn.execute(text("SELECT name, version FROM data_versions")).all())


@pytest.fixture
def pg_app(pg_database_url):
    yield from app_on(pg_database_url)


def _pg_rows(app_):
    with app_.app_context():
        dept = Department(name="处室甲")
        db.session.add(dept)
        db.session.commit()
        drafter, _ = accounts.create_user("drafter", "起草人", PASSWORD, dept.id, {Role.DRAFTER})
        docs = [Document(title=f"文件{i}", doc_type="通知", department_id=dept.id, drafter_id=drafter.id,
                         stage="office_review", disclosure="public", stage_entered_at=NOW) for i in range(2)]
        db.session.add_all(docs)
        db.session.commit()
        return dept.id, [d.id for d in docs]


def test_postgresql_an_uncommitted_write_leaves_the_versions_unchanged_until_its_commit(pg_app, pg_database_url):
    """A reader must never see a version that names a change not yet committed (a SEQUENCE bumped
    by a trigger would: it is not transactional)."""
    _, doc_ids = _pg_rows(pg_app)
    engine = _pg_engine(pg_database_url)
    try:
        with engine.connect() as writer, engine.connect() as reader:
            before = _versions(reader)
            reader.rollback()
            writer.execute(text("UPDATE documents SET stage_entered_at = now() WHERE id = :i"), {"i": doc_ids[0]})
            assert _versions(reader) == before  # written, not committed
            reader.rollback()
            writer.commit()
            after = _versions(reader)
            assert after["documents"] == before["documents"] + 1
            assert {k: v for k, v in after.items() if k != "documents"} == \
                {k: v for k, v in before.items() if k != "documents"}
    finally:
        engine.dispose()


def test_postgresql_writers_of_the_same_tables_in_opposite_orders_do_not_wait_for_each_other(pg_app, pg_database_url):
    """Two transactions write documents and departments in opposite orders (different rows) and
    commit one after the other on one thread: the version rows are taken only at COMMIT, so neither
    waits for the other (with a bump at each write the second writer would wait for the first's
    version row, and the first for the second's: a deadlock)."""
    dept_id, doc_ids = _pg_rows(pg_app)
    engine = _pg_engine(pg_database_url)
    try:
        with engine.connect() as t1, engine.connect() as t2:
            for c in (t1, t2):
                c.execute(text("SET lock_timeout = '3s'"))
            before = _versions(t1)
            t1.commit()
            t1.execute(text("UPDATE documents SET stage_entered_at = now() WHERE id = :i"), {"i": doc_ids[0]})
            t2.execute(text("UPDATE departments SET name = 't2' WHERE id = :i"), {"i": dept_id})
            t1.execute(text("INSERT INTO departments (name, created_at) VALUES ('t1 的处室', now())"))
            t2.execute(text("UPDATE documents SET stage_entered_at = now() WHERE id = :i"), {"i": doc_ids[1]})
            t1.commit()
            t2.commit()
            after = _versions(t1)
        assert (after["documents"] - before["documents"], after["departments"] - before["departments"]) == (2, 2)
    finally:
        engine.dispose()
