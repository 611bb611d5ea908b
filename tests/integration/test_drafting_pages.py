"""Nothing typed is lost, and no error is a dead end: uploads go with the draft form, refusals
come back on the page the user was on, beside the field, with what they typed (cleaned)."""

from __future__ import annotations

import html
import io
import re
from pathlib import Path

import pytest
from sqlalchemy import func, select

from tests.conftest import post
from tests.helpers import act, doc, new_draft, submitted, user
from webapp.extensions import db
from webapp.models import AuditEvent, Document, StoredFile
from webapp.services import drafting, files
from webapp.workflow import Action, Stage

DATA_FILES = Path(__file__).resolve().parent.parent / "data" / "files"


def counts(app):
    with app.app_context():
        return tuple(db.session.execute(select(func.count()).select_from(m)).scalar_one()
                     for m in (Document, StoredFile, AuditEvent))


@pytest.fixture
def drafter(app, chain_cast, people):
    return people.client("drafter")


def edit_form(d: int, **changes) -> dict:
    """The edit form as the page posts it: every field, as typed."""
    current = doc(d)
    values = {
        "title": current.title, "doc_type": current.doc_type, "recipients": current.recipients,
        "body_html": current.body_html, "disclosure": current.disclosure or "", "version": str(current.version),
        "intent": "save",
    }
    values.update(changes)
    return values


def textarea(page: str, name: str) -> str:
    """The text inside <textarea name=...> as the browser would read it (unescaped)."""
    m = re.search(rf'<textarea[^>]*name="{name}"[^>]*>(.*?)</textarea>', page, re.S)
    assert m, f"no textarea {name}"
    text = html.unescape(m.group(1))
    return text[2:] if text.startswith("\r\n") else text.removeprefix("\n")  # the parser drops one leading newline


def upload_field(page: str) -> str:
    """The attachment field block: where a refused file's message belongs."""
    m = re.search(r'<div class="field upload-field[^"]*">(.*?)</section>', page, re.S)
    assert m, "no upload field"
    return m.group(1)


# --------------------------------------------------------------------------- uploads keep the text


def test_uploading_saves_the_typed_text_with_the_file(app, drafter, chain_cast):
    with app.app_context():
        d = new_draft(chain_cast["drafter"], title="旧标题")
        form = edit_form(d, title="新标题（上传前刚改）", body_html="<p>刚写好的一段正文。</p>", intent="attach",
                         file=(io.BytesIO("联系人名单".encode()), "名单.txt"))
    resp = post(drafter, f"/drafting/{d}/edit", form, content_type="multipart/form-data")
    assert resp.status_code == 302 and resp.headers["Location"].endswith("#attachments")
    with app.app_context():
        saved = doc(d)
        assert saved.title == "新标题（上传前刚改）" and saved.body_html == "<p>刚写好的一段正文。</p>"
        assert [f.filename for f in files.files_of(d, "attachment")] == ["名单.txt"]
        actions = [e.action for e in db.session.execute(
            select(AuditEvent).where(AuditEvent.document_id == d).order_by(AuditEvent.seq)).scalars()]
        assert actions[-2:] == ["edit", "attach"]
    page = drafter.get(resp.headers["Location"]).get_data(as_text=True)
    assert "附件已上传：名单.txt" in page and "新标题（上传前刚改）" in page


def test_deleting_an_attachment_saves_the_typed_text_too(app, drafter, chain_cast):
    with app.app_context():
        d = new_draft(chain_cast["drafter"])
        drafting.add_attachment(d, user(chain_cast["drafter"]), "旧附件.txt", b"old")
        file_id = files.latest(d, "attachment").id
        form = edit_form(d, title="删除附件前改的标题", intent=f"detach-{file_id}")
    resp = post(drafter, f"/drafting/{d}/edit", form, content_type="multipart/form-data")
    assert resp.status_code == 302
    with app.app_context():
        assert doc(d).title == "删除附件前改的标题" and files.files_of(d, "attachment") == []


def test_the_upload_button_without_a_file_says_so_and_keeps_the_text(app, drafter, chain_cast):
    with app.app_context():
        d = new_draft(chain_cast["drafter"], title="旧标题")
        form = edit_form(d, title="没保存的新标题", intent="attach")
    before = counts(app)
    resp = post(drafter, f"/drafting/{d}/edit", form, content_type="multipart/form-data")
    page = resp.get_data(as_text=True)
    assert resp.status_code == 422 and "请选择要上传的附件" in upload_field(page)
    assert 'value="没保存的新标题"' in page and counts(app) == before


REFUSED = {
    ".exe": ("setup.exe", b"MZ\x90\x00" + b"\x00" * 200, "附件只接受"),
    ".zip": ("资料.zip", b"PK\x03\x04" + b"\x00" * 200, "附件只接受"),
    ".doc": ("旧格式.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 200, "附件只接受"),
    "21 MB": ("扫描件.pdf", b"%PDF-1.4\n" + b"0" * (21 * 1024 * 1024), "20 MB"),
}


@pytest.mark.parametrize("case", sorted(REFUSED))
def test_a_refused_upload_comes_back_on_the_edit_page_beside_the_field_with_the_typed_text(
        app, drafter, chain_cast, case):
    name, data, message = REFUSED[case]
    with app.app_context():
        d = new_draft(chain_cast["drafter"], title="保存过的标题")
        form = edit_form(d, title="正在改的标题", body_html="<p>正在写的正文。</p>", intent="attach",
                         file=(io.BytesIO(data), name))
    before = counts(app)
    resp = post(drafter, f"/drafting/{d}/edit", form, content_type="multipart/form-data")
    page = resp.get_data(as_text=True)
    assert resp.status_code == 422, case
    assert message in upload_field(page)  # beside the file field, not on an error page
    assert 'id="doc-form"' in page and "回到工作台" not in page
    assert 'value="正在改的标题"' in page and textarea(page, "body_html") == "<p>正在写的正文。</p>"
    assert counts(app) == before
    with app.app_context():
        assert doc(d).title == "保存过的标题"  # nothing saved: the file and the text go together


def test_a_refused_file_on_a_new_document_keeps_everything_typed(app, drafter):
    before = counts(app)
    resp = post(drafter, "/drafting/new", {
        "title": "新文件的标题", "doc_type": "通知", "recipients": "各处室", "body_html": "<p>新正文</p>",
        "intent": "attach", "file": (io.BytesIO(b"MZ" + b"\x00" * 64), "tool.exe")}, content_type="multipart/form-data")
    page = resp.get_data(as_text=True)
    assert resp.status_code == 422 and "附件只接受" in upload_field(page)
    assert 'value="新文件的标题"' in page and 'value="各处室"' in page and counts(app) == before


def test_a_file_posted_alone_and_refused_lands_on_the_edit_page_not_an_error_page(app, drafter, chain_cast):
    with app.app_context():
        d = new_draft(chain_cast["drafter"])
    resp = post(drafter, f"/drafting/{d}/attachments", {"file": (io.BytesIO(b"MZ"), "a.exe")},
                content_type="multipart/form-data")
    page = resp.get_data(as_text=True)
    assert resp.status_code == 422 and "附件只接受" in upload_field(page) and 'id="doc-form"' in page


def test_a_request_over_the_body_limit_comes_back_on_the_edit_page(app, drafter, chain_cast):
    app.config["MAX_CONTENT_LENGTH"] = 2 * 1024 * 1024
    with app.app_context():
        d = new_draft(chain_cast["drafter"], title="保存过的标题")
        form = edit_form(d, intent="attach", file=(io.BytesIO(b"%PDF" + b"0" * (3 * 1024 * 1024)), "大文件.pdf"))
    before = counts(app)
    resp = post(drafter, f"/drafting/{d}/edit", form, content_type="multipart/form-data")
    page = resp.get_data(as_text=True)
    assert resp.status_code == 413
    assert "超过了系统允许的大小（2 MB）" in upload_field(page) and 'value="保存过的标题"' in page
    assert counts(app) == before


# --------------------------------------------------------------------------- the editor gets clean HTML back

HOSTILE = ('<p>正文<img src=x onerror="window.__xss=1"></p><script>window.__xss=2</script>'
           '<meta http-equiv="refresh" content="0;url=https://evil.example/"><style>body{display:none}</style>'
           '<p onclick="x()">第二段</p>')


def test_a_refused_form_puts_only_cleaned_html_back_into_the_editor(app, drafter):
    resp = post(drafter, "/drafting/new", {"title": "", "doc_type": "通知", "body_html": HOSTILE,
                                           "needs_interpretation": "y", "interpretation_html": HOSTILE})
    page = resp.get_data(as_text=True)
    assert resp.status_code == 422 and "请填写标题" in page
    for name in ("body_html", "interpretation_html"):
        back = textarea(page, name).lower()
        for hostile in ("<script", "onerror", "<meta", "http-equiv", "<style", "onclick", "<img"):
            assert hostile not in back, (name, hostile, back)
        assert "正文" in back and "第二段" in back  # the text itself is kept


# --------------------------------------------------------------------------- 主送机关


def test_a_notice_without_recipients_cannot_be_submitted(app, drafter, chain_cast):
    resp = post(drafter, "/drafting/new", {"title": "关于开展检查的通知", "doc_type": "通知", "recipients": "  ",
                                           "body_html": "<p>正文</p>", "disclosure": "public", "intent": "submit"})
    assert resp.status_code == 302
    page = drafter.get(resp.headers["Location"]).get_data(as_text=True)
    assert "尚不能提交" in page and "文种为“通知”，须填写主送机关" in page
    with app.app_context():
        d = db.session.execute(select(Document)).scalar_one()
        assert d.stage == Stage.DRAFT
        assert "文种为“通知”，须填写主送机关（如：各市、县（市、区）应急管理局）。" in drafting.submission_problems(d)


def test_a_minute_needs_no_recipients_and_a_notice_with_them_goes_through(app, chain_cast):
    with app.app_context():
        minute = submitted(chain_cast["drafter"], doc_type="纪要", recipients="")
        notice = submitted(chain_cast["drafter"], doc_type="通知", recipients="各处室")
        assert doc(minute).stage == doc(notice).stage == Stage.OFFICE_REVIEW


# --------------------------------------------------------------------------- the document page


@pytest.fixture
def at_office(app, chain_cast):
    with app.app_context():
        d = new_draft(chain_cast["drafter"])
        drafting.add_attachment(d, user(chain_cast["drafter"]), "现场照片.jpg",
                                (DATA_FILES / "sample.jpg").read_bytes())  # a real JPEG: content is checked
        act(d, chain_cast["drafter"], Action.SUBMIT)
        return d


def test_a_return_without_comment_stays_on_the_document_page_beside_the_comment(app, people, at_office):
    office = people.client("office")
    version = doc_version(app, at_office)
    resp = post(office, f"/review/documents/{at_office}/decide", {
        "action": "return", "version": version, "context": "document", "comment": "",
        "proposed_disclosure": "not_public", "proposal_reason": "涉及内部事务，建议不予公开"})
    page = resp.get_data(as_text=True)
    assert resp.status_code == 422
    decision = re.search(r'<form[^>]*id="decision".*?</form>', page, re.S).group(0)
    assert "须填写意见" in decision and 'aria-invalid="true"' in decision
    assert "涉及内部事务，建议不予公开" in decision and 'value="not_public" selected' in decision
    assert "现场照片.jpg" in page and "办理记录" in page  # the whole page, files included
    with app.app_context():
        assert doc(at_office).stage == Stage.OFFICE_REVIEW


def test_after_a_conflict_the_document_page_keeps_its_files_and_the_typed_comment(app, people, chain_cast, at_office):
    stale = doc_version(app, at_office)
    with app.app_context():
        act(at_office, chain_cast["office"], Action.APPROVE)  # someone else was first
    resp = post(people.client("office"), f"/review/documents/{at_office}/decide",
                {"action": "return", "version": stale, "context": "document", "comment": "我写好的退文意见"})
    page = resp.get_data(as_text=True)
    assert resp.status_code == 409 and "此文件已被他人处理" in page
    assert "现场照片.jpg" in page and "附件文件与 Word 原稿" in page
    assert "待领导签发" in page


def doc_version(app, d: int) -> int:
    with app.app_context():
        return doc(d).version


def test_official_files_are_listed_only_once_something_is_issued(app, chain_cast, people, at_office):
    page = people.client("drafter").get(f"/documents/{at_office}").get_data(as_text=True)
    assert "正式文件" not in page
    assert re.search(r'id="drafting-files".*现场照片\.jpg', page, re.S)


def test_updated_at_changes_with_every_move_including_issue(app, chain_cast):
    from webapp import clock
    from webapp.services import issuing

    with app.app_context():
        code = issuing.save_code(None, "豫应急办", "河南省应急管理厅文件", "河南省应急管理厅", "河南省应急管理厅办公室")
        d = submitted(chain_cast["drafter"])
        act(d, chain_cast["office"], Action.APPROVE)
        act(d, chain_cast["leader"], Action.APPROVE)
        signed = doc(d).updated_at
        row = doc(d)
        row.updated_at = signed.replace(year=signed.year - 1)  # as if the signing were long ago
        db.session.commit()
        day = clock.agency_today()
        issuing.issue_document(d, user(chain_cast["office"]), doc(d).version, issuing.IssueInput(code.id, day, day))
        assert doc(d).updated_at >= signed


# --------------------------------------------------------------------------- queue header, counters, lists


def test_an_inline_move_refreshes_the_queue_header_count_for_the_same_filter(app, chain_cast, people):
    with app.app_context():
        mine = [submitted(chain_cast["drafter"]) for _ in range(3)]
        submitted(chain_cast["other_drafter"])
        from webapp.models import Department

        dept = db.session.execute(select(Department).where(Department.name == "应急救援处")).scalar_one().id
        version = doc(mine[0]).version
    office = people.client("office")
    resp = post(office, f"/review/documents/{mine[0]}/decide", {
        "action": "approve", "version": version, "context": "queue", "queue": "office_review",
        "department": str(dept)}, htmx=True)
    fragment = resp.get_data(as_text=True)
    assert resp.status_code == 200
    assert '<span id="queue-total" hx-swap-oob="true">2</span>' in fragment  # 3 of this department, one moved
    assert 'id="nav-count-office_review" hx-swap-oob="true">3<' in fragment  # the badge counts every department


def test_my_drafts_counter_counts_what_its_link_lists(app, chain_cast, drafter):
    with app.app_context():
        new_draft(chain_cast["drafter"], title="还没提交的草稿")
        submitted(chain_cast["drafter"], title="已经提交的文件")
    home = drafter.get("/").get_data(as_text=True)
    link = re.search(r'<a href="/drafting/\?stage=draft"[^>]*>我的草稿 <span[^>]*>(\d+)</span>', home)
    assert link and link.group(1) == "1"
    drafts = drafter.get("/drafting/?stage=draft").get_data(as_text=True)
    assert "还没提交的草稿" in drafts and "已经提交的文件" not in drafts
    everything = drafter.get("/drafting/").get_data(as_text=True)
    assert "还没提交的草稿" in everything and "已经提交的文件" in everything
    unknown = drafter.get("/drafting/?stage=nonsense")
    assert unknown.status_code == 400 and "未知的筛选条件" in unknown.get_data(as_text=True)


def test_every_page_names_a_local_favicon_that_is_served(app, drafter):
    page = drafter.get("/").get_data(as_text=True)
    hrefs = re.findall(r'<link rel="icon" href="([^"]+)"', page)
    assert hrefs
    for href in hrefs:
        resp = drafter.get(href)
        assert resp.status_code == 200 and resp.mimetype.startswith("image/"), href


def test_a_new_document_can_take_its_first_attachment_with_the_first_save(app, drafter):
    resp = post(drafter, "/drafting/new", {
        "title": "带附件的新文件", "doc_type": "函", "recipients": "省财政厅", "body_html": "<p>正文</p>",
        "intent": "attach", "file": (io.BytesIO("附件内容".encode()), "清单.txt")}, content_type="multipart/form-data")
    assert resp.status_code == 302 and resp.headers["Location"].endswith("#attachments")
    with app.app_context():
        d = db.session.execute(select(Document)).scalar_one()
        assert d.title == "带附件的新文件" and [f.filename for f in files.files_of(d.id, "attachment")] == ["清单.txt"]
