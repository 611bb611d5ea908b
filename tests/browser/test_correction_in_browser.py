"""Withdraw, correct and republish in Chromium (issue 8), with a Word 附件 on the portal.

The publisher kept a phone number by mistake: on the document page they withdraw the document,
open 更正公开版, mask the number in the review that opens again, confirm the correction and
republish.  The running portal then shows the corrected text at the same URL, with the
attachment listed (name, format, size); axe-core finds no serious problem on the new pages."""

from __future__ import annotations

import io
import json

import docx
import pytest
from playwright.sync_api import expect

from tests.browser.test_accessibility import violations
from tests.browser.test_chain_in_browser import SHOTS, log_in
from tests.helpers import act, doc, new_draft, user
from tests.pubhelpers import SECRET, LivePortal, portal_app, portal_database, set_agency
from webapp.models import Publication
from webapp.outbox.worker import Settings, run_once

pytest.importorskip("portal", reason="the public portal (portal/) is not in this tree")
pytestmark = pytest.mark.browser

PHONE = "83186312"


def roster() -> bytes:
    document = docx.Document()
    document.add_paragraph("先进个人名单")
    document.add_paragraph("联系人：王小明，手机：13812345678。")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def published_with_a_kept_phone(cast) -> int:
    from webapp.services import deid_review, drafting, issuing, publication
    from webapp.workflow import Action

    d = new_draft(cast["drafter"], title="关于表彰2026年度应急救援先进个人的通知", attachments_text="先进个人名单",
                  body_html=f"<p>各市应急管理局：</p><p>现将先进个人名单印发你们。</p><p>咨询电话：{PHONE}。</p>",
                  topic_category="综合政务/应急管理")
    drafting.add_attachment(d, user(cast["drafter"]), "附件1 先进个人名单.docx", roster())
    act(d, cast["drafter"], Action.SUBMIT)
    act(d, cast["office"], Action.APPROVE)
    act(d, cast["leader"], Action.APPROVE)
    code = issuing.active_codes() or [issuing.save_code(
        None, "豫应急办", "河南省应急管理厅文件", "河南省应急管理厅", "河南省应急管理厅办公室")]
    day = issuing.default_written_date(doc(d))
    issuing.issue_document(d, user(cast["office"]), doc(d).version, issuing.IssueInput(code[0].id, day, day))
    publisher = user(cast["publisher"])
    for f in deid_review.findings_of(d):
        deid_review.decide(d, f.id, publisher, *(("keep", "咨询电话") if f.text == PHONE else ("mask",)))
    deid_review.confirm(d, publisher, doc(d).version)
    publication.publish(d, publisher, doc(d).version)
    return d


def test_withdraw_correct_and_republish_in_the_browser(app, live_server, chain_cast, browser, tmp_path):
    from webapp.extensions import db
    from webapp.services import deid_review

    SHOTS.mkdir(parents=True, exist_ok=True)
    portal = LivePortal(portal_app(portal_database("sqlite", tmp_path))).start()
    settings = Settings(portal.url, SECRET, timeout=10)
    try:
        with app.app_context():
            set_agency(chain_cast["admin"])
            d = published_with_a_kept_phone(chain_cast)
            assert [o.status for o in run_once(settings)] == ["sent"]
            url = db.session.get(Publication, d).public_url
            kept = next(f.id for f in deid_review.findings_of(d) if f.text == PHONE)
        context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="zh-CN", bypass_csp=True)
        page = context.new_page()
        log_in(page, live_server, "publisher")
        page.goto(f"{live_server}/documents/{d}")
        page.get_by_role("link", name="撤回…").click()
        page.get_by_label("撤回理由（内部记录，不在政府网站显示）").fill("咨询电话为个人手机，不应公开")
        page.get_by_role("button", name="确认撤回").click()
        expect(page.locator("#publication")).to_contain_text("撤回")
        with app.app_context():
            assert [o.status for o in run_once(settings)] == ["sent"]
        problems = {}
        page.get_by_role("link", name="更正公开版…").click()
        expect(page.get_by_role("heading", name="更正公开版")).to_be_visible()
        problems["correct"] = violations(page)
        page.get_by_label("更正说明（内部记录，不在政府网站显示）").fill("咨询电话应遮盖")
        page.get_by_role("button", name="开始更正").click()
        expect(page.get_by_role("heading", name="更正公开版（去标识化）")).to_be_visible()
        problems["review"] = violations(page)
        page.locator(f"#row-{kept}").get_by_role("button", name="遮盖").click()
        expect(page.locator(f"#row-{kept}")).to_contain_text("已遮盖")
        page.screenshot(path=str(SHOTS / "correction-review.png"), full_page=True)
        page.get_by_role("button", name="确认更正，生成更正后的公开版").click()
        expect(page.locator("#publication")).to_be_visible()
        expect(page.get_by_text("公开版已更正")).to_be_visible()
        page.get_by_role("button", name="重新发布（同一索引号和网址）").click()
        expect(page.get_by_text("已重新发布")).to_be_visible()
        with app.app_context():
            assert [o.status for o in run_once(settings)] == ["sent"]
            assert db.session.get(Publication, d).public_url == url
        public = context.new_page()
        public.goto(url)
        expect(public.locator(".doc-body")).not_to_contain_text(PHONE)
        expect(public.locator(".doc-body")).to_contain_text("现将先进个人名单印发你们")
        attachments = public.locator(".doc-attachments")
        expect(attachments).to_contain_text("先进个人名单")
        expect(attachments).to_contain_text("Word 文档")
        problems["portal document"] = violations(public)
        public.screenshot(path=str(SHOTS / "portal-corrected-with-attachment.png"), full_page=True)
        with public.expect_download() as download:
            attachments.get_by_role("link").first.click()
        data = open(download.value.path(), "rb").read()
        text = "\n".join(p.text for p in docx.Document(io.BytesIO(data)).paragraphs)
        assert download.value.suggested_filename == "附件1 先进个人名单.docx"
        assert "王小明" not in text and "13812345678" not in text and "先进个人名单" in text
        context.close()
        found = {k: [{"id": v["id"], "nodes": [n["target"] for n in v["nodes"]][:3]} for v in vs]
                 for k, vs in problems.items() if vs}
        assert not found, json.dumps(found, ensure_ascii=False, indent=1)
    finally:
        portal.stop()
