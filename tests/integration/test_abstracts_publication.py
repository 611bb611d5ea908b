"""关键词 and 内容概述 from drafting to the portal (issue 8).

The drafter sets them (the drafting page proposes them from the text when empty); the
de-identification review scans them with the rest of the document; the push carries their
public copies; the running portal shows them in the metadata table and the meta tags and finds
the document by a keyword that stands nowhere else."""

from __future__ import annotations

import json
import re
import urllib.parse
import urllib.request

import pytest

from tests.helpers import doc, new_draft, user
from tests.pubhelpers import (
    SECRET,
    body_of,
    issued,
    outbox_rows,
    set_agency,
)
from webapp.extensions import db
from webapp.models import Publication
from webapp.outbox.worker import Settings, run_once
from webapp.services import deid_review, drafting, publication
from webapp.services.errors import Invalid

PHONE = "83186312"


def confirm_all(cast, d: int) -> None:
    publisher = user(cast["publisher"])
    for f in deid_review.findings_of(d):
        deid_review.decide(d, f.id, publisher, "mask")
    deid_review.confirm(d, publisher, doc(d).version)


def test_the_drafting_page_proposes_keywords_and_a_summary_and_limits_are_refused(app, chain_cast, people):
    with app.app_context():
        d = new_draft(chain_cast["drafter"], body_html="<p>各市应急管理局：</p><p>全面推进政务公开标准化规范化，"
                                                       "提升应急管理信息发布质量。</p><p>联系人：叶玉才。</p>")
    page = people.client("drafter").get(f"/drafting/{d}/edit").get_data(as_text=True)
    value = re.search(r'name="keywords"[^>]*value="([^"]*)"', page) or re.search(r'value="([^"]*)"[^>]*name="keywords"', page)
    assert value and "政务公开" in value.group(1) and "叶玉才" not in value.group(1)
    assert "全面推进政务公开标准化规范化" in page  # the summary proposed in its field
    with app.app_context():
        assert doc(d).keywords == ""  # a proposal, not saved until the drafter saves
        data = drafting.DraftInput(title=doc(d).title, doc_type="通知", body_html=doc(d).body_html,
                                   keywords="、".join(f"词{i}" for i in range(11)), summary="概" * 101)
        with pytest.raises(Invalid) as exc:
            drafting.update_draft(d, user(chain_cast["drafter"]), data, doc(d).version)
        assert any("最多 10 个" in p for p in exc.value.problems)
        assert any("不能超过 100 个字" in p for p in exc.value.problems)
        assert doc(d).keywords == "" and doc(d).summary == ""


def test_keywords_and_summary_are_reviewed_pushed_shown_and_searched(app, chain_cast, portal):
    with app.app_context():
        set_agency(chain_cast["admin"])
        d = issued(chain_cast, keywords="政务公开、汛期值守、标准化", summary=f"部署政务公开标准化工作；咨询电话{PHONE}。")
        found = {(f.field, f.text) for f in deid_review.findings_of(d)}
        assert ("summary", PHONE) in found  # the engine read the summary too
        confirm_all(chain_cast, d)
        assert doc(d).public_keywords == "政务公开、汛期值守、标准化"
        assert PHONE not in doc(d).public_summary and doc(d).public_summary.startswith("部署政务公开标准化工作")
        publication.publish(d, user(chain_cast["publisher"]), doc(d).version)
        message = body_of(outbox_rows(d)[0])
        assert message["keywords"] == ["政务公开", "汛期值守", "标准化"] and PHONE not in message["summary"]
        assert [o.status for o in run_once(Settings(portal.url, SECRET, timeout=5))] == ["sent"]
        db.session.expire_all()
        url = db.session.get(Publication, d).public_url
        summary = doc(d).public_summary
    with urllib.request.urlopen(url, timeout=10) as r:
        page = r.read().decode()
    assert "内容概述" in page and summary in page and PHONE not in page
    assert '<meta name="Keywords" content="政务公开,汛期值守,标准化">' in page
    assert f'<meta name="Description" content="{summary}">' in page
    assert "政务公开、汛期值守、标准化" in page  # the metadata table
    # 汛期值守 stands only among the keywords: the search finds the document by it
    with urllib.request.urlopen(portal.url + "/search?q=" + urllib.parse.quote("汛期值守"), timeout=10) as r:
        hits = r.read().decode()
    assert url.rsplit("/", 1)[1] in hits


def test_without_keywords_the_public_copy_proposes_them_from_the_public_text(app, chain_cast):
    with app.app_context():
        set_agency(chain_cast["admin"])
        d = issued(chain_cast)
        confirm_all(chain_cast, d)
        keywords = doc(d).public_keywords.split("、")
        assert "政务公开" in keywords and "叶玉才" not in keywords and len(keywords) <= 10
        assert doc(d).public_summary == "全面推进政务公开标准化规范化。"
        publication.publish(d, user(chain_cast["publisher"]), doc(d).version)
        message = json.loads(outbox_rows(d)[0].body)
        assert message["keywords"] == keywords and message["summary"] == doc(d).public_summary


def test_the_office_sets_them_at_review_audited_and_only_there(app, chain_cast, people):
    from tests.conftest import post
    from tests.helpers import submitted
    from webapp.models import AuditEvent

    with app.app_context():
        d = submitted(chain_cast["drafter"], keywords="政务公开")
        version = doc(d).version
    office = people.client("office")
    page = office.get(f"/documents/{d}").get_data(as_text=True)
    assert "保存关键词和内容概述" in page
    resp = post(office, f"/publishing/{d}/abstract", {"version": version, "keywords": "政务公开、汛期 值守",
                                                      "summary": "部署汛期值守工作。"})
    assert resp.status_code == 302
    with app.app_context():
        assert (doc(d).keywords, doc(d).summary) == ("政务公开、汛期、值守", "部署汛期值守工作。")
        event = db.session.execute(db.select(AuditEvent).where(AuditEvent.document_id == d)
                                   .order_by(AuditEvent.id.desc())).scalars().first()
        assert event.action == "set_abstract" and json.loads(event.details_json)["from"]["keywords"] == "政务公开"
        version = doc(d).version
    refused = post(office, f"/publishing/{d}/abstract", {"version": version, "summary": "概" * 101})
    assert refused.status_code == 422 and "不能超过 100" in refused.get_data(as_text=True)
    stale = post(office, f"/publishing/{d}/abstract", {"version": version - 1, "keywords": "别的"})
    assert stale.status_code == 409
    assert post(people.client("drafter"), f"/publishing/{d}/abstract",
                {"version": version, "keywords": "别的"}).status_code == 403
    with app.app_context():
        assert doc(d).keywords == "政务公开、汛期、值守"
