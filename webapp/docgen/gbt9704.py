"""The GB/T 9704-2012 writer: an :class:`OfficialDocument` → the issued .docx.

Layout (文件格式, 不加盖印章的公文), each point checked on LibreOffice's
rendering in tests/integration/test_docgen_libreoffice.py:

* A4, 天头 37 mm, 订口 28 mm, 版心 156 × 225 mm (bottom 35 mm, right 26 mm);
  22 lines × 28 characters of 3号 (16 pt) 仿宋_GB2312: a *line* grid
  (``w:docGrid type="lines" linePitch="579"``), every line of the main flow
  at an exact 579 twips (28.95 pt), and each character condensed by 0.25 pt
  so 28 fit a line.  No character grid: LibreOffice pads every run of digits
  or Latin letters to whole grid cells ("2026 年11 月30 日").
* 版头, in whole grid lines so page 1 holds all 22 (see :func:`_header_xml`):
  份号 / 密级 / 紧急程度 top left when given; 发文机关标志 (红色 方正小标宋简体
  26 pt, centred, 35 mm below the top of the 版心); two blank lines; 发文字号
  (centred, or left with 签发人 right when given); a red rule 4 mm under it.
* 主体: two blank lines, 标题 (2号 方正小标宋简体, centred, broken between
  words into balanced lines: :mod:`.title`), one blank line, 主送机关, the
  body, 附件说明 (7.3.4), 署名 and 成文日期 (7.3.5.2, unsealed), the 附注 line
  with the disclosure annotation, then the 附件 pages (7.3.8).
* Pages are planned before writing (:func:`plan_document`, with the line
  model of :mod:`.layout`): when 署名 and 成文日期 would stand alone on a
  page, the body lines above them are tightened (7.3.5.1 调整行距, never
  below 20 pt); blank space puts the 版记 (7.5) on the last lines of the last
  page; when it does not fit there it takes a page of its own, an even page
  when printed on both sides (a blank page before it), neither numbered.
  (Word and LibreOffice do not agree on a bottom-anchored frame or floating
  table: LibreOffice 7.4 drops the frame or lays the table inline.)
* 版记: 抄送 and 印发机关/印发日期 in 4号 仿宋 between rules (first and last
  1 pt, middle 0.75 pt: paragraph borders top/bottom/between), kept together.
* 页码: "— 1 —" 4号 宋体, odd pages right (1 character in), even pages left
  (1 character in), PAGE fields in the default and even footers with
  ``w:evenAndOddHeaders``.

Body headings are recognised by their numbering: "一、" → 黑体, "（一）" → 楷体_GB2312,
"1." / "1．" / "（1）" → 仿宋.  When such a paragraph goes on after its first
sentence, only that first sentence (up to "。") takes the heading font.
<h2>/<h3> are 黑体/楷体 headings whatever their text.  Tables are real tables
(grid borders, 4号 仿宋 cells on exact 20 pt lines, column widths from their
content, the header row bold and repeated on each page; when the HTML marks
no header row, the first row of a table of two or more rows is the header).

Performance: the package skeleton (styles, settings, footers, section) is
built once per process with python-docx and kept as bytes; each document
loads that, generates the body as one XML string parsed by lxml in one go,
and saves.
"""
from __future__ import annotations

import copy
import io
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache

import docx
from docx.enum.section import WD_SECTION
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml.ns import qn
from docx.oxml.parser import parse_xml

from ..limits import MAX_GENERATED_BODY_CHARS
from .html_blocks import Block, Paragraph, Placed, Run, Table, TableLayout, parse_body_html
from .layout import Item, count_lines, paginate, text_width
from .model import DocumentBuildError, InterpretationDocument, OfficialDocument
from .text import cc_line, chinese_date, display_width, xml_escape, xml_safe
from .title import break_title

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_NSDECL = f'xmlns:w="{W_NS}"'

FONT_FANGSONG = "仿宋_GB2312"
FONT_HEITI = "黑体"
FONT_KAITI = "楷体_GB2312"
FONT_XIAOBIAOSONG = "方正小标宋简体"
FONT_SONGTI = "宋体"

RED = "FF0000"

# Geometry, in twips (1/1440 inch).
PAGE_WIDTH = 11906  # 210 mm
PAGE_HEIGHT = 16838  # 297 mm
MARGIN_TOP = 2098  # 37 mm
MARGIN_BOTTOM = 1984  # 35 mm
MARGIN_LEFT = 1588  # 28 mm
MARGIN_RIGHT = 1474  # 26 mm
FOOTER_DISTANCE = 1418  # 25 mm: the 一字线 of the page number ≈ 7 mm below the 版心
HEADER_DISTANCE = 851  # 15 mm (no header is printed)
TEXT_WIDTH = PAGE_WIDTH - MARGIN_LEFT - MARGIN_RIGHT  # 8844 = 156 mm
TEXT_HEIGHT = PAGE_HEIGHT - MARGIN_TOP - MARGIN_BOTTOM  # 12756 = 225 mm
LINES_PER_PAGE = 22
CHARS_PER_LINE = 28
BODY_PT = 16  # 3号
LINE_PITCH = TEXT_HEIGHT // LINES_PER_PAGE  # 579 twips = 28.95 pt
# One character of the line: 156 mm / 28 = 315.9 twips (15.79 pt).  Indents
# "in characters" carry w:*Chars (what Word and WPS use) plus this in twips.
CHAR = TEXT_WIDTH // CHARS_PER_LINE  # 315
# 28 characters of 16 pt fit 156 mm when each is condensed by 0.25 pt
# (w:spacing -5 twentieths on the Normal style): 28 × 15.75 pt = 441 pt.
# The grid is a *line* grid only.  A character grid (linesAndChars) makes
# LibreOffice pad every run of digits or Latin letters to whole grid cells:
# "2026 年11 月30 日" (measured, LibreOffice 7.4; see the test of that name).
CHAR_CONDENSE = -((BODY_PT * 20 * CHARS_PER_LINE - TEXT_WIDTH + CHARS_PER_LINE - 1) // CHARS_PER_LINE)  # -5
COLOPHON_PT = 14  # 4号
COLOPHON_CHAR = COLOPHON_PT * 20  # 280 twips
MARK_PT = 26  # 发文机关标志
TITLE_PT = 22  # 2号
TABLE_PT = 14
MARK_SPACE_BEFORE = 1984  # 35 mm from the top of the 版心
# The 发文机关标志 block (the lines above it, its 35 mm and its own line) is
# five grid lines: space before, a line of 31 pt, the rest as space after.
MARK_BLOCK = 5 * LINE_PITCH  # 2895
MARK_LINE = 620  # 31 pt for 26 pt characters
MARK_GLYPH_OFFSET = 80  # the characters' top edge is about 4 pt below the line's top

RULE_THICK = 8  # eighths of a point: 1 pt ≈ 0.35 mm
RULE_THIN = 6  # 0.75 pt ≈ 0.25 mm
RED_RULE = 12  # 1.5 pt
RULE_SPACE_PT = 11  # the red rule 4 mm (11.3 pt) under the 文号's line
# What a paragraph's bottom border adds to its height (space + width), in twips.
RULE_HEIGHT = RULE_SPACE_PT * 20 + RED_RULE * 20 // 8  # 250

_H1 = re.compile(r"^[一二三四五六七八九十百零〇]+、")
_H2 = re.compile(r"^[（(][一二三四五六七八九十百零〇]+[）)]")


# --------------------------------------------------------------------------
# XML snippets
# --------------------------------------------------------------------------


def _rpr(
    font: str,
    size_pt: float | None = None,
    *,
    bold: bool = False,
    italic: bool = False,
    underline: bool = False,
    color: str | None = None,
) -> str:
    parts = [f'<w:rPr><w:rFonts w:ascii="{font}" w:hAnsi="{font}" w:eastAsia="{font}" w:cs="{font}"/>']
    if bold:
        parts.append("<w:b/><w:bCs/>")
    if italic:
        parts.append("<w:i/><w:iCs/>")
    if color:
        parts.append(f'<w:color w:val="{color}"/>')
    if size_pt:
        half = round(size_pt * 2)
        parts.append(f'<w:sz w:val="{half}"/><w:szCs w:val="{half}"/>')
    if underline:
        parts.append('<w:u w:val="single"/>')
    parts.append("</w:rPr>")
    return "".join(parts)


def _text_xml(text: str) -> str:
    """Run content for *text*: "\n" → <w:br/>, "\t" → <w:tab/>."""
    out = []
    for i, line in enumerate(text.split("\n")):
        if i:
            out.append("<w:br/>")
        for j, piece in enumerate(line.split("\t")):
            if j:
                out.append("<w:tab/>")
            if piece:
                out.append(f'<w:t xml:space="preserve">{xml_escape(piece)}</w:t>')
    return "".join(out)


def _run(text: str, rpr: str) -> str:
    return f"<w:r>{rpr}{_text_xml(xml_safe(text))}</w:r>" if text else ""


def _ppr(
    *,
    style: str | None = None,
    keep_next: bool = False,
    keep_lines: bool = False,
    borders: dict[str, tuple[int, str, int]] | None = None,
    tabs: list[tuple[str, int]] | None = None,
    snap_to_grid: bool = True,
    spacing: str = "",
    ind: str = "",
    jc: str = "",
    rpr: str = "",
) -> str:
    parts = ["<w:pPr>"]
    if style:
        parts.append(f'<w:pStyle w:val="{style}"/>')
    if keep_next:
        parts.append("<w:keepNext/>")
    if keep_lines:
        parts.append("<w:keepLines/>")
    if borders:
        parts.append("<w:pBdr>")
        for side in ("top", "bottom", "between"):
            if side in borders:
                size, color, space = borders[side]
                parts.append(f'<w:{side} w:val="single" w:sz="{size}" w:space="{space}" w:color="{color}"/>')
        parts.append("</w:pBdr>")
    if tabs:
        parts.append("<w:tabs>")
        parts.extend(f'<w:tab w:val="{kind}" w:pos="{pos}"/>' for kind, pos in tabs)
        parts.append("</w:tabs>")
    if not snap_to_grid:
        parts.append('<w:snapToGrid w:val="0"/>')
    if spacing:
        parts.append(spacing)
    if ind:
        parts.append(ind)
    if jc:
        parts.append(f'<w:jc w:val="{jc}"/>')
    if rpr:
        parts.append(rpr)
    parts.append("</w:pPr>")
    return "".join(parts) if len(parts) > 2 else ""


def _first_line_ind(chars: int = 2, left_chars: int = 0) -> str:
    left = ""
    if left_chars:
        left = f' w:leftChars="{left_chars * 100}" w:left="{left_chars * CHAR}"'
    return f'<w:ind{left} w:firstLineChars="{chars * 100}" w:firstLine="{chars * CHAR}"/>'


def _paragraph(runs_xml: str, ppr: str = "") -> str:
    return f"<w:p>{ppr}{runs_xml}</w:p>"


_BLANK = "<w:p/>"
_BODY_IND = _first_line_ind(2)
_EXACT_LINE = f'<w:spacing w:line="{LINE_PITCH}" w:lineRule="exact"/>'
_SINGLE_LINE = '<w:spacing w:before="0" w:after="0" w:line="240" w:lineRule="auto"/>'


# --------------------------------------------------------------------------
# Body
# --------------------------------------------------------------------------


def _heading_level(para: Paragraph) -> int:
    """1 for 一、/<h2> (黑体), 2 for （一）/<h3> (楷体), 0 otherwise (仿宋)."""
    if para.kind == "h2":
        return 1
    if para.kind == "h3":
        return 2
    if para.kind != "p":
        return 0
    text = para.text.lstrip()
    if _H1.match(text):
        return 1
    if _H2.match(text):
        return 2
    return 0


def _heading_span(text: str) -> int:
    """How many leading characters take the heading font.

    The whole paragraph when it is just a heading; otherwise its first
    sentence ("一、工作目标。深入推进…" → "一、工作目标。").
    """
    stop = text.find("。")
    if 0 <= stop < len(text.rstrip()) - 1:
        return stop + 1
    return len(text)


def _runs_xml(
    runs: list[Run],
    font: str,
    size_pt: float | None = None,
    head_font: str | None = None,
    head_len: int = 0,
    bold_all: bool = False,
) -> str:
    out: list[str] = []
    pos = 0
    for run in runs:
        text = run.text
        pieces: list[tuple[str, str]] = []
        if head_font and pos < head_len:
            cut = head_len - pos
            pieces.append((text[:cut], head_font))
            if text[cut:]:
                pieces.append((text[cut:], font))
        else:
            pieces.append((text, font))
        pos += len(text)
        for piece, piece_font in pieces:
            if not piece:
                continue
            rpr = _rpr(
                piece_font,
                size_pt,
                bold=run.bold or bold_all,
                italic=run.italic,
                underline=run.underline,
            )
            out.append(f"<w:r>{rpr}{_text_xml(piece)}</w:r>")
    return "".join(out)


# --------------------------------------------------------------------------
# The fixed parts of the page
# --------------------------------------------------------------------------


def _exact(height: int) -> str:
    return f'<w:spacing w:before="0" w:after="0" w:line="{height}" w:lineRule="exact"/>'


def _blank(height: int = LINE_PITCH) -> str:
    """An empty line of *height* twips (off the grid, or LibreOffice rounds it up to a line)."""
    return f'<w:p><w:pPr><w:snapToGrid w:val="0"/>{_exact(height)}</w:pPr></w:p>'


def _top_left_lines(doc: OfficialDocument) -> list[str]:
    """份号, 密级和保密期限, 紧急程度: flush left on the first lines (7.2.1–7.2.3)."""
    out = []
    number = " ".join(xml_safe(doc.copy_number).split())
    if number:
        out.append(_paragraph(_run(number, _rpr(FONT_FANGSONG)), _ppr(jc="left")))
    for value in (doc.secrecy, doc.urgency):
        value = " ".join(xml_safe(value).split())
        if value:
            out.append(_paragraph(_run(value, _rpr(FONT_HEITI)), _ppr(jc="left")))
    return out


def _number_line(doc: OfficialDocument) -> str:
    """发文字号, centred; with 签发人 (7.2.6) the 文号 moves left and the names right."""
    number_rpr = _rpr(FONT_FANGSONG)
    rule = {"bottom": (RED_RULE, RED, RULE_SPACE_PT)}
    signers = [" ".join(xml_safe(s).split()) for s in doc.issuing_signers]
    signers = [s for s in signers if s]
    if not signers:
        return _paragraph(
            _run(doc.doc_number, number_rpr), _ppr(borders=rule, jc="center", rpr=number_rpr)
        )
    runs = (
        _run(doc.doc_number, number_rpr)
        + "<w:r><w:tab/></w:r>"
        + _run("签发人：", number_rpr)
        + _run("　".join(signers), _rpr(FONT_KAITI))
    )
    return _paragraph(
        runs,
        _ppr(
            borders=rule,
            tabs=[("right", TEXT_WIDTH - CHAR)],
            ind=f'<w:ind w:leftChars="100" w:left="{CHAR}" w:rightChars="100" w:right="{CHAR}"/>',
            jc="left",
            rpr=number_rpr,
        ),
    )


def _header_xml(doc: OfficialDocument) -> list[str]:
    """版头, 标题 and 主送机关, in whole lines of the grid (see HEADER_LINES).

    The 发文机关标志 paragraph and the lines above it fill exactly five lines;
    the red rule's height is taken off the blank line under it.  So the body
    starts on a grid line and page 1 holds all 22 lines.
    """
    mark_rpr = _rpr(FONT_XIAOBIAOSONG, MARK_PT, color=RED)
    title_rpr = _rpr(FONT_XIAOBIAOSONG, TITLE_PT)
    body_rpr = _rpr(FONT_FANGSONG)
    top = _top_left_lines(doc)
    before = MARK_SPACE_BEFORE - MARK_GLYPH_OFFSET - len(top) * LINE_PITCH
    after = MARK_BLOCK - len(top) * LINE_PITCH - before - MARK_LINE
    title_lines = break_title(xml_safe(doc.title))
    title_runs = "<w:r>" + title_rpr + "<w:br/>".join(
        f'<w:t xml:space="preserve">{xml_escape(line)}</w:t>' for line in title_lines
    ) + "</w:r>" if title_lines else ""
    out = top + [
        _paragraph(
            _run(doc.issuer_mark, mark_rpr),
            _ppr(
                snap_to_grid=False,
                spacing=(
                    f'<w:spacing w:before="{before}" w:after="{after}" w:line="{MARK_LINE}" w:lineRule="exact"/>'
                ),
                jc="center",
                rpr=mark_rpr,
            ),
        ),
        _BLANK,
        _BLANK,
        _number_line(doc),
        _blank(LINE_PITCH - RULE_HEIGHT),
        _BLANK,
        _paragraph(title_runs, _ppr(keep_next=True, snap_to_grid=False, jc="center", rpr=title_rpr)),
        _BLANK,
    ]
    recipients = doc.recipients.strip()
    if recipients:
        if not recipients.endswith(("：", ":")):
            recipients += "："
        elif recipients.endswith(":"):
            recipients = recipients[:-1] + "："
        out.append(_paragraph(_run(recipients, body_rpr), _ppr(keep_next=True, jc="left")))
    return out


def _pitch_ppr(pitch: int) -> str:
    """A tightened line (7.3.5.1 调整行距): exact *pitch*, off the grid."""
    return "" if pitch == LINE_PITCH else _exact(pitch)


def _body_paragraph_xml(para: Paragraph, keep_next: bool = False, pitch: int = LINE_PITCH) -> str:
    runs = para.runs
    spacing = _pitch_ppr(pitch)
    snap = pitch == LINE_PITCH
    if para.kind == "li":
        ppr = _ppr(
            keep_next=keep_next, snap_to_grid=snap, spacing=spacing, ind=_first_line_ind(2, left_chars=2 * para.level)
        )
        runs = [Run(para.prefix)] + runs
        return _paragraph(_runs_xml(runs, FONT_FANGSONG), ppr)
    level = _heading_level(para)
    if level == 0:
        ppr = _ppr(keep_next=keep_next, snap_to_grid=snap, spacing=spacing, ind=_BODY_IND)
        return _paragraph(_runs_xml(runs, FONT_FANGSONG), ppr)
    head_font = FONT_HEITI if level == 1 else FONT_KAITI
    text = para.text
    span = len(text) if para.kind in ("h2", "h3") else _heading_span(text)
    whole = span >= len(text)
    ppr = _ppr(keep_next=keep_next or whole, snap_to_grid=snap, spacing=spacing, ind=_BODY_IND)
    return _paragraph(_runs_xml(runs, FONT_FANGSONG, head_font=head_font, head_len=span), ppr)


def _paragraph_lines(para: Paragraph) -> int:
    if para.kind == "li":
        left = 2 * para.level * CHAR
        return count_lines(para.prefix + para.text, TEXT_WIDTH - left, 2 * CHAR)
    return count_lines(para.text, TEXT_WIDTH, 2 * CHAR)


def _keeps_with_next(para: Paragraph) -> bool:
    """A heading standing alone on its line stays with what follows it."""
    level = _heading_level(para) if para.kind != "li" else 0
    if level == 0:
        return False
    return para.kind in ("h2", "h3") or _heading_span(para.text) >= len(para.text)


# Table cells: 4号 (14 pt) on exact 20 pt lines, so a row's height is known.
TABLE_LINE = 400
TABLE_CELL_MARGIN = 85
TABLE_ROW_EXTRA = 10  # the 0.5 pt rule under each row
_CELL_SPACING = _exact(TABLE_LINE)
_CELL_PPR = _ppr(snap_to_grid=False, spacing=_CELL_SPACING, jc="left")
_HEAD_CELL_PPR = _ppr(snap_to_grid=False, spacing=_CELL_SPACING, jc="center")
_CELL_BORDERS = "".join(
    f'<w:{side} w:val="single" w:sz="4" w:space="0" w:color="000000"/>'
    for side in ("top", "left", "bottom", "right", "insideH", "insideV")
)
_TABLE_CHAR = TABLE_PT * 20 + CHAR_CONDENSE
SHORT_CELL = 10  # characters: a cell line this short is never wrapped when the table can help it


def _texts(placed: Placed) -> list[str]:
    return ["".join(r.text for r in p) for p in placed.cell.paragraphs]


def table_column_widths(table: Table, total: int = TEXT_WIDTH, layout: TableLayout | None = None) -> list[int]:
    """Column widths from the content, in twips, summing to *total*.

    Each column's preferred width is its widest line; its minimum the widest
    short line (up to ten characters: a 序号, a date, a unit never wraps) or
    the first four characters of a longer one.  When
    everything fits, the room left is shared in proportion to the preferred
    widths; otherwise each column gets its minimum plus a share of the rest
    in proportion to what it lacks — the algorithm of HTML's automatic table
    layout.  So a 序号 column is narrow and a 名称 column wide.  A merged cell
    (colspan) asks its columns together for its width: what they lack is
    shared equally among them.
    """
    layout = layout or table.layout()
    ncols = layout.ncols
    pad = 2 * TABLE_CELL_MARGIN + _TABLE_CHAR // 2
    most = [pad + _TABLE_CHAR] * ncols
    least = [pad + _TABLE_CHAR] * ncols
    spanning = []
    for placed in layout.cells:
        cell_most = cell_least = 0
        for text in _texts(placed):
            for line in text.split("\n"):
                cell_most = max(cell_most, pad + round(text_width(line, TABLE_PT * 20, CHAR_CONDENSE)))
                head = line if display_width(line) <= SHORT_CELL else line[:4]
                cell_least = max(cell_least, pad + round(text_width(head, TABLE_PT * 20, CHAR_CONDENSE)))
        if placed.colspan == 1:
            c = placed.col
            most[c], least[c] = max(most[c], cell_most), max(least[c], cell_least)
        else:
            spanning.append((placed, cell_most, cell_least))
    for placed, cell_most, cell_least in spanning:
        span = range(placed.col, placed.col + placed.colspan)
        for need, widths in ((cell_most, most), (cell_least, least)):
            lack = need - sum(widths[c] for c in span)
            if lack > 0:
                for c in span:
                    widths[c] += lack / placed.colspan
    if sum(least) >= total:
        widths = [w * total / sum(least) for w in least]
    elif sum(most) <= total:
        widths = [w + (total - sum(most)) * w / sum(most) for w in most]
    else:
        lack = [max(0.0, m - n) for m, n in zip(most, least, strict=True)]
        room = total - sum(least)
        widths = [n + room * d / sum(lack) for n, d in zip(least, lack, strict=True)] if sum(lack) else least
    out = [int(w) for w in widths]
    out[-1] += total - sum(out)
    return out


def _table_rows(table: Table, widths: list[int], layout: TableLayout | None = None) -> list[int]:
    """Height of each row in twips, as LibreOffice lays it out.

    A cell merged over rows (rowspan) that needs more lines than its rows hold
    makes the last of them taller.
    """
    layout = layout or table.layout()
    lines = [1] * layout.nrows
    tall = []
    for placed in layout.cells:
        # at least one character: a hostile table of hundreds of columns leaves less, and
        # count_lines on a width of zero or less would never end
        inner = max(sum(widths[placed.col : placed.col + placed.colspan]) - 2 * TABLE_CELL_MARGIN, _TABLE_CHAR)
        paragraphs = _texts(placed)
        n = sum(count_lines(p, inner, 0, TABLE_PT * 20, CHAR_CONDENSE) for p in paragraphs) if paragraphs else 1
        if placed.rowspan == 1:
            lines[placed.row] = max(lines[placed.row], n)
        else:
            tall.append((placed, n))
    for placed, n in tall:
        last = placed.row + placed.rowspan - 1
        lack = n - sum(lines[placed.row : last + 1])
        if lack > 0:
            lines[last] += lack
    return [n * TABLE_LINE + TABLE_ROW_EXTRA for n in lines]


def _table_xml(table: Table, widths: list[int], layout: TableLayout | None = None) -> str:
    """The table as WordprocessingML; merged cells as gridSpan (columns) and vMerge (rows)."""
    layout = layout or table.layout()
    ncols = len(widths)
    header_rows = table.header_rows()
    table_pr = (
        "<w:tbl><w:tblPr>"
        f'<w:tblW w:w="{TEXT_WIDTH}" w:type="dxa"/><w:jc w:val="center"/>'
        f"<w:tblBorders>{_CELL_BORDERS}</w:tblBorders>"
        '<w:tblLayout w:type="fixed"/>'
        f'<w:tblCellMar><w:left w:w="{TABLE_CELL_MARGIN}" w:type="dxa"/>'
        f'<w:right w:w="{TABLE_CELL_MARGIN}" w:type="dxa"/></w:tblCellMar>'
        '<w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" w:firstColumn="0"'
        ' w:lastColumn="0" w:noHBand="0" w:noVBand="1"/>'
        "</w:tblPr><w:tblGrid>"
    )
    out = [table_pr, "".join(f'<w:gridCol w:w="{w}"/>' for w in widths), "</w:tblGrid>"]
    for index in range(layout.nrows):
        header = index < header_rows
        ppr = _HEAD_CELL_PPR if header else _CELL_PPR
        out.append("<w:tr>")
        out.append("<w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>" if header else "<w:trPr><w:cantSplit/></w:trPr>")
        col = 0
        while col < ncols:
            placed = layout.at(index, col)
            span = placed.colspan if placed is not None else 1
            props = f'<w:tcW w:w="{sum(widths[col : col + span])}" w:type="dxa"/>'
            if span > 1:
                props += f'<w:gridSpan w:val="{span}"/>'
            if placed is not None and placed.rowspan > 1:
                props += '<w:vMerge w:val="restart"/>' if placed.row == index else "<w:vMerge/>"
            # the cell's text at its first slot; a continued (vMerge) cell holds an empty paragraph
            starts = placed is not None and placed.row == index and placed.cell.paragraphs
            paragraphs: list[list[Run]] = placed.cell.paragraphs if starts else [[]]
            out.append(f"<w:tc><w:tcPr>{props}</w:tcPr>")
            for runs in paragraphs:
                out.append(_paragraph(_runs_xml(runs, FONT_FANGSONG, TABLE_PT, bold_all=header), ppr))
            out.append("</w:tc>")
            col += span
        out.append("</w:tr>")
    out.append("</w:tbl>")
    return "".join(out)


# --------------------------------------------------------------------------
# The planned flow: each piece knows its XML and its lines on the page
# --------------------------------------------------------------------------


@dataclass
class _Piece:
    item: Item
    render: Callable[[int], str]  # line pitch → XML
    tightenable: bool = False  # a body line whose pitch may shrink (7.3.5.1)
    pitch: int = LINE_PITCH


def _fixed(xml: str, heights: list[int], **flags) -> _Piece:
    return _Piece(Item(heights, **flags), lambda _pitch, xml=xml: xml)


def _line_piece(para: Paragraph, keep_next: bool, tag: str = "body") -> _Piece:
    lines = _paragraph_lines(para)
    return _Piece(
        Item([LINE_PITCH] * lines, keep_next=keep_next, tag=tag),
        lambda pitch, para=para, keep_next=keep_next: _body_paragraph_xml(para, keep_next, pitch),
        tightenable=True,
    )


def _blocks_pieces(blocks: list[Block], tag: str = "body") -> list[_Piece]:
    out: list[_Piece] = []
    last = len(blocks) - 1
    for index, block in enumerate(blocks):
        if isinstance(block, Table):
            layout = block.layout()
            widths = table_column_widths(block, layout=layout)
            rows = _table_rows(block, widths, layout)
            head = sum(rows[: block.header_rows()])
            out.append(_fixed(_table_xml(block, widths, layout), rows, table_header=head, tag="table"))
            if index < last and isinstance(blocks[index + 1], Table):
                # two tables in a row would merge into one: keep a line apart
                out.append(_fixed(_BLANK, [LINE_PITCH], tag="blank"))
        else:
            out.append(_line_piece(block, _keeps_with_next(block), tag))
    return out


def _attachment_titles(doc: OfficialDocument) -> list[str]:
    """The 附件说明's titles: the listed names, then any attached page not among them."""
    titles = [" ".join(xml_safe(a).split()) for a in doc.attachments]
    titles = [t for t in titles if t]
    for page in doc.attachment_pages:
        title = " ".join(xml_safe(page.title).split())
        if title and title not in titles:
            titles.append(title)
    return titles


def _attachment_note_pieces(titles: list[str]) -> list[_Piece]:
    """附件说明 (7.3.4): 正文下空一行左空二字, "附件：", numbered when several."""
    if not titles:
        return []
    rpr = _rpr(FONT_FANGSONG)
    label = 3 * CHAR  # "附件："
    start = 2 * CHAR  # 左空二字
    blank = _fixed(_BLANK, [LINE_PITCH], tag="blank")
    if len(titles) == 1:
        left = start + label
        ind = f'<w:ind w:left="{left}" w:hanging="{label}"/>'
        xml = _paragraph(_run("附件：" + titles[0], rpr), _ppr(keep_next=True, ind=ind, jc="left"))
        lines = count_lines(titles[0], TEXT_WIDTH - left)
        return [blank, _fixed(xml, [LINE_PITCH] * lines, keep_next=True, tag="note")]
    number = (2 if len(titles) < 10 else 3) * CHAR  # "1．" / "10．"
    left = start + label + number
    out = [blank]
    for i, title in enumerate(titles, start=1):
        first = i == 1
        hanging = left - start if first else number
        text = ("附件：" if first else "") + f"{i}．\t{title}"
        ind = f'<w:ind w:left="{left}" w:hanging="{hanging}"/>'
        xml = _paragraph(_run(text, rpr), _ppr(keep_next=True, tabs=[("left", left)], ind=ind, jc="left"))
        out.append(_fixed(xml, [LINE_PITCH] * count_lines(title, TEXT_WIDTH - left), keep_next=True, tag="note"))
    return out


def _signature_pieces(doc: OfficialDocument) -> list[_Piece]:
    """署名, 成文日期 and the disclosure annotation (GB/T 9704 7.3.5.2, 7.3.6)."""
    rpr = _rpr(FONT_FANGSONG)
    signer = " ".join(xml_safe(doc.signer).split())
    date_text = chinese_date(doc.written_date)
    ws, wd = display_width(signer), display_width(date_text)
    if ws - wd >= 2:
        signer_right, date_right = 2.0, ws - wd
    else:
        date_right, signer_right = 2.0, 4.0 + wd - ws

    def right_ind(chars: float) -> str:
        return f'<w:ind w:rightChars="{round(chars * 100)}" w:right="{round(chars * CHAR)}"/>'

    # 下空一行: the blank line may be tightened like the body above it
    out = [
        _Piece(
            Item([LINE_PITCH], tag="blank"),
            lambda pitch: _BLANK if pitch == LINE_PITCH else _blank(pitch),
            tightenable=True,
        )
    ]
    if signer:
        xml = _paragraph(
            _run(signer, rpr), _ppr(keep_next=True, keep_lines=True, ind=right_ind(signer_right), jc="right")
        )
        out.append(_fixed(xml, [LINE_PITCH], keep_next=True, keep_lines=True, tag="sig"))
    xml = _paragraph(_run(date_text, rpr), _ppr(keep_next=True, ind=right_ind(date_right), jc="right"))
    out.append(_fixed(xml, [LINE_PITCH], keep_next=True, tag="sig"))
    xml = _paragraph(_run(doc.disclosure.annotation, rpr), _ppr(ind=_BODY_IND, jc="left"))
    out.append(_fixed(xml, [LINE_PITCH], tag="sig"))
    return out


def _attachment_page_pieces(doc: OfficialDocument, titles: list[str]) -> list[_Piece]:
    """附件 pages (7.3.8): "附件N" in 黑体 flush left on line 1, the title centred on line 3."""
    out: list[_Piece] = []
    several = len(titles) > 1
    for page in doc.attachment_pages:
        title = " ".join(xml_safe(page.title).split())
        number = titles.index(title) + 1 if title in titles else 0
        label = f"附件{number}" if several and number else "附件"
        xml = _paragraph(
            _run(label, _rpr(FONT_HEITI)), '<w:pPr><w:pageBreakBefore/><w:keepNext/><w:jc w:val="left"/></w:pPr>'
        )
        out.append(_fixed(xml, [LINE_PITCH], keep_next=True, page_break=True, tag="att_label"))
        out.append(_fixed(_BLANK_KEEP, [LINE_PITCH], keep_next=True, tag="blank"))
        title_lines = break_title(title) or [""]
        title_rpr = _rpr(FONT_XIAOBIAOSONG, TITLE_PT)
        runs = "<w:r>" + title_rpr + "<w:br/>".join(
            f'<w:t xml:space="preserve">{xml_escape(line)}</w:t>' for line in title_lines
        ) + "</w:r>"
        xml = _paragraph(runs, _ppr(keep_next=True, snap_to_grid=False, jc="center", rpr=title_rpr))
        out.append(_fixed(xml, [LINE_PITCH] * len(title_lines), keep_next=True, tag="att_title"))
        out.append(_fixed(_BLANK, [LINE_PITCH], tag="blank"))
        body = parse_body_html(page.body_html) if page.body_html else []
        if body:
            out.extend(_blocks_pieces(body, tag="att_body"))
        else:
            name = " ".join(xml_safe(page.file_name).split())
            where = (
                f"本附件为随文发送的电子文件“{name}”，请在文件附件中查阅。"
                if name
                else "本附件随文另行发送。"
            )
            out.append(_line_piece(Paragraph([Run(where)]), False, tag="att_body"))
    return out


_BLANK_KEEP = "<w:p><w:pPr><w:keepNext/></w:pPr></w:p>"


def _colophon_lines(doc: OfficialDocument) -> list[str]:
    lines: list[str] = []
    cc = cc_line(doc.cc)
    if cc:
        lines.append(cc)
    office = " ".join(xml_safe(doc.printing_office).split())
    lines.append(f"{office}\t{chinese_date(doc.print_date)}印发")
    return lines


# 版记 rules (paragraph borders): thick = 1 pt line + 1 pt space, thin between.
_COLOPHON_TOP = RULE_THICK * 20 // 8 + 20
_COLOPHON_BETWEEN = 20 + RULE_THIN * 20 // 8 + 20
_COLOPHON_BOTTOM = RULE_THICK * 20 // 8 + 20


def colophon_height(doc: OfficialDocument) -> int:
    """Height of the 版记 in twips: its lines (4号) plus its three kinds of rule."""
    lines = _colophon_lines(doc)
    width = TEXT_WIDTH - 5 * COLOPHON_CHAR  # 左右各空一字, continued lines under the first name
    count = [count_lines(line.split("\t")[0], width, -3 * COLOPHON_CHAR, COLOPHON_PT * 20, CHAR_CONDENSE)
             for line in lines]
    return sum(count) * LINE_PITCH + _COLOPHON_TOP + _COLOPHON_BOTTOM + (len(lines) - 1) * _COLOPHON_BETWEEN


def _colophon_xml(doc: OfficialDocument) -> list[str]:
    """版记 (GB/T 9704 7.5): 抄送 and 印发机关/印发日期 between rules.

    All its paragraphs carry the same paragraph properties, so Word, WPS and
    LibreOffice draw them as one bordered group — the thick top rule above the
    first, the thick bottom rule under the last, the thin ``w:between`` rule
    between them.  The group is kept together; the blank space before it
    (see :func:`build_body_xml`) puts its last rule on the last line.
    """
    rpr = _rpr(FONT_FANGSONG, COLOPHON_PT)
    lines = _colophon_lines(doc)
    # keep together; the last line keeps with nothing (a keep-with-next on the
    # document's last paragraph sends the whole group to a new page in LibreOffice)
    return [_paragraph(_run(line, rpr), _colophon_ppr(i < len(lines) - 1)) for i, line in enumerate(lines)]


def _colophon_ppr(keep_next: bool) -> str:
    rpr = _rpr(FONT_FANGSONG, COLOPHON_PT)
    c = COLOPHON_CHAR
    return _ppr(
        keep_next=keep_next,
        keep_lines=True,
        borders={
            "top": (RULE_THICK, "000000", 1),
            "bottom": (RULE_THICK, "000000", 1),
            "between": (RULE_THIN, "000000", 1),
        },
        tabs=[("right", TEXT_WIDTH - c)],
        # 左右各空一字; 抄送 continues under the first name after "抄送："
        ind=f'<w:ind w:left="{4 * c}" w:right="{c}" w:hanging="{3 * c}"/>',
        jc="left",
        rpr=rpr,
    )


# The 版记's last rule ends this far above the foot of the 版心: LibreOffice
# rounds each line to 1/100 mm, and an exact fit can spill onto a new page.
FOOT_SLACK = 30

# Tightening never goes below 20 pt a line (16 pt characters stay legible).
MIN_PITCH = 400


def _header_height(doc: OfficialDocument) -> int:
    title_lines = len(break_title(xml_safe(doc.title))) or 1
    lines = 5 + 2 + 1 + 2 + title_lines + 1 + (1 if doc.recipients.strip() else 0)
    return lines * LINE_PITCH


def _alone(pieces: list[_Piece]) -> bool:
    """True when the 署名 starts a page that holds nothing of the body above it."""
    sig = [p.item for p in pieces if p.item.tag == "sig"]
    if not sig:
        return False
    page = sig[0].places[0][0]
    before = [p.item for p in pieces[: pieces.index(next(p for p in pieces if p.item.tag == "sig"))]]
    return not any(place[0] == page for item in before if item.tag not in ("blank",) for place in item.places)


def _tighten(pieces: list[_Piece], start: int) -> bool:
    """Shrink the line pitch of the body on the page before the 署名 until it fits."""
    sig_index = next(i for i, p in enumerate(pieces) if p.item.tag == "sig")
    page = pieces[sig_index].item.places[0][0] - 1
    candidates = [
        p
        for p in pieces[:sig_index]
        if p.tightenable and p.item.places and all(pl[0] == page for pl in p.item.places)
    ]
    if not candidates:
        return False
    for pitch in range(LINE_PITCH - 10, MIN_PITCH - 1, -10):
        for piece in candidates:
            piece.pitch = pitch
            piece.item.heights = [pitch] * len(piece.item.heights)
        paginate([p.item for p in pieces], TEXT_HEIGHT, start)
        last = next(p.item for p in reversed(pieces) if p.item.tag == "sig")
        if not _alone(pieces) and last.places[-1][1] + last.heights[-1] <= TEXT_HEIGHT - FOOT_SLACK:
            return True
    for piece in candidates:
        piece.pitch = LINE_PITCH
        piece.item.heights = [LINE_PITCH] * len(piece.item.heights)
    paginate([p.item for p in pieces], TEXT_HEIGHT, start)
    return False


@dataclass
class Plan:
    """Where things fall, as the writer planned it (for tests and the benchmark)."""

    pages: int  # pages of the main section (the 版记 page excluded when on its own)
    colophon_page: int
    colophon_own_page: bool
    blank_page: bool  # a blank page before the 版记 page (printed on both sides)
    tightened_pitch: int  # LINE_PITCH when nothing was tightened
    spacer: int  # twips of blank space above the 版记


def plan_document(doc: OfficialDocument) -> tuple[list[_Piece], Plan]:
    if len(doc.body_html) > MAX_GENERATED_BODY_CHARS:
        raise DocumentBuildError("正文过长，无法生成公文")
    titles = _attachment_titles(doc)
    pieces = _blocks_pieces(parse_body_html(doc.body_html))
    pieces += _attachment_note_pieces(titles)
    pieces += _signature_pieces(doc)
    pieces += _attachment_page_pieces(doc, titles)
    start = _header_height(doc)
    items = [p.item for p in pieces]
    last_page, bottom = paginate(items, TEXT_HEIGHT, start)
    pitch = LINE_PITCH
    if _alone(pieces) and _tighten(pieces, start):
        pitch = min(p.pitch for p in pieces)
        last_page, bottom = paginate(items, TEXT_HEIGHT, start)
    height = colophon_height(doc)
    own = bottom + height > TEXT_HEIGHT
    blank = own and doc.duplex and (last_page + 1) % 2 == 1
    colophon_page = last_page + (2 if blank else 1) if own else last_page
    spacer = TEXT_HEIGHT - height - (0 if own else bottom) - FOOT_SLACK
    return pieces, Plan(last_page, colophon_page, own, blank, pitch, max(0, spacer))


def build_body_xml(doc: OfficialDocument) -> str:
    """All the paragraphs of the document, as the children of one <w:body>.

    When the 版记 needs a page of its own, the main section ends with a
    section break (on the next even page when printed on both sides) and the
    last section prints no page number (7.5.1: 版记页不编排页码).
    """
    return _body_xml(doc, *plan_document(doc))


def _body_xml(doc: OfficialDocument, pieces: list[_Piece], plan: Plan) -> str:
    parts = _header_xml(doc)
    parts.extend(p.render(p.pitch) for p in pieces)
    if plan.colophon_own_page:
        # section breaks, filled in by build_docx: the main text ends; then,
        # printed on both sides, a blank page of its own; then the 版记 page
        parts.append("<w:p><w:pPr><w:sectPr/></w:pPr></w:p>")
        if plan.blank_page:
            parts.append("<w:p><w:pPr><w:sectPr/></w:pPr></w:p>")
    if plan.spacer >= 20:
        parts.append(_blank(plan.spacer).replace("<w:pPr>", "<w:pPr><w:keepNext/>", 1))
    parts.extend(_colophon_xml(doc))
    return "".join(parts)



# --------------------------------------------------------------------------
# The package skeleton, built once per process
# --------------------------------------------------------------------------


def _styles_xml() -> str:
    body_fonts = (
        f'<w:rFonts w:ascii="{FONT_FANGSONG}" w:hAnsi="{FONT_FANGSONG}" '
        f'w:eastAsia="{FONT_FANGSONG}" w:cs="{FONT_FANGSONG}"/>'
    )
    lang = '<w:lang w:val="zh-CN" w:eastAsia="zh-CN" w:bidi="ar-SA"/>'
    body_rpr = (
        f'<w:rPr>{body_fonts}<w:spacing w:val="{CHAR_CONDENSE}"/><w:kern w:val="2"/>'
        f'<w:sz w:val="32"/><w:szCs w:val="32"/>{lang}</w:rPr>'
    )
    # autoSpaceDE/DN off: no extra gap between Chinese and digits/Latin (Word,
    # WPS; LibreOffice 7.4 does not read these and keeps its own small gap).
    body_ppr = (
        '<w:pPr><w:widowControl w:val="0"/><w:autoSpaceDE w:val="0"/><w:autoSpaceDN w:val="0"/>'
        f'{_EXACT_LINE}<w:jc w:val="both"/></w:pPr>'
    )
    song = (
        f'<w:rFonts w:ascii="{FONT_SONGTI}" w:hAnsi="{FONT_SONGTI}" w:eastAsia="{FONT_SONGTI}" w:cs="{FONT_SONGTI}"/>'
    )
    grid = "".join(
        f'<w:{s} w:val="single" w:sz="4" w:space="0" w:color="000000"/>'
        for s in ("top", "left", "bottom", "right", "insideH", "insideV")
    )
    return (
        f"<w:styles {_NSDECL}>"
        f"<w:docDefaults><w:rPrDefault>{body_rpr}</w:rPrDefault>"
        f"<w:pPrDefault>{body_ppr}</w:pPrDefault></w:docDefaults>"
        '<w:style w:type="paragraph" w:default="1" w:styleId="Normal">'
        f'<w:name w:val="Normal"/><w:qFormat/>{body_ppr}{body_rpr}</w:style>'
        '<w:style w:type="character" w:default="1" w:styleId="DefaultParagraphFont">'
        '<w:name w:val="Default Paragraph Font"/><w:uiPriority w:val="1"/><w:semiHidden/>'
        "<w:unhideWhenUsed/></w:style>"
        '<w:style w:type="table" w:default="1" w:styleId="TableNormal">'
        '<w:name w:val="Normal Table"/><w:uiPriority w:val="99"/><w:semiHidden/>'
        '<w:unhideWhenUsed/><w:tblPr><w:tblInd w:w="0" w:type="dxa"/><w:tblCellMar>'
        '<w:top w:w="0" w:type="dxa"/><w:left w:w="108" w:type="dxa"/>'
        '<w:bottom w:w="0" w:type="dxa"/><w:right w:w="108" w:type="dxa"/>'
        "</w:tblCellMar></w:tblPr></w:style>"
        '<w:style w:type="numbering" w:default="1" w:styleId="NoList">'
        '<w:name w:val="No List"/><w:uiPriority w:val="99"/><w:semiHidden/>'
        "<w:unhideWhenUsed/></w:style>"
        '<w:style w:type="table" w:styleId="TableGrid"><w:name w:val="Table Grid"/>'
        '<w:basedOn w:val="TableNormal"/><w:uiPriority w:val="59"/>'
        f"<w:tblPr><w:tblBorders>{grid}</w:tblBorders></w:tblPr></w:style>"
        '<w:style w:type="paragraph" w:styleId="Footer"><w:name w:val="footer"/>'
        '<w:basedOn w:val="Normal"/><w:uiPriority w:val="99"/><w:unhideWhenUsed/>'
        f'<w:pPr><w:snapToGrid w:val="0"/>{_SINGLE_LINE}</w:pPr>'
        f'<w:rPr>{song}<w:sz w:val="28"/><w:szCs w:val="28"/></w:rPr></w:style>'
        "</w:styles>"
    )


def _settings_xml() -> str:
    return (
        f"<w:settings {_NSDECL}>"
        '<w:zoom w:percent="100"/>'
        '<w:defaultTabStop w:val="420"/>'
        "<w:evenAndOddHeaders/>"
        '<w:drawingGridVerticalSpacing w:val="579"/>'
        '<w:characterSpacingControl w:val="compressPunctuation"/>'
        "<w:compat><w:spaceForUL/><w:balanceSingleByteDoubleByteWidth/>"
        "<w:doNotLeaveBackslashAlone/><w:ulTrailSpace/><w:doNotExpandShiftReturn/>"
        "<w:adjustLineHeightInTable/><w:useFELayout/>"
        '<w:compatSetting w:name="compatibilityMode" '
        'w:uri="http://schemas.microsoft.com/office/word" w:val="15"/>'
        "</w:compat>"
        '<w:themeFontLang w:val="en-US" w:eastAsia="zh-CN"/>'
        '<w:decimalSymbol w:val="."/><w:listSeparator w:val=","/>'
        "</w:settings>"
    )


_FONT_TABLE_FONTS = (
    # name, altName, panose, family, pitch
    (FONT_FANGSONG, "仿宋", "02010609030101010101", "modern", "fixed"),
    (FONT_SONGTI, "SimSun", "02010600030101010101", "auto", "variable"),
    (FONT_HEITI, "SimHei", "02010609060101010101", "modern", "fixed"),
    (FONT_KAITI, "楷体", "02010609030101010101", "modern", "fixed"),
    (FONT_XIAOBIAOSONG, "方正小标宋_GBK", "02000000000000000000", "auto", "variable"),
)


def _font_table_xml() -> str:
    fonts = "".join(
        f'<w:font w:name="{name}"><w:altName w:val="{alt}"/><w:panose1 w:val="{panose}"/>'
        f'<w:charset w:val="86"/><w:family w:val="{family}"/><w:pitch w:val="{pitch}"/></w:font>'
        for name, alt, panose, family, pitch in _FONT_TABLE_FONTS
    )
    return f"<w:fonts {_NSDECL}>{fonts}</w:fonts>"


_APP_XML = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
    b"<Template></Template><TotalTime>0</TotalTime><DocSecurity>0</DocSecurity>"
    b"<Company></Company><LinksUpToDate>false</LinksUpToDate><SharedDoc>false</SharedDoc>"
    b"<HyperlinksChanged>false</HyperlinksChanged></Properties>"
)


def _page_number_xml(jc: str, ind: str) -> str:
    rpr = _rpr(FONT_SONGTI, COLOPHON_PT)
    return (
        f'<w:p><w:pPr><w:pStyle w:val="Footer"/>{ind}<w:jc w:val="{jc}"/>{rpr}</w:pPr>'
        f'<w:r>{rpr}<w:t xml:space="preserve">— </w:t></w:r>'
        f'<w:r>{rpr}<w:fldChar w:fldCharType="begin"/></w:r>'
        f'<w:r>{rpr}<w:instrText xml:space="preserve"> PAGE </w:instrText></w:r>'
        f'<w:r>{rpr}<w:fldChar w:fldCharType="separate"/></w:r>'
        f"<w:r>{rpr}<w:t>1</w:t></w:r>"
        f'<w:r>{rpr}<w:fldChar w:fldCharType="end"/></w:r>'
        f'<w:r>{rpr}<w:t xml:space="preserve"> —</w:t></w:r></w:p>'
    )


def _replace_children(element, xml: str) -> None:
    for child in list(element):
        element.remove(child)
    for child in parse_xml(f"<w:x {_NSDECL}>{xml}</w:x>"):
        element.append(child)


@lru_cache(maxsize=1)
def _skeleton() -> bytes:
    """The empty official document: every part but the body and core props."""
    document = docx.Document()
    part = document.part
    package = part.package

    # Drop what the python-docx sample template carries and we do not want:
    # stylesWithEffects, webSettings, theme (its Japanese East Asian font),
    # numbering, customXml, and the package thumbnail.
    keep = {RT.STYLES, RT.SETTINGS, RT.FONT_TABLE}
    for rid, rel in list(part.rels.items()):
        if rel.reltype not in keep:
            del part.rels[rid]
    for rid, rel in list(package.rels.items()):
        if rel.reltype == RT.THUMBNAIL:
            del package.rels[rid]
        elif rel.reltype == RT.EXTENDED_PROPERTIES:
            rel.target_part._blob = _APP_XML

    styles_part = part._styles_part
    styles_part._element = parse_xml(_styles_xml())
    settings_part = part._settings_part
    settings_part._element = parse_xml(_settings_xml())
    font_part = part.part_related_by(RT.FONT_TABLE)
    font_part._element = parse_xml(_font_table_xml())

    section = document.sections[0]
    sect = section._sectPr
    pg_mar = sect.find(qn("w:pgMar"))
    for name, value in (
        ("top", MARGIN_TOP),
        ("bottom", MARGIN_BOTTOM),
        ("left", MARGIN_LEFT),
        ("right", MARGIN_RIGHT),
        ("header", HEADER_DISTANCE),
        ("footer", FOOTER_DISTANCE),
        ("gutter", 0),
    ):
        pg_mar.set(qn(f"w:{name}"), str(value))
    pg_sz = sect.find(qn("w:pgSz"))
    pg_sz.set(qn("w:w"), str(PAGE_WIDTH))
    pg_sz.set(qn("w:h"), str(PAGE_HEIGHT))
    for old in sect.findall(qn("w:cols")) + sect.findall(qn("w:docGrid")):
        sect.remove(old)
    sect.append(parse_xml(f'<w:cols {_NSDECL} w:space="425"/>'))
    sect.append(
        parse_xml(
            f'<w:docGrid {_NSDECL} w:type="lines" w:linePitch="{LINE_PITCH}"/>'
        )
    )

    document.settings.odd_and_even_pages_header_footer = True
    odd = section.footer
    odd.is_linked_to_previous = False
    _replace_children(odd._element, _page_number_xml("right", f'<w:ind w:right="{COLOPHON_CHAR}"/>'))
    even = section.even_page_footer
    even.is_linked_to_previous = False
    _replace_children(even._element, _page_number_xml("left", f'<w:ind w:left="{COLOPHON_CHAR}"/>'))
    # An empty first-page footer, used only by a 版记 page of its own (no page number).
    first = section.first_page_footer
    first.is_linked_to_previous = False
    _replace_children(first._element, '<w:p><w:pPr><w:pStyle w:val="Footer"/></w:pPr></w:p>')
    section.different_first_page_header_footer = False

    body = document.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)

    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


# --------------------------------------------------------------------------
# Public API
# --------------------------------------------------------------------------


def interpretation_body_xml(doc: InterpretationDocument) -> str:
    """A 政策解读: title, the policy it interprets and its 文号, the text, the issuer and date.

    Not a 红头文件: no 发文机关标志, no 文号 line, no red rule, no 版记.
    """
    if len(doc.body_html) > MAX_GENERATED_BODY_CHARS:
        raise DocumentBuildError("解读材料过长，无法生成文件")
    title_rpr = _rpr(FONT_XIAOBIAOSONG, TITLE_PT)
    title_lines = break_title(xml_safe(doc.title)) or [""]
    runs = "<w:r>" + title_rpr + "<w:br/>".join(
        f'<w:t xml:space="preserve">{xml_escape(line)}</w:t>' for line in title_lines
    ) + "</w:r>"
    parts = [
        _paragraph(runs, _ppr(keep_next=True, snap_to_grid=False, jc="center", rpr=title_rpr)),
        _BLANK,
    ]
    policy = " ".join(xml_safe(doc.policy_title).split())
    number = " ".join(xml_safe(doc.policy_number).split())
    if policy:
        reference = f"本解读对应文件：《{policy}》" + (f"（{number}）" if number else "") + "。"
        parts.append(_paragraph(_run(reference, _rpr(FONT_KAITI)), _ppr(ind=_BODY_IND, jc="left")))
    parts.extend(p.render(p.pitch) for p in _blocks_pieces(parse_body_html(doc.body_html)))
    signer = " ".join(xml_safe(doc.signer).split())
    if signer or doc.written_date:
        parts.append(_BLANK)
        ind = f'<w:ind w:rightChars="200" w:right="{2 * CHAR}"/>'
        for line in (signer, chinese_date(doc.written_date) if doc.written_date else ""):
            if line:
                parts.append(_paragraph(_run(line, _rpr(FONT_FANGSONG)), _ppr(keep_next=True, ind=ind, jc="right")))
    return "".join(parts)


def build_docx(doc: OfficialDocument | InterpretationDocument) -> bytes:
    """The .docx of *doc*: an issued 公文 laid out per GB/T 9704-2012, or a plain 政策解读."""
    interpretation = isinstance(doc, InterpretationDocument)
    if interpretation:
        body_xml, plan = interpretation_body_xml(doc), None
    else:
        pieces, plan = plan_document(doc)
        body_xml = _body_xml(doc, pieces, plan)
    document = docx.Document(io.BytesIO(_skeleton()))
    body = document.element.body
    sect = body.find(qn("w:sectPr"))
    fragment = parse_xml(f"<w:body {_NSDECL}>{body_xml}</w:body>")
    for child in list(fragment):
        sect.addprevious(child)
    if plan is not None:
        _split_colophon_section(document, plan)

    props = document.core_properties
    issuer = " ".join(xml_safe(doc.signer).split())
    props.author = issuer
    props.last_modified_by = issuer
    props.title = " ".join(xml_safe(doc.title).split())
    props.subject = ""
    props.keywords = ""
    props.comments = ""
    props.category = ""
    props.content_status = ""
    props.identifier = ""
    props.language = "zh-CN"
    props.version = ""
    props.revision = 1
    day = doc.written_date if interpretation else doc.print_date
    stamp = datetime(day.year, day.month, day.day) if day else datetime(2000, 1, 1)
    props.created = stamp
    props.modified = stamp

    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _split_colophon_section(document, plan: Plan) -> None:
    """A 版记 on a page of its own is a section of its own, and so is the blank
    page before it when the document is printed on both sides and the 版记 page
    would otherwise be odd (an explicit page: LibreOffice's PDF export leaves
    out the blank page of an "even page" section break).  Neither prints a
    page number (7.5.1): each is one page, and its first-page footer is empty."""
    body = document.element.body
    placeholders = [s for s in body.iter(qn("w:sectPr")) if len(s) == 0]
    if not placeholders:
        return
    final = body.find(qn("w:sectPr"))
    for placeholder in placeholders:
        placeholder.getparent().replace(placeholder, copy.deepcopy(final))
    for index, section in enumerate(document.sections):
        if index:  # the blank page and the 版记 page: one page each, no page number
            section.start_type = WD_SECTION.NEW_PAGE
            section.different_first_page_header_footer = True


def document_text(data: bytes) -> str:
    """All visible text of a .docx: paragraphs and table cells, in order."""
    document = docx.Document(io.BytesIO(data))
    lines: list[str] = []
    _collect_text(document.element.body, lines)
    return "\n".join(lines)


def _collect_text(container, lines: list[str]) -> None:
    from docx.text.paragraph import Paragraph as DocxParagraph

    for child in container.iterchildren():
        if child.tag == qn("w:p"):
            lines.append(DocxParagraph(child, None).text)
        elif child.tag == qn("w:tbl"):
            for tr in child.iterchildren(qn("w:tr")):
                for tc in tr.iterchildren(qn("w:tc")):
                    _collect_text(tc, lines)
        elif child.tag == qn("w:sdt"):
            content = child.find(qn("w:sdtContent"))
            if content is not None:
                _collect_text(content, lines)
