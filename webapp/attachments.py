"""Attachment files: what may be attached, how their text is read for the
de-identification review, and how their public copies are written.

Pure Python, no Flask.  One table (:data:`ALLOWED`) says, per extension, the content
type, the name shown to the user and how the content is checked: a file is accepted
only when its bytes are what its name says (a real parse of .docx, .xlsx and .ofd
packages, the structure of PNG and JPEG, the PDF header, text that decodes), so an
.exe renamed .pdf is refused.  A .docx or .xlsx is scanned like the body; any other
file must be checked by eye, per file, by the publisher.  Every quantity read from an
uploaded workbook is bounded (sheets, columns, rows, cells, shared strings, text,
XML elements and depth) and any failure to read it is the Chinese refusal.
"""

from __future__ import annotations

import io
import re
import struct
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass

import docx
from docx.shared import Mm
from lxml import etree

from . import safezip
from .docgen import DocxImportError, docx_to_body_html
from .docgen.html_blocks import Table, parse_body_html
from .filenames import extension
from .publiccopy import HtmlScan, apply_to_html, scan_html

MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024
# A workbook's bounds: past any of them the file is refused with a message saying which.
MAX_SHEETS = 100
MAX_COLUMNS = 16_384  # column XFD, Excel's last
MAX_ROWS = 1_048_576  # Excel's last row
MAX_CELLS = 500_000  # cells read, the gaps filled to keep columns under their headers included
MAX_SHARED_STRINGS = 500_000
MAX_TEXT_CHARS = 1_000_000  # text handed to the de-identification scan
MAX_XLSX_ELEMENTS = 1_000_000
NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
_M = "{" + NS["m"] + "}"


class AttachmentError(ValueError):
    """The file is refused; the message is shown as is."""


# --------------------------------------------------------------------------- content checks


class _Mismatch(Exception):
    """The bytes are not the type the extension says."""


def _check_pdf(data: bytes) -> None:
    if not data.startswith(b"%PDF-") or b"%%EOF" not in data[-2048:]:
        raise _Mismatch


def _check_png(data: bytes) -> None:
    """Signature, an IHDR first, every chunk's length and CRC, an IEND."""
    if not data.startswith(b"\x89PNG\r\n\x1a\n"):
        raise _Mismatch
    pos, first = 8, True
    while pos + 12 <= len(data):
        length, kind = struct.unpack_from(">I4s", data, pos)
        end = pos + 12 + length
        if length > 0x7FFFFFFF or end > len(data) or not kind.isalpha():
            raise _Mismatch
        if first and (kind != b"IHDR" or length != 13 or 0 in struct.unpack_from(">II", data, pos + 8)):
            raise _Mismatch
        crc = struct.unpack_from(">I", data, pos + 8 + length)[0]
        if zlib.crc32(data[pos + 4 : pos + 8 + length]) != crc:
            raise _Mismatch
        if kind == b"IEND":
            return
        pos, first = end, False
    raise _Mismatch


_SOF = {0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF}


def _check_jpeg(data: bytes) -> None:
    """SOI, then well-formed marker segments up to the scan, a frame header among them."""
    if not data.startswith(b"\xff\xd8"):
        raise _Mismatch
    pos, frame = 2, False
    while pos + 4 <= len(data):
        if data[pos] != 0xFF:
            raise _Mismatch
        marker = data[pos + 1]
        if marker == 0xFF:  # fill byte
            pos += 1
            continue
        if marker == 0x01 or 0xD0 <= marker <= 0xD7:
            pos += 2
            continue
        length = struct.unpack_from(">H", data, pos + 2)[0]
        if length < 2 or pos + 2 + length > len(data):
            raise _Mismatch
        if marker in _SOF:
            if length < 8 or 0 in struct.unpack_from(">HH", data, pos + 5):
                raise _Mismatch
            frame = True
        if marker == 0xDA:  # start of scan: the compressed image follows
            if frame:
                return
            raise _Mismatch
        pos += 2 + length
    raise _Mismatch


_TEXT_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


def _check_text(data: bytes) -> None:
    """Text in UTF-8, UTF-16 (with its mark) or GB 18030, without control characters."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        codecs = ("utf-16",)
    else:
        codecs = ("utf-8-sig", "gb18030")
    for codec in codecs:
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        if _TEXT_CONTROL.search(text):
            raise _Mismatch
        return
    raise _Mismatch


def _check_ofd(data: bytes) -> None:
    """An OFD (GB/T 33190) is a zip package whose OFD.xml has the root element OFD."""
    try:
        members = safezip.read_members(data, MAX_ATTACHMENT_BYTES)
    except safezip.SafeZipError as exc:
        if exc.reason == "invalid":
            raise _Mismatch from exc
        raise AttachmentError(_zip_message(exc.reason, "OFD 版式文件")) from exc
    entry = next((blob for name, blob in members.items() if name.lower() == "ofd.xml"), None)
    if entry is None:
        raise _Mismatch
    try:
        root = etree.fromstring(entry, _PARSER)
    except etree.XMLSyntaxError as exc:
        raise _Mismatch from exc
    if etree.QName(root).localname != "OFD":
        raise _Mismatch


def _check_docx(data: bytes) -> None:
    try:
        docx_to_body_html(data)
    except DocxImportError as exc:
        message = exc.message.removeprefix("文件")
        raise AttachmentError(f"附件{message}。") from exc


def _check_xlsx(data: bytes) -> None:
    xlsx_items(data)


@dataclass(frozen=True)
class FileType:
    content_type: str
    label: str  # what the user is told the file should be
    check: Callable[[bytes], None]  # raises _Mismatch or AttachmentError
    scanned: bool = False  # its text goes through the de-identification scan


ALLOWED: dict[str, FileType] = {
    ".docx": FileType("application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                      "Word 文档", _check_docx, scanned=True),
    ".xlsx": FileType("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                      "Excel 工作簿", _check_xlsx, scanned=True),
    ".pdf": FileType("application/pdf", "PDF 文件", _check_pdf),
    ".ofd": FileType("application/ofd", "OFD 版式文件", _check_ofd),
    ".jpg": FileType("image/jpeg", "JPEG 图片", _check_jpeg),
    ".jpeg": FileType("image/jpeg", "JPEG 图片", _check_jpeg),
    ".png": FileType("image/png", "PNG 图片", _check_png),
    ".txt": FileType("text/plain", "文本文件", _check_text),
}
SCANNED = {ext for ext, kind in ALLOWED.items() if kind.scanned}
#: The extension a download carries for a stored content type (first one listed wins).
EXTENSION_FOR_TYPE: dict[str, str] = {}
for _ext, _kind in ALLOWED.items():
    EXTENSION_FOR_TYPE.setdefault(_kind.content_type, _ext)
ACCEPTED = "、".join(ext for ext in ALLOWED if ext != ".jpeg")


def check(filename: str, data: bytes) -> str:
    """Refuse what may not be attached; returns the content type.

    *filename* is the safe display name (webapp.filenames.safe_filename)."""
    ext = extension(filename)
    kind = ALLOWED.get(ext)
    if kind is None:
        raise AttachmentError(f"附件只接受 {ACCEPTED} 格式。")
    if len(data) > MAX_ATTACHMENT_BYTES:
        raise AttachmentError("附件超过 20 MB。")
    if not data:
        raise AttachmentError("附件是空文件。")
    try:
        kind.check(data)
    except _Mismatch as exc:
        raise AttachmentError(
            f"附件“{filename}”的内容不是有效的{_spaced(kind.label)}，与扩展名 {ext} 不符，不予接收。") from exc
    return kind.content_type


def _spaced(label: str) -> str:
    """A space before a label that starts with a Latin letter (有效的 Word 文档, 有效的文本文件)."""
    return f" {label}" if label[:1].isascii() else label


def _zip_message(reason: str, what: str) -> str:
    return {
        "too_large": "附件超过 20 MB。",
        "invalid": f"附件不是有效的{_spaced(what)}。",
        "bomb": "附件解压后过大，疑似压缩炸弹，不予接收。",
        "doctype": "附件含有不允许的 XML 文档类型声明，不予接收。",
        "encoding": "附件中的 XML 使用了不支持的字符编码（只接受 UTF-8、UTF-16），不予接收。",
        "too_complex": "附件结构过于复杂（XML 元素过多或嵌套过深），不予接收。",
    }[reason]


def as_utf8(data: bytes) -> bytes:
    """A .txt attachment in UTF-8 (the intranet accepts UTF-16 and GB 18030 too; the portal
    serves text as UTF-8)."""
    for codec in (("utf-16",) if data.startswith((b"\xff\xfe", b"\xfe\xff")) else ("utf-8-sig", "gb18030")):
        try:
            return data.decode(codec).encode("utf-8")
        except UnicodeDecodeError:
            continue
    return data


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

NOT_XLSX = "附件不是有效的 Excel 工作簿（.xlsx）。"


def _refuse_macro_types(name: str, blob: bytes) -> None:
    if name.lower() == safezip.CONTENT_TYPES and "macroenabled" in (safezip.xml_text(blob) or "").lower():
        raise AttachmentError("附件含有宏，出于安全原因不予接收。")


def _members(data: bytes) -> dict[str, bytes]:
    """The workbook's members after the package checks of webapp.safezip."""
    try:
        package = safezip.Package(data, MAX_ATTACHMENT_BYTES)
        if "xl/workbook.xml" not in package.names:
            raise AttachmentError(NOT_XLSX)
        if any(n.endswith("vbaproject.bin") for n in package.names):
            raise AttachmentError("附件含有宏，出于安全原因不予接收。")
        return package.read(inspect=_refuse_macro_types, max_elements=MAX_XLSX_ELEMENTS)
    except safezip.SafeZipError as exc:
        raise AttachmentError(_zip_message(exc.reason, "Excel 工作簿（.xlsx）")) from exc


_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False)
_SHEET = re.compile(r"xl/worksheets/sheet([0-9]{1,6})\.xml")
_REF = re.compile(r"([A-Z]{1,3})([0-9]{1,7})")
_INDEX = re.compile(r"[0-9]{1,9}")


def _sheet_names(members: dict[str, bytes]) -> list[str]:
    found = [(int(m.group(1)), n) for n in members if (m := _SHEET.fullmatch(n))]
    if len(found) > MAX_SHEETS:
        raise AttachmentError(f"附件的工作表超过 {MAX_SHEETS} 个，请拆分后上传。")
    return [n for _, n in sorted(found)]


def _text_of(el) -> str:
    return "".join(t.text or "" for t in el.iter(f"{_M}t"))


def _column(ref: str | None, fallback: int) -> int:
    """The 0-based column of a cell reference such as "B7"; *fallback* without one.
    A reference past XFD1048576 (or not a reference) refuses the workbook."""
    if ref is None:
        return fallback
    m = _REF.fullmatch(ref)
    if not m:
        raise AttachmentError(NOT_XLSX)
    n = 0
    for ch in m.group(1):
        n = n * 26 + ord(ch) - 64
    if n > MAX_COLUMNS or not 1 <= int(m.group(2)) <= MAX_ROWS:
        raise AttachmentError(NOT_XLSX)
    return n - 1


@dataclass
class _Cell:
    el: object | None  # the <c> element, None for a gap
    text: str


class _Budget:
    """What one workbook may hold; refuses with a message naming the bound passed."""

    def __init__(self) -> None:
        self.cells = MAX_CELLS
        self.chars = MAX_TEXT_CHARS

    def take_cells(self, n: int) -> None:
        self.cells -= n
        if self.cells < 0:
            raise AttachmentError(f"附件的表格过大（超过 {MAX_CELLS:,} 个单元格），请拆分后上传。")

    def take_text(self, n: int) -> None:
        self.chars -= n
        if self.chars < 0:
            raise AttachmentError(f"附件中的文字过多（超过 {MAX_TEXT_CHARS:,} 字），请拆分后上传。")


def _shared_strings(members: dict[str, bytes], budget: _Budget) -> list[str]:
    if "xl/sharedStrings.xml" not in members:
        return []
    root = etree.fromstring(members["xl/sharedStrings.xml"], _PARSER)
    shared: list[str] = []
    for si in root.iter(f"{_M}si"):
        if len(shared) >= MAX_SHARED_STRINGS:
            raise AttachmentError(f"附件的表格过大（超过 {MAX_SHARED_STRINGS:,} 个不同的文字值），请拆分后上传。")
        text = _text_of(si)
        budget.take_text(len(text))
        shared.append(text)
    return shared


def _read(members: dict[str, bytes]) -> tuple[dict[str, object], list[list[_Cell]]]:
    """Parsed sheets and their rows of cells (gaps filled so columns line up under headers)."""
    budget = _Budget()
    shared = _shared_strings(members, budget)
    budget = _Budget()  # the shared strings are bounded on their own; now the text read out
    trees: dict[str, object] = {}
    rows: list[list[_Cell]] = []
    for name in _sheet_names(members):
        tree = etree.fromstring(members[name], _PARSER)
        trees[name] = tree
        for row in tree.iter(f"{_M}row"):
            cells: list[_Cell] = []
            for i, c in enumerate(row.iter(f"{_M}c")):
                col = _column(c.get("r"), len(cells) if i else 0)
                budget.take_cells(max(col - len(cells), 0) + 1)
                while len(cells) < col:
                    cells.append(_Cell(None, ""))
                t, v = c.get("t"), c.find(f"{_M}v")
                if t == "s" and v is not None:
                    index = (v.text or "").strip()
                    if not _INDEX.fullmatch(index) or int(index) >= len(shared):
                        raise AttachmentError(NOT_XLSX)
                    text = shared[int(index)]
                elif t == "inlineStr":
                    is_ = c.find(f"{_M}is")
                    text = _text_of(is_) if is_ is not None else ""
                else:
                    text = (v.text or "") if v is not None else ""
                budget.take_text(len(text) + 1)
                cells.append(_Cell(c, text))
            rows.append(cells)
        rows.append([])  # a blank line between sheets
    return trees, rows


def _scan_text(rows: list[list[_Cell]]) -> str:
    return "\n".join("\t".join(c.text for c in row) for row in rows)


def _read_workbook(data: bytes) -> tuple[dict[str, bytes], dict[str, object], list[list[_Cell]]]:
    """Members, sheets and rows; any failure to read the workbook is the Chinese refusal."""
    members = _members(data)
    try:
        trees, rows = _read(members)
    except AttachmentError:
        raise
    except Exception as exc:  # a workbook we cannot read is refused, never an error page
        raise AttachmentError(NOT_XLSX) from exc
    return members, trees, rows


def xlsx_items(data: bytes) -> list[str]:
    """The workbook's rows as lines of tab-separated cells (what the engine reads)."""
    _, _, rows = _read_workbook(data)
    return _scan_text(rows).split("\n")


def mask_xlsx(data: bytes, replacements: list[tuple[int, int, str]]) -> bytes:
    """Rewrite the workbook with the replacements applied (offsets into the scan text);
    a masked cell becomes an inline text cell."""
    members, trees, rows = _read_workbook(data)
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
            if c.get("t") == "s" and v is not None and _INDEX.fullmatch((v.text or "").strip()):
                used.add(int(v.text.strip()))
    root = etree.fromstring(blob, _PARSER)
    for i, si in enumerate(root.iter(f"{_M}si")):
        if i not in used:
            for child in list(si):
                si.remove(child)
            etree.SubElement(si, f"{_M}t").text = ""
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
