"""R10, the yearly self-review (issue 11): every 依申请公开 and 不予公开 document of a year is
listed; the office keeps one, or changes it to 主动公开; the drafter confirms (the document then
goes through de-identification and publication like any other) or objects with a reason;
the year's summary .docx reads back."""

from __future__ import annotations

import io

import pytest
from docx import Document as DocxDocument

from tests.helpers import act, doc, user
from tests.pubhelpers import issued, set_agency
from webapp.disclosure import Disclosure
from webapp.extensions import db
from webapp.models import Publication
from webapp.services import deid_review, publication, self_review
from webapp.services.errors import Forbidden, Invalid
from webapp.workflow import Action, Stage


@pytest.fixture
def cast(app, chain_cast):
    with app.app_context():
        set_agency(chain_cast["admin"])
        yield chain_cast


def filed(cast, attribute: str = "on_request", **kw) -> int:
    """A 依申请公开 (or 不予公开) document issued: filed, not published."""
    d = issued(cast, interpretation=False, disclosure=attribute, disclosure_reason="涉及内部事务",
               legal_basis_codes=["art16"], **kw)
    assert doc(d).stage == Stage.FILED
    return d


def test_the_list_holds_every_non_public_document_of_the_year(cast):
    a, b = filed(cast), filed(cast, "not_public")
    year = doc(a).print_date.year
    rows = self_review.review_list(year)
    assert [r.document.id for r in rows] == [a, b] and all(r.review is None for r in rows)
    assert self_review.review_list(year - 1) == []


def test_keep(cast):
    d = filed(cast)
    year = doc(d).print_date.year
    with pytest.raises(Invalid, match="复核理由"):
        self_review.decide(user(cast["office"]), year, d, "keep", " ")
    with pytest.raises(Forbidden):
        self_review.decide(user(cast["archivist"]), year, d, "keep", "仍涉及内部事务")
    r = self_review.decide(user(cast["office"]), year, d, "keep", "仍涉及内部事务")
    assert r.status == "kept" and doc(d).stage == Stage.FILED and doc(d).disclosure == "on_request"
    assert self_review.awaiting(user(cast["drafter"])) == []


def test_change_confirmed_then_de_identified_and_published(cast):
    d = filed(cast)
    year = doc(d).print_date.year
    r = self_review.decide(user(cast["office"]), year, d, "change", "事项已办结，可以主动公开")
    assert r.status == "awaiting_department"
    assert [x.id for x in self_review.awaiting(user(cast["drafter"]))] == [r.id]
    with pytest.raises(Forbidden):  # someone else's document
        self_review.respond(r.id, user(cast["colleague"]), True, "")
    self_review.respond(r.id, user(cast["drafter"]), True, "同意")
    after = doc(d)
    assert after.stage == Stage.DEID_REVIEW and after.disclosure == Disclosure.PUBLIC
    assert after.legal_basis_codes == [] and self_review.get_review(r.id).status == "confirmed"
    # from here on, the existing services: de-identification, then publication
    publisher = user(cast["publisher"])
    deid_review.ensure_scanned(d, publisher)
    for f in deid_review.findings_of(d):
        deid_review.decide(d, f.id, publisher, "mask")
    deid_review.confirm(d, publisher, doc(d).version)
    publication.publish(d, publisher, doc(d).version)
    assert doc(d).stage == Stage.PUBLISHED and db.session.get(Publication, d).index_no
    # the public copy carries the new attribute's line (R6)
    from webapp.docgen import document_text
    from webapp.services import files

    assert "（此件公开发布）" in document_text(files.latest(d, "public").data)
    with pytest.raises(Invalid, match="不再改变|不在年度复核范围"):
        self_review.decide(user(cast["office"]), year, d, "keep", "改回")


def test_change_objected_stays_filed(cast):
    d = filed(cast, "not_public")
    year = doc(d).print_date.year
    r = self_review.decide(user(cast["office"]), year, d, "change", "可以公开")
    with pytest.raises(Invalid, match="写明理由"):
        self_review.respond(r.id, user(cast["drafter"]), False, "")
    self_review.respond(r.id, user(cast["drafter"]), False, "仍涉及正在调查的事项")
    got = self_review.get_review(r.id)
    assert got.status == "objected" and got.response_reason == "仍涉及正在调查的事项"
    assert doc(d).stage == Stage.FILED and doc(d).disclosure == "not_public"
    with pytest.raises(Invalid, match="待确认"):
        self_review.respond(r.id, user(cast["drafter"]), True, "")
    # the chain refuses the move outside the service's path for anyone but the drafter
    with pytest.raises(Forbidden):
        act(d, cast["office"], Action.OPEN_AFTER_REVIEW)


def test_summary_docx_reads_back(cast):
    kept, changed = filed(cast), filed(cast, "not_public", title="关于内部值班安排的通知")
    year = doc(kept).print_date.year
    self_review.decide(user(cast["office"]), year, kept, "keep", "仍涉及内部事务")
    r = self_review.decide(user(cast["office"]), year, changed, "change", "已无不公开理由")
    self_review.respond(r.id, user(cast["drafter"]), True, "同意")
    data = self_review.summary_docx(year)
    document = DocxDocument(io.BytesIO(data))
    text = "\n".join(p.text for p in document.paragraphs)
    assert f"{year}年度依申请公开、不予公开政府信息复核情况" in text
    assert "应复核 2 件，已复核 2 件；维持原公开属性 1 件，转为主动公开 1 件" in text
    [table] = document.tables
    rows = [[c.text for c in row.cells] for row in table.rows]
    assert rows[1][2] == doc(kept).title and rows[1][4] == "依申请公开" and rows[1][5] == "维持"
    assert rows[2][2] == "关于内部值班安排的通知" and rows[2][4] == "不予公开" and rows[2][8] == "已确认转为主动公开"


def test_the_pages_office_decides_drafter_confirms_summary_downloads(app, chain_cast, people):
    from tests.conftest import post

    with app.app_context():
        set_agency(chain_cast["admin"])
        d = filed(chain_cast)
        year = doc(d).print_date.year
        title = doc(d).title
    office, drafter = people.client("office"), people.client("drafter")
    page = office.get(f"/transfers/self-review?year={year}").get_data(as_text=True)
    assert title in page and "未复核" in page
    bad = post(office, f"/transfers/self-review/{d}/decide?year={year}", {"decision": "change", "reason": ""})
    assert bad.status_code == 422 and "请写明复核理由" in bad.get_data(as_text=True)
    assert post(office, f"/transfers/self-review/{d}/decide?year={year}",
                {"decision": "change", "reason": "事项已办结"}).status_code == 302
    assert "待起草处室确认" in office.get(f"/transfers/self-review?year={year}").get_data(as_text=True)
    mine = drafter.get("/transfers/self-review/mine").get_data(as_text=True)
    assert title in mine and "事项已办结" in mine
    with app.app_context():
        review_id = self_review.awaiting(user(chain_cast["drafter"]))[0].id
    assert post(drafter, f"/transfers/self-review/reviews/{review_id}/respond",
                {"answer": "agree", "reason": "同意"}).status_code == 302
    with app.app_context():
        assert doc(d).stage == Stage.DEID_REVIEW and doc(d).disclosure == "public"
    got = office.get(f"/transfers/self-review/summary?year={year}")
    assert got.status_code == 200
    rows = [[c.text for c in r.cells] for r in DocxDocument(io.BytesIO(got.data)).tables[0].rows]
    assert rows[1][2] == title and rows[1][8] == "已确认转为主动公开"
    assert office.get("/transfers/self-review?year=abcd").status_code == 422
