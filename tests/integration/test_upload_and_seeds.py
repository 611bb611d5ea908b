"""A drafter uploads a .docx draft; bad uploads are refused and change nothing; every seed
notice goes upload → chain → issue → .docx without losing a paragraph."""

import html
import io
import os
import re

import docx
import pytest
from sqlalchemy import func, select

from tests.conftest import post
from tests.helpers import act, doc, user
from tests.unit.test_docgen_fixtures import assert_in_order, draft_docx, seed_files, seed_paragraphs, squash
from tests.unit.test_docgen_importer import _ole, bomb_docx, rezip
from webapp.docgen import MAX_UPLOAD_BYTES, document_text, docx_to_blocks, recognise
from webapp.extensions import db
from webapp.models import AuditEvent, Document, StoredFile
from webapp.services import files, issuing
from webapp.workflow import Action


def counts(app):
    with app.app_context():
        return tuple(db.session.execute(select(func.count()).select_from(m)).scalar_one()
                     for m in (Document, StoredFile, AuditEvent))


def upload(client, data: bytes, filename: str = "草稿.docx", **fields):
    return post(client, "/drafting/import", {"file": (io.BytesIO(data), filename), "doc_type": "通知", **fields},
                content_type="multipart/form-data")


@pytest.fixture
def drafter(app, chain_cast, people):
    return people.client("drafter")


def test_a_docx_draft_becomes_an_editable_body(app, drafter):
    d = docx.Document()
    d.add_paragraph("一、工作目标")
    p = d.add_paragraph("全面推进")
    p.add_run("政务公开").bold = True
    table = d.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "事项", "时限"
    table.cell(1, 0).text, table.cell(1, 1).text = "编制目录", "6月底前"
    buf = io.BytesIO()
    d.save(buf)
    resp = upload(drafter, buf.getvalue(), "关于推进政务公开的通知.docx")
    assert resp.status_code == 302 and "/edit" in resp.headers["Location"]
    with app.app_context():
        created = db.session.execute(select(Document)).scalar_one()
        assert created.title == "关于推进政务公开的通知"
        assert "<p>一、工作目标</p>" in created.body_html and "<strong>政务公开</strong>" in created.body_html
        assert "<table>" in created.body_html and "6月底前" in created.body_html
        original = files.latest(created.id, "draft_upload")
        assert original.data == buf.getvalue() and original.filename == "关于推进政务公开的通知.docx"
    edit = drafter.get(resp.headers["Location"]).get_data(as_text=True)
    assert "Word 草稿已导入" in edit and "6月底前" in edit


def _docm() -> bytes:
    data = draft_docx(["正文"])
    return rezip(data, add={"word/vbaProject.bin": b"\xd0\xcf\x11\xe0macro"})


BAD_UPLOADS = {
    "not a docx at all": (lambda: os.urandom(4096), "草稿.docx", "不是有效的 Word 文档"),
    "wrong extension": (lambda: draft_docx(["正文"]), "草稿.pdf", "请上传 .docx 格式"),
    "macros": (_docm, "草稿.docx", "含有宏"),
    "password-protected": (lambda: _ole("Root Entry", "EncryptionInfo", "EncryptedPackage"), "草稿.docx", "已加密"),
    "over 20 MB": (lambda: b"PK" + b"\x00" * MAX_UPLOAD_BYTES, "草稿.docx", "20 MB"),
    "zip bomb": (lambda: bomb_docx(250 * 1024 * 1024), "草稿.docx", "压缩"),
}


@pytest.mark.parametrize("case", sorted(BAD_UPLOADS))
def test_bad_uploads_are_refused_and_change_nothing(app, drafter, case):
    make, filename, message = BAD_UPLOADS[case]
    before = counts(app)
    resp = upload(drafter, make(), filename)
    assert resp.status_code == 422, case
    assert message in resp.get_data(as_text=True), resp.get_data(as_text=True)[-1500:]
    assert counts(app) == before


def test_an_upload_past_the_request_limit_gets_a_413_page(app, drafter):
    app.config["MAX_CONTENT_LENGTH"] = 2 * 1024 * 1024
    before = counts(app)
    resp = upload(drafter, b"PK" + b"\x00" * (3 * 1024 * 1024))
    assert resp.status_code == 413 and "超过了系统允许的大小" in resp.get_data(as_text=True)
    assert counts(app) == before


@pytest.fixture
def issuing_code(app):
    with app.app_context():
        return issuing.save_code(None, "豫应急办", "河南省应急管理厅文件", "河南省应急管理厅", "河南省应急管理厅办公室").id


def _plain(block: str) -> str:
    return html.unescape(re.sub(r"<[^>]*>", "", block))


@pytest.mark.parametrize("seed_index", range(5))
def test_every_seed_goes_upload_issue_docx_without_losing_a_paragraph(app, chain_cast, people, issuing_code,
                                                                      seed_index):
    """Every paragraph of the draft reaches the issued .docx: the body in order, the title,
    主送 and 附件说明 through their fields (at their GB/T 9704 places), and only the
    发文机关标志 / 发文字号 lines above the title are replaced by the issuing's own."""
    paths = seed_files()
    if seed_index >= len(paths):
        pytest.skip("fewer seed documents than expected")
    path = paths[seed_index]
    paragraphs = seed_paragraphs(path)
    draft = draft_docx(paragraphs)
    parts = recognise(docx_to_blocks(draft))
    c = people.client("drafter")
    resp = upload(c, draft, f"{path.stem}.docx")
    assert resp.status_code == 302, resp.get_data(as_text=True)[-800:]
    with app.app_context():
        d = db.session.execute(select(Document.id).order_by(Document.id.desc())).scalars().first()
        created = doc(d)
        assert created.title == (parts.title or path.stem)
        assert (created.recipients, created.attachments) == (parts.recipients, parts.attachments)
        created.disclosure = "public"
        created.recipients = created.recipients or "各有关单位"  # a 通知 needs its 主送 (kept when the import found one)
        db.session.commit()
        act(d, chain_cast["drafter"], Action.SUBMIT)
        act(d, chain_cast["office"], Action.APPROVE)
        act(d, chain_cast["leader"], Action.APPROVE)
        day = issuing.default_written_date(doc(d))
        issued = issuing.issue_document(d, user(chain_cast["office"]), doc(d).version,
                                        issuing.IssueInput(issuing_code, day, day))
        fid = files.latest(d, "official").id
        number = issued.doc_number
    data = c.get(f"/documents/{d}/files/{fid}").data
    text = squash(document_text(data))
    body = [squash(_plain(b)) for b in parts.body_blocks]
    assert_in_order(body, text)
    for value in (parts.title, parts.recipients, *parts.attachments):
        assert squash(value) in text
    fields = squash(parts.title + parts.recipients + "".join(parts.attachments))
    replaced = {squash(parts.issuer_mark), squash(parts.doc_number)} - {""}
    for paragraph in map(squash, paragraphs):
        in_field = re.sub(r"^(附件[0-9]*[:：]?|[0-9]+[.．])|[:：]$", "", paragraph) in fields
        assert paragraph in body or in_field or paragraph in replaced or re.fullmatch(r"附件[0-9]*[:：]?", paragraph), \
            paragraph[:60]
    assert squash(number) in text and "（此件公开发布）" in text
