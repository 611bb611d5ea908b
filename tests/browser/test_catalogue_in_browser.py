"""The catalogue pages in Chromium (issue 15): the admin imports a spreadsheet through the page,
reads the differences, applies them, and finds the items with their computed 时限; axe-core
finds no serious or critical WCAG 2 A/AA problem on the catalogue pages."""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import expect

from tests.browser.test_accessibility import violations
from tests.browser.test_chain_in_browser import log_in
from tests.integration.test_catalogue import PUNISH, RELIEF, xlsx
from tests.pubhelpers import set_agency
from webapp.services import catalogue

pytestmark = pytest.mark.browser


def test_import_preview_apply_and_the_pages_are_accessible(app, live_server, chain_cast, browser, tmp_path):
    with app.app_context():
        catalogue.seed_first_level()
        set_agency(chain_cast["admin"])
    sheet = tmp_path / "目录.xlsx"
    sheet.write_bytes(xlsx(RELIEF, PUNISH))
    context = browser.new_context(bypass_csp=True, viewport={"width": 1366, "height": 768}, locale="zh-CN")
    page = context.new_page()
    log_in(page, live_server, "admin")
    page.get_by_role("link", name="标准目录").click()
    expect(page.get_by_role("heading", name="政务公开事项标准目录")).to_be_visible()
    problems = {}
    for path in ("/catalogue/", "/catalogue/import", "/catalogue/new"):
        page.goto(live_server + path)
        if found := violations(page):
            problems[path] = [{"id": v["id"], "nodes": [n["target"] for n in v["nodes"]][:3]} for v in found]

    page.goto(live_server + "/catalogue/import")
    page.get_by_label("目录表格（.xlsx）").set_input_files(str(sheet))
    page.get_by_role("button", name="上传并预览").click()
    expect(page.locator("#diff-summary")).to_contain_text("新增二级事项 2 项")
    if found := violations(page):
        problems["preview"] = [v["id"] for v in found]
    page.get_by_role("button", name="确认导入以上差异").click()
    expect(page.get_by_text("已导入：新增 2 项")).to_be_visible()
    row = page.locator("tr", has_text="行政处罚结果")
    expect(row).to_contain_text("按 7 个工作日计算发布期限")
    # published to the portal with the button (issue 15): the page says so, and stays accessible
    page.get_by_role("button", name="发布到政府网站").click()
    expect(page.get_by_text("已提交发布标准目录（第 1 版，12 项）")).to_be_visible()
    expect(page.locator("#portal-publication")).to_contain_text("等待推送")
    if found := violations(page):
        problems["published"] = [v["id"] for v in found]
    context.close()
    assert not problems, json.dumps(problems, ensure_ascii=False, indent=1)
