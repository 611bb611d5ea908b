"""docx_to_body_html: refusals (before parsing) and the conversion itself."""

from __future__ import annotations

import io
import os
import struct
import zipfile

import bleach
import docx
import pytest
from docx.oxml.ns import qn
from docx.oxml.parser import parse_xml

from tests.unit.test_docgen_fixtures import draft_docx, sample_document, squash
from webapp import safezip
from webapp.docgen import (
    ALLOWED_TAGS,
    MAX_UPLOAD_BYTES,
    DocxImportError,
    build_docx,
    document_text,
    docx_to_body_html,
    importer,
)

NOT_DOCX = "文件不是有效的 Word 文档（.docx）"
MACRO = "文件含有宏，出于安全原因不予接收"
ENCRYPTED = "文件已加密（设有打开密码），请去除密码后再上传"
TOO_LARGE = "文件超过 20 MB"

DOCUMENT_XML_HEAD = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
    b"<w:body><w:p><w:r><w:t>"
)
DOCUMENT_XML_TAIL = b"</w:t></w:r></w:p></w:body></w:document>"


def refused(data: bytes) -> str:
    with pytest.raises(DocxImportError) as info:
        docx_to_body_html(data)
    assert isinstance(info.value, ValueError)
    assert info.value.message == str(info.value)
    return info.value.message


def rezip(data: bytes, replace: dict[str, bytes] | None = None, add: dict[str, bytes] | None = None) -> bytes:
    """A copy of a .docx zip with members replaced or added."""
    replace, add = replace or {}, add or {}
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            zout.writestr(info.filename, replace.get(info.filename, zin.read(info.filename)))
        for name, blob in add.items():
            zout.writestr(name, blob)
    return out.getvalue()


def bomb_docx(expanded_bytes: int) -> bytes:
    """A .docx whose document.xml inflates to *expanded_bytes* of spaces."""
    base = draft_docx(["正文"])
    out = io.BytesIO()
    chunk = b" " * (1 << 20)
    with zipfile.ZipFile(io.BytesIO(base)) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            if info.filename == "word/document.xml":
                continue
            zout.writestr(info.filename, zin.read(info.filename))
        with zout.open("word/document.xml", "w", force_zip64=True) as member:
            member.write(DOCUMENT_XML_HEAD)
            left = expanded_bytes
            while left > 0:
                member.write(chunk[: min(left, len(chunk))])
                left -= len(chunk)
            member.write(DOCUMENT_XML_TAIL)
    return out.getvalue()


# -- refusals ----------------------------------------------------------------------


def test_random_bytes_are_not_a_docx() -> None:
    assert refused(os.urandom(4096)) == NOT_DOCX
    assert refused(b"") == NOT_DOCX
    assert refused(b"PK\x03\x04 truncated") == NOT_DOCX


def test_zip_without_word_document_is_not_a_docx() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("hello.txt", "不是文档")
    assert refused(out.getvalue()) == NOT_DOCX


def test_docm_with_vba_project_is_refused() -> None:
    data = draft_docx(["正文"])
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        types = zf.read("[Content_Types].xml")
    types = types.replace(b"wordprocessingml.document.main+xml", b"vnd.ms-word.document.macroEnabled.main+xml").replace(
        b"</Types>",
        b'<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/></Types>',
    )
    docm = rezip(data, replace={"[Content_Types].xml": types}, add={"word/vbaProject.bin": b"\xd0\xcf\x11\xe0macro"})
    assert refused(docm) == MACRO
    # either sign alone is enough
    assert refused(rezip(data, add={"word/vbaProject.bin": b"x"})) == MACRO
    assert refused(rezip(data, replace={"[Content_Types].xml": types})) == MACRO


def _ole(*stream_names: str) -> bytes:
    header = importer._OLE_MAGIC + b"\x00" * 16 + struct.pack("<HH", 0x3E, 3) + b"\x00" * 482
    directory = b"".join(name.encode("utf-16-le").ljust(64, b"\x00") + b"\x00" * 64 for name in stream_names)
    return header + directory + os.urandom(1024)


def test_encrypted_office_file_is_refused() -> None:
    assert refused(_ole("Root Entry", "EncryptionInfo", "EncryptedPackage")) == ENCRYPTED


def test_old_binary_doc_is_refused_with_save_as_hint() -> None:
    message = refused(_ole("Root Entry", "WordDocument", "1Table"))
    assert "请另存为 .docx 后上传" in message


def test_over_20_mb_is_refused_before_anything_else() -> None:
    assert MAX_UPLOAD_BYTES == 20 * 1024 * 1024
    assert refused(b"\x00" * (MAX_UPLOAD_BYTES + 1)) == TOO_LARGE
    assert refused(b"PK" + b"\x00" * MAX_UPLOAD_BYTES) == TOO_LARGE


def test_zip_bomb_of_250_mb_is_refused() -> None:
    data = bomb_docx(250 * 1024 * 1024)
    assert len(data) < 2 * 1024 * 1024  # ~250 KB
    assert "压缩炸弹" in refused(data)


def test_high_ratio_under_200_mb_is_refused() -> None:
    data = bomb_docx(30 * 1024 * 1024)  # 30 MB of spaces → ~30 KB: > 100×
    assert "压缩炸弹" in refused(data)


def _patch_sizes(data: bytes, name: bytes, size: int) -> bytes:
    """Make the local and central headers of *name* claim *size* bytes."""
    buf = bytearray(data)
    pos = 0
    while (pos := buf.find(b"PK\x01\x02", pos)) >= 0:  # central directory entries
        name_len = struct.unpack_from("<H", buf, pos + 28)[0]
        if bytes(buf[pos + 46 : pos + 46 + name_len]) == name:
            struct.pack_into("<I", buf, pos + 24, size)
            local = struct.unpack_from("<I", buf, pos + 42)[0]
            struct.pack_into("<I", buf, local + 22, size)
        pos += 4
    return bytes(buf)


def test_lying_size_header_does_not_help() -> None:
    base = draft_docx(["正文"])
    big = DOCUMENT_XML_HEAD + b" " * (40 * 1024 * 1024) + DOCUMENT_XML_TAIL
    data = rezip(base, replace={"word/document.xml": big})
    lying = _patch_sizes(data, b"word/document.xml", 1000)
    with zipfile.ZipFile(io.BytesIO(lying)) as zf:  # the lie is what a reader sees
        assert zf.getinfo("word/document.xml").file_size == 1000
    assert refused(lying) in (NOT_DOCX, importer.MSG_ZIP_BOMB)


def test_bounded_reader_stops_at_its_budget_whatever_the_header_says() -> None:
    data = rezip(draft_docx(["正文"]), add={"word/big.xml": b" " * 100_000})
    package = safezip.Package(data, MAX_UPLOAD_BYTES)
    info = next(i for i in package.infos if i.filename == "word/big.xml")
    assert len(package._inflate(info, 100_000)) == 100_000
    with pytest.raises(safezip.SafeZipError) as refused_:
        package._inflate(info, 50_000)
    assert refused_.value.reason == "bomb"


def test_doctype_is_refused_and_entities_are_never_resolved(tmp_path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOPSECRET", encoding="utf-8")
    xxe = (
        f'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "{secret.as_uri()}">]>'
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        "<w:body><w:p><w:r><w:t>&x;</w:t></w:r></w:p></w:body></w:document>"
    ).encode()
    data = rezip(draft_docx(["正文"]), replace={"word/document.xml": xxe})
    assert "DOCTYPE" in refused(data)
    # and python-docx's own parser (resolve_entities=False) does not expand it
    element = parse_xml(xxe)
    assert "TOPSECRET" not in "".join(element.itertext())


def test_zip_with_encrypted_member_is_refused() -> None:
    data = bytearray(draft_docx(["正文"]))
    pos = data.find(b"PK\x01\x02")
    struct.pack_into("<H", data, pos + 8, struct.unpack_from("<H", data, pos + 8)[0] | 1)
    assert refused(bytes(data)) == NOT_DOCX


# -- conversion --------------------------------------------------------------------


def _html(document: docx.document.Document) -> str:
    out = io.BytesIO()
    document.save(out)
    return docx_to_body_html(out.getvalue())


def assert_allowed(fragment: str) -> None:
    assert bleach.clean(fragment, tags=ALLOWED_TAGS, attributes={}, strip=True) == fragment


def test_paragraphs_formatting_lists_and_tables_in_document_order() -> None:
    d = docx.Document()
    d.add_heading("一、总体要求", 1)
    p = d.add_paragraph("普通")
    p.add_run("粗体").bold = True
    p.add_run("斜体").italic = True
    p.add_run("下划线").underline = True
    d.add_paragraph("")
    d.add_paragraph("   ")
    d.add_paragraph("甲项", style="List Bullet")
    d.add_paragraph("乙项", style="List Bullet")
    d.add_paragraph("第一", style="List Number")
    table = d.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "任务"
    table.cell(0, 1).text = "时限"
    table.cell(1, 0).text = "<编制> & 公开"
    table.cell(1, 1).text = "7月\n15日"
    d.add_paragraph("（一）指导思想")
    html = _html(d)
    assert html == (
        "<p>一、总体要求</p>\n"
        "<p>普通<strong>粗体</strong><em>斜体</em><u>下划线</u></p>\n"
        "<ul><li>甲项</li><li>乙项</li></ul>\n"
        "<ol><li>第一</li></ol>\n"
        "<table><tbody><tr><td>任务</td><td>时限</td></tr>"
        "<tr><td>&lt;编制&gt; &amp; 公开</td><td>7月<br>15日</td></tr></tbody></table>\n"
        "<p>（一）指导思想</p>"
    )
    assert_allowed(html)


def test_repeated_header_row_becomes_thead() -> None:
    d = docx.Document()
    table = d.add_table(rows=2, cols=1)
    table.cell(0, 0).text = "表头"
    table.cell(1, 0).text = "内容"
    trpr = table.rows[0]._tr.get_or_add_trPr()
    trpr.append(trpr.makeelement(qn("w:tblHeader"), {}))
    html = _html(d)
    assert html == "<table><thead><tr><th>表头</th></tr></thead><tbody><tr><td>内容</td></tr></tbody></table>"
    assert_allowed(html)


def test_hidden_and_deleted_text_never_comes_through() -> None:
    d = docx.Document()
    p = d.add_paragraph("可见")
    hidden = p.add_run("隐藏")
    hidden.font.hidden = True
    p._p.append(
        parse_xml(
            '<w:del xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
            'w:id="1" w:author="张三"><w:r><w:delText>已删除</w:delText></w:r></w:del>'
        )
    )
    p._p.append(
        parse_xml(
            '<w:ins xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
            'w:id="2" w:author="张三"><w:r><w:t>已插入</w:t></w:r></w:ins>'
        )
    )
    html = _html(d)
    assert html == "<p>可见已插入</p>"


def test_automatic_chinese_numbering_is_written_out() -> None:
    d = docx.Document()
    numbering = d.part.numbering_part.element
    ns = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    numbering.insert(
        0,
        parse_xml(
            f'<w:abstractNum {ns} w:abstractNumId="90">'
            '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/>'
            '<w:lvlText w:val="%1、"/></w:lvl>'
            '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/>'
            '<w:lvlText w:val="（%2）"/></w:lvl></w:abstractNum>'
        ),
    )
    numbering.append(parse_xml(f'<w:num {ns} w:numId="90"><w:abstractNumId w:val="90"/></w:num>'))

    def numbered(text: str, level: int) -> None:
        p = d.add_paragraph(text)
        ppr = p._p.get_or_add_pPr()
        ppr.append(parse_xml(f'<w:numPr {ns}><w:ilvl w:val="{level}"/><w:numId w:val="90"/></w:numPr>'))

    numbered("总体要求", 0)
    numbered("指导思想", 1)
    numbered("工作目标", 1)
    numbered("主要任务", 0)
    numbered("公开标准", 1)
    assert _html(d).split("\n") == [
        "<p>一、总体要求</p>",
        "<p>（一）指导思想</p>",
        "<p>（二）工作目标</p>",
        "<p>二、主要任务</p>",
        "<p>（一）公开标准</p>",
    ]


def test_fields_show_their_result_not_their_code() -> None:
    d = docx.Document()
    p = d.add_paragraph("第")
    ns = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    for xml in (
        '<w:r {ns}><w:fldChar w:fldCharType="begin"/></w:r>',
        "<w:r {ns}><w:instrText> PAGE </w:instrText></w:r>",
        '<w:r {ns}><w:fldChar w:fldCharType="separate"/></w:r>',
        "<w:r {ns}><w:t>3</w:t></w:r>",
        '<w:r {ns}><w:fldChar w:fldCharType="end"/></w:r>',
        "<w:r {ns}><w:t>页</w:t></w:r>",
    ):
        p._p.append(parse_xml(xml.format(ns=ns)))
    assert _html(d) == "<p>第3页</p>"


def test_empty_draft_gives_empty_body() -> None:
    assert docx_to_body_html(draft_docx(["", "  "])) == ""


def test_generated_official_document_imports_back() -> None:
    html = docx_to_body_html(build_docx(sample_document()))
    assert_allowed(html)
    assert "<p>一、工作目标</p>" in html
    assert "<strong>政务公开标准体系</strong>" in html
    assert "（此件公开发布）" in html


def test_import_then_build_keeps_every_paragraph() -> None:
    paragraphs = ["一、总体要求", "为贯彻落实有关要求，制定本方案。", "（一）指导思想", "1．坚持依法公开。"]
    html = docx_to_body_html(draft_docx(paragraphs))
    text = squash(document_text(build_docx(sample_document(body_html=html))))
    position = 0
    for paragraph in paragraphs:
        position = text.index(squash(paragraph), position) + 1


# -- issue 7: every quantity bounded, every failure a refusal -----------------------------


def test_a_huge_list_start_number_is_bounded() -> None:
    d = docx.Document()
    numbering = d.part.numbering_part.element
    ns = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    numbering.insert(0, parse_xml(
        f'<w:abstractNum {ns} w:abstractNumId="91"><w:lvl w:ilvl="0"><w:start w:val="999999999"/>'
        '<w:numFmt w:val="upperLetter"/><w:lvlText w:val="%1."/></w:lvl></w:abstractNum>'))
    numbering.append(parse_xml(f'<w:num {ns} w:numId="91"><w:abstractNumId w:val="91"/></w:num>'))
    for text in ("甲", "乙"):
        p = d.add_paragraph(text)
        p._p.get_or_add_pPr().append(parse_xml(f'<w:numPr {ns}><w:ilvl w:val="0"/><w:numId w:val="91"/></w:numPr>'))
    html = _html(d)
    assert html == "<p>32767.甲</p>\n<p>32768.乙</p>"


def test_any_failure_while_converting_is_the_refusal(monkeypatch) -> None:
    def broken(self, container, out):
        raise RuntimeError("a part python-docx did not expect")

    monkeypatch.setattr(importer._Converter, "blocks", broken)
    assert refused(draft_docx(["正文"])) == NOT_DOCX


def test_the_converted_text_is_bounded(monkeypatch) -> None:
    monkeypatch.setattr(importer, "MAX_OUTPUT_CHARS", 100)
    assert refused(draft_docx(["正文" * 30, "正文" * 30])) == importer.MSG_TOO_LONG


def test_the_import_and_the_html_policy_share_one_allow_list() -> None:
    from webapp import htmlpolicy, richtext

    assert importer.ALLOWED_TAGS is htmlpolicy.ALLOWED_TAGS is richtext.ALLOWED_TAGS
