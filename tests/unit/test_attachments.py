"""Attachment text for the de-identification review, and their masked public copies."""

import io
import zipfile

import openpyxl
import pytest

from webapp import attachments
from webapp.publiccopy import find_in_fields, replacement_texts


def workbook(*sheets: list[list]) -> bytes:
    wb = openpyxl.Workbook()
    for i, rows in enumerate(sheets):
        ws = wb.active if i == 0 else wb.create_sheet(f"表{i + 1}")
        for row in rows:
            ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def masked_rows(data: bytes) -> list[list[list]]:
    wb = openpyxl.load_workbook(io.BytesIO(data))
    return [[[c.value for c in r] for r in ws.iter_rows()] for ws in wb.worksheets]


def mask_all(filename: str, data: bytes) -> bytes:
    scanned = attachments.scan(filename, data)
    found = find_in_fields({"a": scanned.text})
    reps = replacement_texts(found)
    return attachments.public_copy(filename, data, [(f.start, f.end, reps[f]) for f in found])


def test_rows_read_as_tab_separated_lines_under_their_headers():
    data = workbook([["姓名", "电话"], ["张三", 13812345678], ["李四", None]])
    assert attachments.xlsx_items(data)[:3] == ["姓名\t电话", "张三\t13812345678", "李四"]


def test_every_sheet_is_masked_at_the_right_cells():
    data = workbook([["姓名", "电话"], ["张三", "13812345678"]],
                    [["姓名", "身份证号"], ["李四", "110101199003074514"]])
    out = mask_all("名单.xlsx", data)
    assert masked_rows(out) == [[["姓名", "电话"], ["张某", "138****5678"]],
                                [["姓名", "身份证号"], ["李某", "110101********4514"]]]
    with zipfile.ZipFile(io.BytesIO(out)) as z:
        xml = "".join(z.read(n).decode("utf-8", "ignore") for n in z.namelist())
    for original in ("张三", "李四", "13812345678", "110101199003074514"):
        assert original not in xml


def test_a_docx_attachment_is_republished_as_plain_paragraphs_and_tables():
    import docx

    d = docx.Document()
    d.add_paragraph("联系人王五，电话13812345678。")
    t = d.add_table(rows=1, cols=2)
    t.cell(0, 0).text, t.cell(0, 1).text = "申请人", "赵六"
    buf = io.BytesIO()
    d.save(buf)
    out = mask_all("说明.docx", buf.getvalue())
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(out)).paragraphs)
    assert "138****5678" in text and "13812345678" not in text
    with zipfile.ZipFile(io.BytesIO(out)) as z:
        assert "13812345678" not in "".join(z.read(n).decode("utf-8", "ignore") for n in z.namelist())


@pytest.mark.parametrize("name,data,message", [
    ("a.exe", b"MZ", "只接受"),
    ("a.xlsx", b"PK\x03\x04 broken", "不是有效的 Excel"),
    ("a.pdf", b"", "空文件"),
    ("a.pdf", b"%" * (20 * 1024 * 1024 + 1), "20 MB"),
])
def test_unsafe_attachments_are_refused(name, data, message):
    with pytest.raises(attachments.AttachmentError, match=message):
        attachments.check(name, data)


def test_an_xlsx_bomb_is_refused():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/workbook.xml", "<workbook/>")
        z.writestr("xl/worksheets/sheet1.xml", " " * (150 * 1024 * 1024))
    with pytest.raises(attachments.AttachmentError, match="压缩炸弹"):
        attachments.check("炸弹.xlsx", out.getvalue())


def test_other_files_are_not_scanned():
    assert attachments.scan("扫描件.pdf", b"%PDF-1.4") is None


# -- issue 7: content against the extension, bounded workbooks ---------------------------

from pathlib import Path  # noqa: E402

from tests.unit.test_docgen_fixtures import draft_docx  # noqa: E402
from tests.unit.test_docgen_importer import rezip  # noqa: E402

FILES = Path(__file__).resolve().parents[1] / "data" / "files"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + bytes(range(256)) * 8 + b"PE\x00\x00"
OFD_XML = ('<?xml version="1.0" encoding="UTF-8"?><ofd:OFD xmlns:ofd="http://www.ofdspec.org/2016" '
           'Version="1.0" DocType="OFD"><ofd:DocBody><ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot>'
           '</ofd:DocBody></ofd:OFD>')


def ofd(entry: str = OFD_XML) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("OFD.xml", entry)
        z.writestr("Doc_0/Document.xml", '<ofd:Document xmlns:ofd="http://www.ofdspec.org/2016"/>')
    return out.getvalue()


GOOD = {
    ".docx": lambda: draft_docx(["正文"]),
    ".xlsx": lambda: workbook([["姓名"], ["张三"]]),
    ".pdf": lambda: (FILES / "sample.pdf").read_bytes(),
    ".ofd": ofd,
    ".jpg": lambda: (FILES / "sample.jpg").read_bytes(),
    ".jpeg": lambda: (FILES / "sample.jpg").read_bytes(),
    ".png": lambda: (FILES / "sample.png").read_bytes(),
    ".txt": lambda: "联系人：王五\n电话：13812345678\n".encode(),
}


def test_the_table_of_types_is_the_one_list_of_what_may_be_attached():
    assert set(attachments.ALLOWED) == set(GOOD)
    assert attachments.SCANNED == {".docx", ".xlsx"}


@pytest.mark.parametrize("ext", sorted(GOOD))
def test_each_allowed_type_accepts_a_real_file(ext):
    assert attachments.check(f"样本{ext}", GOOD[ext]()) == attachments.ALLOWED[ext].content_type


@pytest.mark.parametrize("ext", sorted(GOOD))
def test_an_exe_renamed_to_an_allowed_type_is_refused(ext):
    with pytest.raises(attachments.AttachmentError) as info:
        attachments.check(f"发票{ext}", EXE)
    assert "不予接收" in str(info.value) or "不是有效的" in str(info.value)


@pytest.mark.parametrize("name,make", [
    ("图片.png", GOOD[".jpg"]), ("图片.jpg", GOOD[".png"]), ("文件.pdf", GOOD[".png"]),
    ("版式.ofd", GOOD[".docx"]), ("说明.txt", GOOD[".pdf"]), ("表.xlsx", GOOD[".docx"]),
    ("版式.ofd", lambda: ofd("<Other/>")), ("截断.png", lambda: GOOD[".png"]()[:200]),
    ("截断.pdf", lambda: GOOD[".pdf"]()[:4000]),
])
def test_content_of_another_type_is_refused(name, make):
    with pytest.raises(attachments.AttachmentError, match="不是有效的|不予接收"):
        attachments.check(name, make())


@pytest.mark.parametrize("data", [
    "公开".encode("gb18030"), "公开".encode("utf-16"), "\ufeff公开".encode("utf-8"), b"plain ascii\r\n\tok\f",
])
def test_text_in_the_usual_chinese_encodings_is_accepted(data):
    assert attachments.check("说明.txt", data) == "text/plain"


def _sheet(rows_xml: str, shared: list[str] | None = None) -> bytes:
    """A real workbook whose first sheet's rows are replaced by *rows_xml*."""
    base = workbook([["x"]])
    sheet = ('<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
             f'spreadsheetml/2006/main"><sheetData>{rows_xml}</sheetData></worksheet>')
    replace = {"xl/worksheets/sheet1.xml": sheet.encode()}
    add = {}
    if shared is not None:
        sst = ('<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/'
               'spreadsheetml/2006/main">' + "".join(f"<si><t>{s}</t></si>" for s in shared) + "</sst>")
        with zipfile.ZipFile(io.BytesIO(base)) as z:
            target = replace if "xl/sharedStrings.xml" in z.namelist() else add
        target["xl/sharedStrings.xml"] = sst.encode()
    return rezip(base, replace=replace, add=add)


@pytest.mark.parametrize("rows_xml,shared", [
    ('<row r="2"><c r="ZZZZZ2" t="inlineStr"><is><t>x</t></is></c></row>', None),
    ('<row r="2"><c r="ZZZZZZZ2" t="inlineStr"><is><t>x</t></is></c></row>', None),
    ('<row r="2"><c r="XFE2"><v>1</v></c></row>', None),  # one column past Excel's last
    ('<row r="2"><c r="A1048577"><v>1</v></c></row>', None),
    ('<row r="2"><c r="a2"><v>1</v></c></row>', None),
    ('<row r="2"><c r="A2" t="s"><v>²</v></c></row>', ["张三"]),
    ('<row r="2"><c r="A2" t="s"><v>7</v></c></row>', ["张三"]),
    ('<row r="2"><c r="A2" t="s"><v>-1</v></c></row>', ["张三"]),
])
def test_a_workbook_that_lies_is_refused_as_invalid(rows_xml, shared):
    data = _sheet(rows_xml, shared)
    with pytest.raises(attachments.AttachmentError, match="不是有效的 Excel"):
        attachments.check("名单.xlsx", data)
    with pytest.raises(attachments.AttachmentError, match="不是有效的 Excel"):
        attachments.public_copy("名单.xlsx", data, [])


def test_the_last_column_excel_has_is_still_read():
    items = attachments.xlsx_items(_sheet('<row r="1"><c r="XFD1" t="inlineStr"><is><t>末列</t></is></c></row>'))
    assert items[0] == "\t" * 16383 + "末列"


def test_cells_gaps_included_are_bounded():
    rows = "".join(f'<row r="{i}"><c r="XFD{i}"><v>1</v></c></row>' for i in range(1, 32))  # 31 × 16,384
    with pytest.raises(attachments.AttachmentError, match="单元格"):
        attachments.check("宽表.xlsx", _sheet(rows))


def test_text_strings_and_sheets_are_bounded(monkeypatch):
    monkeypatch.setattr(attachments, "MAX_TEXT_CHARS", 1000)
    with pytest.raises(attachments.AttachmentError, match="文字过多"):
        attachments.check("长.xlsx", _sheet('<row r="1"><c r="A1" t="inlineStr"><is><t>' + "长" * 1001
                                            + "</t></is></c></row>"))
    monkeypatch.setattr(attachments, "MAX_SHARED_STRINGS", 3)
    with pytest.raises(attachments.AttachmentError, match="文字值"):
        attachments.check("多.xlsx", _sheet("", ["甲", "乙", "丙", "丁"]))
    monkeypatch.setattr(attachments, "MAX_SHEETS", 2)
    with pytest.raises(attachments.AttachmentError, match="工作表"):
        attachments.check("多表.xlsx", workbook([["a"]], [["b"]], [["c"]]))
