"""R11 in Chromium: the drafter marks a 行政规范性文件 and sees its default period; the office
finds a document expiring soon on the clean-up list, is told what is missing for 继续有效 (what
was typed stays), then records 废止; screenshots kept; axe-core finds no serious problem."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from tests.browser.test_accessibility import violations
from tests.browser.test_chain_in_browser import SHOTS, log_in
from tests.helpers import doc, user
from tests.pubhelpers import ready, set_agency
from webapp import clock
from webapp.services import publication

pytestmark = pytest.mark.browser
TITLE = "河南省应急管理厅行政执法公示办法"


def test_mark_normative_then_list_and_repeal(app, live_server, chain_cast, browser):
    SHOTS.mkdir(parents=True, exist_ok=True)
    with app.app_context():
        set_agency(chain_cast["admin"])
        today = clock.agency_today()
        d = ready(chain_cast, title=TITLE, interpretation=False, is_normative=True,
                  effective_from=today - timedelta(days=1800), effective_to=today + timedelta(days=20))
        publication.publish(d, user(chain_cast["publisher"]), doc(d).version)
    context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="zh-CN", bypass_csp=True)
    page = context.new_page()
    problems = {}

    log_in(page, live_server, "drafter")
    page.goto(f"{live_server}/drafting/new")
    page.get_by_label("标题").fill("河南省安全生产约谈暂行办法")
    page.get_by_label("行政规范性文件（须标注有效期，到期前清理）").check()
    page.get_by_label("施行日期").fill("2026-03-01")
    page.get_by_label("有效期至").fill("2026-02-01")
    page.get_by_role("button", name="保存草稿").click()
    expect(page.locator("#error-summary")).to_contain_text("有效期截止日期须晚于施行日期")
    expect(page.get_by_label("标题")).to_have_value("河南省安全生产约谈暂行办法")  # nothing typed is lost
    page.get_by_label("有效期至").fill("")
    page.get_by_role("button", name="保存草稿").click()
    expect(page.get_by_label("有效期至")).to_have_value("2028-02-29")  # 暂行: two years by default
    page.locator("#validity-fieldset").screenshot(path=str(SHOTS / "validity-drafting.png"))
    context.clear_cookies()

    log_in(page, live_server, "office")
    page.get_by_role("link", name="规范性文件清理").click()
    row = page.locator("#validity-table tbody tr", has_text=TITLE)
    expect(row).to_contain_text("即将到期")
    expect(row).to_contain_text("还有 20 天")
    problems["list"] = violations(page)
    page.screenshot(path=str(SHOTS / "validity-list.png"), full_page=True)
    row.get_by_role("link", name="作出清理结论").click()
    page.get_by_label("清理结论").select_option("continue")
    page.get_by_label("理由").fill("经评估仍需执行")
    page.get_by_role("button", name="记录清理结论").click()
    expect(page.locator("#error-summary")).to_contain_text("继续有效须填写新的有效期截止日期")
    expect(page.get_by_label("理由")).to_have_value("经评估仍需执行")
    problems["decision-error"] = violations(page)
    page.get_by_label("清理结论").select_option("repeal")
    page.get_by_label("理由").fill("已被新的公示办法替代")
    page.get_by_role("button", name="记录清理结论").click()
    expect(page.locator(".alert, .flash").first).to_contain_text("清理结论“废止”已记录")
    expect(page.locator("#current-validity")).to_contain_text("废止")
    expect(page.locator("#decisions-table")).to_contain_text("已被新的公示办法替代")
    problems["decision"] = violations(page)
    page.screenshot(path=str(SHOTS / "validity-repealed.png"), full_page=True)
    page.goto(f"{live_server}/documents/{d}")
    expect(page.locator("#validity-panel")).to_contain_text("废止")
    context.close()
    found = {k: [{"id": v["id"], "nodes": [n["target"] for n in v["nodes"]][:3]} for v in vs]
             for k, vs in problems.items() if vs}
    assert not found, json.dumps(found, ensure_ascii=False, indent=1)
