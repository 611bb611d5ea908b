"""An HTML preview of the GB/T 9704 layout, shown before the download.

It interprets the body exactly as the writer does (same block parser, same
heading rules) and escapes every piece of text.  The markup, and the classes
the app's stylesheet styles (:data:`PREVIEW_CSS` is a ready default):

``div.gw-page``              the sheet (A4 proportions)
  ``p.gw-mark``              份号, 密级, 紧急程度 (top left, when given)
  ``div.gw-head``            版头
    ``p.gw-issuer``          发文机关标志 (red)
    ``p.gw-number``          发文字号 (``.gw-number-signed`` with ``span.gw-signers``: 签发人)
    ``hr.gw-red-rule``       red separator
  ``h1.gw-title``            标题
  ``p.gw-recipients``        主送机关
  ``div.gw-body``            正文:
    ``p.gw-p``               paragraph (first line indented 2 characters)
    ``p.gw-h1`` / ``p.gw-h2``  paragraph starting with 一、 / （一） (or <h2>/<h3>);
                             ``span.gw-h1-text`` / ``span.gw-h2-text`` wraps the
                             part in 黑体 / 楷体
    ``p.gw-li``              list item (``data-level`` = nesting depth)
    ``table.gw-table``       table; header cells are <th>
  ``div.gw-attachments``     附件说明, one ``p.gw-attachment`` per attachment
  ``p.gw-signer``            署名
  ``p.gw-date``              成文日期
  ``p.gw-annotation``        （此件公开发布） etc.
  ``div.gw-colophon``        版记: ``p.gw-cc`` (optional), ``p.gw-printed`` with
                             ``span.gw-printing-office`` and ``span.gw-print-date``
"""

from __future__ import annotations

from html import escape

from .gbt9704 import _heading_level, _heading_span
from .html_blocks import Paragraph, Run, Table, parse_body_html
from .model import OfficialDocument
from .text import cc_line, chinese_date, xml_safe
from .title import break_title

PREVIEW_CSS = """
.gw-page{width:210mm;min-height:297mm;box-sizing:border-box;padding:37mm 26mm 35mm 28mm;
  background:#fff;color:#000;font:16pt/28.95pt "仿宋_GB2312","FangSong","STFangsong",serif;
  box-shadow:0 0 4px rgba(0,0,0,.3);margin:0 auto}
.gw-page p{margin:0}
.gw-head{text-align:center;padding-top:35mm}
.gw-issuer{color:#f00;font:26pt/1.2 "方正小标宋简体","FZXiaoBiaoSong-B05S","SimSun",serif;
  margin-bottom:57.9pt!important}
.gw-number{text-align:center}
.gw-mark{text-align:left;font-family:"黑体","SimHei",sans-serif}
.gw-number-signed{display:flex;justify-content:space-between;padding:0 1em}
.gw-signer-names{font-family:"楷体_GB2312","KaiTi","STKaiti",serif}
.gw-red-rule{border:0;border-top:1.5pt solid #f00;margin:4mm 0 57.9pt}
.gw-title{font:22pt/28.95pt "方正小标宋简体","FZXiaoBiaoSong-B05S","SimSun",serif;
  text-align:center;margin:0 0 28.95pt}
.gw-body p{text-indent:2em;text-align:justify}
.gw-h1-text{font-family:"黑体","SimHei",sans-serif}
.gw-h2-text{font-family:"楷体_GB2312","KaiTi","STKaiti",serif}
.gw-table{width:100%;border-collapse:collapse;font-size:14pt;line-height:1.3}
.gw-table th,.gw-table td{border:1px solid #000;padding:2pt 4pt}
.gw-attachments{margin-top:28.95pt;padding-left:2em}
.gw-signer{margin-top:28.95pt!important;text-align:right;padding-right:2em}
.gw-date{text-align:right;padding-right:2em}
.gw-annotation{text-indent:2em}
.gw-colophon{margin-top:28.95pt;font-size:14pt;border-top:1pt solid #000;
  border-bottom:1pt solid #000}
.gw-cc{padding:0 1em;border-bottom:.75pt solid #000}
.gw-attachment-pad{visibility:hidden}
.gw-printed{display:flex;justify-content:space-between;padding:0 1em}
"""


def _t(text: str) -> str:
    return escape(xml_safe(text), quote=True)


def _runs_html(runs: list[Run], head_class: str = "", head_len: int = 0) -> str:
    out: list[str] = []
    pos = 0
    opened = False
    if head_class and head_len:
        out.append(f'<span class="{head_class}">')
        opened = True
    for run in runs:
        text = run.text
        pieces = [text]
        if opened and pos + len(text) > head_len:
            cut = max(0, head_len - pos)
            pieces = [text[:cut], None, text[cut:]]  # type: ignore[list-item]
        pos += len(text)
        for piece in pieces:
            if piece is None:
                out.append("</span>")
                opened = False
                continue
            if not piece:
                continue
            html = "<br>".join(escape(line, quote=False) for line in piece.split("\n"))
            if run.underline:
                html = f"<u>{html}</u>"
            if run.italic:
                html = f"<em>{html}</em>"
            if run.bold:
                html = f"<strong>{html}</strong>"
            out.append(html)
    if opened:
        out.append("</span>")
    return "".join(out)


def _paragraph_html(para: Paragraph) -> str:
    if para.kind == "li":
        prefix = escape(para.prefix, quote=False)
        return f'<p class="gw-li" data-level="{para.level}">{prefix}{_runs_html(para.runs)}</p>'
    level = _heading_level(para)
    if level == 0:
        return f'<p class="gw-p">{_runs_html(para.runs)}</p>'
    span = len(para.text) if para.kind in ("h2", "h3") else _heading_span(para.text)
    cls = "gw-h1" if level == 1 else "gw-h2"
    return f'<p class="{cls}">{_runs_html(para.runs, cls + "-text", span)}</p>'


def _table_html(table: Table) -> str:
    rows: list[list[str]] = [[] for _ in table.rows]
    header_rows = table.header_rows()
    for placed in table.layout().cells:  # spans as the .docx merges them (clipped, never overlapping)
        tag = "th" if placed.row < header_rows else "td"
        attrs = (f' colspan="{placed.colspan}"' if placed.colspan > 1 else "") + (
            f' rowspan="{placed.rowspan}"' if placed.rowspan > 1 else ""
        )
        text = "<br>".join(_runs_html(p) for p in placed.cell.paragraphs)
        rows[placed.row].append(f"<{tag}{attrs}>{text}</{tag}>")
    return '<table class="gw-table">' + "".join(f"<tr>{''.join(cells)}</tr>" for cells in rows) + "</table>"


def render_preview_html(doc: OfficialDocument) -> str:
    """The layout of *doc* as one ``<div class="gw-page">``, all text escaped."""
    # 份号, 密级, 紧急程度 flush left above the 发文机关标志 (GB/T 9704 7.2.1–7.2.3); with 签发人
    # (上行文, 7.2.6) the 文号 moves left and the names right, as the .docx prints them.
    marks = [" ".join(xml_safe(m).split()) for m in (doc.copy_number, doc.secrecy, doc.urgency)]
    signers = [s for s in (" ".join(xml_safe(s).split()) for s in doc.issuing_signers) if s]
    if signers:
        number = (f'<p class="gw-number gw-number-signed"><span>{_t(doc.doc_number)}</span>'
                  f'<span class="gw-signers">签发人：<span class="gw-signer-names">{_t("　".join(signers))}</span>'
                  '</span></p>')
    else:
        number = f'<p class="gw-number">{_t(doc.doc_number)}</p>'
    parts = [
        '<div class="gw-page">',
        *(f'<p class="gw-mark">{_t(m)}</p>' for m in marks if m),
        '<div class="gw-head">',
        f'<p class="gw-issuer">{_t(doc.issuer_mark)}</p>',
        number,
        '<hr class="gw-red-rule">',
        "</div>",
        f'<h1 class="gw-title">{"<br>".join(_t(line) for line in break_title(xml_safe(doc.title)))}</h1>',
    ]
    recipients = doc.recipients.strip()
    if recipients:
        if not recipients.endswith("："):
            recipients = recipients.rstrip(":") + "："
        parts.append(f'<p class="gw-recipients">{_t(recipients)}</p>')
    parts.append('<div class="gw-body">')
    for block in parse_body_html(doc.body_html):
        parts.append(_table_html(block) if isinstance(block, Table) else _paragraph_html(block))
    parts.append("</div>")
    titles = [" ".join(a.split()) for a in doc.attachments if a.strip()]
    if titles:
        parts.append('<div class="gw-attachments">')
        if len(titles) == 1:
            parts.append(f'<p class="gw-attachment">附件：{_t(titles[0])}</p>')
        else:
            for i, title in enumerate(titles, start=1):
                label = "附件：" if i == 1 else '<span class="gw-attachment-pad">附件：</span>'
                parts.append(f'<p class="gw-attachment">{label}{i}．{_t(title)}</p>')
        parts.append("</div>")
    parts.append(f'<p class="gw-signer">{_t(doc.signer)}</p>')
    parts.append(f'<p class="gw-date">{chinese_date(doc.written_date)}</p>')
    parts.append(f'<p class="gw-annotation">{_t(doc.disclosure.annotation)}</p>')
    parts.append('<div class="gw-colophon">')
    cc = cc_line(doc.cc)
    if cc:
        parts.append(f'<p class="gw-cc">{_t(cc)}</p>')
    parts.append(
        '<p class="gw-printed">'
        f'<span class="gw-printing-office">{_t(doc.printing_office)}</span>'
        f'<span class="gw-print-date">{chinese_date(doc.print_date)}印发</span></p>'
    )
    parts.append("</div></div>")
    return "".join(parts)
