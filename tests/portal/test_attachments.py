"""附件 on the portal (issue 8): pushed with the policy, checked, listed, downloaded.

The protocol's limits (count, size per file and together, file names, the sha256, the bytes
matching the extension), the portal's storage (replaced as a whole by each push, withdrawn with
the document), and the download route (the type from the extension, RFC 5987 file name,
cacheable, 304 on revalidation)."""

from __future__ import annotations

import base64
import hashlib
from urllib.parse import quote

import pytest

from gkt_protocol.payload import (
    MAX_ATTACHMENT,
    MAX_ATTACHMENTS,
    AttachmentFile,
    PayloadError,
    clean_filename,
    parse_publication,
)
from tests.portal.conftest import AGENCY, make_docx, page_path, publication, push, withdraw

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 16


def attachment(name: str, content: bytes, title: str = "") -> AttachmentFile:
    return AttachmentFile.build(name, title, content)


def with_files(*files: AttachmentFile, **kw):
    return publication(attachments=tuple(files), **kw)


# --------------------------------------------------------------------------- the protocol

@pytest.mark.parametrize("raw, clean", [
    ("../../etc/passwd.docx", "passwd.docx"),
    ("C:\\fakepath\\名单.DOCX", "名单.docx"),
    ("a\u202egpj.exe.docx", "agpj.exe.docx"),  # the right-to-left override is dropped
    ("  .hidden  名单 .pdf", "hidden 名单.pdf"),
    ("x\r\ny\x00.txt", "x y.txt"),
    ('a<b>:"c".png', "a_b___c_.png"),
    ("长" * 300 + ".xlsx", "长" * 115 + ".xlsx"),
])
def test_file_names_are_cleaned_for_storage_and_content_disposition(raw, clean):
    assert clean_filename(raw) == clean
    assert clean_filename(clean) == clean


def test_attachments_survive_the_round_trip_and_keep_their_order():
    pub = with_files(attachment("附件1 名单.docx", make_docx("名单"), "受表彰人员名单"),
                     attachment("附件2.pdf", PDF))
    back = parse_publication(pub.to_json())
    assert [(a.filename, a.title, a.content_type) for a in back.attachments] == [
        ("附件1 名单.docx", "受表彰人员名单",
         "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        ("附件2.pdf", "", "application/pdf")]
    assert back.attachments[0].content == make_docx("名单")


def _message_with(**file_fields) -> dict:
    good = attachment("附件.pdf", PDF).to_json()
    good.update(file_fields)
    message = publication().to_json()
    message["attachments"] = [good]
    return message


@pytest.mark.parametrize("fields, words", [
    ({"filename": "../附件.pdf"}, "文件名含有路径"),
    ({"filename": "附件\u202e.pdf"}, "文件名含有路径"),
    ({"filename": "附件.exe"}, "格式不在允许之列"),
    ({"filename": "附件.html"}, "格式不在允许之列"),
    ({"sha256": "0" * 64}, "校验值与内容不符"),
    ({"content_base64": "!!!"}, "不是有效的 Base64"),
    ({"content_base64": base64.b64encode(b"MZ\x90\x00 not a pdf").decode()}, "与扩展名 .pdf 不符"),
    ({"filename": "说明.txt", "content_base64": base64.b64encode("说明".encode("gb18030")).decode()},
     "与扩展名 .txt 不符"),
])
def test_a_bad_attachment_is_refused_with_its_number_and_why(fields, words):
    message = _message_with(**fields)
    encoded = fields.get("content_base64")
    if encoded and encoded != "!!!" and "sha256" not in fields:  # the right digest: the content itself is wrong
        message["attachments"][0]["sha256"] = hashlib.sha256(base64.b64decode(encoded)).hexdigest()
    with pytest.raises(PayloadError) as exc:
        parse_publication(message)
    assert any(p.startswith("附件1") and words in p for p in exc.value.problems), exc.value.problems


def test_count_size_and_total_limits():
    message = publication().to_json()
    message["attachments"] = [attachment(f"{i}.pdf", PDF).to_json() for i in range(MAX_ATTACHMENTS + 1)]
    with pytest.raises(PayloadError, match=f"不超过 {MAX_ATTACHMENTS} 个文件"):
        parse_publication(message)
    message["attachments"] = [{"filename": "大.pdf", "sha256": "0" * 64,
                               "content_base64": "A" * ((MAX_ATTACHMENT * 4) // 3 + 12)}]
    with pytest.raises(PayloadError, match="超过 20 MB"):  # refused before decoding
        parse_publication(message)
    big = PDF + b"0" * (12 * 1024 * 1024)
    message["attachments"] = [attachment(f"{i}.pdf", big).to_json() for i in range(3)]  # 36 MB together
    with pytest.raises(PayloadError, match="合计超过 30 MB"):
        parse_publication(message)


# --------------------------------------------------------------------------- the portal

def test_the_page_lists_the_attachments_and_each_downloads_exactly_with_its_name(portal):
    docx = make_docx("受表彰人员名单")
    assert push(portal, with_files(attachment("附件1 受表彰人员名单.docx", docx, "2026年度先进集体和先进个人名单"),
                                   attachment("report-2026.pdf", PDF))).status_code == 200
    page = portal.get(page_path()).get_data(as_text=True)
    assert "附件" in page and "2026年度先进集体和先进个人名单" in page and "附件1 受表彰人员名单.docx" in page
    assert "Word 文档" in page and "PDF 文件" in page and "字节" in page
    first = f"/xxgk/{AGENCY}/2026-00001_fj1.docx"
    assert f'href="{first}"' in page
    r = portal.get(first)
    assert r.status_code == 200 and r.data == docx
    assert r.mimetype == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    assert r.headers["Content-Disposition"] == (
        "attachment; filename=\"2026-00001-fj1.docx\"; filename*=UTF-8''" + quote("附件1 受表彰人员名单.docx", safe=""))
    assert r.headers["X-Content-Type-Options"] == "nosniff"
    assert "public" in r.headers["Cache-Control"] and r.headers["ETag"] and r.headers["Last-Modified"]
    assert portal.get(first, headers={"If-None-Match": r.headers["ETag"]}).status_code == 304
    r = portal.get(f"/xxgk/{AGENCY}/2026-00001_fj2.pdf")
    assert r.data == PDF and r.mimetype == "application/pdf"
    assert r.headers["Content-Disposition"].startswith('attachment; filename="report-2026.pdf";')
    for wrong in ("_fj2.docx", "_fj3.pdf", "_fj0.pdf", "_jd_fj1.docx"):  # wrong type, none such
        assert portal.get(f"/xxgk/{AGENCY}/2026-00001{wrong}").status_code == 404


def test_a_text_file_is_served_as_utf8_text(portal):
    push(portal, with_files(attachment("说明.txt", "联系方式见正文。".encode())))
    r = portal.get(f"/xxgk/{AGENCY}/2026-00001_fj1.txt")
    assert r.headers["Content-Type"] == "text/plain; charset=utf-8" and r.data.decode() == "联系方式见正文。"


def test_a_new_push_replaces_the_attachments_and_a_withdrawal_takes_them_down(portal):
    push(portal, with_files(attachment("a.pdf", PDF), attachment("b.png", PNG)))
    push(portal, with_files(attachment("c.pdf", PDF + b"%2"), version=2))
    page = portal.get(page_path()).get_data(as_text=True)
    assert "c.pdf" in page and "a.pdf" not in page and "b.png" not in page
    assert portal.get(f"/xxgk/{AGENCY}/2026-00001_fj2.png").status_code == 404
    assert portal.get(f"/xxgk/{AGENCY}/2026-00001_fj1.pdf").data == PDF + b"%2"
    withdraw(portal, version=3)
    r = portal.get(f"/xxgk/{AGENCY}/2026-00001_fj1.pdf")
    assert r.status_code == 410 and PDF not in r.data
    push(portal, with_files(version=4))  # republished without attachments: none listed
    assert "attachments-heading" not in portal.get(page_path()).get_data(as_text=True)
    assert portal.get(f"/xxgk/{AGENCY}/2026-00001_fj1.pdf").status_code == 404


def test_a_bad_attachment_refuses_the_whole_push_and_stores_nothing(portal):
    message = with_files(attachment("a.pdf", PDF)).to_json()
    message["attachments"][0]["sha256"] = "0" * 64
    r = push(portal, message)
    assert r.status_code == 400 and any("附件1" in p for p in r.get_json()["problems"])
    assert portal.get(page_path()).status_code == 404
