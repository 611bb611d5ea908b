"""Bad input gets a clear message in Chinese and changes nothing."""

import pytest
from sqlalchemy import func, select

from tests.conftest import csrf_token, post
from tests.helpers import doc, new_draft, submitted
from webapp.extensions import db
from webapp.models import AuditEvent, Document
from webapp.workflow import Stage


def counts(app):
    with app.app_context():
        return (db.session.execute(select(func.count()).select_from(Document)).scalar_one(),
                db.session.execute(select(func.count()).select_from(AuditEvent)).scalar_one())


@pytest.fixture
def drafter(app, chain_cast, people):
    return people.client("drafter")


HOSTILE = (
    '<p>正文</p><script>alert("x")</script>'
    '<img src="x" onerror="alert(1)"><p onmouseover="steal()">移上来</p>'
    '<a href="javascript:alert(2)">点我</a><iframe src="https://evil.example"></iframe>'
    '<svg onload="alert(3)"></svg><p style="background:url(javascript:alert(4))">样式</p>'
)


def test_hostile_html_is_stored_and_shown_inert(app, drafter):
    resp = post(drafter, "/drafting/new", {"title": "含脚本的草稿", "doc_type": "通知", "body_html": HOSTILE,
                                           "interpretation_html": HOSTILE, "disclosure": "public"})
    assert resp.status_code == 302
    with app.app_context():
        d = db.session.execute(select(Document)).scalar_one()
        for field in (d.body_html, d.interpretation_html):
            for bad in ("<script", "onerror", "onmouseover", "javascript:", "<iframe", "<svg", "style=", "<img", "<a "):
                assert bad not in field, bad
        doc_id = d.id
    page = drafter.get(f"/documents/{doc_id}").get_data(as_text=True)
    body = page[page.index('class="doc-body"'):]
    for bad in ("<script>alert", "onerror=", "onmouseover=", "javascript:alert", "<iframe"):
        assert bad not in body


def test_title_is_escaped_everywhere(app, drafter):
    post(drafter, "/drafting/new", {"title": '<img src=x onerror=alert(1)>标题', "doc_type": "通知", "body_html": "<p>x</p>"})
    with app.app_context():
        doc_id = db.session.execute(select(Document.id)).scalar_one()
    page = drafter.get(f"/documents/{doc_id}").get_data(as_text=True)
    assert "<img src=x" not in page and "&lt;img src=x onerror=alert(1)&gt;标题" in page


def test_a_5mb_body_is_refused_with_a_message(app, drafter):
    before = counts(app)
    resp = post(drafter, "/drafting/new", {"title": "超长", "doc_type": "通知", "body_html": "<p>" + "政" * (5 * 1024 * 1024 // 3) + "</p>"})
    assert resp.status_code == 422
    assert "正文过长" in resp.get_data(as_text=True)
    assert counts(app) == before


def test_an_oversized_request_gets_a_413_page(app, drafter):
    app.config["MAX_CONTENT_LENGTH"] = 1024 * 1024
    before = counts(app)
    resp = post(drafter, "/drafting/new", {"title": "x", "doc_type": "通知", "body_html": "a" * (2 * 1024 * 1024)})
    assert resp.status_code == 413 and "超过了系统允许的大小" in resp.get_data(as_text=True)
    assert counts(app) == before


def test_missing_csrf_token_changes_nothing(app, drafter):
    before = counts(app)
    resp = drafter.post("/drafting/new", data={"title": "无令牌", "doc_type": "通知", "body_html": "<p>x</p>"})
    assert resp.status_code == 400 and "CSRF" in resp.get_data(as_text=True)
    assert counts(app) == before


def test_a_token_from_another_session_is_refused(app, chain_cast, people):
    other = app.test_client()
    foreign = csrf_token(other)  # a token minted for somebody else's session
    drafter = people.client("drafter")
    before = counts(app)
    resp = drafter.post("/drafting/new", data={"title": "借用令牌", "doc_type": "通知", "csrf_token": foreign})
    assert resp.status_code == 400
    assert counts(app) == before


def test_htmx_post_without_the_header_token_is_refused(app, chain_cast, people):
    with app.app_context():
        d = submitted(chain_cast["drafter"])
        version = doc(d).version
    office = people.client("office")
    resp = office.post(f"/review/documents/{d}/decide", data={"action": "approve", "version": version},
                       headers={"HX-Request": "true"})
    assert resp.status_code == 400
    ok = office.post(f"/review/documents/{d}/decide", data={"action": "approve", "version": version, "context": "queue"},
                     headers={"HX-Request": "true", "X-CSRFToken": office.csrf})
    assert ok.status_code == 200


def test_replaying_a_submitted_form_changes_nothing(app, chain_cast, people):
    with app.app_context():
        d = submitted(chain_cast["drafter"])
        version = doc(d).version
    office = people.client("office")
    form = {"action": "approve", "version": version}
    assert post(office, f"/review/documents/{d}/decide", form).status_code == 302
    before = counts(app)
    again = post(office, f"/review/documents/{d}/decide", form)
    assert again.status_code == 409 and "此文件已被他人处理" in again.get_data(as_text=True)
    assert counts(app) == before


def test_a_stale_edit_form_does_not_overwrite(app, chain_cast, people):
    with app.app_context():
        d = new_draft(chain_cast["drafter"], title="原标题")
        stale = doc(d).version
    c = people.client("drafter")
    assert post(c, f"/drafting/{d}/edit", {"title": "第一次修改", "doc_type": "通知", "version": stale}).status_code == 302
    resp = post(c, f"/drafting/{d}/edit", {"title": "旧页面的修改", "doc_type": "通知", "version": stale})
    assert resp.status_code == 409 and "最新内容" in resp.get_data(as_text=True)
    with app.app_context():
        assert doc(d).title == "第一次修改"


def test_a_tampered_id_changes_nothing(app, chain_cast, people):
    with app.app_context():
        theirs = new_draft(chain_cast["other_drafter"], title="别人的草稿")
        version = doc(theirs).version
    c = people.client("drafter")
    before = counts(app)
    assert post(c, f"/drafting/{theirs}/edit", {"title": "篡改", "doc_type": "通知", "version": version}).status_code == 403
    assert post(c, f"/drafting/{theirs}/submit", {"version": version}).status_code == 403
    assert post(c, "/review/documents/999999/decide", {"action": "approve", "version": 1}).status_code == 403
    assert counts(app) == before
    with app.app_context():
        assert doc(theirs).title == "别人的草稿" and doc(theirs).stage == Stage.DRAFT


def test_unknown_attribute_and_legal_basis_are_refused(app, drafter):
    before = counts(app)
    resp = post(drafter, "/drafting/new", {"title": "x", "doc_type": "通知", "disclosure": "secret"})
    assert resp.status_code == 422
    resp = post(drafter, "/drafting/new", {"title": "x", "doc_type": "通知", "legal_basis_codes": "art99"})
    assert resp.status_code == 422
    resp = post(drafter, "/drafting/new", {"title": "x", "doc_type": "不存在的文种"})
    assert resp.status_code == 422
    assert counts(app) == before


def test_wrong_role_cannot_decide(app, chain_cast, people):
    with app.app_context():
        d = submitted(chain_cast["drafter"])
        version = doc(d).version
    before = counts(app)
    for who in ("drafter", "leader", "secrecy", "publisher"):
        c = people.client(who)
        resp = post(c, f"/review/documents/{d}/decide", {"action": "approve", "version": version})
        assert resp.status_code == 403, who
    assert counts(app) == before
