"""The 发文稿纸 (发文处理单) as a .docx: the form an office files with every outgoing
document, recording who drafted, checked, countersigned and signed it, with their
opinions.  Pure Python (python-docx): the caller assembles a :class:`ProcessingSheet`
from the document and its audit log; the printable page renders the same data.

Layout, as agencies' 稿纸 print it: the heading, then one table of fields (标题, 文号,
紧急程度, 公开属性, 拟稿单位, 拟稿人, 核稿, 会签 — each department, person, opinion,
date —, 签发 — opinion, person, date —, 主送, 抄送, 印发份数, 附件), then the whole
办理过程: every opinion in the order it was given, returns included.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date, datetime

import docx
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from .model import DocumentBuildError
from .text import chinese_date, xml_safe

FONT_BODY = "仿宋_GB2312"
FONT_LABEL = "黑体"
FONT_HEADING = "方正小标宋简体"
MAX_OPINIONS = 2000  # a sheet is a page or two; a longer history is refused, not truncated silently


@dataclass(frozen=True)
class SheetOpinion:
    """One decision with its opinion.  `at` is in the agency's time zone (the caller converts)."""

    step: str  # 拟稿, 核稿, 保密审查, 办公室审核, 会签, 签发
    decision: str  # 核稿通过, 会签同意, 签发, 退文 …
    department: str
    person: str
    opinion: str
    at: datetime


@dataclass(frozen=True)
class ProcessingSheet:
    agency: str  # the issuing body, e.g. 河南省应急管理厅 ("" when no code is set yet)
    title: str
    doc_type: str
    doc_number: str  # "" before 印发
    urgency: str  # 特急 / 加急 / 普通
    disclosure: str  # 主动公开 …, as a label
    drafting_department: str
    drafter: str
    recipients: str
    cc: str
    copies: int | None  # 印发份数
    attachments: tuple[str, ...]
    dept_check: tuple[SheetOpinion, ...]  # 核稿 (the last submission's)
    secrecy_review: tuple[SheetOpinion, ...]
    office_review: tuple[SheetOpinion, ...]
    countersign: tuple[SheetOpinion, ...]  # each department's agreement
    signing: SheetOpinion | None  # 签发
    history: tuple[SheetOpinion, ...]  # every opinion, in order, returns included
    written_date: date | None = None
    print_date: date | None = None
    note: str = ""  # e.g. why the content is absent (涉密, moved out of this system)

    @property
    def heading(self) -> str:
        return f"{self.agency}发文稿纸" if self.agency else "发文稿纸"


def when(value: datetime | None) -> str:
    """2026年3月5日 09:30."""
    if value is None:
        return ""
    return f"{chinese_date(value.date())} {value.hour:02d}:{value.minute:02d}"


def opinion_line(o: SheetOpinion) -> str:
    """An opinion as the form's box shows it: the words, then who and when."""
    return f"{o.opinion}\n{o.department}　{o.person}　{when(o.at)}".strip()


def field_rows(sheet: ProcessingSheet) -> list[tuple[str, str]]:
    """The form's fields in print order, as (label, text); shared by the .docx and the page."""
    def many(opinions: tuple[SheetOpinion, ...]) -> str:
        return "\n".join(opinion_line(o) for o in opinions)

    rows = [
        ("标题", sheet.title),
        ("文种", sheet.doc_type),
        ("发文字号", sheet.doc_number or "（印发时编号）"),
        ("紧急程度", sheet.urgency),
        ("公开属性", sheet.disclosure),
        ("拟稿单位", sheet.drafting_department),
        ("拟稿人", sheet.drafter),
        ("核稿", many(sheet.dept_check)),
    ]
    if sheet.secrecy_review:
        rows.append(("保密审查", many(sheet.secrecy_review)))
    rows += [
        ("审核", many(sheet.office_review)),
        ("会签", many(sheet.countersign)),
        ("签发", opinion_line(sheet.signing) if sheet.signing else ""),
        ("主送", sheet.recipients),
        ("抄送", sheet.cc),
        ("印发份数", f"{sheet.copies} 份" if sheet.copies else ""),
        ("附件", "\n".join(f"{i}. {a}" for i, a in enumerate(sheet.attachments, 1))),
    ]
    if sheet.written_date:
        rows.append(("成文日期", chinese_date(sheet.written_date)))
    if sheet.print_date:
        rows.append(("印发日期", chinese_date(sheet.print_date)))
    return rows


HISTORY_COLUMNS = ("序号", "环节", "处理", "处室", "人员", "意见", "时间")


def history_rows(sheet: ProcessingSheet) -> list[tuple[str, ...]]:
    return [(str(i), o.step, o.decision, o.department, o.person, o.opinion, when(o.at))
            for i, o in enumerate(sheet.history, 1)]


# --------------------------------------------------------------------------- .docx

def _font(run, name: str, size: float | None = None, bold: bool = False) -> None:
    run.font.name = name
    rpr = run._element.get_or_add_rPr()
    fonts = rpr.get_or_add_rFonts()
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), name)
    if size:
        run.font.size = Pt(size)
    run.font.bold = bold or None


def _write(cell_or_doc, text: str, font: str = FONT_BODY, size: float = 12, bold: bool = False,
           align=None) -> None:
    """Text into a cell (its first paragraph, then one per line) or a new document paragraph."""
    lines = xml_safe(text).split("\n") or [""]
    is_cell = hasattr(cell_or_doc, "vertical_alignment")
    for i, line in enumerate(lines):
        para = cell_or_doc.paragraphs[0] if is_cell and i == 0 else cell_or_doc.add_paragraph()
        para.paragraph_format.space_after = Pt(0)
        if align is not None:
            para.alignment = align
        _font(para.add_run(line), font, size, bold)


def build_processing_sheet_docx(sheet: ProcessingSheet) -> bytes:
    """The 发文稿纸 as .docx bytes (A4 portrait)."""
    if len(sheet.history) > MAX_OPINIONS:
        raise DocumentBuildError(f"办理记录超过 {MAX_OPINIONS} 条，无法生成发文稿纸。")
    document = docx.Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)  # python-docx defaults to US Letter
    section.top_margin = section.bottom_margin = Mm(25)
    section.left_margin = section.right_margin = Mm(22)
    normal = document.styles["Normal"]
    normal.font.name = FONT_BODY
    normal.font.size = Pt(12)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), FONT_BODY)
    document.core_properties.title = xml_safe(f"发文稿纸：{sheet.title}")[:250]
    document.core_properties.author = ""

    _write(document, sheet.heading, FONT_HEADING, 22, align=WD_ALIGN_PARAGRAPH.CENTER)
    if sheet.note:
        _write(document, sheet.note, FONT_LABEL, 12)

    rows = field_rows(sheet)
    table = document.add_table(rows=len(rows), cols=2)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for (label, text), row in zip(rows, table.rows, strict=True):
        row.cells[0].width, row.cells[1].width = Mm(28), Mm(138)
        _write(row.cells[0], label, FONT_LABEL, 12, align=WD_ALIGN_PARAGRAPH.CENTER)
        _write(row.cells[1], text)

    _write(document, "办理过程", FONT_LABEL, 14)
    history = history_rows(sheet)
    table = document.add_table(rows=1 + len(history), cols=len(HISTORY_COLUMNS))
    table.style = "Table Grid"
    widths = (Mm(10), Mm(20), Mm(20), Mm(26), Mm(18), Mm(44), Mm(28))
    for cell, label, width in zip(table.rows[0].cells, HISTORY_COLUMNS, widths, strict=True):
        cell.width = width
        _write(cell, label, FONT_LABEL, 10.5, align=WD_ALIGN_PARAGRAPH.CENTER)
    for values, row in zip(history, table.rows[1:], strict=True):
        for cell, value, width in zip(row.cells, values, widths, strict=True):
            cell.width = width
            _write(cell, value, FONT_BODY, 10.5)

    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
