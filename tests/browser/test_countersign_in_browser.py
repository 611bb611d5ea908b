"""会签 as people click it, in Debian's Chromium: the drafter lists two departments and
submits; the office passes it with a one-click opinion; 财务处 agrees, 法规处 returns from
its queue; the drafter revises and resubmits; both agree; the leader signs with an opinion
picked and edited.  The 处理单 and the printable 发文稿纸 show every step.  Screenshots go to
test-results/browser/; axe-core checks the new panels."""

from __future__ import annotations

import json
import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.test_accessibility import violations
from tests.browser.test_chain_in_browser import SHOTS, log_in
from tests.helpers import act, new_draft, user
from webapp.services import countersign
from webapp.workflow import Action, Role

pytestmark = pytest.mark.browser


@pytest.fixture
def heads(people, chain_cast):
    return {"head_finance": people.user("head_finance", Role.DEPT_HEAD, department="财务处", name="钱处长"),
            "head_legal": people.user("head_legal", Role.DEPT_HEAD, department="法规处", name="郑处长")}


def decide(page: Page, button: str, opinion: str | None = None, chip: str | None = None) -> None:
    """On the document page: fill the opinion (or click a phrase chip) and press the move's button."""
    if chip:
        page.locator(".opinion-choices").get_by_role("button", name=chip).click()
        expect(page.locator("#decision-comment")).to_have_value(chip)
    if opinion is not None:
        page.locator("#decision-comment").fill(opinion)
    page.locator("#decision").get_by_role("button", name=button, exact=True).click()


def test_two_departments_one_returns_resubmit_both_agree_leader_signs(app, live_server, chain_cast, heads,
                                                                      browser, database_url):
    SHOTS.mkdir(parents=True, exist_ok=True)
    backend = database_url.split(":")[0]
    base = live_server
    with app.app_context():
        doc_id = new_draft(chain_cast["drafter"], title="关于加强防汛物资储备管理的通知")
    names = ("drafter", "office", "leader", "head_finance", "head_legal")
    contexts = {n: browser.new_context(viewport={"width": 1366, "height": 768}, locale="zh-CN") for n in names}
    pages = {n: contexts[n].new_page() for n in names}
    for name, page in pages.items():
        log_in(page, base, name)
    drafter, office, leader, finance, legal = (pages[n] for n in names)
    doc_url = f"{base}/documents/{doc_id}"

    # The drafter lists 财务处 and 法规处 as 会签 departments, then submits.
    drafter.goto(doc_url)
    for dept in ("财务处", "法规处"):
        drafter.get_by_label("添加会签处室").select_option(label=dept)
        drafter.locator("#countersign").get_by_role("button", name="添加").click()
        expect(drafter.get_by_text(f"已添加会签处室：{dept}")).to_be_visible()
    expect(drafter.locator("#countersign tbody tr")).to_have_count(2)
    drafter.get_by_role("button", name="提交审核").click()
    expect(drafter.locator(".status-panel")).to_contain_text("公开属性审查")

    # The office passes it with the step's default opinion, one click in its queue.
    office.goto(f"{base}/review/office_review")
    row = office.locator(f"#doc-row-{doc_id}")
    row.get_by_role("button", name="审核通过").click()
    expect(row).to_contain_text("会签")

    # 财务处 agrees from the document page with the default chip; 法规处 returns from its queue.
    finance.locator(".sidenav").get_by_role("link", name=re.compile("会签")).click()
    expect(finance.locator("#nav-count-countersign")).to_have_text("1")
    finance.screenshot(path=str(SHOTS / f"countersign-queue-{backend}.png"), full_page=True)
    finance.goto(doc_url)
    decide(finance, "会签同意", chip="同意。")
    expect(finance.locator(".status-panel")).to_contain_text("会签")  # still waiting for 法规处
    expect(finance.locator("#countersign")).to_contain_text("已同意")
    leader.goto(f"{base}/approval/")
    expect(leader.locator(f"#doc-row-{doc_id}")).to_have_count(0)  # not before every department agreed

    legal.goto(f"{base}/review/countersign")
    lrow = legal.locator(f"#doc-row-{doc_id}")
    lrow.get_by_role("link", name="退回…").click()
    lrow.get_by_label("退文意见（必填）").fill("第三条储备标准请与省里文件一致。")
    lrow.get_by_role("button", name="退文").click()
    expect(lrow).to_contain_text("已退文")

    # The drafter revises and resubmits: the 会签 starts again.
    drafter.goto(f"{base}/drafting/returned")
    expect(drafter.get_by_text("第三条储备标准请与省里文件一致。")).to_be_visible()
    drafter.get_by_role("link", name="修改并重新提交").click()
    drafter.get_by_label("标题").fill("关于加强防汛物资储备管理的通知（修改稿）")
    drafter.get_by_role("button", name="保存并提交审核").click()
    expect(drafter.get_by_text("文件已提交审核")).to_be_visible()
    office.goto(doc_url)
    decide(office, "审核通过", chip="拟同意，请有关处室会签。")
    expect(office.locator(".status-panel")).to_contain_text("会签")

    # Both agree again (the agreement before the return no longer counts).
    finance.goto(f"{base}/review/countersign")
    frow = finance.locator(f"#doc-row-{doc_id}")
    frow.get_by_role("button", name="会签同意").click()
    expect(frow).to_contain_text("已会签同意")
    legal.goto(doc_url)
    decide(legal, "会签同意", opinion="已按意见修改，同意。")
    expect(legal.locator(".status-panel")).to_contain_text("待领导签发")

    # The leader signs with an opinion: a chip, then edited.
    leader.goto(f"{base}/approval/")
    leader.locator(f"#doc-row-{doc_id}").get_by_role("link").first.click()
    leader.locator(".opinion-choices").get_by_role("button", name="同意。").click()
    leader.locator("#decision-comment").fill("同意。请办公室抓紧印发。")
    leader.locator("#decision").get_by_role("button", name="签发", exact=True).click()
    expect(leader.locator(".status-panel")).to_contain_text("已签发")

    # The 处理单: every step with department, person, opinion, time — in order.
    drafter.goto(doc_url)
    rows = drafter.locator("#processing tbody tr")
    expect(rows).to_have_count(9)
    texts = [rows.nth(i).inner_text() for i in range(9)]
    steps = [rows.nth(i).locator("td").first.inner_text().strip() for i in range(9)]
    assert steps == ["拟稿", "办公室审核", "会签", "会签", "拟稿", "办公室审核", "会签", "会签", "签发"]
    joined = "\n".join(texts)
    for words in ("第三条储备标准请与省里文件一致。", "已按意见修改，同意。", "同意。请办公室抓紧印发。", "钱处长", "郑处长", "赵阳"):
        assert words in joined
    assert joined.index("第三条储备标准") < joined.index("已按意见修改") < joined.index("请办公室抓紧印发")
    drafter.screenshot(path=str(SHOTS / f"processing-record-{backend}.png"), full_page=True)

    # The printable 发文稿纸.
    drafter.get_by_role("link", name="发文稿纸（打印）").click()
    expect(drafter.get_by_role("heading", name="发文稿纸")).to_be_visible()
    expect(drafter.locator(".sheet-fields")).to_contain_text("同意。请办公室抓紧印发。")
    expect(drafter.locator(".sheet-fields")).to_contain_text("已按意见修改，同意。")
    drafter.screenshot(path=str(SHOTS / f"processing-sheet-{backend}.png"), full_page=True)
    for c in contexts.values():
        c.close()


def test_the_approval_pages_have_no_serious_accessibility_problems(app, live_server, chain_cast, heads, people,
                                                                  browser):
    finance = people.department("财务处")
    with app.app_context():
        d = new_draft(chain_cast["drafter"])
        countersign.add_department(d, user(chain_cast["drafter"]), finance)
        act(d, chain_cast["drafter"], Action.SUBMIT)
    context = browser.new_context(bypass_csp=True, viewport={"width": 1366, "height": 768})
    page = context.new_page()
    problems = {}
    for who, paths in {"office": [f"/documents/{d}", "/approval/phrases"],
                       "drafter": [f"/documents/{d}", f"/approval/documents/{d}/sheet"]}.items():
        context.clear_cookies()
        log_in(page, live_server, who)
        for path in paths:
            page.goto(live_server + path)
            found = violations(page)
            if found:
                problems[f"{who} {path}"] = [{"id": v["id"], "help": v["help"],
                                              "nodes": [n["target"] for n in v["nodes"]][:3]} for v in found]
    context.close()
    assert not problems, json.dumps(problems, ensure_ascii=False, indent=1)
