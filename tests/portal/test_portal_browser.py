"""The portal in Debian's Chromium: read the catalogue, search, open a document and its 解读,
switch to large font and high contrast (remembered), use the keyboard; axe-core finds no
serious or critical WCAG 2.1 A/AA problem.  Screenshots go to test-results/browser/."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from tests.browser.test_accessibility import AXE
from tests.conftest import ARTIFACTS
from tests.portal.conftest import BEIJING, page_path, publication, push

pytestmark = pytest.mark.browser
SHOTS = ARTIFACTS / "browser"


@pytest.fixture
def site(portal, portal_server):
    push(portal, publication(1))
    push(portal, replace(publication(2), title="关于废止部分规范性文件的决定", validity="repealed",
                         validity_changed_on=BEIJING.date(), interpretation=None, interpretation_required=False,
                         published_at=BEIJING + timedelta(days=1)))
    return portal_server


def serious(page) -> list[dict]:
    page.add_script_tag(path=str(AXE))
    found = page.evaluate("async () => (await axe.run(document, {runOnly: {type: 'tag', "
                          "values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})).violations")
    return [{"id": v["id"], "help": v["help"], "nodes": [n["target"] for n in v["nodes"]][:3]}
            for v in found if v["impact"] in ("serious", "critical")]


def test_read_search_and_open_a_document(site, browser):
    SHOTS.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="zh-CN")
    page = context.new_page()
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(site + "/xxgk/")
    expect(page.get_by_role("heading", name="政府信息公开目录")).to_be_visible()
    expect(page.locator("table.catalogue .validity-repealed")).to_have_text("废止")
    page.screenshot(path=str(SHOTS / "portal-catalogue.png"), full_page=True)

    page.get_by_label("站内搜索").fill("救灾")
    page.get_by_role("button", name="搜索").first.click()
    expect(page.locator(".hits mark").first).to_have_text("救灾")
    page.screenshot(path=str(SHOTS / "portal-search.png"), full_page=True)

    page.get_by_role("link", name="关于做好2026年汛期救灾准备工作的通知", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("关于做好2026年汛期救灾准备工作的通知")
    expect(page.locator("table.meta")).to_contain_text("11370812004339255B/2026-00001")
    page.screenshot(path=str(SHOTS / "portal-document.png"), full_page=True)
    page.get_by_role("link", name="《关于做好2026年汛期救灾准备工作的通知》政策解读").click()
    expect(page.get_by_text("近年来极端天气多发")).to_be_visible()
    assert not dialogs and len(context.pages) == 1  # no pop-ups
    context.close()


def test_large_font_and_high_contrast_persist(site, browser):
    context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="zh-CN")
    page = context.new_page()
    page.goto(site + page_path())
    body_size = lambda: page.evaluate("parseFloat(getComputedStyle(document.querySelector('.doc-body')).fontSize)")
    normal = body_size()
    page.get_by_role("button", name="大字模式").click()
    expect(page.get_by_role("button", name="大字模式")).to_have_attribute("aria-pressed", "true")
    assert body_size() >= normal * 1.25
    page.get_by_role("button", name="高对比度").click()
    page.goto(site + "/xxgk/")  # another page, later: the choice is remembered
    assert page.evaluate("document.documentElement.className") == "mode-large mode-contrast"
    expect(page.get_by_role("button", name="高对比度")).to_have_attribute("aria-pressed", "true")
    assert any(c["name"] == "gkt_a11y" for c in context.cookies())
    page.screenshot(path=str(SHOTS / "portal-large-contrast.png"), full_page=True)
    page.get_by_role("button", name="大字模式").click()
    page.reload()
    assert page.evaluate("document.documentElement.className") == "mode-contrast"
    context.close()


def test_keyboard_skip_link_and_tab_order(site, browser):
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    page = context.new_page()
    page.goto(site + "/xxgk/")
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="跳到主要内容")).to_be_focused()
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    page.keyboard.press("Tab")  # the column's navigation first (issue 15): this list, then the standard catalogue
    expect(page.get_by_role("link", name="信息公开目录（按主题分类、年份）")).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="政务公开事项标准目录")).to_be_focused()
    page.keyboard.press("Tab")  # then the first filter: the year
    assert page.evaluate("document.activeElement.id") == "f-year"
    page.get_by_label("主题分类").select_option("民政、扶贫、救灾")
    page.get_by_label("主题分类").press("Enter")  # submit the filter form from the keyboard
    expect(page.locator("table.catalogue tbody tr")).to_have_count(2)
    context.close()


@pytest.mark.parametrize("modes", ["", "large,contrast"])
def test_no_serious_accessibility_problems(site, browser, modes):
    context = browser.new_context(viewport={"width": 1366, "height": 768}, bypass_csp=True)
    if modes:
        context.add_cookies([{"name": "gkt_a11y", "value": modes, "url": site}])
    page = context.new_page()
    problems = {}
    for path in ("/", "/xxgk/", page_path(), page_path(suffix="_jd.html"), page_path(2), "/search?q=救灾",
                 "/search?q=救", "/nope"):
        page.goto(site + path)
        found = serious(page)
        if found:
            problems[path] = found
    context.close()
    assert not problems, json.dumps(problems, ensure_ascii=False, indent=1)
