"""The annual report (政府信息公开工作年度报告) as a .docx in the GB/T 9704 layout of the letters
(A4; margins 37/35/28/26 mm; title in 小标宋 二号, headings in 黑体 三号, text in 仿宋_GB2312 三号),
with the template's tables (国办公开办函〔2021〕30号) and their merged heads, every label verbatim.

Pure: python-docx over the given values; the tables come from `webapp.annual_report` (pure).
`report_tables` reads the tables back for tests.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import docx
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from .. import annual_report as rules
from .letters import BODY_FONT, HEADING_FONT, TITLE_FONT, _font, _paragraph, cn_date

TABLE_FONT_PT = 10.5  # 五号: the template's tables do not fit 三号


@dataclass(frozen=True)
class ReportDocx:
    title: str
    year: int
    signer: str
    signed_on: date
    overview: tuple[str, ...]
    problems: tuple[str, ...]
    other: tuple[str, ...]
    figures: Mapping[str, int | Decimal]
    makes_rules: bool


def _grid_table(document, grid: rules.Grid) -> None:
    ncols = sum(c.colspan for c in grid[0])
    table = document.add_table(rows=len(grid), cols=ncols)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    occupied: set[tuple[int, int]] = set()
    for r, row in enumerate(grid):
        col = 0
        for cell in row:
            while (r, col) in occupied:
                col += 1
            for dr in range(cell.rowspan):
                for dc in range(cell.colspan):
                    occupied.add((r + dr, col + dc))
            target = table.cell(r, col)
            if cell.rowspan > 1 or cell.colspan > 1:
                target = target.merge(table.cell(r + cell.rowspan - 1, col + cell.colspan - 1))
            p = target.paragraphs[0]
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            _font(p.add_run(cell.text), BODY_FONT, TABLE_FONT_PT)
            col += cell.colspan
    # repeat the heading rows on each page
    for r, row in enumerate(grid):
        if not all(c.header for c in row):
            break
        tr_pr = table.rows[r]._tr.get_or_add_trPr()
        el = OxmlElement("w:tblHeader")
        el.set(qn("w:val"), "true")
        tr_pr.append(el)


def build_report_docx(report: ReportDocx) -> bytes:
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
    props.title, props.author, props.comments, props.last_modified_by = report.title, report.signer, "", ""
    _paragraph(document, report.title, TITLE_FONT, 22, WD_ALIGN_PARAGRAPH.CENTER)
    _paragraph(document, "")
    s = rules.SECTIONS
    f = report.figures

    def heading(text: str) -> None:
        _paragraph(document, text, HEADING_FONT, 16, indent=True)

    def texts(paragraphs: tuple[str, ...]) -> None:
        for text in paragraphs:
            _paragraph(document, text, indent=True)

    heading(s[0])
    texts(report.overview)
    heading(s[1])
    _grid_table(document, rules.table2_grid(f, report.makes_rules))
    heading(s[2])
    _grid_table(document, rules.table3_grid(f))
    heading(s[3])
    _grid_table(document, rules.table4_grid(f))
    heading(s[4])
    texts(report.problems)
    heading(s[5])
    texts(report.other)
    _paragraph(document, "")
    _paragraph(document, report.signer, align=WD_ALIGN_PARAGRAPH.RIGHT)
    _paragraph(document, cn_date(report.signed_on), align=WD_ALIGN_PARAGRAPH.RIGHT)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def report_tables(data: bytes) -> list[list[list[str]]]:
    """Each table of the .docx as rows of cell texts (a merged cell repeats in every slot it covers)."""
    document = docx.Document(io.BytesIO(data))
    return [[[c.text for c in row.cells] for row in t.rows] for t in document.tables]


def report_paragraphs(data: bytes) -> list[str]:
    return [p.text for p in docx.Document(io.BytesIO(data)).paragraphs]
