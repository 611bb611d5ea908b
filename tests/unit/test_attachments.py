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
