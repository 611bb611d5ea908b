"""Word import in Debian's Chromium: a seed notice goes in as a .docx; the title, 主送 and
附件说明 land in their fields, the body starts with the body, and the page says so."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.test_chain_in_browser import log_in
from tests.unit.test_docgen_recognise import SEEDS, seed_docx

pytestmark = pytest.mark.browser


def test_a_word_notice_fills_its_fields(app, live_server, chain_cast, browser, tmp_path):
    path = tmp_path / "../../\u202e广州通知.docx".replace("/", "_")
    path.write_bytes(seed_docx("004"))
    page = browser.new_context(viewport={"width": 1366, "height": 768}, locale="zh-CN").new_page()
    log_in(page, live_server, "drafter")
    page.goto(f"{live_server}/drafting/import")
    page.get_by_label("Word 草稿（.docx）").set_input_files(str(path))
    page.get_by_role("button", name="上传并导入").click()
    expect(page.get_by_text("已识别标题、主送机关、附件说明（1 项）")).to_be_visible()
    expected = SEEDS["004"]
    expect(page.get_by_label("标题", exact=True)).to_have_value(expected["title"])
    expect(page.get_by_label("主送机关")).to_have_value(expected["recipients"])
    expect(page.get_by_label("附件说明")).to_have_value(expected["attachments"][0])
    expect(page.locator(".rte-area").first).to_contain_text(expected["first_body"][:10])
    expect(page.locator(".rte-area").first).not_to_contain_text("各处室、各直属单位：")
