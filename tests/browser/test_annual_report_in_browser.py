"""The annual report in Chromium (issue 12): the office opens the 2025 report, reads a number of
table 三, opens the list of the applications it counts, enters a hand figure, is refused an
inconsistent 补录 naming the cell, and downloads the .docx; axe-core finds no serious problem.
Screenshots in test-results/browser/."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests import reportdata
from tests.browser.test_accessibility import violations
from tests.browser.test_chain_in_browser import SHOTS, log_in
from webapp.docgen.annual_report import report_tables
from webapp.workflow import Role

pytestmark = pytest.mark.browser


def test_open_the_report_follow_a_number_and_download_it(app, live_server, people, browser):
    people.user("office", Role.OFFICE, Role.DRAFTER, department="办公室", name="陈静")
    drafter = people.user("drafter", Role.DRAFTER, name="张丽")
    with app.app_context():
        reportdata.seed(drafter)
    SHOTS.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="zh-CN", bypass_csp=True,
                                  accept_downloads=True)
    page = context.new_page()
    log_in(page, live_server, "office")
    page.get_by_role("link", name="政府信息公开年度报告").click()
    page.get_by_role("link", name="2025年度报告").click()
    page.get_by_role("button", name="开始编写2025年度报告").click()
    expect(page.get_by_role("status").filter(has_text="已开始编写")).to_be_visible()
    problems = {"report": violations(page)}
    new_total = page.locator('td[data-cell="t3.new.total"] a')
    expect(new_total).to_have_text("8")
    page.screenshot(path=str(SHOTS / "annual-report.png"), full_page=True)

    new_total.click()
    expect(page.get_by_role("heading")).to_contain_text("表三 第一项 · 总计")
    expect(page.locator("tbody tr")).to_have_count(8)
    expect(page.locator("#cell-count")).to_have_text("8")
    problems["cell"] = violations(page)
    page.screenshot(path=str(SHOTS / "annual-report-cell.png"), full_page=True)
    page.go_back()

    page.get_by_label("表二 第二十条第（五）项 行政许可 · 本年处理决定数量").fill("12")
    page.get_by_text("补录：记录中没有的申请").click()
    page.get_by_label("表三 第一项 · 自然人", exact=True).fill("1")
    page.get_by_role("button", name="保存填报").click()
    expect(page.locator("#error-summary")).to_contain_text("表三 第三项（七）总计 · 自然人：第一项加第二项之和（6）")
    expect(page.get_by_label("表二 第二十条第（五）项 行政许可 · 本年处理决定数量")).to_have_value("12")
    page.screenshot(path=str(SHOTS / "annual-report-refused.png"), full_page=True)
    page.get_by_label("表三 第一项 · 自然人", exact=True).fill("")
    page.get_by_role("button", name="保存填报").click()
    expect(page.get_by_role("status").filter(has_text="已保存手工填报")).to_be_visible()
    expect(page.locator('td[data-cell="t2.permit.decisions"]')).to_contain_text("12")
    expect(page.locator('td[data-cell="t2.permit.decisions"]')).to_contain_text("陈静 填报")

    with page.expect_download() as info:
        page.get_by_role("link", name="下载年度报告（Word）").click()
    path = info.value.path()
    tables = report_tables(open(path, "rb").read())
    assert tables[1][2][3:] == ["自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"]
    assert tables[0][6] == ["行政许可", "12", "12", "12"]
    assert {k: v for k, v in problems.items() if v} == {}
