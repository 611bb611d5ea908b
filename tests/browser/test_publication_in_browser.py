"""Publishing in Chromium (issue 8): the publisher publishes from the 待发布 queue, the batch page
follows the push, the public page opens on the running portal, the portal's search finds it
and its large-font mode stays on; axe-core finds no serious problem on the new intranet pages."""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import expect

from tests.browser.test_accessibility import violations
from tests.browser.test_chain_in_browser import SHOTS, log_in
from tests.helpers import doc
from tests.pubhelpers import SECRET, LivePortal, portal_app, portal_database, ready, set_agency
from webapp.models import Publication
from webapp.outbox.worker import Settings, run_once

pytest.importorskip("portal", reason="the public portal (portal/) is not in this tree")
pytestmark = pytest.mark.browser


def test_publish_from_the_queue_then_read_and_search_it_on_the_portal(app, live_server, chain_cast, browser,
                                                                      tmp_path):
    from webapp.extensions import db

    SHOTS.mkdir(parents=True, exist_ok=True)
    portal = LivePortal(portal_app(portal_database("sqlite", tmp_path))).start()
    try:
        with app.app_context():
            set_agency(chain_cast["admin"])
            d = ready(chain_cast, title="关于做好汛期救灾物资储备工作的通知")
            title = doc(d).public_title
        context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="zh-CN", bypass_csp=True)
        page = context.new_page()
        log_in(page, live_server, "publisher")
        page.get_by_role("link", name="待发布").first.click()
        expect(page.get_by_role("heading", name="待发布")).to_be_visible()
        problems = {"/publishing/ready": violations(page)}
        row = page.get_by_role("row").filter(has_text=title)
        expect(row).to_contain_text("剩余")
        row.get_by_role("link", name="如何计算").click()  # the explanation, in place
        expect(page.locator(f"#deadline-explain-{d}")).to_contain_text("期限届满日")
        page.get_by_label(f"选择：{title}").check()
        page.get_by_role("button", name="发布所选文件").click()
        expect(page.get_by_role("heading", name="发布进度")).to_be_visible()
        expect(page.get_by_role("status").filter(has_text="已完成")).to_contain_text("已完成 0 / 1")
        problems["batch"] = violations(page)
        with app.app_context():  # the worker's pass; the page, polling, shows the answer without a reload
            assert [o.status for o in run_once(Settings(portal.url, SECRET, timeout=10))] == ["sent"]
            public_url = db.session.get(Publication, d).public_url
        expect(page.get_by_role("status").filter(has_text="已完成")).to_contain_text("已完成 1 / 1", timeout=10000)
        page.screenshot(path=str(SHOTS / "publish-batch.png"), full_page=True)
        page.reload()  # the batch survives a reload
        expect(page.get_by_role("status").filter(has_text="已完成")).to_contain_text("已完成 1 / 1")

        page.goto(f"{live_server}/documents/{d}")
        expect(page.locator("#publication")).to_contain_text("按期发布")
        problems["document"] = violations(page)
        page.screenshot(path=str(SHOTS / "published-document.png"), full_page=True)
        for path in ("/publishing/published", f"/publishing/{d}/deadline", f"/publishing/{d}/withdraw"):
            page.goto(live_server + path)
            problems[path] = violations(page)

        public = context.new_page()
        public.goto(public_url)
        expect(public.get_by_role("heading", level=1)).to_have_text(title)
        expect(public.locator("table.meta")).to_contain_text("综合政务")
        public.get_by_label("站内搜索").fill("救灾")
        public.get_by_role("button", name="搜索").click()
        expect(public.get_by_role("link", name=title).first).to_be_visible()
        public.get_by_role("button", name="大字模式").click()
        public.reload()
        assert "mode-large" in (public.locator("html").get_attribute("class") or "")
        expect(public.get_by_role("button", name="大字模式")).to_have_attribute("aria-pressed", "true")
        public.screenshot(path=str(SHOTS / "portal-search-large-font.png"), full_page=True)

        context.clear_cookies()
        log_in(page, live_server, "admin")
        for path in ("/admin/agency", "/admin/holidays"):
            page.goto(live_server + path)
            problems[path] = violations(page)
        context.close()
        found = {k: [{"id": v["id"], "nodes": [n["target"] for n in v["nodes"]][:3]} for v in vs]
                 for k, vs in problems.items() if vs}
        assert not found, json.dumps(found, ensure_ascii=False, indent=1)
    finally:
        portal.stop()
