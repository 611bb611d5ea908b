"""The letters of a disclosure application (接收回执, 补正告知书, 延期答复告知书, 征求意见书,
收费通知书, and the 告知书 of each reply type) as .docx, in the letter layout of GB/T 9704
(A4; margins 37/35/28/26 mm; title in 小标宋 二号, body in 仿宋_GB2312 三号, 28 lines of
28 characters; the 主送 line, the text, the 署名 and 成文日期 at the right).

Pure: python-docx over the given values; no Flask, no database.  The caller supplies every
word (the decision sentence the handler may have edited, the legal basis, the remedies);
`letter_text` reads a letter back for tests.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import date

import docx
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
HEADING_FONT = "黑体"


@dataclass(frozen=True)
class Letter:
    title: str  # 政府信息公开告知书
    number: str  # 〔2026〕第 12 号 (the application's reference)
    addressee: str  # 张三：
    paragraphs: tuple[str, ...]
    signer: str  # the agency
    signed_on: date
    table: tuple[tuple[str, str], ...] = field(default_factory=tuple)  # label/value rows (登记表, 回执)


def _font(run, name: str, size_pt: float, bold: bool = False) -> None:
    run.font.name = name
    run.font.size = Pt(size_pt)
    run.font.bold = bold
    rpr = run._element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia"):
        fonts.set(qn(attr), name)


def _paragraph(document, text: str, font: str = BODY_FONT, size: float = 16, align=None,
               indent: bool = False, bold: bool = False):
    p = document.add_paragraph()
    fmt = p.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(28.9)
    fmt.space_before = fmt.space_after = Pt(0)
    if indent:
        fmt.first_line_indent = Pt(size * 2)
    if align is not None:
        p.alignment = align
    _font(p.add_run(text), font, size, bold)
    return p


def cn_date(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def build_letter(letter: Letter) -> bytes:
    """The letter as .docx bytes."""
    document = docx.Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    normal = document.styles["Normal"]
    normal.font.name = BODY_FONT
    normal.font.size = Pt(16)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), BODY_FONT)
    props = document.core_properties
    props.title, props.author, props.comments, props.last_modified_by = letter.title, letter.signer, "", ""
    _paragraph(document, letter.title, TITLE_FONT, 22, WD_ALIGN_PARAGRAPH.CENTER)
    if letter.number:
        _paragraph(document, letter.number, align=WD_ALIGN_PARAGRAPH.CENTER)
    _paragraph(document, "")
    if letter.addressee:
        _paragraph(document, letter.addressee)
    for text in letter.paragraphs:
        _paragraph(document, text, indent=True)
    if letter.table:
        table = document.add_table(rows=0, cols=2)
        table.style = "Table Grid"
        for label, value in letter.table:
            cells = table.add_row().cells
            for cell, text, bold in ((cells[0], label, True), (cells[1], value, False)):
                cell.paragraphs[0].text = ""
                _font(cell.paragraphs[0].add_run(text), BODY_FONT, 14, bold)
    _paragraph(document, "")
    _paragraph(document, letter.signer, align=WD_ALIGN_PARAGRAPH.RIGHT)
    _paragraph(document, cn_date(letter.signed_on), align=WD_ALIGN_PARAGRAPH.RIGHT)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def letter_text(data: bytes) -> str:
    """Every paragraph and table cell of a letter, one per line (for reading back)."""
    document = docx.Document(io.BytesIO(data))
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            lines.append("\t".join(c.text for c in row.cells))
    return "\n".join(lines)
