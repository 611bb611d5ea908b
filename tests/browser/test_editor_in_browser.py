"""The drafting editor in Chromium: tables by keyboard and buttons, pasted images, and no
unclean markup ever turned into live DOM — with the page's CSP switched off, so it is the
editor (and the server's re-render) that must hold, not the browser's policy."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.test_chain_in_browser import log_in
from tests.conftest import ARTIFACTS

pytestmark = pytest.mark.browser
SHOTS = ARTIFACTS / "browser"


@pytest.fixture
def drafter_page(live_server, chain_cast, browser):
    context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="zh-CN", bypass_csp=True)
    page = context.new_page()
    log_in(page, live_server, "drafter")
    page.goto(f"{live_server}/drafting/new")
    yield page
    context.close()


def body_editor(page: Page):
    return page.locator(".rte-area").first


def caret_cell(page: Page) -> str:
    """Which cell holds the caret: "row,column" of the editor's first table."""
    return page.evaluate("""() => {
        const n = document.getSelection().anchorNode;
        const cell = (n.nodeType === 1 ? n : n.parentElement).closest('td, th');
        return cell ? cell.parentElement.rowIndex + ',' + cell.cellIndex : 'none';
    }""")


def test_tab_moves_through_table_cells_and_adds_a_row_at_the_end(drafter_page: Page):
    page = drafter_page
    editor = body_editor(page)
    editor.click()
    page.get_by_role("button", name="插入表格").first.click()
    table = editor.locator("table")
    expect(table.locator("tr")).to_have_count(2)
    table.locator("td").first.click()
    assert caret_cell(page) == "1,0"
    page.keyboard.type("编制目录")
    page.keyboard.press("Tab")
    assert caret_cell(page) == "1,1"  # still in the editor, next cell
    expect(editor).to_be_focused()
    page.keyboard.type("6月底前")
    page.keyboard.press("Tab")  # the last cell: a new row, caret in its first cell
    expect(table.locator("tr")).to_have_count(3)
    assert caret_cell(page) == "2,0"
    page.keyboard.type("公开年报")
    page.keyboard.press("Shift+Tab")
    assert caret_cell(page) == "1,1"
    page.keyboard.press("Escape")  # Esc, then Tab leaves the editor: no keyboard trap
    page.keyboard.press("Tab")
    expect(editor).not_to_be_focused()
    assert page.locator("#body_html").input_value().count("<tr>") == 3


def test_row_and_column_buttons_and_empty_cells_without_nbsp(drafter_page: Page):
    page = drafter_page
    editor = body_editor(page)
    editor.click()
    bar = page.locator(".rte-bar").first
    bar.get_by_role("button", name="加一行").click()
    expect(page.locator(".rte-note").first).to_have_text("请先把光标放在表格的单元格中。")
    bar.get_by_role("button", name="插入表格").click()
    table = editor.locator("table")
    table.locator("td").first.click()
    bar.get_by_role("button", name="加一行").click()
    bar.get_by_role("button", name="加一列").click()
    expect(table.locator("tr")).to_have_count(3)
    expect(table.locator("tr").first.locator("th")).to_have_count(3)  # the header row grows a header cell
    for tr in table.locator("tr").all():
        expect(tr.locator("td, th")).to_have_count(3)
    texts = table.locator("td").evaluate_all("cells => cells.map(c => c.textContent)")
    assert texts and all("\u00a0" not in t for t in texts), texts  # no non-breaking spaces to type over
    assert "&nbsp;" not in page.locator("#body_html").input_value()
    bar.get_by_role("button", name="删除列").click()
    bar.get_by_role("button", name="删除行").click()
    expect(table.locator("tr")).to_have_count(2)
    expect(table.locator("tr").first.locator("th")).to_have_count(2)


def paste(page: Page, html: str = "", text: str = "", image: bool = False) -> None:
    """A paste as the clipboard delivers it (text/html, text/plain and/or an image file)."""
    page.evaluate("""([html, text, image]) => {
        const dt = new DataTransfer();
        if (html) dt.setData('text/html', html);
        if (text) dt.setData('text/plain', text);
        if (image) dt.items.add(new File([new Uint8Array([137, 80, 78, 71])], 'image.png', {type: 'image/png'}));
        const editor = document.querySelector('.rte-area');
        editor.dispatchEvent(new ClipboardEvent('paste', {clipboardData: dt, bubbles: true, cancelable: true}));
    }""", [html, text, image])


def test_a_pasted_image_is_not_dropped_without_a_word(drafter_page: Page):
    page = drafter_page
    editor = body_editor(page)
    editor.click()
    paste(page, image=True)
    note = page.locator(".rte-note").first
    expect(note).to_be_visible()
    expect(note).to_contain_text("图片不能粘贴到正文中")
    expect(note).to_contain_text("作为附件上传")
    paste(page, html='<p>从 Word 复制的文字<img src="file:///C:/a.png"></p>')
    expect(editor).to_contain_text("从 Word 复制的文字")
    assert editor.locator("img").count() == 0
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "editor-pasted-image.png"))


HOSTILE = ('<p>第一段<img src="x" onerror="window.__xss = 1"></p>'
           '<script>window.__xss = 2</script>'
           '<meta http-equiv="refresh" content="0;url=about:blank#refreshed">'
           '<style>body { display: none }</style>'
           '<p onclick="window.__xss = 3" style="color:red">第二段<a href="javascript:window.__xss=4">链接</a></p>'
           '<table><tr><td colspan="2" onmouseover="window.__xss=5">合并</td></tr></table>')


def assert_inert(page: Page, editor) -> None:
    expect(editor).to_contain_text("第二段")
    found = editor.evaluate("""el => ({
        bad: [...el.querySelectorAll('script, style, meta, img, a, iframe, object')].map(e => e.tagName),
        handlers: [...el.querySelectorAll('*')].flatMap(e => [...e.attributes].map(a => a.name))
                   .filter(n => n !== 'colspan' && n !== 'rowspan'),
    })""")
    assert found == {"bad": [], "handlers": []}, found
    page.wait_for_timeout(300)  # a <meta refresh> with 0 s or an onerror would have acted by now
    assert page.evaluate("window.__xss") is None
    assert "#refreshed" not in page.url
    assert editor.locator("td[colspan='2']").count() == 1  # allowed attributes survive


def test_pasted_hostile_markup_never_becomes_live(drafter_page: Page):
    page = drafter_page
    editor = body_editor(page)
    editor.click()
    paste(page, html=HOSTILE)
    assert_inert(page, editor)


def test_a_refused_form_comes_back_with_clean_markup_in_the_editor(drafter_page: Page):
    """The 422 page (title missing) puts the submitted body back; only cleaned HTML reaches the
    textarea, and the editor rebuilds only allow-listed elements from it."""
    page = drafter_page
    page.get_by_label("文种").select_option("通知")
    body_editor(page).click()
    page.keyboard.type("占位")
    # Submit the hostile body as a crafted request would: after the editor's own sync.
    page.evaluate("""html => document.getElementById('doc-form').addEventListener('submit',
        () => { document.getElementById('body_html').value = html; })""", HOSTILE)
    page.get_by_role("button", name="保存草稿").click()
    expect(page.locator("#error-summary")).to_contain_text("请填写标题")
    assert_inert(page, body_editor(page))
    textarea = page.locator("#body_html").input_value().lower()
    assert "<script" not in textarea and "onerror" not in textarea and "<meta" not in textarea


def test_an_editor_given_unclean_markup_builds_only_allowed_elements(drafter_page: Page):
    """Whatever a textarea holds (a fragment swapped in later, an old stored body), the editor
    parses it inertly and keeps only the allow-list."""
    page = drafter_page
    page.evaluate("""html => {
        const box = document.createElement('div');
        const ta = document.createElement('textarea');
        ta.setAttribute('data-richtext', '1');
        ta.value = html;
        box.appendChild(ta);
        document.querySelector('main').appendChild(box);
        box.dispatchEvent(new CustomEvent('htmx:afterSwap', {bubbles: true}));
    }""", HOSTILE)
    assert_inert(page, page.locator(".rte-area").last)
