"""The dashboard (issue 12): its numbers against a fixture computed by hand, and every number's
link opens the list of exactly the records it counts — on SQLite and PostgreSQL.

Today is Monday 15 June 2026 in Beijing.  Working days from chinese_calendar: the 2026 holidays
used here are 4–6 April (清明), 1–5 May (劳动节, with 9 May worked) and 19–21 June (端午).
"""

from __future__ import annotations

import html
import re
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from tests.conftest import login
from webapp import clock
from webapp.extensions import db
from webapp.models import Application, Document, Publication, TransferBatch, TransferDestination, TransferItem, User
from webapp.models_catalogue import CatalogueItem
from webapp.services import dashboard as board
from webapp.services import holidays
from webapp.services.deadlines import catalogue_terms, publication_deadline
from webapp.services.holidays import working_calendar
from webapp.workflow import Role

NOW = datetime(2026, 6, 15, 2, 0, tzinfo=UTC)  # 10:00 in Beijing, Monday
CST = clock.AGENCY_TZ


def at(y, m, d, hh=10, mm=0) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=CST).astimezone(UTC)


@pytest.fixture
def world(app, people):
    ids = {
        "drafter": people.user("drafter", Role.DRAFTER, department="应急救援处"),
        "drafter_b": people.user("drafter_b", Role.DRAFTER, department="风险监测处"),
        "office": people.user("office", Role.OFFICE, department="办公室"),
        "leader": people.user("leader", Role.LEADER, department="办公室"),
        "publisher": people.user("publisher", Role.PUBLISHER, department="办公室"),
    }
    a, b = people.department("应急救援处"), people.department("风险监测处")
    with app.app_context():
        seq = iter(range(1, 1000))

        def document(dept, drafter, stage, **kw) -> int:
            doc = Document(title=f"文件{next(seq)}", doc_type="通知", department_id=dept, drafter_id=drafter,
                           stage=stage, disclosure="public", **kw)
            db.session.add(doc)
            db.session.flush()
            return doc.id

        def published(dept, drafter, print_date: date, first: datetime) -> int:
            doc_id = document(dept, drafter, "published", print_date=print_date, stage_entered_at=first)
            n = next(seq)
            db.session.add(Publication(document_id=doc_id, index_no=f"X/2026-{n:05d}", agency_code="X",
                                       index_year=2026, index_seq=n, first_published_at=first, published_at=first,
                                       published_by_id=ids["publisher"]))
            return doc_id

        docs = {
            # 应急救援处: May on time, May late, June on time
            "a_may_on": published(a, ids["drafter"], date(2026, 5, 6), at(2026, 5, 8)),
            "a_may_late": published(a, ids["drafter"], date(2026, 3, 2), at(2026, 5, 20)),
            "a_jun_on": published(a, ids["drafter"], date(2026, 6, 1), at(2026, 6, 3)),
            # 风险监测处, all printed 1 April (deadline 30 April; the next working day is 6 May):
            "b_apr_due_day": published(b, ids["drafter_b"], date(2026, 4, 1), at(2026, 4, 30, 17)),  # on time
            "b_may_holiday": published(b, ids["drafter_b"], date(2026, 4, 1), at(2026, 5, 5, 20)),  # on time
            "b_may_late": published(b, ids["drafter_b"], date(2026, 4, 1), at(2026, 5, 6, 9)),  # late
            # outside the 12 months
            "old": published(b, ids["drafter_b"], date(2024, 1, 2), at(2024, 1, 10)),
            # in progress
            "office_1d": document(a, ids["drafter"], "office_review", stage_entered_at=NOW - timedelta(days=1)),
            "office_5d": document(a, ids["drafter"], "office_review", stage_entered_at=NOW - timedelta(days=5)),
            "office_40d": document(b, ids["drafter_b"], "office_review", stage_entered_at=NOW - timedelta(days=40)),
            "leader_10d": document(b, ids["drafter_b"], "leader_approval", stage_entered_at=NOW - timedelta(days=10)),
            "draft": document(a, ids["drafter"], "draft", stage_entered_at=NOW - timedelta(days=2)),
            "filed": document(a, ids["drafter"], "filed", stage_entered_at=NOW - timedelta(days=2)),
        }

        def application(dept, stage, due_on) -> int:
            n = next(seq)
            app_row = Application(channel="in_person", received_on=date(2026, 5, 6), applicant_type="person",
                                  applicant_name=f"申请人{n}", description="某文件", fingerprint=f"fp{n}",
                                  stage=stage, department_id=dept, due_on=due_on)
            db.session.add(app_row)
            db.session.flush()
            return app_row.id

        apps = {
            "a_soon": application(a, "handling", date(2026, 6, 17)),  # 2 working days left
            "a_overdue": application(a, "handling", date(2026, 6, 12)),
            "b_soon_sunday": application(b, "reply_review", date(2026, 6, 21)),  # 端午 Sunday: 3 left
            "b_later": application(b, "handling", date(2026, 6, 22)),  # 4 left: not yet
            "b_paused": application(b, "consulting", date(2026, 6, 10)),  # clock stopped: not counted
            "none_overdue": application(None, "handling", date(2026, 6, 1)),
            "correction": application(a, "correction", date(9999, 12, 31)),
            "replied": application(a, "replied", None),
        }
        library = TransferDestination(kind="library", name="省图书馆", period_days=15)
        archives = TransferDestination(kind="archives", name="省档案馆", period_days=30)
        closed = TransferDestination(kind="reading_room", name="旧查阅点", period_days=15, active=False)
        db.session.add_all([library, archives, closed])
        db.session.flush()
        batch = TransferBatch(batch_no="2026-T-001", destination_id=library.id, medium="paper",
                              created_by_id=ids["publisher"])
        db.session.add(batch)
        db.session.flush()
        db.session.add(TransferItem(batch_id=batch.id, document_id=docs["a_may_on"], kind="deliver", index_no="X"))
        db.session.commit()
        dests = {"library": library.id, "archives": archives.id}
    return {"ids": ids, "docs": docs, "apps": apps, "dests": dests, "a": a, "b": b}


def test_numbers_match_the_fixture(app, world):
    a, b = world["a"], world["b"]
    with clock.frozen(NOW), app.app_context():
        office = db.session.get(User, world["ids"]["office"])
        d = board.dashboard(office)
    t = d.timeliness
    assert (t.total.published, t.total.on_time, t.total.late) == (6, 4, 2)
    assert t.months[-1] == "2026-06" and t.months[0] == "2025-07" and len(t.months) == 12
    assert [(m, t.by_month[m].published, t.by_month[m].on_time) for m in ("2026-04", "2026-05", "2026-06")] == [
        ("2026-04", 1, 1), ("2026-05", 4, 2), ("2026-06", 1, 1)]
    assert sum(t.by_month[m].published for m in t.months) == 6
    assert (t.by_department[a].published, t.by_department[a].on_time) == (3, 2)
    assert (t.by_department[b].published, t.by_department[b].on_time) == (3, 2)
    assert t.by_month["2026-05"].percent == "50.0%"

    s = d.stages
    assert s.cells[("office_review", "0-3")] == 1
    assert s.cells[("office_review", "4-7")] == 1
    assert s.cells[("office_review", "31+")] == 1
    assert s.cells[("leader_approval", "8-30")] == 1
    assert s.total == 4  # the draft, the filed and the published ones are not in progress
    assert "draft" not in s.by_stage and "published" not in s.by_stage

    ap = d.applications
    assert ap.limit == date(2026, 6, 21)
    assert (ap.soon[a], ap.overdue[a]) == (1, 1)
    assert (ap.soon[b], ap.overdue[b]) == (1, 0)
    assert (ap.soon[None], ap.overdue[None]) == (0, 1)
    assert (ap.total_soon, ap.total_overdue) == (2, 2)

    tr = {row.name: row for row in d.transfers}
    assert set(tr) == {"省图书馆", "省档案馆"}  # the inactive one is not shown
    # 7 published; the library has one; waiting longer than the period: all but the one of 3 June
    assert (tr["省图书馆"].pending, tr["省图书馆"].overdue) == (6, 5)
    # 30 days: those first published on or before 15 May, the one delivered to the library included
    assert (tr["省档案馆"].pending, tr["省档案馆"].overdue) == (7, 5)

    r = d.report
    assert r.year == 2026 and r.due == date(2027, 1, 31) and r.days_left == (date(2027, 1, 31) - date(2026, 6, 15)).days



def _late_by(doc_id: int, published_at: datetime) -> int:
    """The document page's rule (services/deadlines, with the 目录事项's 时限) for a first
    publication at this instant: working days late."""
    doc = db.session.get(Document, doc_id)
    return publication_deadline(doc.print_date, working_calendar(), published_on=clock.to_agency(published_at).date(),
                                terms=catalogue_terms([doc_id]).get(doc_id)).late_by


def _assert_stored_equals_computed() -> None:
    pubs = db.session.execute(select(Publication)).scalars().all()
    assert pubs
    for p in pubs:
        assert p.late_from is not None
        # late_from is exactly the first late instant: a microsecond earlier is on time.
        assert (_late_by(p.document_id, p.late_from - timedelta(microseconds=1)), _late_by(p.document_id, p.late_from)) \
            == (0, 1), p.document_id


def test_stored_late_from_is_the_document_pages_deadline_and_follows_holiday_overrides(app, world, people):
    admin_id = people.user("admin", Role.ADMIN, department="办公室")
    with clock.frozen(NOW), app.app_context():
        # Filed under a 目录事项 with 7 working days: printed Mon 25 May, due Wed 3 June, published
        # Mon 8 June — late (R7's 20 working days alone would say on time).
        item = CatalogueItem(domain="安全生产", name="行政处罚结果", time_limit="信息形成或变更之日起7个工作日内")
        db.session.add(item)
        db.session.flush()
        doc = Document(title="处罚结果公示", doc_type="通知", department_id=world["a"], drafter_id=world["ids"]["drafter"],
                       stage="published", disclosure="public", print_date=date(2026, 5, 25),
                       stage_entered_at=at(2026, 6, 8), catalogue_item_id=item.id, catalogue_item_version=1)
        db.session.add(doc)
        db.session.flush()
        db.session.add(Publication(document_id=doc.id, index_no="X/2026-00900", agency_code="X", index_year=2026,
                                   index_seq=900, first_published_at=at(2026, 6, 8), published_at=at(2026, 6, 8),
                                   published_by_id=world["ids"]["publisher"]))
        db.session.commit()
        office, admin = db.session.get(User, world["ids"]["office"]), db.session.get(User, admin_id)
        assert db.session.get(Publication, doc.id).late_from is None  # not stored yet: filled on first use

        before = board.dashboard(office).timeliness.total
        assert (before.published, before.on_time) == (7, 4)
        _assert_stored_equals_computed()
        assert db.session.get(Publication, doc.id).late_from == datetime(2026, 6, 4, tzinfo=CST).astimezone(UTC)

        # The admin makes Wed 15 April a day off: 风险监测处's document printed 1 April is now due
        # 6 May instead of 30 April, and its publication on the morning of 6 May becomes on time.
        late_b = world["docs"]["b_may_late"]
        stored = db.session.get(Publication, late_b).late_from
        assert stored == datetime(2026, 5, 6, tzinfo=CST).astimezone(UTC)
        holidays.save_override(admin, date(2026, 4, 15), False, "本机关停电，不办公")
        assert db.session.get(Publication, late_b).late_from is None  # cleared with the override
        assert db.session.get(Publication, doc.id).late_from is not None  # printed after the day: untouched
        after = board.dashboard(office).timeliness.total
        assert (after.published, after.on_time) == (7, 5)
        assert db.session.get(Publication, late_b).late_from == datetime(2026, 5, 7, tzinfo=CST).astimezone(UTC)
        _assert_stored_equals_computed()

        holidays.delete_override(admin, date(2026, 4, 15))
        assert board.dashboard(office).timeliness.total.on_time == 4
        assert db.session.get(Publication, late_b).late_from == stored
        _assert_stored_equals_computed()


NUMBER = re.compile(r'<a class="num-link" href="([^"]+)" data-count="(\d+)">')


def test_every_number_opens_the_list_it_counts(app, world):
    client = app.test_client()
    login(client, "leader")
    with clock.frozen(NOW):
        page = client.get("/dashboard")
        assert page.status_code == 200
        body = page.get_data(as_text=True)
        links = NUMBER.findall(body)
        assert len(links) > 60  # 12 months × 3, departments, stages × ages, applications, transfers
        nonzero = 0
        for href, count in links:
            resp = client.get(html.unescape(href))
            assert resp.status_code == 200, href
            listed = resp.get_data(as_text=True)
            total = int(re.search(r'data-total="(\d+)"', listed).group(1))
            assert total == int(count), f"{href}: the dashboard says {count}, the list has {total}"
            assert listed.count('class="record-row"') == min(total, board.LIST_LIMIT), href
            nonzero += total > 0
        assert nonzero >= 20


def test_a_list_names_the_records_it_counts(app, world):
    client = app.test_client()
    login(client, "office")
    docs = world["docs"]
    with clock.frozen(NOW):
        late = client.get("/dashboard/records?metric=published&month=2026-05&timeliness=late").get_data(as_text=True)
        ids = {int(i) for i in re.findall(r'href="/documents/(\d+)"', late)}
        assert ids == {docs["a_may_late"], docs["b_may_late"]}
        overdue = client.get(f"/dashboard/records?metric=applications&due=overdue&department={world['a']}")
        ids = {int(i) for i in re.findall(r'href="/applications/(\d+)"', overdue.get_data(as_text=True))}
        assert ids == {world["apps"]["a_overdue"]}
        unassigned = client.get("/dashboard/records?metric=applications&due=overdue&department=0")
        assert {int(i) for i in re.findall(r'href="/applications/(\d+)"', unassigned.get_data(as_text=True))} == {
            world["apps"]["none_overdue"]}
        # the applicant's name is not on the list
        assert "申请人" not in overdue.get_data(as_text=True)


@pytest.mark.parametrize("query", [
    "metric=nope", "metric=published&month=2019-01", "metric=stage&stage=draft", "metric=stage&stage=x&age=1",
    "metric=stage&stage=office_review&age=9", "metric=applications", "metric=transfers&destination=999",
    "metric=published&department=abc", "metric=published&month=2026-13-01",
])
def test_a_hand_edited_list_link_gets_a_message(app, world, query):
    client = app.test_client()
    login(client, "office")
    resp = client.get(f"/dashboard/records?{query}")
    assert resp.status_code == 400, query
    assert "系统内部错误" not in resp.get_data(as_text=True)


def test_only_the_office_and_leaders_read_the_dashboard(app, world):
    client = app.test_client()
    login(client, "drafter")
    assert client.get("/dashboard").status_code == 403
    assert client.get("/dashboard/records?metric=published").status_code == 403
    assert "数据看板" not in client.get("/todo").get_data(as_text=True)


def test_the_navigation_in_one_query_equals_its_parts_for_every_role(app, world, people):
    """todo.navigation (one statement built once per shape of roles) gives the numbers of
    queues.counters + todo.nav_counts (built for the user at hand), for each role alone, several
    together, and without a department; and the review queue shows the same 待办 and 提醒 counters
    as every other page."""
    from webapp.models import Reminder
    from webapp.services import queues, todo

    extra = [people.user(f"u_{r.value}", r, department="办公室") for r in Role]
    extra.append(people.user("many", Role.DRAFTER, Role.DEPT_HEAD, Role.OFFICE, Role.HANDLER, Role.DISCLOSURE_HEAD,
                             Role.ARCHIVIST, department="应急救援处"))
    with app.app_context():
        nobody = people.user("nodept", Role.HANDLER, Role.DRAFTER)
        db.session.get(User, nobody).department_id = None
        db.session.add(Application(channel="in_person", received_on=date(2026, 6, 1), applicant_type="person",
                                   applicant_name="申请人", description="某文件", fingerprint="fp-ext", stage="handling",
                                   department_id=world["a"], due_on=date(2026, 6, 30), extension_requested=True))
        db.session.add(Reminder(user_id=world["ids"]["office"], crossing="test-1", kind="application", phase="soon",
                                subject_id=1, due_on=date(2026, 6, 16), title="提醒"))
        db.session.commit()
    seen = set()
    with clock.frozen(NOW), app.app_context():
        for uid in [*world["ids"].values(), *extra, nobody]:
            u = db.session.get(User, uid)
            chain = queues.counters(u)
            assert todo.navigation(u) == {**chain, **todo.nav_counts(u, chain)}, u.username
            seen |= {k for k, v in todo.navigation(u).items() if v}
    assert {"todo", "reminders", "office_review", "leader_approval", "draft"} <= seen
    with clock.frozen(NOW):
        office = people.client("office")
        todo_page = office.get("/todo").get_data(as_text=True)
        review = office.get("/review/office_review").get_data(as_text=True)
        for key in ("todo", "reminders"):
            expected = re.search(rf'id="nav-count-{key}">(\d+)<', todo_page).group(1)
            assert f'id="nav-count-{key}">{expected}<' in review
        assert 'id="nav-count-reminders">1<' in review
