"""Correcting a withdrawn document's public copy, then republishing it (issue 8), over real HTTP.

The intranet's publisher works through its pages (the Flask test client, a real session with
CSRF); the outbox worker pushes to the real portal served on loopback (its own database, its own
migrations); the portal's page, search and feed are read over HTTP.  The case: a phone number the
publisher first kept ("the office's work phone") turns out to be a private one — withdraw, correct
(mask it), republish: same 索引号, same URL, and the number is gone from the page, the .docx,
search and the feed."""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request

import pytest
from sqlalchemy import select

from tests.conftest import post
from tests.helpers import doc, user
from tests.pubhelpers import (
    SECRET,
    LivePortal,
    issued,
    set_agency,
)
from webapp.extensions import db
from webapp.models import AuditEvent, Publication
from webapp.outbox.worker import Settings, run_once
from webapp.services import correction, deid_review, publication
from webapp.services.errors import Forbidden
from webapp.workflow import Stage

PHONE, NAME = "83186312", "叶玉才"


def get(url: str, raw: bool = False) -> tuple[int, str | bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as r:
            data = r.read()
            return r.status, data if raw else data.decode()
    except urllib.error.HTTPError as e:
        with e:
            return e.code, e.read().decode()


def search(portal: LivePortal, q: str) -> str:
    status, html = get(portal.url + "/search?q=" + urllib.parse.quote(q))
    assert status == 200
    return html


def test_withdraw_correct_the_public_copy_and_republish_over_http(app, chain_cast, people, portal):
    settings = Settings(portal.url, SECRET, timeout=5)
    with app.app_context():
        set_agency(chain_cast["admin"])
        d = issued(chain_cast)
        publisher = user(chain_cast["publisher"])
        for f in deid_review.findings_of(d):  # the phone kept as a work contact: a wrong decision
            if f.text == PHONE:
                deid_review.decide(d, f.id, publisher, "keep", "本单位公开的工作电话")
            else:
                deid_review.decide(d, f.id, publisher, "mask")
        deid_review.confirm(d, publisher, doc(d).version)
        publication.publish(d, publisher, doc(d).version)
        assert [o.status for o in run_once(settings)] == ["sent"]
        db.session.expire_all()
        pub = db.session.get(Publication, d)
        url, index_no = pub.public_url, pub.index_no
    status, page = get(url)
    assert status == 200 and PHONE in page and NAME not in page
    assert f"/xxgk/{index_no.split('/')[0]}" in search(portal, PHONE)  # found by its number

    c = people.client("publisher")
    # 1. withdraw: 410 at once
    resp = post(c, f"/publishing/{d}/withdraw", {"version": doc_version(app, d), "reason": "电话为个人手机，误保留"})
    assert resp.status_code == 302
    with app.app_context():
        assert [o.status for o in run_once(settings)] == ["sent"]
    assert get(url)[0] == 410
    # 2. the correction: a note is required; then the review is open again with its decisions
    assert post(c, f"/publishing/{d}/correct", {"version": doc_version(app, d), "note": ""}).status_code == 422
    resp = post(c, f"/publishing/{d}/correct", {"version": doc_version(app, d), "note": "联系电话应遮盖"})
    assert resp.status_code == 302 and resp.headers["Location"].endswith(f"/publishing/{d}")
    with app.app_context():
        assert doc(d).stage == Stage.CORRECTION.value
        kept = next(f for f in deid_review.findings_of(d) if f.text == PHONE)
        assert kept.decision == "keep"
    page_html = c.get(f"/publishing/{d}").get_data(as_text=True)
    assert "更正公开版" in page_html and "确认更正" in page_html
    # republishing is not possible before the correction is confirmed
    assert post(c, f"/publishing/{d}/republish", {"version": doc_version(app, d)}).status_code in (302, 403)
    with app.app_context():
        assert doc(d).stage == Stage.CORRECTION.value
    assert post(c, f"/publishing/{d}/findings/{kept.id}", {"decision": "mask"}).status_code == 302
    resp = post(c, f"/publishing/{d}/confirm", {"version": doc_version(app, d)})
    assert resp.status_code == 302
    with app.app_context():
        corrected = doc(d)
        assert corrected.stage == Stage.WITHDRAWN.value and PHONE not in corrected.public_body_html
        events = {e.action: e for e in db.session.execute(
            select(AuditEvent).where(AuditEvent.document_id == d).order_by(AuditEvent.id)).scalars()}
        assert events["correct"].comment == "联系电话应遮盖"
        details = json.loads(events["confirm_deid"].details_json)
        assert details["corrected"] == ["正文"] and details["decisions_changed"] == 1
        assert details["previous_public_sha256"] != details["public_sha256"]
    assert get(url)[0] == 410  # still withdrawn until republished
    # 3. republish: same 索引号, same URL, the corrected text everywhere
    assert post(c, f"/publishing/{d}/republish", {"version": doc_version(app, d)}).status_code == 302
    with app.app_context():
        assert doc(d).stage == Stage.PUBLISHED.value
        assert [o.status for o in run_once(settings)] == ["sent"]
        db.session.expire_all()
        pub = db.session.get(Publication, d)
        assert (pub.public_url, pub.index_no) == (url, index_no)
    status, page = get(url)
    assert status == 200
    assert PHONE not in page and NAME not in page and "全面推进政务公开标准化规范化" in page
    status, docx = get(url.replace(".html", ".docx"), raw=True)
    from webapp.docgen import document_text

    assert status == 200 and PHONE not in document_text(docx)
    assert f"{index_no.split('/')[1]}.html" not in search(portal, PHONE)  # the old text left the index …
    assert f"{index_no.split('/')[1]}.html" in search(portal, "标准化")  # … the corrected one is in it
    status, feed = get(portal.url + "/feed.atom")
    assert status == 200 and PHONE not in feed and index_no.split("/")[1] in feed


def doc_version(app, d: int) -> int:
    with app.app_context():
        return doc(d).version


def test_only_a_withdrawn_document_is_corrected_and_only_by_a_publisher(app, chain_cast):
    with app.app_context():
        set_agency(chain_cast["admin"])
        d = issued(chain_cast)
        publisher = user(chain_cast["publisher"])
        for f in deid_review.findings_of(d):
            deid_review.decide(d, f.id, publisher, "mask")
        deid_review.confirm(d, publisher, doc(d).version)
        publication.publish(d, publisher, doc(d).version)
        with pytest.raises(Forbidden):  # published: withdraw first
            correction.start_correction(d, publisher, doc(d).version, "更正")
        publication.withdraw(d, publisher, doc(d).version, "有误")
        with pytest.raises(Forbidden):
            correction.start_correction(d, user(chain_cast["office"]), doc(d).version, "更正")
        correction.start_correction(d, publisher, doc(d).version, "更正标题")
        assert doc(d).stage == Stage.CORRECTION.value
        started = db.session.execute(select(AuditEvent).where(AuditEvent.document_id == d)
                                     .order_by(AuditEvent.id.desc())).scalars().first()
        assert (started.action, started.comment) == ("correct", "更正标题")
        assert json.loads(started.details_json)["new_findings"] == 0
        # confirming without changing anything returns it to 已撤回 with nothing said corrected
        deid_review.confirm(d, publisher, doc(d).version)
        assert doc(d).stage == Stage.WITHDRAWN.value
        last = db.session.execute(select(AuditEvent).where(AuditEvent.document_id == d)
                                  .order_by(AuditEvent.id.desc())).scalars().first()
        assert last.action == "confirm_deid" and json.loads(last.details_json)["corrected"] == []


def test_a_correction_finds_what_the_engine_finds_now_and_reopens_the_eye_checks(app, chain_cast):
    """The correction runs the engine again: a finding deleted since (as if the engine had missed
    it) comes back undecided and must be decided; a PDF must be looked at again."""
    from tests.helpers import act, new_draft
    from webapp.models import DeidFinding
    from webapp.services import drafting, issuing
    from webapp.workflow import Action

    with app.app_context():
        set_agency(chain_cast["admin"])
        d = new_draft(chain_cast["drafter"], body_html=f"<p>全面推进政务公开。</p><p>联系人：{NAME}，电话：{PHONE}。</p>")
        drafting.add_attachment(d, user(chain_cast["drafter"]), "扫描件.pdf", b"%PDF-1.4 scan\n%%EOF\n")
        for who, action in (("drafter", Action.SUBMIT), ("office", Action.APPROVE), ("leader", Action.APPROVE)):
            act(d, chain_cast[who], action)
        code = issuing.active_codes() or [issuing.save_code(None, "豫应急办", "河南省应急管理厅文件", "河南省应急管理厅",
                                                            "河南省应急管理厅办公室")]
        day = issuing.default_written_date(doc(d))
        issuing.issue_document(d, user(chain_cast["office"]), doc(d).version, issuing.IssueInput(code[0].id, day, day))
        publisher = user(chain_cast["publisher"])
        missed = next(f for f in deid_review.findings_of(d) if f.text == NAME)
        db.session.delete(missed)  # the engine "missed" the name the first time
        db.session.commit()
        for f in deid_review.findings_of(d):
            deid_review.decide(d, f.id, publisher, "mask")
        pdf = deid_review.eye_check_files(doc(d))[0]
        deid_review.mark_checked_by_eye(d, pdf.id, publisher)
        deid_review.confirm(d, publisher, doc(d).version)
        assert NAME in doc(d).public_body_html  # published with the name
        publication.publish(d, publisher, doc(d).version)
        publication.withdraw(d, publisher, doc(d).version, "姓名未遮盖")
        correction.start_correction(d, publisher, doc(d).version, "遮盖联系人姓名")
        again = [f for f in deid_review.findings_of(d) if f.text == NAME]
        assert len(again) == 1 and again[0].decision is None
        assert deid_review.eye_check_files(doc(d))[0].eye_checked_at is None
        with pytest.raises(Exception, match="未确认"):
            deid_review.confirm(d, publisher, doc(d).version)
        deid_review.decide(d, again[0].id, publisher, "mask")
        with pytest.raises(Exception, match="目视检查"):
            deid_review.confirm(d, publisher, doc(d).version)
        deid_review.mark_checked_by_eye(d, pdf.id, publisher)
        deid_review.confirm(d, publisher, doc(d).version)
        assert NAME not in doc(d).public_body_html and doc(d).stage == Stage.WITHDRAWN.value
        assert db.session.query(DeidFinding).filter_by(document_id=d, text=NAME).count() == 1
