"""The search page in Debian's Chromium: a 文号 typed with other brackets finds its
document without a page load, a filter narrows as it changes, "加载更多" appends the
next page, and a bad filter is said next to it — with no serious axe finding."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.test_accessibility import violations
from tests.browser.test_chain_in_browser import log_in
from tests.helpers import doc, new_draft, submitted
from tests.integration.test_deid_review import issued_public_doc

pytestmark = pytest.mark.browser


def test_search_by_number_filter_and_more(app, live_server, chain_cast, browser):
    with app.app_context():
        issued = issued_public_doc(chain_cast, title="关于做好汛期安全防范工作的通知")
        number = doc(issued).doc_number
        for i in range(55):
            submitted(chain_cast["drafter"], title=f"批量测试第{i:02d}号通知")
        new_draft(chain_cast["drafter"], title="批量测试草稿")  # the office never sees a draft
    year, seq = re.search(r"〔(\d{4})〕(\d+)号", number).groups()
    context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="zh-CN", bypass_csp=True)
    page = context.new_page()
    log_in(page, live_server, "office")
    page.get_by_role("link", name="文件查询").click()
    results = page.locator("#search-results")

    box = page.get_by_label("关键词")
    box.fill(f"豫应急办[{year}]{seq}号")
    box.press("Enter")
    expect(results.get_by_role("link", name="关于做好汛期安全防范工作的通知")).to_be_visible()
    expect(results.locator("tbody tr")).to_have_count(1)
    expect(results).to_contain_text(number)
    assert "q=" in page.url  # the search is in the address: bookmarkable, back button works

    box.fill("批量测试")
    box.press("Enter")
    expect(results.locator("tbody tr a[href^='/documents/']")).to_have_count(50)
    results.get_by_role("link", name="加载更多").click()
    expect(results.locator("tbody tr a[href^='/documents/']")).to_have_count(55)
    expect(results.get_by_role("link", name="加载更多")).to_have_count(0)
    expect(results).not_to_contain_text("批量测试草稿")

    page.get_by_label("状态").select_option("approved")  # a change filters at once
    expect(results).to_contain_text("没有找到符合条件")
    assert not violations(page)

    page.goto(f"{live_server}/documents?q=安全&stage=nope")
    expect(page.locator(".field-error")).to_contain_text("状态：选项无效")
    assert not violations(page)
    page.goto(f"{live_server}/review/office_review?department=424242")
    expect(page.locator(".field-error")).to_contain_text("处室：选项无效")
    assert not violations(page)
    context.close()
