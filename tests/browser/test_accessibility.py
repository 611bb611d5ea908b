"""axe-core (pinned, tests/browser/vendor) finds no serious or critical WCAG 2 A/AA problem
on the pages people use every day."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.browser.test_chain_in_browser import log_in
from tests.integration.test_deid_review import issued_public_doc

pytestmark = pytest.mark.browser
AXE = Path(__file__).with_name("vendor") / "axe.min.js"


def violations(page) -> list[dict]:
    page.add_script_tag(path=str(AXE))
    found = page.evaluate(
        "async () => (await axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa']}})).violations")
    return [v for v in found if v["impact"] in ("serious", "critical")]


def test_daily_pages_have_no_serious_accessibility_problems(app, live_server, chain_cast, browser):
    with app.app_context():
        d = issued_public_doc(chain_cast)
    pages = {
        "drafter": ["/", "/drafting/new", "/drafting/import", "/drafting/returned", f"/documents/{d}"],
        "office": ["/review/office_review", "/issuing/"],
        "publisher": ["/publishing/", f"/publishing/{d}"],
        "admin": ["/admin/users", "/admin/users/new", "/admin/codes"],
    }
    problems = {}
    context = browser.new_context(bypass_csp=True, viewport={"width": 1366, "height": 768})
    page = context.new_page()
    page.goto(f"{live_server}/login")
    found = violations(page)
    if found:
        problems["/login"] = found
    for who, paths in pages.items():
        context.clear_cookies()
        log_in(page, live_server, who)
        for path in paths:
            page.goto(live_server + path)
            found = violations(page)
            if found:
                problems[f"{who} {path}"] = [
                    {"id": v["id"], "help": v["help"], "nodes": [n["target"] for n in v["nodes"]][:3]} for v in found]
    context.close()
    assert not problems, json.dumps(problems, ensure_ascii=False, indent=1)
