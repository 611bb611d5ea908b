"""The standard catalogue's pages on the portal (issue 15) in Debian's Chromium: the tree with every
element and an item's documents, reached from the column's navigation; large font works there;
axe-core finds no serious or critical WCAG 2.1 A/AA problem, in the normal and the 适老化 modes.
Screenshots go to test-results/browser/."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from gkt_protocol.payload import CatalogueRef
from tests.conftest import ARTIFACTS
from tests.portal.conftest import BEIJING, publication, push
from tests.portal.test_portal_browser import serious
from tests.portal.test_standard_catalogue import LIVING_REF, catalogue, send_catalogue

pytestmark = pytest.mark.browser
SHOTS = ARTIFACTS / "browser"


@pytest.fixture
def site(portal, portal_server):
    assert send_catalogue(portal, catalogue()).status_code == 200
    for serial in (1, 2, 3):
        push(portal, publication(serial, title=f"过渡期生活救助资金发放情况（第{serial}批）", catalogue_item=LIVING_REF,
                                 published_at=BEIJING + timedelta(days=serial)))
    push(portal, publication(4, title="行政处罚结果公示",
                             catalogue_item=CatalogueRef(40, "安全生产", "依法行政", "行政处罚结果")))
    return portal_server


def test_from_the_column_to_the_catalogue_to_an_item_and_its_documents(site, browser):
    SHOTS.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="zh-CN")
    page = context.new_page()
    page.goto(site + "/xxgk/")
    page.get_by_role("link", name="政务公开事项标准目录").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("政务公开事项标准目录")
    table = page.get_by_role("table", name="救灾 · 灾后救助的二级事项及其要素")
    expect(table.get_by_role("columnheader")).to_have_text(
        ["公开事项名称", "公开内容（要素）", "公开依据", "公开时限", "公开主体", "公开渠道和载体", "公开对象", "公开方式",
         "公开层级"])
    expect(table.get_by_role("row").nth(1)).to_contain_text("《自然灾害救助条例》第十九条")
    page.screenshot(path=str(SHOTS / "portal-standard-catalogue.png"), full_page=True)
    page.get_by_role("link", name="过渡期生活救助").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("过渡期生活救助")
    expect(page.locator("table.catalogue tbody tr")).to_have_count(3)
    expect(page.locator("table.catalogue tbody tr").first).to_contain_text("第3批")
    page.screenshot(path=str(SHOTS / "portal-standard-item.png"), full_page=True)
    page.get_by_role("link", name="过渡期生活救助资金发放情况（第1批）").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("过渡期生活救助资金发放情况（第1批）")
    context.close()


def test_large_font_on_the_catalogue_pages(site, browser):
    context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="zh-CN")
    page = context.new_page()
    page.goto(site + "/xxgk/ml/")
    size = lambda sel: page.evaluate(f"parseFloat(getComputedStyle(document.querySelector('{sel}')).fontSize)")  # noqa: E731
    normal = size(".ml-table td")
    page.get_by_role("button", name="大字模式").click()
    assert size(".ml-table td") >= normal * 1.25
    page.goto(site + "/xxgk/ml/31.html")  # remembered on the item's page
    assert "mode-large" in page.evaluate("document.documentElement.className")
    # the wide elements table scrolls inside its own region, reachable from the keyboard
    page.goto(site + "/xxgk/ml/")
    region = page.get_by_role("region", name="灾后救助：二级事项及其要素（可左右滚动）")
    region.focus()
    expect(region).to_be_focused()
    page.screenshot(path=str(SHOTS / "portal-standard-catalogue-large.png"), full_page=True)
    context.close()


@pytest.mark.parametrize("modes", ["", "large,contrast"])
def test_no_serious_accessibility_problems_on_the_catalogue_pages(site, browser, modes):
    context = browser.new_context(viewport={"width": 1366, "height": 768}, bypass_csp=True)
    if modes:
        context.add_cookies([{"name": "gkt_a11y", "value": modes, "url": site}])
    page = context.new_page()
    problems = {}
    for path in ("/xxgk/ml/", "/xxgk/ml/31.html", "/xxgk/ml/7.html", "/xxgk/ml/40.html", "/xxgk/"):
        page.goto(site + path)
        assert page.title(), path
        found = serious(page)
        if found:
            problems[path] = found
    context.close()
    assert not problems, json.dumps(problems, ensure_ascii=False, indent=1)
