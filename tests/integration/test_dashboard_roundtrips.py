"""The dashboard's page in few statements (issue 12, branch dashfold): a view that finds the figures
kept runs ONE statement (the data versions, the navigation's counters and the kept user's fingerprint
riding on it), a view after a change three (that one, every rollup figure in one statement, the annual
report) — on PostgreSQL with no BEGIN/ROLLBACK either (a reads-only view, webapp/readonly.py).  The
writes a view used to make (the missing late_from, the rollup's compaction) are made in a transaction
of their own, never on the request's connection, and the page is exact after them.  Real database
(SQLite, and PostgreSQL with TEST_DATABASE_URL); the fixture is test_dashboard's."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import event, func, select, text

from tests.conftest import login
from tests.integration.test_dashboard import NOW, world  # noqa: F401  (world: the fixture)
from webapp import clock, dashboard_rollup
from webapp.extensions import db
from webapp.models import Application, DashboardRollup, Publication, User
from webapp.services import dashboard as board


def statements(app, client, path: str) -> list[str]:
    """The statements one GET of `path` sends to the database (BEGIN/ROLLBACK are not statements)."""
    seen: list[str] = []

    def hook(conn, cursor, statement, *args):  # noqa: ARG001
        seen.append(statement)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", hook)
    try:
        resp = client.get(path)
        assert resp.status_code == 200, resp.get_data(as_text=True)[:500]
    finally:
        event.remove(engine, "before_cursor_execute", hook)
    return seen


def office_client(app):
    client = app.test_client()
    login(client, "office")
    client.get("/dashboard")  # the user kept, the figures kept
    return client


def computed(app, user_id: int) -> board.Dashboard:
    board.figures_cache.enabled = False
    try:
        with app.app_context():
            return board.dashboard(db.session.get(User, user_id))
    finally:
        board.figures_cache.enabled = True


def kept(app) -> board.Dashboard:
    """The figures the last view served (the most recently used entry of this app's cache)."""
    with app.app_context():
        return list(board.figures_cache.of(db.engine)._entries.values())[-1]


def test_a_view_of_kept_figures_is_one_statement(app, world):  # noqa: F811
    with clock.frozen(NOW):
        client = office_client(app)
        assert len(statements(app, client, "/dashboard")) == 1


def test_the_first_view_after_a_change_is_three_statements(app, world):  # noqa: F811
    with clock.frozen(NOW):
        client = office_client(app)
        with app.app_context():
            db.session.get(Application, world["apps"]["b_later"]).due_on = date(2026, 6, 12)
            db.session.commit()
        sent = statements(app, client, "/dashboard")
        assert len(sent) == 3, "\n".join(s[:100] for s in sent)
        assert "dashboard_rollup" in sent[1] and "departments" in sent[1]  # every figure at once


def test_a_view_with_many_deltas_compacts_them_apart_and_stays_exact(app, world):  # noqa: F811
    with clock.frozen(NOW):
        client = office_client(app)
        with app.app_context():
            doc_id = world["docs"]["office_1d"]
            for i in range(dashboard_rollup.COMPACT_AFTER // 2 + 1):  # two deltas per move
                db.session.execute(text("UPDATE documents SET stage_entered_at = :t WHERE id = :i"),
                                   {"t": NOW - timedelta(days=i % 2), "i": doc_id})
            db.session.commit()
        assert client.get("/dashboard").status_code == 200  # a reads-only view: a write there would fail
        with app.app_context():
            assert db.session.execute(select(func.count()).where(~DashboardRollup.merged)).scalar_one() == 0
        assert kept(app) == computed(app, world["ids"]["office"])
        assert kept(app).stages.cells[("office_review", "0-3")] == 1


def test_a_view_fills_a_missing_late_from_apart_and_stays_exact(app, world):  # noqa: F811
    with clock.frozen(NOW):
        client = office_client(app)
        with app.app_context():
            db.session.execute(text("UPDATE publications SET late_from = NULL"))  # as a holiday override does
            db.session.commit()
        assert client.get("/dashboard").status_code == 200
        with app.app_context():
            missing = select(func.count()).where(Publication.late_from.is_(None))
            assert db.session.execute(missing).scalar_one() == 0
        assert kept(app) == computed(app, world["ids"]["office"])


def test_the_outbox_worker_compacts_the_rollup_when_idle(app, world):  # noqa: F811
    from webapp.outbox.worker import Settings, run_forever

    with clock.frozen(NOW), app.app_context():
        doc_id = world["docs"]["office_1d"]
        for i in range(dashboard_rollup.COMPACT_AFTER // 2 + 1):
            db.session.execute(text("UPDATE documents SET stage_entered_at = :t WHERE id = :i"),
                               {"t": NOW - timedelta(days=i % 2), "i": doc_id})
        db.session.commit()
        unmerged = select(func.count()).where(~DashboardRollup.merged)
        assert db.session.execute(unmerged).scalar_one() > dashboard_rollup.COMPACT_AFTER
        passes = iter([False, True])  # one pass, with nothing to send
        run_forever(Settings("http://127.0.0.1:9", "x", timeout=1), interval=0, should_stop=lambda: next(passes))
        assert db.session.execute(unmerged).scalar_one() == 0
    with clock.frozen(NOW):
        assert office_client(app).get("/dashboard").status_code == 200
        assert kept(app) == computed(app, world["ids"]["office"])
