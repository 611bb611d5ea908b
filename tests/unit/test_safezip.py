"""The one zip reader behind the Word import and the attachments (webapp/safezip.py)."""

from __future__ import annotations

import io
import zipfile

import pytest

from tests.unit.test_docgen_fixtures import draft_docx
from tests.unit.test_docgen_importer import rezip
from webapp import attachments, safezip
from webapp.docgen import DocxImportError, docx_to_body_html

LIMIT = 20 * 1024 * 1024
DOCTYPE_XML = '<?xml version="1.0" encoding="{enc}"?><!DOCTYPE d [<!ENTITY x "boom">]><d>&x;</d>'


def package(members: dict[str, bytes], types: str = "") -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        if types:
            z.writestr("[Content_Types].xml", types)
        for name, blob in members.items():
            z.writestr(name, blob)
    return out.getvalue()


def reason(data: bytes, **kwargs) -> str:
    with pytest.raises(safezip.SafeZipError) as info:
        safezip.read_members(data, LIMIT, **kwargs)
    return info.value.reason


ENCODED = {
    "utf-8": DOCTYPE_XML.format(enc="UTF-8").encode("utf-8"),
    "utf-8 with a mark": DOCTYPE_XML.format(enc="UTF-8").encode("utf-8-sig"),
    "utf-16 little-endian with a mark": DOCTYPE_XML.format(enc="UTF-16").encode("utf-16"),
    "utf-16 little-endian without": DOCTYPE_XML.format(enc="UTF-16").encode("utf-16-le"),
    "utf-16 big-endian without": DOCTYPE_XML.format(enc="UTF-16").encode("utf-16-be"),
    "utf-32": DOCTYPE_XML.format(enc="UTF-32").encode("utf-32"),
    "lower case": DOCTYPE_XML.format(enc="utf-16").replace("DOCTYPE", "doctype").encode("utf-16"),
}


@pytest.mark.parametrize("encoding", sorted(ENCODED))
def test_a_doctype_is_found_in_every_unicode_encoding(encoding):
    assert reason(package({"word/document.xml": ENCODED[encoding]})) == "doctype"


def test_a_doctype_in_a_part_not_named_xml_is_found_too():
    """python-docx finds parts through relationships, so the name proves nothing."""
    assert reason(package({"word/document.dat": ENCODED["utf-16 little-endian with a mark"]})) == "doctype"


@pytest.mark.parametrize("declared", ["UTF-7", "ISO-8859-1", "GB2312", "EBCDIC-US"])
def test_an_xml_member_in_another_encoding_is_refused(declared):
    blob = f'<?xml version="1.0" encoding="{declared}"?><d>+ADw-!DOCTYPE</d>'.encode("ascii")
    assert reason(package({"xl/workbook.xml": blob})) == "encoding"


def test_xml_that_does_not_decode_is_refused():
    broken = "<d>正文</d>".encode("utf-16-le") + b"\x00\xd8"  # a lone surrogate at the end
    assert reason(package({"word/document.xml": broken})) == "encoding"


def test_binary_members_are_kept_as_they_are():
    members = {"word/media/image1.png": b"\x89PNG\r\n\x1a\n" + bytes(range(256)), "word/document.xml": b"<d/>"}
    assert safezip.read_members(package(members), LIMIT) == members


SVG = b'<?xml version="1.0"?><!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "x.dtd"><svg/>'
TYPES = ('<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
         '<Default Extension="svg" ContentType="image/svg+xml"/>'
         '<Override PartName="/word/document.xml" ContentType="image/svg+xml"/></Types>')


def test_an_image_the_package_declares_may_carry_a_doctype_but_no_xml_part_may():
    assert safezip.read_members(package({"word/media/logo.svg": SVG}, TYPES), LIMIT)["word/media/logo.svg"] == SVG
    assert reason(package({"word/media/logo.svg": SVG})) == "doctype"  # not declared as an image
    assert reason(package({"word/document.xml": SVG}, TYPES)) == "doctype"  # found by name: always checked


def test_elements_and_depth_are_bounded():
    many = b"<d>" + b"<e/>" * 1001 + b"</d>"
    assert reason(package({"a.xml": many}), max_elements=1000) == "too_complex"
    assert safezip.read_members(package({"a.xml": many}), LIMIT, max_elements=1002)
    deep = b"<e>" * 129 + b"</e>" * 129
    assert reason(package({"a.xml": deep})) == "too_complex"
    assert safezip.read_members(package({"a.xml": b"<e>" * 100 + b"</e>" * 100}), LIMIT)


def test_the_element_budget_is_for_the_whole_package():
    half = b"<d>" + b"<e/>" * 600 + b"</d>"
    assert reason(package({"a.xml": half, "b.xml": half}), max_elements=1000) == "too_complex"


def test_too_many_members_and_lying_sizes_are_a_bomb():
    assert reason(package({f"m{i}.txt": b"" for i in range(safezip.MAX_MEMBERS + 1)})) == "bomb"
    assert reason(package({"big.xml": b" " * (3 * 1024 * 1024)})) == "bomb"  # over 100× the upload


@pytest.mark.parametrize("data", [b"", b"PK\x03\x04 truncated", b"MZ\x90\x00" + bytes(500)])
def test_what_is_not_a_zip_is_invalid(data):
    assert reason(data) == "invalid"


def test_over_the_size_limit_is_refused_before_opening():
    assert reason(b"PK" + bytes(LIMIT)) == "too_large"


def test_the_caller_sees_members_first_in_the_order_it_asks():
    seen: list[str] = []
    safezip.read_members(package({"b.xml": b"<b/>", "a.xml": b"<a/>"}), LIMIT, first=["a.xml"],
                         inspect=lambda name, blob: seen.append(name))
    assert seen == ["a.xml", "b.xml"]


# -- one check for the import and the attachment ----------------------------------------


def _utf16_doctype_docx() -> bytes:
    base = draft_docx(["正文"])
    with zipfile.ZipFile(io.BytesIO(base)) as z:
        xml = z.read("word/document.xml").decode("utf-8")
    head, rest = xml.split("?>", 1)
    hostile = (head.replace('encoding="UTF-8"', 'encoding="UTF-16"') + "?>"
               + '<!DOCTYPE w:document [<!ENTITY e "x">]>' + rest)
    return rezip(base, replace={"word/document.xml": hostile.encode("utf-16")})


def test_a_utf16_doctype_is_refused_by_the_import_and_the_attachment_alike():
    data = _utf16_doctype_docx()
    with pytest.raises(DocxImportError, match="DOCTYPE"):
        docx_to_body_html(data)
    with pytest.raises(attachments.AttachmentError, match="文档类型声明"):
        attachments.check("说明.docx", data)


def test_a_utf16_macro_content_type_is_refused():
    base = draft_docx(["正文"])
    with zipfile.ZipFile(io.BytesIO(base)) as z:
        types = z.read("[Content_Types].xml").decode("utf-8")
    types = types.replace('encoding="UTF-8"', 'encoding="UTF-16"').replace(
        "wordprocessingml.document.main+xml", "vnd.ms-word.document.macroEnabled.main+xml")
    with pytest.raises(DocxImportError, match="宏"):
        docx_to_body_html(rezip(base, replace={"[Content_Types].xml": types.encode("utf-16")}))
