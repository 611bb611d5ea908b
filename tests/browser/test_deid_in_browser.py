"""The publisher de-identifies an issued notice in Chromium: toggles a finding, keeps one
with a reason, marks a name by selecting it, and confirms.  Screenshot kept."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.test_chain_in_browser import SHOTS, log_in
from tests.integration.test_deid_review import issued_public_doc

pytestmark = pytest.mark.browser


def test_publisher_reviews_and_confirms(app, live_server, chain_cast, page: Page, database_url):
    SHOTS.mkdir(parents=True, exist_ok=True)
    with app.app_context():
        d = issued_public_doc(chain_cast)
    page.set_viewport_size({"width": 1366, "height": 768})
    log_in(page, live_server, "publisher")
    page.locator(".sidenav").get_by_role("link", name=re.compile("待去标识化")).click()
    page.get_by_role("link", name="审查个人信息").click()
    counter = page.locator("#deid-counter")
    total = int(re.search(r"/ (\d+)", counter.inner_text()).group(1))
    expect(counter).to_have_text(f"已确认 0 / {total}")

    # One click masks; a second click on a masked one asks why it should be kept.
    page.evaluate("window.__noReload = true")
    phone = page.locator(".scan-text button.pii", has_text="13812345678")
    phone.click()
    expect(counter).to_have_text(f"已确认 1 / {total}")
    expect(page.locator(".public-preview")).to_contain_text("138****5678")
    wang = page.locator(".scan-text button.pii", has_text="王五")
    wang.click()
    expect(counter).to_have_text(f"已确认 2 / {total}")
    page.locator(".scan-text button.pii", has_text="王五").click()
    page.get_by_label("保留原文的理由（必填）").fill("本单位公开的工作联系人")
    page.get_by_role("button", name="保留原文").click()
    expect(page.locator(".finding-list")).to_contain_text("已保留：本单位公开的工作联系人")
    expect(page.locator(".public-preview")).to_contain_text("王五")

    # Mark a word by selecting it with the mouse-equivalent selection API.
    page.evaluate("""() => {
      const span = [...document.querySelectorAll('.scan-text[data-field=body] span')]
        .find(s => s.textContent.includes('救助对象'));
      const node = span.firstChild, i = node.textContent.indexOf('救助对象');
      const r = document.createRange(); r.setStart(node, i); r.setEnd(node, i + 4);
      const sel = getSelection(); sel.removeAllRanges(); sel.addRange(r);
    }""")
    expect(page.locator("#manual-text")).to_have_value("救助对象")
    page.locator("#manual-kind").select_option("person_name")
    page.get_by_role("button", name="标记并遮盖（同文各处）").click()
    expect(counter).to_have_text(f"已确认 3 / {total + 1}")

    confirm = page.get_by_role("button", name="确认去标识化，生成公开版")
    expect(confirm).to_be_disabled()
    pending = page.locator(".scan-text button.pii.dec-none").evaluate_all("els => els.map(e => e.id)")
    for element_id in pending:
        page.locator(f"#{element_id}").click()
        expect(page.locator(f"#{element_id}")).to_have_class(re.compile(r"\bdec-mask\b"))
    expect(counter).to_have_text(f"已确认 {total + 1} / {total + 1}")
    assert page.evaluate("window.__noReload") is True
    backend = database_url.split(":")[0]
    page.screenshot(path=str(SHOTS / f"deid-review-{backend}.png"), full_page=True)
    confirm.click()
    expect(page.get_by_text("去标识化已确认，公开版已生成")).to_be_visible()
    expect(page.locator(".status-panel")).to_contain_text("待发布")
    assert f"/documents/{d}" in page.url
