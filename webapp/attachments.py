"""Attachment files: what may be attached, how their text is read for the
de-identification review, and how their public copies are written.

Pure Python, no Flask.  A .docx or .xlsx is scanned like the body; any other
file must be checked by eye, per file, by the publisher.
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import PurePath

import docx
from docx.shared import Mm
from lxml import etree

from .docgen import DocxImportError, docx_to_body_html
from .docgen.html_blocks import Table, parse_body_html
from .publiccopy import HtmlScan, apply_to_html, scan_html

MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024
MAX_EXPANDED = 200 * 1024 * 1024
MAX_RATIO = 100
ALLOWED = {
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".pdf": "application/pdf",
    ".ofd": "application/ofd",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
    ".txt": "text/plain",
}
SCANNED = {".docx", ".xlsx"}
NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
_M = "{" + NS["m"] + "}"


class AttachmentError(ValueError):
    """The file is refused; the message is shown as is."""


def extension(filename: str) -> str:
    return PurePath(filename).suffix.lower()


def check(filename: str, data: bytes) -> str:
    """Refuse what may not be attached; returns the content type."""
    ext = extension(filename)
    if ext not in ALLOWED:
        raise AttachmentError("附件只接受 .docx、.xlsx、.pdf、.ofd、.jpg、.png、.txt 格式。")
    if len(data) > MAX_ATTACHMENT_BYTES:
        raise AttachmentError("附件超过 20 MB。")
    if not data:
        raise AttachmentError("附件是空文件。")
    if ext == ".docx":
        try:
            docx_to_body_html(data)
        except DocxImportError as exc:
            raise AttachmentError(f"附件 {filename}：{exc.message}") from exc
    elif ext == ".xlsx":
        xlsx_items(data)
    return ALLOWED[ext]


# --------------------------------------------------------------------------- scanning


@dataclass
class Scanned:
    ext: str
    text: str
    html_scan: HtmlScan | None = None


def scan(filename: str, data: bytes) -> Scanned | None:
    """The scan text of a .docx or .xlsx attachment; None for files checked by eye."""
    ext = extension(filename)
    if ext == ".docx":
        s = scan_html(docx_to_body_html(data))
        return Scanned(ext, s.text, s)
    if ext == ".xlsx":
        return Scanned(ext, "\n".join(xlsx_items(data)))
    return None


def public_copy(filename: str, data: bytes, replacements: list[tuple[int, int, str]]) -> bytes:
    """The attachment with every replacement applied (a .docx is rewritten as plain paragraphs and tables)."""
    s = scan(filename, data)
    if s is None:
        return data
    if s.ext == ".docx":
        return simple_docx(apply_to_html(s.html_scan, replacements))
    return mask_xlsx(data, replacements)


def simple_docx(html: str) -> bytes:
    document = docx.Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    for block in parse_body_html(html):
        if isinstance(block, Table):
            width = max((len(r.cells) for r in block.rows), default=0)
            if not width:
                continue
            table = document.add_table(rows=len(block.rows), cols=width)
            table.style = "Table Grid"
            for i, row in enumerate(block.rows):
                for j, cell in enumerate(row.cells):
                    table.cell(i, j).text = cell.text
        else:
            p = document.add_paragraph()
            if block.prefix:
                p.add_run(block.prefix + " ")
            for run in block.runs:
                r = p.add_run(run.text)
                r.bold, r.italic, r.underline = run.bold or None, run.italic or None, run.underline or None
    props = document.core_properties
    props.author = props.last_modified_by = ""
    props.title = props.comments = props.subject = props.keywords = ""
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


# --------------------------------------------------------------------------- .xlsx


def _members(data: bytes) -> dict[str, bytes]:
    if len(data) > MAX_ATTACHMENT_BYTES:
        raise AttachmentError("附件超过 20 MB。")
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
    except (zipfile.BadZipFile, ValueError, OSError, EOFError) as exc:
        raise AttachmentError("附件不是有效的 Excel 工作簿（.xlsx）。") from exc
    names = {i.filename.lower() for i in infos}
    if "xl/workbook.xml" not in names:
        raise AttachmentError("附件不是有效的 Excel 工作簿（.xlsx）。")
    if any(n.endswith("vbaproject.bin") for n in names):
        raise AttachmentError("附件含有宏，出于安全原因不予接收。")
    budget = min(MAX_EXPANDED, MAX_RATIO * len(data))
    if sum(i.file_size for i in infos) > budget:
        raise AttachmentError("附件解压后过大，疑似压缩炸弹，不予接收。")
    out: dict[str, bytes] = {}
    try:
        for info in infos:
            if info.is_dir():
                continue
            with zf.open(info) as member:
                blob = member.read(budget + 1)
            budget -= len(blob)
            if budget < 0:
                raise AttachmentError("附件解压后过大，疑似压缩炸弹，不予接收。")
            if info.filename.endswith(".xml") and re.search(rb"<!DOCTYPE", blob, re.I):
                raise AttachmentError("附件含有不允许的 XML 文档类型声明，不予接收。")
            out[info.filename] = blob
    except AttachmentError:
        raise
    except (zipfile.BadZipFile, zlib.error, NotImplementedError, RuntimeError, OSError, EOFError) as exc:
        raise AttachmentError("附件不是有效的 Excel 工作簿（.xlsx）。") from exc
    return out


_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)


def _sheet_names(members: dict[str, bytes]) -> list[str]:
    return sorted((n for n in members if re.fullmatch(r"xl/worksheets/sheet\d+\.xml", n)),
                  key=lambda n: int(re.search(r"(\d+)", n.rsplit("/", 1)[1]).group(1)))


def _text_of(el) -> str:
    return "".join(t.text or "" for t in el.iter(f"{_M}t"))


def _column(ref: str | None, fallback: int) -> int:
    letters = re.match(r"[A-Z]+", ref or "")
    if not letters:
        return fallback
    n = 0
    for ch in letters.group(0):
        n = n * 26 + ord(ch) - 64
    return n - 1


@dataclass
class _Cell:
    el: object | None  # the <c> element, None for a gap
    text: str


def _read(members: dict[str, bytes]) -> tuple[dict[str, object], list[list[_Cell]]]:
    """Parsed sheets and their rows of cells (gaps filled so columns line up under headers)."""
    shared: list[str] = []
    if "xl/sharedStrings.xml" in members:
        root = etree.fromstring(members["xl/sharedStrings.xml"], _PARSER)
        shared = [_text_of(si) for si in root.iter(f"{_M}si")]
    trees: dict[str, object] = {}
    rows: list[list[_Cell]] = []
    for name in _sheet_names(members):
        tree = etree.fromstring(members[name], _PARSER)
        trees[name] = tree
        for row in tree.iter(f"{_M}row"):
            cells: list[_Cell] = []
            for i, c in enumerate(row.iter(f"{_M}c")):
                col = _column(c.get("r"), i)
                while len(cells) < col:
                    cells.append(_Cell(None, ""))
                t, v = c.get("t"), c.find(f"{_M}v")
                if t == "s" and v is not None and (v.text or "").isdigit() and int(v.text) < len(shared):
                    text = shared[int(v.text)]
                elif t == "inlineStr":
                    is_ = c.find(f"{_M}is")
                    text = _text_of(is_) if is_ is not None else ""
                else:
                    text = (v.text or "") if v is not None else ""
                cells.append(_Cell(c, text))
            rows.append(cells)
        rows.append([])  # a blank line between sheets
    return trees, rows


def _scan_text(rows: list[list[_Cell]]) -> str:
    return "\n".join("\t".join(c.text for c in row) for row in rows)


def xlsx_items(data: bytes) -> list[str]:
    """The workbook's rows as lines of tab-separated cells (what the engine reads)."""
    try:
        _, rows = _read(_members(data))
    except etree.XMLSyntaxError as exc:
        raise AttachmentError("附件不是有效的 Excel 工作簿（.xlsx）。") from exc
    return _scan_text(rows).split("\n")


def mask_xlsx(data: bytes, replacements: list[tuple[int, int, str]]) -> bytes:
    """Rewrite the workbook with the replacements applied (offsets into the scan text);
    a masked cell becomes an inline text cell."""
    members = _members(data)
    trees, rows = _read(members)
    pos = 0
    for row in rows:
        if not row:  # an empty line still takes its newline
            pos += 1
        for cell in row:
            start, end = pos, pos + len(cell.text)
            pos = end + 1  # the tab or newline after it
            local = [(max(s, start) - start, min(e, end) - start, new if s >= start else "")
                     for s, e, new in replacements if s < end and e > start]
            if not local or cell.el is None:
                continue
            parts, cur = [], 0
            for s, e, new in sorted(local):
                parts.append(cell.text[cur:s])
                parts.append(new)
                cur = e
            parts.append(cell.text[cur:])
            el = cell.el
            for child in list(el):
                el.remove(child)
            el.set("t", "inlineStr")
            is_ = etree.SubElement(el, f"{_M}is")
            etree.SubElement(is_, f"{_M}t").text = "".join(parts)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            if info.filename in trees:
                zout.writestr(info, etree.tostring(trees[info.filename], xml_declaration=True,
                                                   encoding="UTF-8", standalone=True))
            elif info.filename == "docProps/core.xml":
                continue  # the original's authors and editors are not published
            elif info.filename == "xl/sharedStrings.xml":
                zout.writestr(info, _scrub_shared(members[info.filename], trees, rows))
            else:
                zout.writestr(info, members.get(info.filename, b""))
    return out.getvalue()


def _scrub_shared(blob: bytes, trees, rows) -> bytes:
    """Shared strings no longer used by any cell (the masked originals) are blanked."""
    used: set[int] = set()
    for tree in trees.values():
        for c in tree.iter(f"{_M}c"):
            v = c.find(f"{_M}v")
            if c.get("t") == "s" and v is not None and (v.text or "").isdigit():
                used.add(int(v.text))
    root = etree.fromstring(blob, _PARSER)
    for i, si in enumerate(root.iter(f"{_M}si")):
        if i not in used:
            for child in list(si):
                si.remove(child)
            etree.SubElement(si, f"{_M}t").text = ""
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
