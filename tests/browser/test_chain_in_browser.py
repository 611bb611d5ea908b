"""What a person clicks, in Debian's Chromium: draft → office (HTMX) → leader returns →
drafter revises → the chain completes.  Screenshots go to test-results/browser/."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.conftest import ARTIFACTS, PASSWORD

pytestmark = pytest.mark.browser
SHOTS = ARTIFACTS / "browser"


def log_in(page: Page, base: str, username: str) -> None:
    page.goto(f"{base}/login")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("heading", name="工作台")).to_be_visible()


def test_the_chain_end_to_end(app, live_server, chain_cast, browser, database_url):
    SHOTS.mkdir(parents=True, exist_ok=True)
    backend = database_url.split(":")[0]
    base = live_server
    ctx = {name: browser.new_context(viewport={"width": 1366, "height": 768}, locale="zh-CN")
           for name in ("drafter", "office", "leader")}
    drafter, office, leader = (ctx[n].new_page() for n in ("drafter", "office", "leader"))
    for page, name in ((drafter, "drafter"), (office, "office"), (leader, "leader")):
        log_in(page, base, name)

    # The drafter writes in the rich-text editor, sets the attribute and submits.
    drafter.get_by_role("link", name="新建文件").first.click()
    drafter.get_by_label("标题").fill("关于加强汛期安全防范工作的通知")
    drafter.get_by_label("文种").select_option("通知")
    expect(drafter.locator("[data-recipients-mark]")).to_be_visible()  # a 通知 is addressed: 主送 required
    drafter.get_by_label("主送机关").fill("各市、县（市、区）应急管理局")
    editor = drafter.locator(".rte-area").first
    editor.click()
    editor.type("一、总体要求")
    editor.press("Enter")
    editor.type("各单位要压实防汛责任。")
    drafter.get_by_role("button", name="加粗").first.click()
    drafter.get_by_label("主动公开").check()
    expect(drafter.locator(".nonpublic-only")).to_be_hidden()
    drafter.get_by_label("不予公开").check()
    expect(drafter.locator(".nonpublic-only")).to_be_visible()
    drafter.get_by_label("主动公开").check()
    drafter.get_by_role("button", name="保存并提交审核").click()
    expect(drafter.get_by_text("文件已提交审核")).to_be_visible()
    doc_url = drafter.url
    doc_id = re.search(r"/documents/(\d+)", doc_url).group(1)

    # The office approves from the queue: the row changes in place, no page load.
    office.locator(".sidenav").get_by_role("link", name=re.compile("公开属性审查")).click()
    expect(office.locator("#nav-count-office_review")).to_have_text("1")
    office.evaluate("window.__noReload = true")
    row = office.locator(f"#doc-row-{doc_id}")
    expect(row).to_contain_text("关于加强汛期安全防范工作的通知")
    office.screenshot(path=str(SHOTS / f"office-queue-{backend}.png"), full_page=True)
    row.get_by_role("button", name="通过").click()
    expect(row).to_contain_text("已审核通过")
    expect(office.locator("#nav-count-office_review")).to_have_text("0")
    assert office.evaluate("window.__noReload") is True

    # The leader returns it from the queue with a comment, inline.
    leader.locator(".sidenav").get_by_role("link", name=re.compile("待我签发")).click()
    lrow = leader.locator(f"#doc-row-{doc_id}")
    lrow.get_by_role("link", name="退回…").click()
    lrow.get_by_label("退文意见（必填）").fill("请补充各地防汛值班电话。")
    lrow.get_by_role("button", name="退文").click()
    expect(lrow).to_contain_text("已退文")

    # The drafter finds it returned with the comment on top, revises and resubmits.
    drafter.locator(".sidenav").get_by_role("link", name=re.compile("退回给我的")).click()
    expect(drafter.get_by_text("请补充各地防汛值班电话。")).to_be_visible()
    drafter.get_by_role("link", name="修改并重新提交").click()
    expect(drafter.locator(".return-comment")).to_contain_text("请补充各地防汛值班电话。")
    editor = drafter.locator(".rte-area").first
    editor.click()
    editor.press("End")
    editor.press("Enter")
    editor.type("二、值班安排：实行24小时值班。")
    drafter.get_by_label("提交说明（可选，如对公开属性建议的意见）").fill("已补充值班安排。")
    drafter.get_by_role("button", name="保存并提交审核").click()
    expect(drafter.get_by_text("文件已提交审核")).to_be_visible()

    # The whole chain again: office, then the leader signs from the document page.
    office.reload()
    office.locator(f"#doc-row-{doc_id}").get_by_role("button", name="通过").click()
    expect(office.locator(f"#doc-row-{doc_id}")).to_contain_text("已审核通过")
    leader.goto(f"{base}/documents/{doc_id}")
    leader.get_by_role("button", name="签发").click()
    expect(leader.locator(".status-panel")).to_contain_text("已签发")
    drafter.goto(doc_url)
    expect(drafter.locator(".timeline")).to_contain_text("退文")
    expect(drafter.locator(".doc-body")).to_contain_text("值班安排")
    assert drafter.locator(".doc-body").first.locator("p").count() >= 3  # Enter made paragraphs
    drafter.screenshot(path=str(SHOTS / f"document-page-{backend}.png"), full_page=True)

    # The office issues it: number, dates, the stamped .docx; everyone previews and downloads.
    with app.app_context():
        from webapp.services import issuing

        issuing.save_code(None, "豫应急办", "河南省应急管理厅文件", "河南省应急管理厅", "河南省应急管理厅办公室")
    office.goto(f"{base}/")
    office.locator(".sidenav").get_by_role("link", name=re.compile("待印发")).click()
    office.get_by_role("link", name="编文号并印发").click()
    expect(office.locator(".gw-preview .gw-page")).to_contain_text("（此件公开发布）")  # loaded by htmx
    office.get_by_role("button", name="确认印发").click()
    expect(office.get_by_text(re.compile(r"已印发，发文字号 豫应急办〔\d{4}〕1号"))).to_be_visible()
    drafter.goto(doc_url)
    drafter.get_by_role("link", name="在页面中预览版式").click()
    expect(drafter.locator("#preview-area .gw-number")).to_contain_text("豫应急办〔")
    drafter.screenshot(path=str(SHOTS / f"issued-preview-{backend}.png"), full_page=True)
    with drafter.expect_download() as info:
        drafter.get_by_role("link", name=re.compile("正式文件（.docx）")).click()
    path = info.value.path()
    import docx

    text = "\n".join(p.text for p in docx.Document(str(path)).paragraphs)
    assert "（此件公开发布）" in text and "值班安排" in text
    for c in ctx.values():
        c.close()


def test_keyboard_only_login_and_visible_focus(live_server, chain_cast, page: Page):
    page.goto(f"{live_server}/login")
    username = page.get_by_label("用户名")
    expect(username).to_be_focused()  # the form is ready to type into
    page.keyboard.type("office")
    page.keyboard.press("Tab")
    expect(page.get_by_label("密码")).to_be_focused()
    shadow = page.evaluate("getComputedStyle(document.activeElement).boxShadow")
    assert shadow and shadow != "none", "focus must be visible"
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="工作台")).to_be_visible()
