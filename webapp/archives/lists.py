"""The 送交信息目录表 / 移交清单: what one batch hands to one destination, as .docx and .xlsx.

Columns (issue 11): 序号, 索引号, 文号, 题名, 成文日期, 发布机构, 公开属性, 页数, 份数, 载体, 备注;
under the table the sender, contact and signature lines.  A period with nothing to send still
gets its list, saying so: the nil return "本期无主动公开信息" (闽政办函〔2016〕42号).
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from xml.sax.saxutils import escape as xml_escape

from docx import Document as DocxDocument
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm, Pt
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

NIL_RETURN = "本期无主动公开信息"
COLUMNS = ("序号", "索引号", "文号", "题名", "成文日期", "发布机构", "公开属性", "页数", "份数", "载体", "备注")
FONT = "宋体"
_RPR = f'<w:rPr><w:rFonts w:ascii="{FONT}" w:hAnsi="{FONT}" w:eastAsia="{FONT}"/></w:rPr>'


_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _xml_text(value) -> str:
    """Text for a w:t element: escaped, and without the characters XML 1.0 cannot hold."""
    return xml_escape(_NOT_XML.sub("", str(value)))


def chinese_date(day: date | None) -> str:
    return f"{day.year}年{day.month}月{day.day}日" if day else ""


@dataclass(frozen=True)
class ListRow:
    index_no: str
    doc_number: str
    title: str
    written_date: date | None
    issuer: str
    disclosure: str  # 公开属性 in words
    pages: int
    copies: int
    medium: str  # 纸质 / 电子 / 纸质、电子
    remark: str = ""

    def cells(self, seq: int) -> list[str | int]:
        return [seq, self.index_no, self.doc_number, self.title, chinese_date(self.written_date), self.issuer,
                self.disclosure, self.pages, self.copies, self.medium, self.remark]


@dataclass(frozen=True)
class ListHeader:
    title: str  # 送交信息目录表 or 移交清单
    sender: str  # 送交单位
    destination: str  # 接收单位
    batch_no: str
    made_on: date
    contact: str = ""
    contact_phone: str = ""

    def lines(self) -> list[str]:
        return [f"送交单位：{self.sender}", f"接收单位：{self.destination}",
                f"批次号：{self.batch_no}", f"编制日期：{chinese_date(self.made_on)}"]

    def signature_lines(self) -> list[str]:
        return [f"联系人：{self.contact}    联系电话：{self.contact_phone}",
                "送交人（签字）：____________    日期：______年____月____日",
                "接收人（签字）：____________    日期：______年____月____日",
                "送交单位（盖章）                接收单位（盖章）"]


def _east_asian(run, name: str = FONT) -> None:
    run.font.name = name
    rpr = run._element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.append(fonts)
    fonts.set(qn("w:eastAsia"), name)


def build_list_docx(header: ListHeader, rows: Sequence[ListRow]) -> bytes:
    """The list as a Word file (A4 landscape): title, header lines, the table, the signature lines."""
    doc = DocxDocument()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Cm(29.7), Cm(21.0)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(1.8))
    normal = doc.styles["Normal"]
    normal.font.size = Pt(10.5)
    normal.element.get_or_add_rPr()
    _east_asian_style(normal)

    title = doc.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = title.add_run(header.title)
    run.bold, run.font.size = True, Pt(18)
    _east_asian(run, "黑体")
    for line in header.lines():
        _east_asian(doc.add_paragraph().add_run(line))

    table = doc.add_table(rows=1, cols=len(COLUMNS))
    table.style = "Table Grid"
    for cell, name in zip(table.rows[0].cells, COLUMNS, strict=True):
        run = cell.paragraphs[0].add_run(name)
        run.bold = True
        _east_asian(run)
    widths = (1.0, 4.6, 3.2, 6.0, 2.6, 3.2, 1.8, 1.1, 1.1, 1.6, 2.0)
    for cell, width in zip(table.rows[0].cells, widths, strict=True):
        cell.width = Cm(width)
    if rows:
        # The body rows as one XML fragment: python-docx's cell API costs ~1 ms a cell, and a
        # batch of 500 documents has 5,500 cells.
        twips = [int(w * 567) for w in widths]
        parts = []
        for seq, row in enumerate(rows, 1):
            cells = "".join(
                f'<w:tc><w:tcPr><w:tcW w:w="{w}" w:type="dxa"/></w:tcPr><w:p><w:r>{_RPR}'
                f'<w:t xml:space="preserve">{_xml_text(v)}</w:t></w:r></w:p></w:tc>'
                for w, v in zip(twips, row.cells(seq), strict=True))
            parts.append(f"<w:tr>{cells}</w:tr>")
        fragment = parse_xml(f'<w:tbl {nsdecls("w")}>{"".join(parts)}</w:tbl>')
        for tr in list(fragment):
            table._tbl.append(tr)
    else:
        cells = table.add_row().cells
        merged = cells[0].merge(cells[-1])
        merged.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
        _east_asian(merged.paragraphs[0].add_run(NIL_RETURN))

    doc.add_paragraph()
    for line in header.signature_lines():
        _east_asian(doc.add_paragraph().add_run(line))
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _east_asian_style(style) -> None:
    rpr = style.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.append(fonts)
    fonts.set(qn("w:eastAsia"), FONT)
    fonts.set(qn("w:ascii"), FONT)


def build_list_xlsx(header: ListHeader, rows: Sequence[ListRow]) -> bytes:
    """The same list as a workbook: header lines, the column row, one row per document (or the nil
    return), the signature lines.  Numbers stay numbers (页数, 份数, 序号)."""
    wb = Workbook()
    ws = wb.active
    ws.title = "送交信息目录"
    last = get_column_letter(len(COLUMNS))
    ws.append([header.title])
    ws.merge_cells(f"A1:{last}1")
    ws["A1"].font = Font(name=FONT, size=16, bold=True)
    ws["A1"].alignment = Alignment(horizontal="center")
    for line in header.lines():
        ws.append([line])
    ws.append(list(COLUMNS))
    first_data = ws.max_row + 1
    thin = Side(style="thin")
    for cell in ws[ws.max_row]:
        cell.font = Font(name=FONT, bold=True)
    if rows:
        for seq, row in enumerate(rows, 1):
            ws.append(row.cells(seq))
    else:
        ws.append([NIL_RETURN])
        ws.merge_cells(f"A{ws.max_row}:{last}{ws.max_row}")
        ws[f"A{ws.max_row}"].alignment = Alignment(horizontal="center")
    thin_border = Border(left=thin, right=thin, top=thin, bottom=thin)
    for cell in ws[first_data - 1]:  # the column row; body rows stay plain (5,500 styled cells cost ~1 s)
        cell.border = thin_border
    ws.append([])
    for line in header.signature_lines():
        ws.append([line])
    for letter, width in zip("ABCDEFGHIJK", (6, 28, 20, 40, 16, 20, 12, 8, 8, 10, 16), strict=True):
        ws.column_dimensions[letter].width = width
    ws.freeze_panes = f"A{first_data}"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def data_rows_of_xlsx(data: bytes) -> list[list]:
    """Read back the table body of a list made by build_list_xlsx (the rows under the column row)."""
    from openpyxl import load_workbook

    ws = load_workbook(io.BytesIO(data), read_only=True).active
    out, inside = [], False
    for values in ws.iter_rows(values_only=True):
        if not inside:
            inside = tuple(values[: len(COLUMNS)]) == COLUMNS
            continue
        if not any(v is not None for v in values):
            break
        out.append(list(values[: len(COLUMNS)]))
    return out
