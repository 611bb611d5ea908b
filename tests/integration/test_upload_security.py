"""Uploads through the real routes (issue 7): hostile files are refused with a Chinese
message and a 4xx, nothing stored; names are kept safe and bounded; downloads name their
real type; the Word import fills the title, 主送 and 附件说明 fields; deep HTML is saved
flattened."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path
from urllib.parse import unquote

import pytest
from sqlalchemy import func, select

from tests.conftest import post
from tests.helpers import doc, new_draft
from tests.unit.test_attachments import EXE, GOOD, _sheet
from tests.unit.test_docgen_fixtures import draft_docx
from tests.unit.test_docgen_recognise import SEEDS, seed_docx
from tests.unit.test_safezip import _utf16_doctype_docx
from webapp import attachments
from webapp.extensions import db
from webapp.filenames import MAX_NAME_CHARS
from webapp.htmlpolicy import MAX_DEPTH
from webapp.models import AuditEvent, Document, StoredFile

FILES = Path(__file__).resolve().parents[1] / "data" / "files"


def counts(app):
    with app.app_context():
        return tuple(db.session.execute(select(func.count()).select_from(m)).scalar_one()
                     for m in (Document, StoredFile, AuditEvent))


@pytest.fixture
def drafter(app, chain_cast, people):
    return people.client("drafter")


@pytest.fixture
def draft_id(app, chain_cast):
    with app.app_context():
        return new_draft(chain_cast["drafter"])


def attach(client, doc_id: int, data: bytes, filename: str):
    return post(client, f"/drafting/{doc_id}/attachments", {"file": (io.BytesIO(data), filename)},
                content_type="multipart/form-data")


def _chinese_refusal(resp) -> str:
    body = resp.get_data(as_text=True)
    assert 400 <= resp.status_code < 500, (resp.status_code, body[-500:])
    return body


# -- refused, nothing stored ------------------------------------------------------------

HOSTILE = {
    **{f"exe renamed {ext}": (lambda: EXE, f"发票{ext}", "不是有效的") for ext in (".pdf", ".jpg", ".png", ".txt", ".ofd")},
    "xlsx cell ZZZZZ2": (lambda: _sheet('<row r="2"><c r="ZZZZZ2"><v>1</v></c></row>'), "名单.xlsx", "不是有效的 Excel"),
    "xlsx cell ZZZZZZZ2": (lambda: _sheet('<row r="2"><c r="ZZZZZZZ2"><v>1</v></c></row>'), "名单.xlsx",
                           "不是有效的 Excel"),
    "xlsx shared string ²": (lambda: _sheet('<row r="2"><c r="A2" t="s"><v>²</v></c></row>', ["张三"]), "名单.xlsx",
                             "不是有效的 Excel"),
    "xlsx too wide": (lambda: _sheet("".join(f'<row r="{i}"><c r="XFD{i}"><v>1</v></c></row>' for i in range(1, 32))),
                      "宽表.xlsx", "单元格"),
    "docx with a UTF-16 DOCTYPE": (_utf16_doctype_docx, "说明.docx", "文档类型声明"),
}


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_hostile_attachments_are_refused_in_chinese_and_nothing_is_stored(app, drafter, draft_id, case):
    make, filename, message = HOSTILE[case]
    before = counts(app)
    body = _chinese_refusal(attach(drafter, draft_id, make(), filename))
    assert message in body, body[-800:]
    assert counts(app) == before


def test_the_import_refuses_the_utf16_doctype_as_the_attachment_does(app, drafter):
    before = counts(app)
    resp = post(drafter, "/drafting/import", {"file": (io.BytesIO(_utf16_doctype_docx()), "草稿.docx"),
                                              "doc_type": "通知"}, content_type="multipart/form-data")
    assert "DOCTYPE" in _chinese_refusal(resp)
    assert counts(app) == before


def test_a_name_with_a_line_break_is_a_bad_request_not_an_error(app, drafter, draft_id):
    before = counts(app)
    _chinese_refusal(attach(drafter, draft_id, b"text", "a\r\nb.txt"))
    assert counts(app) == before


@pytest.mark.parametrize("ext", sorted(GOOD))
def test_each_allowed_type_is_stored_with_its_content_type(app, drafter, draft_id, ext):
    resp = attach(drafter, draft_id, GOOD[ext](), f"样本{ext}")
    assert resp.status_code == 302, resp.get_data(as_text=True)[-500:]
    with app.app_context():
        stored = db.session.execute(select(StoredFile).where(StoredFile.kind == "attachment")).scalar_one()
        assert (stored.filename, stored.content_type) == (f"样本{ext}", attachments.ALLOWED[ext].content_type)


# -- names --------------------------------------------------------------------------------

NAMES = {
    "../../x.txt": "x.txt",
    "/etc/passwd.txt": "passwd.txt",
    "名\x00单.txt": "名单.txt",
    "invoice\u202etxt.exe.txt": "invoicetxt.exe.txt",
    "长" * 10_000 + ".txt": "长" * (MAX_NAME_CHARS - 4) + ".txt",
}


@pytest.mark.parametrize("raw", sorted(NAMES))
def test_uploaded_names_are_kept_safe(app, drafter, draft_id, raw):
    resp = attach(drafter, draft_id, "正文".encode(), raw)
    assert resp.status_code == 302
    with app.app_context():
        stored = db.session.execute(select(StoredFile)).scalar_one()
        event = db.session.execute(select(AuditEvent).where(AuditEvent.action == "attach")).scalar_one()
        assert stored.filename == event.details["filename"] == NAMES[raw]
    page = drafter.get(f"/drafting/{draft_id}/edit").get_data(as_text=True)
    assert f"已添加附件：{NAMES[raw]}" in page and "\u202e" not in page and "\x00" not in page


def test_a_3000_character_name_does_not_swell_the_session_cookie(app, drafter, draft_id):
    resp = attach(drafter, draft_id, "正文".encode(), "很长的文件名" * 500 + ".txt")
    assert resp.status_code == 302
    cookies = [c for c in resp.headers.getlist("Set-Cookie") if c.startswith("gkt_session=")]
    assert cookies and len(cookies[0]) < 2000, len(cookies[0])


def test_the_import_keeps_a_safe_name_and_takes_the_title_from_it(app, drafter):
    resp = post(drafter, "/drafting/import", {"file": (io.BytesIO(draft_docx(["一、工作目标", "全面推进。"])),
                                                       "../../\u202e草稿.docx"), "doc_type": "通知"},
                content_type="multipart/form-data")
    assert resp.status_code == 302
    with app.app_context():
        created = db.session.execute(select(Document)).scalar_one()
        stored = db.session.execute(select(StoredFile)).scalar_one()
        assert (created.title, stored.filename) == ("草稿", "草稿.docx")


# -- downloads ----------------------------------------------------------------------------


@pytest.mark.parametrize("ext", [".pdf", ".xlsx", ".png", ".txt", ".docx"])
def test_a_download_names_its_real_type(app, drafter, draft_id, ext):
    data = GOOD[ext]()
    assert attach(drafter, draft_id, data, f"签收表{ext}").status_code == 302
    with app.app_context():
        fid = db.session.execute(select(StoredFile.id)).scalar_one()
    resp = drafter.get(f"/documents/{draft_id}/files/{fid}")
    header = resp.headers["Content-Disposition"]
    assert f'filename="document-{draft_id}-{fid}{ext}"' in header
    assert unquote(header.split("filename*=UTF-8''", 1)[1]) == f"签收表{ext}"
    assert resp.data == data


def test_a_name_stored_before_the_fix_is_made_safe_on_the_way_out(app, drafter, draft_id):
    with app.app_context():
        f = StoredFile(document_id=draft_id, kind="attachment", filename="x\r\n\u202e.pdf", content_type="application/pdf",
                       size=4, sha256="0" * 64, data=b"%PDF")
        db.session.add(f)
        db.session.commit()
        fid = f.id
    header = drafter.get(f"/documents/{draft_id}/files/{fid}").headers["Content-Disposition"]
    assert header.isascii() and "\r" not in header and "\n" not in header
    assert unquote(header.split("filename*=UTF-8''", 1)[1]) == "x.pdf"


# -- Word import recognition ---------------------------------------------------------------


@pytest.mark.parametrize("seed", ["001", "004"])
def test_word_import_fills_title_recipients_and_attachment_notes(app, drafter, seed):
    expected = SEEDS[seed]
    resp = post(drafter, "/drafting/import", {"file": (io.BytesIO(seed_docx(seed)), "扫描稿.docx"), "doc_type": "通知"},
                content_type="multipart/form-data")
    assert resp.status_code == 302, resp.get_data(as_text=True)[-800:]
    with app.app_context():
        created = db.session.execute(select(Document)).scalar_one()
        created = doc(created.id)
        assert created.title == expected["title"]
        assert created.recipients == expected["recipients"]
        assert created.attachments == expected["attachments"]
        text = re.sub(r"<[^>]*>", "", created.body_html)
        assert expected["title"] not in text.replace(" ", "")
        assert not text.startswith(expected["recipients"][:10])
        assert text.startswith(expected["first_body"][:20])
    page = drafter.get(resp.headers["Location"]).get_data(as_text=True)
    assert "已识别标题、主送机关、附件说明（1 项）" in page and "发文机关标志" in page


def test_a_title_typed_on_the_form_wins(app, drafter):
    resp = post(drafter, "/drafting/import", {"file": (io.BytesIO(seed_docx("004")), "x.docx"), "doc_type": "通知",
                                              "title": "我起的标题"}, content_type="multipart/form-data")
    assert resp.status_code == 302
    with app.app_context():
        created = db.session.execute(select(Document)).scalar_one()
        assert created.title == "我起的标题" and created.recipients == SEEDS["004"]["recipients"]


# -- the body -------------------------------------------------------------------------------


def test_a_body_of_20000_nested_bold_is_saved_flattened_and_styles_go(app, drafter, draft_id):
    with app.app_context():
        version = doc(draft_id).version
    body = "<style>@import 'javascript:alert(1)';</style>" + "<b>" * 20_000 + "正文" + "</b>" * 20_000
    resp = post(drafter, f"/drafting/{draft_id}/edit", {"title": "深层嵌套", "doc_type": "通知", "body_html": body,
                                                        "version": version, "intent": "save"})
    assert resp.status_code == 302, resp.get_data(as_text=True)[-500:]
    with app.app_context():
        saved = doc(draft_id).body_html
    assert "正文" in saved and "@import" not in saved and "javascript" not in saved
    assert saved.count("<b>") <= MAX_DEPTH


def test_every_upload_of_a_real_ofd_package_is_read_not_trusted(app, drafter, draft_id):
    """An OFD is a zip: a .docx renamed .ofd is not one, a zip bomb in its clothes neither."""
    before = counts(app)
    body = _chinese_refusal(attach(drafter, draft_id, GOOD[".docx"](), "版式.ofd"))
    assert "OFD" in body
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("OFD.xml", '<ofd:OFD xmlns:ofd="http://www.ofdspec.org/2016"/>')
        z.writestr("Doc_0/big.xml", " " * (50 * 1024 * 1024))
    assert "压缩炸弹" in _chinese_refusal(attach(drafter, draft_id, out.getvalue(), "版式.ofd"))
    assert counts(app) == before
