"""What a person sees in Chromium: nothing typed is lost by an upload or a refusal, errors
stay on the page beside their field, and the daily pages read well at 1366 px, on a 375 px
phone and on paper.  Screenshots go to test-results/browser/."""

from __future__ import annotations

import re
import subprocess

import pytest
from playwright.sync_api import Page, expect

from tests.browser.test_chain_in_browser import log_in
from tests.conftest import ARTIFACTS
from tests.helpers import act, new_draft, submitted
from tests.integration.test_deid_review import issued_public_doc
from webapp.services import issuing
from webapp.workflow import Action

pytestmark = pytest.mark.browser
SHOTS = ARTIFACTS / "browser"


@pytest.fixture
def open_as(browser, live_server):
    """open_as("drafter", width=…) → a logged-in page in its own browser context."""
    contexts = []

    def opener(who: str, width: int = 1366, height: int = 768, **kw) -> Page:
        context = browser.new_context(viewport={"width": width, "height": height}, locale="zh-CN", **kw)
        contexts.append(context)
        page = context.new_page()
        log_in(page, live_server, who)
        return page

    SHOTS.mkdir(parents=True, exist_ok=True)
    yield opener
    for context in contexts:
        context.close()


def with_code():
    return issuing.active_codes() or [issuing.save_code(
        None, "豫应急办", "河南省应急管理厅文件", "河南省应急管理厅", "河南省应急管理厅办公室")]


# --------------------------------------------------------------------------- nothing typed is lost


def type_unsaved_changes(page: Page) -> None:
    page.get_by_label("标题").fill("刚改的标题，尚未保存")
    editor = page.locator(".rte-area").first
    editor.click()
    page.keyboard.press("Control+End")
    page.keyboard.press("Enter")
    page.keyboard.type("刚写的一段，尚未保存。")


def assert_unsaved_changes_kept(page: Page) -> None:
    expect(page.get_by_label("标题")).to_have_value("刚改的标题，尚未保存")
    expect(page.locator(".rte-area").first).to_contain_text("刚写的一段，尚未保存。")


def test_uploading_an_attachment_keeps_the_unsaved_title_and_body(app, live_server, chain_cast, open_as):
    with app.app_context():
        d = new_draft(chain_cast["drafter"], title="保存过的标题")
    page = open_as("drafter")
    page.goto(f"{live_server}/drafting/{d}/edit")
    type_unsaved_changes(page)
    page.set_input_files("#attachment-file", files=[{"name": "名单.txt", "mimeType": "text/plain",
                                                     "buffer": "联系人名单".encode()}])
    page.get_by_role("button", name="上传", exact=True).click()
    expect(page.get_by_text("草稿已保存，附件已上传：名单.txt")).to_be_visible()
    assert_unsaved_changes_kept(page)
    expect(page.locator("#attachments")).to_contain_text("名单.txt")
    page.reload()  # and it is saved, not just still on screen
    assert_unsaved_changes_kept(page)


@pytest.mark.parametrize("name,data", [("setup.exe", b"MZ" + b"\x00" * 100), ("资料.zip", b"PK\x03\x04" + b"\x00" * 60)])
def test_a_refused_upload_stays_on_the_page_beside_the_field_with_the_typed_text(
        app, live_server, chain_cast, open_as, name, data):
    with app.app_context():
        d = new_draft(chain_cast["drafter"], title="保存过的标题")
    page = open_as("drafter")
    page.goto(f"{live_server}/drafting/{d}/edit")
    type_unsaved_changes(page)
    page.set_input_files("#attachment-file", files=[{"name": name, "mimeType": "application/octet-stream",
                                                     "buffer": data}])
    page.get_by_role("button", name="上传", exact=True).click()
    expect(page.locator(".upload-field .field-error")).to_contain_text("附件只接受")
    expect(page.locator("#error-summary")).to_contain_text("本页的修改也尚未保存")
    assert_unsaved_changes_kept(page)
    page.screenshot(path=str(SHOTS / f"upload-refused-{name}.png"), full_page=True)
    page.get_by_role("button", name="保存草稿").click()  # one click saves what is on screen
    expect(page.get_by_text("修改已保存")).to_be_visible()
    assert_unsaved_changes_kept(page)


def test_a_file_over_the_limit_is_refused_before_it_is_sent(app, live_server, chain_cast, open_as):
    with app.app_context():
        d = new_draft(chain_cast["drafter"])
    page = open_as("drafter")
    page.goto(f"{live_server}/drafting/{d}/edit")
    type_unsaved_changes(page)
    posts = []
    page.on("request", lambda r: posts.append(r.url) if r.method == "POST" else None)
    page.set_input_files("#attachment-file", files=[{"name": "扫描件.pdf", "mimeType": "application/pdf",
                                                     "buffer": b"%PDF" + b"0" * (21 * 1024 * 1024)}])
    message = page.locator(".upload-field .field-error")
    expect(message).to_contain_text("扫描件.pdf")
    expect(message).to_contain_text("超过 20 MB 的上限，没有上传")
    assert page.locator("#attachment-file").evaluate("el => el.files.length") == 0
    page.get_by_role("button", name="上传", exact=True).click()
    expect(message).to_have_text("请先选择要上传的附件。")
    assert posts == [] and "/edit" in page.url
    assert_unsaved_changes_kept(page)


def test_without_javascript_a_request_over_the_limit_lands_back_on_the_edit_page(
        app, live_server, chain_cast, open_as):
    app.config["MAX_CONTENT_LENGTH"] = 1024 * 1024
    with app.app_context():
        d = new_draft(chain_cast["drafter"], title="保存过的标题")
    page = open_as("drafter", java_script_enabled=False)
    page.goto(f"{live_server}/drafting/{d}/edit")
    page.set_input_files("#attachment-file", files=[{"name": "大文件.pdf", "mimeType": "application/pdf",
                                                     "buffer": b"%PDF" + b"0" * (2 * 1024 * 1024)}])
    page.get_by_role("button", name="上传", exact=True).click()
    expect(page.locator(".upload-field .field-error")).to_contain_text("超过了系统允许的大小（1 MB）")
    expect(page.get_by_label("标题")).to_have_value("保存过的标题")
    assert "回到工作台" not in page.content()


def test_a_return_without_comment_stays_on_the_document_page_beside_the_comment(app, live_server, chain_cast,
                                                                                open_as):
    with app.app_context():
        d = submitted(chain_cast["drafter"])
    page = open_as("office")
    page.goto(f"{live_server}/documents/{d}")
    page.get_by_label("建议公开属性改为（随退文一并提出）").select_option("not_public")
    page.get_by_label("建议理由").fill("涉及内部事务")
    page.get_by_role("button", name="退文").click()
    expect(page.locator("#decision-error")).to_contain_text("须填写意见")
    expect(page.get_by_label("建议理由")).to_have_value("涉及内部事务")
    expect(page.get_by_label("建议公开属性改为（随退文一并提出）")).to_have_value("not_public")
    assert f"/documents/{d}" in page.url or "/decide" in page.url
    expect(page.locator(".timeline")).to_be_visible()
    page.get_by_label("意见（退文、送保密审查时必填）").fill("请补充依据。")
    page.get_by_role("button", name="退文").click()
    expect(page.locator(".status-panel")).to_contain_text("已退回")


# --------------------------------------------------------------------------- on screen at 1366 px


def test_the_login_page_is_a_centred_panel_not_a_200px_column(live_server, browser):
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    page = context.new_page()
    page.goto(f"{live_server}/login")
    box = page.locator(".login-panel").bounding_box()
    assert box["width"] >= 380, box
    assert abs((box["x"] + box["width"] / 2) - 683) < 40, box  # centred in the window
    page.screenshot(path=str(SHOTS / "login-1366.png"))
    context.close()


def test_a_disabled_button_looks_disabled(app, live_server, chain_cast, open_as):
    with app.app_context():
        d = issued_public_doc(chain_cast)
    page = open_as("publisher")
    page.goto(f"{live_server}/publishing/{d}")
    confirm = page.get_by_role("button", name="确认去标识化，生成公开版")
    expect(confirm).to_be_disabled()
    style = confirm.evaluate("el => { const s = getComputedStyle(el); return [s.backgroundColor, s.color, s.cursor]; }")
    reference = page.evaluate("""() => {  // an enabled primary button on the same page
        const b = document.createElement('button'); b.className = 'button primary'; b.textContent = '参照';
        document.body.appendChild(b); const s = getComputedStyle(b);
        const out = [s.backgroundColor, s.color, s.cursor]; b.remove(); return out; }""")
    assert style[0] != reference[0] and style[1] != reference[1], (style, reference)
    assert style[2] == "not-allowed"
    page.screenshot(path=str(SHOTS / "deid-confirm-disabled.png"))


def test_the_issue_forms_layout_preview_fits_its_column_at_1366(app, live_server, chain_cast, open_as):
    with app.app_context():
        with_code()
        d = submitted(chain_cast["drafter"])
        act(d, chain_cast["office"], Action.APPROVE)
        act(d, chain_cast["leader"], Action.APPROVE)
    page = open_as("office")
    page.goto(f"{live_server}/issuing/{d}")
    expect(page.locator(".gw-preview .gw-page")).to_contain_text("（此件公开发布）")
    frame = page.locator(".gw-preview-frame")
    sheet = page.locator(".gw-preview .gw-page").bounding_box()
    column = frame.bounding_box()
    assert sheet["x"] >= column["x"] and sheet["x"] + sheet["width"] <= column["x"] + column["width"], (sheet, column)
    assert frame.evaluate("el => el.scrollWidth <= el.clientWidth")
    page.screenshot(path=str(SHOTS / "issue-preview-1366.png"))


def test_the_queue_header_count_follows_an_inline_move(app, live_server, chain_cast, open_as):
    with app.app_context():
        first, _second = submitted(chain_cast["drafter"]), submitted(chain_cast["drafter"])
    page = open_as("office")
    page.goto(f"{live_server}/review/office_review")
    expect(page.locator("#queue-total")).to_have_text("2")
    page.locator(f"#doc-row-{first}").get_by_role("button", name="通过").click()
    expect(page.locator(f"#doc-row-{first}")).to_contain_text("已审核通过")
    expect(page.locator("#nav-count-office_review")).to_have_text("1")
    expect(page.locator("#queue-total")).to_have_text("1")


def test_a_long_title_leaves_the_edit_button_on_one_line(app, live_server, chain_cast, open_as):
    with app.app_context():
        d = new_draft(chain_cast["drafter"], title="关于" + "进一步加强安全生产和防灾减灾工作" * 10 + "的通知")
    page = open_as("drafter")
    page.goto(f"{live_server}/documents/{d}")
    button = page.locator(".page-head").get_by_role("link", name="修改")
    lines = button.evaluate("el => el.getBoundingClientRect().height / parseFloat(getComputedStyle(el).lineHeight)")
    assert lines < 1.9, lines  # one line of text plus padding
    page.screenshot(path=str(SHOTS / "long-title.png"))


# --------------------------------------------------------------------------- print


def test_printing_a_document_prints_the_document_not_the_navigation(app, live_server, chain_cast, open_as,
                                                                     tmp_path):
    with app.app_context():
        d = submitted(chain_cast["drafter"], title="关于做好汛期值班工作的通知",
                      body_html="<p>一、值班安排</p><p>实行24小时值班。</p>")
    page = open_as("drafter")
    page.goto(f"{live_server}/documents/{d}")
    page.emulate_media(media="print")
    for hidden in (".sidenav", ".topbar", ".skip-link"):
        expect(page.locator(hidden).first).to_be_hidden()
    pdf = tmp_path / "document.pdf"
    page.pdf(path=str(pdf), format="A4")
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "关于做好汛期值班工作的通知" in text and "实行24小时值班" in text
    for chrome in ("工作台", "新建文件", "退出", "修改密码", "跳到正文"):
        assert chrome not in text, chrome


# --------------------------------------------------------------------------- a 375 px phone


def assert_usable_at_375(page: Page, name: str, buttons: list) -> None:
    """No sideways scroll of the page; each primary button on screen once scrolled to."""
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, f"{name}: the page scrolls sideways ({width} px)"
    for button in buttons:
        button.scroll_into_view_if_needed()
        expect(button).to_be_visible()
        box = button.bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= 375, (name, box)
        assert box["y"] >= 0 and box["y"] + box["height"] <= 812, (name, box)
    page.screenshot(path=str(SHOTS / f"phone-{name}.png"), full_page=True)


def test_the_daily_pages_work_on_a_375px_phone(app, live_server, chain_cast, open_as):
    with app.app_context():
        with_code()
        long_title = "关于" + "进一步加强安全生产工作" * 6 + "的通知"
        at_office = submitted(chain_cast["drafter"], title=long_title)
        at_leader = submitted(chain_cast["drafter"])
        act(at_leader, chain_cast["office"], Action.APPROVE)
        approved = submitted(chain_cast["drafter"])
        act(approved, chain_cast["office"], Action.APPROVE)
        act(approved, chain_cast["leader"], Action.APPROVE)
        deid = issued_public_doc(chain_cast)
        draft = new_draft(chain_cast["drafter"])
    phone = {"width": 375, "height": 812, "is_mobile": True, "has_touch": True}

    drafter = open_as("drafter", **phone)
    nav_link = drafter.locator(".sidenav").get_by_role("link", name="新建文件")
    expect(nav_link).to_be_hidden()  # the menu folds away and does not squeeze the content
    drafter.get_by_role("button", name="菜单").click()
    expect(nav_link).to_be_visible()
    drafter.get_by_role("button", name="菜单").click()
    assert_usable_at_375(drafter, "dashboard", [drafter.get_by_role("link", name="＋ 新建文件")])
    drafter.goto(f"{live_server}/drafting/{draft}/edit")
    assert_usable_at_375(drafter, "edit", [drafter.get_by_role("button", name="保存并提交审核")])
    drafter.goto(f"{live_server}/drafting/")
    assert_usable_at_375(drafter, "mine", [drafter.get_by_role("link", name="新建文件").last])
    drafter.goto(f"{live_server}/documents/{at_office}")
    assert_usable_at_375(drafter, "document", [])

    office = open_as("office", **phone)
    office.goto(f"{live_server}/review/office_review")
    assert_usable_at_375(office, "office-queue", [office.locator(f"#doc-row-{at_office}").get_by_role("button", name="通过")])
    office.goto(f"{live_server}/issuing/{approved}")
    expect(office.locator(".gw-preview .gw-page")).to_be_visible()
    assert_usable_at_375(office, "issue", [office.get_by_role("button", name="确认印发")])

    leader = open_as("leader", **phone)
    leader.goto(f"{live_server}/approval/")
    assert_usable_at_375(leader, "leader-queue", [leader.locator(f"#doc-row-{at_leader}").get_by_role("button", name="签发")])
    leader.goto(f"{live_server}/documents/{at_leader}")
    assert_usable_at_375(leader, "leader-document", [leader.get_by_role("button", name="签发")])

    publisher = open_as("publisher", **phone)
    publisher.goto(f"{live_server}/publishing/{deid}")
    assert_usable_at_375(publisher, "deid", [publisher.get_by_role("button", name="确认去标识化，生成公开版")])
    assert re.search(r"/publishing/\d+", publisher.url)


def test_the_form_marks_recipients_required_for_the_addressed_types(live_server, chain_cast, open_as):
    page = open_as("drafter")
    page.goto(f"{live_server}/drafting/new")
    mark = page.locator("[data-recipients-mark]")
    page.get_by_label("文种").select_option("纪要")
    expect(mark).to_be_hidden()
    page.get_by_label("文种").select_option("函")
    expect(mark).to_be_visible()
    expect(page.locator("#recipients-hint")).to_contain_text("通知、报告、请示、函、通报须填写主送机关")
