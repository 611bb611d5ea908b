"""The dashboard's rollup (webapp/dashboard_rollup.py): every kind of write to the rows a figure
counts moves the rollup in the same transaction, so it always sums to a recount from the base
tables; a compaction changes no sum; on PostgreSQL two writers moving the same count never wait for
each other.  Real database (SQLite, and PostgreSQL with TEST_DATABASE_URL); the fixture is
test_dashboard's (today Monday 15 June 2026 in Beijing).
"""

from __future__ import annotations

import itertools
import random
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select, text

from tests.conftest import app_on
from tests.integration.test_dashboard import NOW, at, world  # noqa: F401  (world: the fixture)
from webapp import clock, dashboard_rollup
from webapp.applications_flow import AppStage
from webapp.extensions import db
from webapp.models import (
    Application,
    DashboardRollup,
    Document,
    Publication,
    TransferBatch,
    TransferItem,
    User,
)
from webapp.services import dashboard as board
from webapp.services.deadlines import fill_late_from
from webapp.services.holidays import working_calendar


def rollup() -> dict[tuple, int]:
    """What the rollup sums to, per key."""
    r = DashboardRollup
    rows = db.session.execute(select(r.figure, r.key_id, r.key_text, r.day, r.flag, func.sum(r.n))
                              .group_by(r.figure, r.key_id, r.key_text, r.day, r.flag)
                              .having(func.sum(r.n) != 0)).all()
    return {(f, k, t, str(d), fl): int(n) for f, k, t, d, fl, n in rows}


def recount() -> dict[tuple, int]:
    """The same keys counted from documents, publications and applications."""
    sql = dashboard_rollup.recount_select(db.engine.dialect.name)
    return {(f, k, t, str(d), fl): int(n) for f, k, t, d, fl, n in db.session.execute(text(sql)).all()}


def totals(counts: dict[tuple, int]) -> dict[str, int]:
    out = dict.fromkeys(("rate", "stage", "apps", "pub", "dlv"), 0)
    for key, n in counts.items():
        out[key[0]] += n
    return out


def test_the_rollups_lists_are_the_dashboards():
    assert dashboard_rollup.ACTIVE_STAGES == tuple(s.value for s in board.active_stages())
    assert dashboard_rollup.CLOCK_RUNNING == board.CLOCK_RUNNING
    assert dashboard_rollup.NO_DUE == board.NO_DUE.isoformat()


# Each kind of write, the figure it moves, and by how much (0: the count moves to another key).
def _new_publication(w):
    doc = Document(title="新发布", doc_type="通知", department_id=w["a"], drafter_id=w["ids"]["drafter"],
                   stage="published", disclosure="public", print_date=date(2026, 6, 1), stage_entered_at=NOW)
    db.session.add(doc)
    db.session.flush()
    db.session.add(Publication(document_id=doc.id, index_no="X/NEW", agency_code="X", index_year=2026,
                               index_seq=900, first_published_at=NOW, published_at=NOW,
                               published_by_id=w["ids"]["publisher"]))


def _set(model, key, **values):
    """Set columns of one fixture row (a value that is a function is given the fixture)."""
    def write(w):
        row = db.session.get(model, w["docs" if model is not Application else "apps"][key])
        for k, v in values.items():
            setattr(row, k, v(w) if callable(v) else v)
    return write


def _publication(key, **values):
    def write(w):
        row = db.session.get(Publication, w["docs"][key])
        for k, v in values.items():
            setattr(row, k, v)
    return write


def _delete_publication(w):
    db.session.delete(db.session.get(Publication, w["docs"]["b_may_late"]))


def _new_document(w):
    db.session.add(Document(title="新件", doc_type="通知", department_id=w["b"], drafter_id=w["ids"]["drafter_b"],
                            stage="office_review", disclosure="public", stage_entered_at=NOW))


def _delete_document(w):
    db.session.delete(db.session.get(Document, w["docs"]["office_5d"]))


def _new_application(w):
    db.session.add(Application(channel="in_person", received_on=date(2026, 6, 1), applicant_type="person",
                               applicant_name="新申请人", description="某文件", fingerprint="fp-new",
                               stage="handling", department_id=w["a"], due_on=date(2026, 6, 16)))


def _delete_application(w):
    db.session.delete(db.session.get(Application, w["apps"]["a_soon"]))


_BATCHES = itertools.count(1)


def _batch(w, dest: str) -> int:
    batch = TransferBatch(batch_no=f"2026-T-{dest}-{next(_BATCHES)}", destination_id=w["dests"][dest],
                          medium="paper", created_by_id=w["ids"]["publisher"])
    db.session.add(batch)
    db.session.flush()
    return batch.id


def _deliver(dest: str, key: str):
    def write(w):
        db.session.add(TransferItem(batch_id=_batch(w, dest), document_id=w["docs"][key], kind="deliver",
                                    index_no="X"))
    return write


def _item(w, key: str) -> TransferItem:
    return db.session.execute(select(TransferItem).where(TransferItem.document_id == w["docs"][key])).scalar_one()


def _undeliver(key: str):
    return lambda w: db.session.delete(_item(w, key))


def _item_kind(key: str, kind: str):
    def write(w):
        _item(w, key).kind = kind
    return write


def _batch_to(dest: str):
    def write(w):
        db.session.get(TransferBatch, _item(w, "a_may_on").batch_id).destination_id = w["dests"][dest]
    return write


WRITES = {
    # 按期发布率 (rate): publications joined to documents with 印发日期
    "publication inserted": (_new_publication, {"rate": 1, "pub": 1}),
    "publication deleted": (_delete_publication, {"rate": -1, "pub": -1}),
    "first publication moved": (_publication("a_jun_on", first_published_at=at(2026, 4, 3)), {"rate": 0}),
    "late_from filled": (_publication("a_jun_on", late_from=at(2026, 6, 2)), {"rate": 0}),
    "document's department changed": (_set(Document, "a_may_on", department_id=lambda w: w["b"]), {"rate": 0}),
    "印发日期 cleared": (_set(Document, "a_may_on", print_date=None), {"rate": -1}),
    # 在办文件 (stage) and 送交 (pub)
    "document inserted": (_new_document, {"stage": 1}),
    "document deleted": (_delete_document, {"stage": -1}),
    "stage moved on": (_set(Document, "office_1d", stage="approved"), {"stage": 0}),
    "stage left": (_set(Document, "office_1d", stage="draft"), {"stage": -1}),
    "stage entered again": (_set(Document, "office_40d", stage_entered_at=NOW), {"stage": 0}),
    "published document withdrawn": (_set(Document, "a_may_on", stage="withdrawn", stage_entered_at=NOW),
                                      {"pub": -1, "stage": 1, "dlv": -1}),
    "delivered document's first publication moved": (_publication("a_may_on", first_published_at=at(2026, 4, 3)),
                                                      {"pub": 0, "dlv": 0}),
    # 送交 (dlv): published documents delivered, each once per destination
    "document delivered": (_deliver("library", "a_jun_on"), {"dlv": 1}),
    "document delivered again to the same destination": (_deliver("library", "a_may_on"), {"dlv": 0}),
    "document delivered to a second destination": (_deliver("archives", "a_may_on"), {"dlv": 1}),
    "delivery deleted": (_undeliver("a_may_on"), {"dlv": -1}),
    "delivery made a withdrawal notice": (_item_kind("a_may_on", "withdrawal"), {"dlv": -1}),
    "batch moved to another destination": (_batch_to("archives"), {"dlv": 0}),
    # 依申请公开 (apps)
    "application inserted": (_new_application, {"apps": 1}),
    "application deleted": (_delete_application, {"apps": -1}),
    "application replied": (_set(Application, "a_overdue", stage=AppStage.REPLIED.value, due_on=None), {"apps": -1}),
    "application's clock stopped": (_set(Application, "a_soon", stage="consulting"), {"apps": -1}),
    "application's clock restarted": (_set(Application, "b_paused", stage="handling"), {"apps": 1}),
    "application's due day moved": (_set(Application, "b_later", due_on=date(2026, 6, 16)), {"apps": 0}),
    "application given to a department": (_set(Application, "none_overdue", department_id=lambda w: w["a"]), {"apps": 0}),
    "application waiting for a correction": (_set(Application, "a_soon", due_on=board.NO_DUE), {"apps": -1}),
}


@pytest.mark.parametrize("name", list(WRITES))
def test_each_kind_of_write_moves_its_count_in_the_same_transaction(app, world, name):  # noqa: F811
    write, moves = WRITES[name]
    with app.app_context():
        assert rollup() == recount()
        before = totals(rollup())
        write(world)
        db.session.flush()
        during = rollup()  # not committed yet: this transaction sees its own counts
        db.session.commit()
        after = rollup()
        assert after == during == recount()
        assert before != totals(after) or any(v == 0 for v in moves.values())
        assert {k: totals(after)[k] - before[k] for k in moves} == moves


def test_the_figures_come_from_the_rollup_and_equal_the_rows(app, world):  # noqa: F811
    """The shared scope's figures read the rollup: emptied, they are empty; refilled from the rows
    (the migration's backfill), they are the figures of the rows again."""
    with clock.frozen(NOW), app.app_context():
        office = db.session.get(User, world["ids"]["office"])
        board.figures_cache.enabled = False
        try:
            full = board.dashboard(office)
            db.session.execute(text("DELETE FROM dashboard_rollup"))
            db.session.commit()
            empty = board.dashboard(office)
            assert (empty.timeliness.total.published, empty.stages.total, empty.applications.total_soon) == (0, 0, 0)
            db.session.execute(text(dashboard_rollup.backfill_statement(db.engine.dialect.name)))
            db.session.commit()
            again = board.dashboard(office)
        finally:
            board.figures_cache.enabled = True
        assert again.timeliness.total.published == full.timeliness.total.published == 6
        assert again.stages.cells == full.stages.cells and again.stages.total == 4
        assert (again.applications.soon, again.applications.overdue) == (full.applications.soon, full.applications.overdue)
        assert [(t.pending, t.overdue) for t in again.transfers] == [(t.pending, t.overdue) for t in full.transfers]


def test_a_mixed_series_of_writes_leaves_the_rollup_equal_to_a_recount(app, world):  # noqa: F811
    rng = random.Random(7)
    stages = ["draft", "office_review", "leader_approval", "approved", "published", "withdrawn", "filed"]
    with app.app_context():
        docs = db.session.execute(select(Document.id)).scalars().all()
        apps = db.session.execute(select(Application.id)).scalars().all()
        depts = [world["a"], world["b"], None]
        for i in range(150):
            what = rng.randrange(10)
            if what == 0:
                d = db.session.get(Document, rng.choice(docs))
                d.stage, d.stage_entered_at = rng.choice(stages), NOW - timedelta(days=rng.randint(0, 60))
            elif what == 1:
                d = db.session.get(Document, rng.choice(docs))
                d.department_id = rng.choice(depts[:2])
                d.print_date = rng.choice([None, date(2026, 5, 1)])
            elif what == 2:
                p = db.session.get(Publication, rng.choice(list(world["docs"].values())[:7]))
                if p is not None:
                    p.first_published_at = NOW - timedelta(days=rng.randint(0, 400), hours=rng.randint(0, 23))
                    p.late_from = rng.choice([None, NOW - timedelta(days=rng.randint(0, 400))])
            elif what == 3:
                a = db.session.get(Application, rng.choice(apps))
                a.stage = rng.choice(["handling", "reply_review", "consulting", "replied"])
                a.due_on = rng.choice([None, board.NO_DUE, date(2026, 6, rng.randint(1, 30))])
                a.department_id = rng.choice(depts)
            elif what == 4:
                doc = Document(title=f"批量{i}", doc_type="通知", department_id=world["a"],
                               drafter_id=world["ids"]["drafter"], stage=rng.choice(stages), disclosure="public",
                               stage_entered_at=NOW - timedelta(days=rng.randint(0, 60)))
                db.session.add(doc)
                db.session.flush()
                docs.append(doc.id)
            elif what == 5:
                a = Application(channel="in_person", received_on=date(2026, 6, 1), applicant_type="person",
                                applicant_name=f"批量{i}", description="某文件", fingerprint=f"fp-{i}",
                                stage="handling", department_id=rng.choice(depts), due_on=date(2026, 6, rng.randint(1, 30)))
                db.session.add(a)
                db.session.flush()
                apps.append(a.id)
            elif what == 8:  # a delivery (perhaps a second one of the same document to the same destination)
                _deliver(rng.choice(["library", "archives"]), rng.choice(list(world["docs"])[:7]))(world)
            elif what == 9:
                item = db.session.execute(select(TransferItem).limit(1)).scalar()
                if item is not None:
                    db.session.delete(item)
            elif what == 6 and len(apps) > 3:
                db.session.delete(db.session.get(Application, apps.pop(rng.randrange(len(apps)))))
            else:  # a bulk statement: many rows in one UPDATE
                db.session.execute(text("UPDATE documents SET stage_entered_at = stage_entered_at, "
                                        "department_id = :d WHERE id % 3 = :m"), {"d": world["b"], "m": i % 3})
            if rng.random() < 0.3:
                db.session.commit()
        db.session.commit()
        assert rollup() == recount()
        assert board.compact_rollup(force=True)
        assert rollup() == recount()
        r = DashboardRollup
        assert db.session.execute(select(func.count()).where(~r.merged)).scalar_one() == 0
        # one row per key after a compaction
        assert db.session.execute(select(func.count()).select_from(r)).scalar_one() == len(recount())


def test_a_view_compacts_the_deltas_and_shows_the_same_figures(app, world):  # noqa: F811
    with clock.frozen(NOW), app.app_context():
        office = db.session.get(User, world["ids"]["office"])
        fill_late_from(working_calendar())  # what the view does first (it moves the rate's flags)
        doc_id = world["docs"]["office_1d"]
        for i in range(dashboard_rollup.COMPACT_AFTER // 2 + 1):  # two deltas per move
            db.session.execute(text("UPDATE documents SET stage_entered_at = :t WHERE id = :i"),
                               {"t": NOW - timedelta(days=i % 2), "i": doc_id})
        db.session.commit()
        r = DashboardRollup
        unmerged = select(func.count()).where(~r.merged)
        assert db.session.execute(unmerged).scalar_one() > dashboard_rollup.COMPACT_AFTER
        before = rollup()
        d = board.dashboard(office)
        assert db.session.execute(unmerged).scalar_one() == 0
        assert rollup() == before == recount()
        assert d.stages.cells[("office_review", "0-3")] == 1


# --------------------------------------------------------------------------- PostgreSQL: no wait, no stale count

@pytest.fixture
def pg_app(pg_database_url):
    yield from app_on(pg_database_url)


def test_postgresql_two_writers_moving_the_same_count_do_not_wait_for_each_other(pg_app, pg_database_url):
    """Two transactions each add a document to the same (stage, day) and an application to the same
    (department, due day), in opposite orders, and commit one after the other on one thread: the
    rollup's rows are only inserted, so neither waits (a count updated in place would make the second
    wait for the first's row: here a lock timeout, in real life a deadlock)."""
    from sqlalchemy import create_engine
    from sqlalchemy.orm import Session

    from webapp.models import Department

    with pg_app.app_context():
        dept = Department(name="处室甲")
        db.session.add(dept)
        db.session.commit()
        dept_id = dept.id
        from tests.conftest import PASSWORD
        from webapp.services import accounts
        from webapp.workflow import Role

        drafter, _ = accounts.create_user("drafter", "起草人", PASSWORD, dept_id, {Role.DRAFTER})
        drafter_id = drafter.id
    engine = create_engine(pg_database_url.replace("postgresql://", "postgresql+psycopg://"))

    def document():
        return Document(title="文件", doc_type="通知", department_id=dept_id, drafter_id=drafter_id,
                        stage="office_review", disclosure="public", stage_entered_at=NOW)

    def application(fp: str):
        return Application(channel="online", received_on=date(2026, 6, 1), applicant_type="person",
                           applicant_name="申请人", description="某文件", fingerprint=fp, stage="handling",
                           department_id=dept_id, due_on=date(2026, 6, 17))

    try:
        with Session(engine) as t1, Session(engine) as t2:
            for c in (t1, t2):
                c.execute(text("SET lock_timeout = '3s'"))
            for session, row in ((t1, document()), (t2, application("f2")), (t1, application("f1")),
                                 (t2, document())):
                session.add(row)
                session.flush()  # the triggers run here: each writer has inserted its deltas
            t1.commit()
            t2.commit()
    finally:
        engine.dispose()
    with pg_app.app_context():
        counts = rollup()
        assert counts == recount()
        assert counts[("stage", None, "office_review", "2026-06-15", 0)] == 2
        assert counts[("apps", dept_id, None, "2026-06-17", 0)] == 2


def test_postgresql_truncate_rebuilds_the_rollup(pg_app):
    with pg_app.app_context():
        db.session.execute(text("INSERT INTO dashboard_rollup (figure, day, flag, n) VALUES ('stage', :d, 0, 5)"),
                           {"d": date(2026, 6, 1)})
        db.session.execute(text("TRUNCATE applications CASCADE"))
        db.session.commit()
        assert rollup() == recount() == {}


def test_agency_days_are_beijing_days(app, world):  # noqa: F811
    """A document entering its stage at 23:30 on 14 June in Beijing (15:30 UTC) is counted on the
    14th, one at 00:30 on the 15th (16:30 UTC on the 14th) on the 15th."""
    with app.app_context():
        for hh in (15, 16):
            db.session.add(Document(title=f"跨日{hh}", doc_type="通知", department_id=world["a"],
                                    drafter_id=world["ids"]["drafter"], stage="countersign", disclosure="public",
                                    stage_entered_at=datetime(2026, 6, 14, hh, 30, tzinfo=UTC)))
        db.session.commit()
        counts = rollup()
        assert counts[("stage", None, "countersign", "2026-06-14", 0)] == 1
        assert counts[("stage", None, "countersign", "2026-06-15", 0)] == 1


def test_postgresql_two_deliveries_of_one_document_to_one_destination_count_it_once(pg_app, pg_database_url):
    """Two transactions deliver the same published document to the same destination in two batches
    at the same time: the second waits for the first (the document's lock) and then sees its item,
    so the document is counted delivered once, not twice."""
    import threading

    from sqlalchemy import create_engine
    from sqlalchemy.orm import Session

    from tests.conftest import PASSWORD
    from webapp.models import Department, TransferDestination
    from webapp.services import accounts
    from webapp.workflow import Role

    with pg_app.app_context():
        dept = Department(name="处室甲")
        db.session.add(dept)
        db.session.commit()
        user, _ = accounts.create_user("publisher", "发布人", PASSWORD, dept.id, {Role.PUBLISHER})
        doc = Document(title="文件", doc_type="通知", department_id=dept.id, drafter_id=user.id, stage="published",
                       disclosure="public", print_date=date(2026, 6, 1), stage_entered_at=NOW)
        dest = TransferDestination(kind="library", name="省图书馆", period_days=15)
        db.session.add_all([doc, dest])
        db.session.flush()
        db.session.add(Publication(document_id=doc.id, index_no="X/1", agency_code="X", index_year=2026, index_seq=1,
                                   first_published_at=NOW, published_at=NOW, published_by_id=user.id))
        batches = [TransferBatch(batch_no=f"B{i}", destination_id=dest.id, medium="paper", created_by_id=user.id)
                   for i in range(2)]
        db.session.add_all(batches)
        db.session.commit()
        doc_id, dest_id, batch_ids = doc.id, dest.id, [b.id for b in batches]
    engine = create_engine(pg_database_url.replace("postgresql://", "postgresql+psycopg://"))
    try:
        with Session(engine) as t1, Session(engine) as t2:
            t1.add(TransferItem(batch_id=batch_ids[0], document_id=doc_id, kind="deliver", index_no="X/1"))
            t1.flush()
            done = threading.Event()

            def second():
                t2.add(TransferItem(batch_id=batch_ids[1], document_id=doc_id, kind="deliver", index_no="X/1"))
                t2.flush()  # waits here for t1's commit
                done.set()

            thread = threading.Thread(target=second)
            thread.start()
            assert not done.wait(1.0)  # the second delivery waits for the first
            t1.commit()
            thread.join(10)
            assert done.is_set()
            t2.commit()
    finally:
        engine.dispose()
    with pg_app.app_context():
        counts = rollup()
        assert counts == recount()
        assert counts[("dlv", dest_id, None, "2026-06-15", 0)] == 1


def test_the_rebuild_command_recounts_after_a_load_with_triggers_off(app, world):  # noqa: F811
    """A load that bypassed the triggers (here: rows of the rollup lost) is repaired by the command."""
    with app.app_context():
        db.session.execute(text("DELETE FROM dashboard_rollup WHERE figure IN ('stage', 'dlv')"))
        db.session.commit()
        assert rollup() != recount()
    result = app.test_cli_runner().invoke(args=["dashboard-rollup-rebuild"])
    assert result.exit_code == 0 and "重新计算" in result.output
    with app.app_context():
        assert rollup() == recount()
