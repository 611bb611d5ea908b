"""The dashboard in Chromium (issue 12): the SVG charts render, a number opens its list, and
axe-core finds no serious or critical problem on the dashboard, a list, the 待办 list and the
reminders.  Screenshots in test-results/."""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import expect

from tests.browser.test_accessibility import violations
from tests.browser.test_chain_in_browser import log_in
from tests.conftest import ARTIFACTS
from tests.integration.test_dashboard import NOW
from tests.integration.test_dashboard import world as dashboard_world  # noqa: F401 (the fixture)
from webapp import clock
from webapp.services import reminders

pytestmark = pytest.mark.browser
SHOTS = ARTIFACTS / "dashboard"


def test_charts_render_and_a_number_opens_its_list(app, live_server, dashboard_world, browser):  # noqa: F811
    SHOTS.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="zh-CN")
    page = context.new_page()
    with clock.frozen(NOW):
        with app.app_context():
            reminders.scan()
        log_in(page, live_server, "office")
        page.get_by_role("link", name="数据看板").click()
        expect(page.get_by_role("heading", name="数据看板")).to_be_visible()
        assert page.locator("#chart-rate-month rect.bar").count() == 12
        assert page.locator("#chart-stages rect.bar").count() == 4  # four non-empty segments
        box = page.locator("#chart-rate-month").bounding_box()
        assert box and box["width"] > 300 and box["height"] > 100  # drawn, not collapsed
        # May: 4 published, 2 late — the bar is 50 % of the axis
        may = page.locator("#chart-rate-month rect.bar").nth(10)
        assert may.get_attribute("data-value") == "50.0"
        expect(page.locator("#rate-total")).to_have_text("66.7%")
        page.screenshot(path=str(SHOTS / "dashboard.png"), full_page=True)
        row = page.locator("#rate-by-month tr", has_text="2026年5月")
        row.locator("td").nth(2).get_by_role("link").click()
        expect(page.get_by_role("heading", name="2026年5月首次发布的主动公开文件（逾期发布）")).to_be_visible()
        expect(page.locator("#records tr.record-row")).to_have_count(2)
        page.screenshot(path=str(SHOTS / "dashboard-list.png"), full_page=True)

        problems = {}
        audit_ctx = browser.new_context(bypass_csp=True, viewport={"width": 1366, "height": 768})
        audit_page = audit_ctx.new_page()
        log_in(audit_page, live_server, "office")
        for path in ("/dashboard", "/dashboard/records?metric=published&month=2026-05", "/todo", "/reminders"):
            audit_page.goto(live_server + path)
            found = violations(audit_page)
            if found:
                problems[path] = [{"id": v["id"], "help": v["help"], "nodes": [n["target"] for n in v["nodes"]][:3]}
                                  for v in found]
        audit_page.goto(live_server + "/reminders")
        audit_page.screenshot(path=str(SHOTS / "reminders.png"), full_page=True)
        audit_ctx.close()
    context.close()
    assert not problems, json.dumps(problems, ensure_ascii=False, indent=1)
