"""R11 (issue 11): 行政规范性文件 — the period set at drafting, the list of those expiring or
expired, and the office's clean-up decision (继续有效 / 修订 / 废止 / 失效): one transaction
each, audited, and pushed to the portal as a new version.  Bad input changes nothing."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from tests.conftest import login, post
from tests.helpers import doc, new_draft, user
from tests.pubhelpers import body_of, issued, outbox_rows, ready, set_agency
from webapp import clock
from webapp.extensions import db
from webapp.models import AuditEvent, Document, Publication, ValidityDecision
from webapp.services import publication
from webapp.services import validity as service
from webapp.services.errors import Conflict, Forbidden, Invalid
from webapp.workflow import Stage

NORMATIVE = "河南省应急管理厅行政执法公示办法"


@pytest.fixture
def cast(app, chain_cast):
    with app.app_context():
        set_agency(chain_cast["admin"])
        yield chain_cast


@pytest.fixture
def web(app, chain_cast):
    """The cast with no app context held across the test: each request gets its own (and its own
    CSRF token); setup and checks open one each."""
    with app.app_context():
        set_agency(chain_cast["admin"])
    chain_cast["app"] = app
    return chain_cast


def today() -> date:
    return clock.agency_today()


def published(cast, *, ends_in: int | None = 30, title: str = NORMATIVE, normative: bool = True, **kw) -> int:
    """A 行政规范性文件 published on the portal (its outbox message queued), ending in `ends_in` days."""
    if normative:
        start = today() - timedelta(days=1500)
        kw.update(is_normative=True, effective_from=start,
                  effective_to=today() + timedelta(days=ends_in) if ends_in is not None else None)
    d = ready(cast, title=title, interpretation=False, **kw)
    publication.publish(d, user(cast["publisher"]), doc(d).version)
    assert doc(d).stage == Stage.PUBLISHED
    return d


def counts() -> tuple[int, int, int]:
    db.session.expire_all()
    return (db.session.scalar(select(func.count()).select_from(ValidityDecision)),
            len(outbox_rows()), db.session.scalar(select(func.count()).select_from(AuditEvent)))


# --------------------------------------------------------------------------- drafting and issuing

def test_the_period_defaults_to_five_years_or_two_for_provisional_and_issue_starts_it(cast):
    d = new_draft(cast["drafter"], is_normative=True, effective_from=date(2026, 3, 1))
    assert (doc(d).effective_from, doc(d).effective_to) == (date(2026, 3, 1), date(2031, 2, 28))
    t = new_draft(cast["drafter"], title="河南省应急管理厅行政执法公示暂行办法", is_normative=True,
                  effective_from=date(2026, 3, 1))
    assert doc(t).effective_to == date(2028, 2, 29)
    edited = new_draft(cast["drafter"], is_normative=True, effective_from=date(2026, 3, 1),
                       effective_to=date(2027, 3, 1))
    assert doc(edited).effective_to == date(2027, 3, 1)  # what was typed is kept
    plain = new_draft(cast["drafter"], effective_from=date(2026, 3, 1))
    assert (doc(plain).is_normative, doc(plain).effective_from, doc(plain).effective_to) == (False, None, None)
    # no start at drafting: issuing starts the period on the 印发日期
    i = issued(cast, interpretation=False, title="河南省安全生产约谈办法（试行）", is_normative=True)
    printed = doc(i).print_date
    assert doc(i).effective_from == printed
    assert doc(i).effective_to == printed.replace(year=printed.year + 2) - timedelta(days=1)


def test_drafting_form_refuses_an_end_before_the_start_and_keeps_what_was_typed(app, web):
    client = app.test_client()
    login(client, "drafter")
    with app.app_context():
        before = db.session.scalar(select(func.count()).select_from(Document))
    resp = post(client, "/drafting/new", {"title": NORMATIVE, "doc_type": "通知", "recipients": "各市应急管理局",
                                          "body_html": "<p>正文</p>", "disclosure": "public", "is_normative": "y",
                                          "effective_from": "2026-03-01", "effective_to": "2026-02-01",
                                          "intent": "save"})
    html = resp.get_data(as_text=True)
    assert resp.status_code == 422 and "有效期截止日期须晚于施行日期" in html
    assert 'value="2026-02-01"' in html and NORMATIVE in html  # nothing typed is lost
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Document)) == before
    resp = post(client, "/drafting/new", {"title": NORMATIVE, "doc_type": "通知", "recipients": "各市应急管理局",
                                          "body_html": "<p>正文</p>", "disclosure": "public", "is_normative": "y",
                                          "effective_from": "2026-03-01", "intent": "save"})
    assert resp.status_code == 302
    with app.app_context():
        d = db.session.execute(select(Document).order_by(Document.id.desc())).scalars().first()
        assert d.is_normative and d.effective_to == date(2031, 2, 28)
        doc_id = d.id
    page = client.get(f"/documents/{doc_id}").get_data(as_text=True)
    assert "有效期（行政规范性文件）" in page and "2031年2月28日" in page


# --------------------------------------------------------------------------- the list

def test_the_list_shows_expiring_and_lapsed_with_filters(cast):
    soon, later, lapsed = published(cast, ends_in=30), published(cast, ends_in=200), published(cast, ends_in=-3)
    plain = published(cast, normative=False)
    ids = lambda rows: [r.document.id for r in rows]  # noqa: E731
    rows = service.due_list()
    assert ids(rows) == [lapsed, soon]  # soonest end first; not the one ending in 200 days, nor the plain one
    assert [r.standing for r in rows] == ["lapsed", "expiring"] and [r.days_left for r in rows] == [-3, 30]
    assert ids(service.due_list(365)) == [lapsed, soon, later]
    assert ids(service.due_list(show="lapsed")) == [lapsed]
    assert ids(service.due_list(show="expiring")) == [soon]
    assert ids(service.due_list(10)) == [lapsed]
    assert set(ids(service.due_list(show="all"))) == {soon, later, lapsed} and plain not in ids(service.due_list(
        show="all"))
    other_dept = doc(soon).department_id + 999
    assert service.due_list(show="all", department_id=other_dept) == []
    service.decide(user(cast["office"]), lapsed, doc(lapsed).version, "expire", "有效期届满", today())
    assert ids(service.due_list()) == [soon]  # decided: no longer due
    assert ids(service.due_list(show="decided")) == [lapsed]


def test_the_list_page_for_office_and_archivist_and_bad_filters(app, web):
    with app.app_context():
        d = published(web, ends_in=20)
        title = doc(d).title
    for who in ("office", "archivist"):
        client = app.test_client()
        login(client, who)
        html = client.get("/validity/").get_data(as_text=True)
        assert title in html and "即将到期" in html and "还有 20 天" in html
        assert ("作出清理结论" in html) == (who == "office")
    client = app.test_client()
    login(client, "office")
    for query, message in (("days=abc", "天数应为"), ("show=nope", "显示范围无效"), ("department=99999", "处室无效")):
        resp = client.get(f"/validity/?{query}")
        assert resp.status_code == 422 and message in resp.get_data(as_text=True), query


# --------------------------------------------------------------------------- each decision

@pytest.mark.parametrize("decision, validity, kind", [
    ("revise", "revised", "validity_revise"),
    ("repeal", "repealed", "validity_repeal"),
    ("expire", "expired", "validity_expire"),
])
def test_a_decision_sets_validity_audits_and_pushes_a_new_version(cast, decision, validity, kind):
    d = published(cast)
    version_before = db.session.get(Publication, d).message_version
    on = today() - timedelta(days=5)
    row = service.decide(user(cast["office"]), d, doc(d).version, decision, "经评估，不再适应工作需要", on)
    after = doc(d)
    assert (after.validity, after.validity_changed_on, after.stage) == (validity, on, Stage.PUBLISHED)
    assert (row.decision, row.reason, row.previous_validity) == (decision, "经评估，不再适应工作需要", "valid")
    event = db.session.execute(select(AuditEvent).where(AuditEvent.document_id == d)
                               .order_by(AuditEvent.id.desc())).scalars().first()
    assert event.action == kind and event.comment == "经评估，不再适应工作需要"
    last = outbox_rows(d)[-1]
    assert last.kind == "push" and last.version == version_before + 1 == db.session.get(Publication, d).message_version
    body = body_of(last)
    assert (body["validity"], body["validity_changed_on"]) == (validity, on.isoformat())
    assert body["cleanup"] == {"decision": decision, "decided_on": on.isoformat()} and body["normative"] is True


def test_continue_sets_the_new_end_date_and_stays_valid(cast):
    d = published(cast, ends_in=10)
    new_end = today() + timedelta(days=5 * 365)
    service.decide(user(cast["office"]), d, doc(d).version, "continue", "仍需执行", today(), new_end)
    after = doc(d)
    assert (after.validity, after.validity_changed_on, after.effective_to) == ("valid", None, new_end)
    body = body_of(outbox_rows(d)[-1])
    assert body["validity"] == "valid" and body["effective_to"] == new_end.isoformat()
    assert body["cleanup"]["decision"] == "continue"
    assert service.due_list() == []  # no longer due


# --------------------------------------------------------------------------- bad input changes nothing

def test_bad_decisions_are_refused_and_change_nothing(cast):
    normative = published(cast)
    plain = published(cast, normative=False)
    unpublished = ready(cast, title=NORMATIVE, interpretation=False, is_normative=True,
                        effective_from=today() - timedelta(days=10))
    office = user(cast["office"])
    before = counts()
    for d, message in ((plain, "不是行政规范性文件"), (unpublished, "尚未在政府网站发布")):
        with pytest.raises(Invalid) as exc:
            service.decide(office, d, doc(d).version, "repeal", "理由", today())
        assert any(message in p for p in exc.value.problems)
    with pytest.raises(Invalid):
        service.decide(office, normative, doc(normative).version, "continue", "理由", today(), today() - timedelta(1))
    with pytest.raises(Invalid):
        service.decide(office, normative, doc(normative).version, "abolish", "理由", today())
    with pytest.raises(Conflict):  # a stale form
        service.decide(office, normative, doc(normative).version - 1, "repeal", "理由", today())
    with pytest.raises(Forbidden):
        service.decide(user(cast["archivist"]), normative, doc(normative).version, "repeal", "理由", today())
    assert counts() == before
    assert doc(normative).validity == "valid"
    service.decide(office, normative, doc(normative).version, "repeal", "已被新规定替代", today())
    after_repeal = counts()
    with pytest.raises(Invalid, match="清理结论未记录") as exc:
        service.decide(office, normative, doc(normative).version, "expire", "理由", today())
    assert "该文件已废止，不能再作清理结论。" in exc.value.problems
    assert counts() == after_repeal


def test_the_decision_page_keeps_typed_values_and_answers_a_stale_form(app, web):
    with app.app_context():
        d = published(web)
    client = app.test_client()
    login(client, "office")
    page = client.get(f"/validity/documents/{d}").get_data(as_text=True)
    version = re.search(r'name="version" value="(\d+)"', page).group(1)
    with app.app_context():
        before = counts()
    resp = post(client, f"/validity/documents/{d}/decide", {"version": version, "decision": "continue",
                                                             "reason": "仍需执行", "decided_on": today().isoformat()})
    html = resp.get_data(as_text=True)
    assert resp.status_code == 422 and "继续有效须填写新的有效期截止日期" in html and "仍需执行" in html
    with app.app_context():
        assert counts() == before
    resp = post(client, f"/validity/documents/{d}/decide", {"version": version, "decision": "repeal",
                                                             "reason": "已被新规定替代", "decided_on": today().isoformat()})
    assert resp.status_code == 302
    page = client.get(resp.headers["Location"]).get_data(as_text=True)
    assert "已被新规定替代" in page and "废止" in page
    with app.app_context():
        after = counts()
    # the same form again (its version is now old): a clear message, nothing changed
    resp = post(client, f"/validity/documents/{d}/decide", {"version": version, "decision": "expire",
                                                             "reason": "重复提交", "decided_on": today().isoformat()})
    assert resp.status_code == 409 and "页面已显示最新状态" in resp.get_data(as_text=True)
    with app.app_context():
        assert counts() == after and doc(d).validity == "repealed"
    doc_page = client.get(f"/documents/{d}").get_data(as_text=True)
    assert "废止" in doc_page and "有效期（行政规范性文件）" in doc_page
