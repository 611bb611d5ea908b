"""An uploaded .docx draft → body HTML in the app's allow-list.

Checks, in this order, before any XML is parsed:

1. size over :data:`MAX_UPLOAD_BYTES` → "文件超过 20 MB";
2. an OLE compound file (magic D0CF11E0): with an ``EncryptedPackage``
   stream it is a password-protected .docx → "文件已加密…"; otherwise an
   old binary .doc → "…请另存为 .docx 后上传";
3. not a zip, or no ``word/document.xml`` / ``[Content_Types].xml`` →
   "文件不是有效的 Word 文档（.docx）";
4. ``vbaProject.bin`` / ``vbaData.xml`` or a macro-enabled content type →
   "文件含有宏，出于安全原因不予接收";
5. everything :mod:`webapp.safezip` checks, the same for attachments: a zip
   bomb (declared or real inflated size over 200 MB or 100× the upload), a
   DOCTYPE or ENTITY declaration in any XML member *after decoding it*
   (UTF-8, UTF-16 or UTF-32), an encoding that is not Unicode, more than
   2,000,000 XML elements or nesting deeper than 128.

python-docx then reads a fresh, uncompressed copy built from the bytes that
passed the bounded reader.  Any failure while reading or converting is the
"not a valid .docx" refusal, never an error page.  The output uses only p, br,
strong, em, u, ol, ul, li, table, thead, tbody, tr, th, td, with all text
escaped, is at most :data:`MAX_OUTPUT_CHARS` long, and is left unchanged by
``bleach.clean(html, tags=ALLOWED_TAGS, attributes={})``.
"""

from __future__ import annotations

import html
import io
import re
import zipfile

import docx
from docx.document import Document as DocxDocument
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml.ns import qn

from .. import safezip
from ..htmlpolicy import ALLOWED_TAGS

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
#: Longest body HTML an import produces (the drafting form takes 500,000 characters).
MAX_OUTPUT_CHARS = 2_000_000

__all__ = ["ALLOWED_TAGS", "MAX_UPLOAD_BYTES", "DocxImportError", "docx_to_blocks", "docx_to_body_html",
           "read_docx_members"]

MSG_TOO_LARGE = "文件超过 20 MB"
MSG_NOT_DOCX = "文件不是有效的 Word 文档（.docx）"
MSG_MACRO = "文件含有宏，出于安全原因不予接收"
MSG_ENCRYPTED = "文件已加密（设有打开密码），请去除密码后再上传"
MSG_OLD_DOC = "文件是旧版 Word 格式（.doc），请另存为 .docx 后上传"
MSG_ZIP_BOMB = "文件解压后过大（超过 200 MB 或压缩比超过 100 倍），疑似压缩炸弹，不予接收"
MSG_DOCTYPE = "文件含有不允许的 XML 文档类型声明（DOCTYPE），不予接收"
MSG_ENCODING = "文件中的 XML 使用了不支持的字符编码（只接受 UTF-8、UTF-16），不予接收"
MSG_TOO_COMPLEX = "文件结构过于复杂（XML 元素超过 200 万个或嵌套超过 128 层），不予接收"
MSG_TOO_LONG = "文件中的文字过多（超过 200 万字符），请拆分后上传"

_SAFEZIP_MESSAGES = {
    "too_large": MSG_TOO_LARGE,
    "invalid": MSG_NOT_DOCX,
    "bomb": MSG_ZIP_BOMB,
    "doctype": MSG_DOCTYPE,
    "encoding": MSG_ENCODING,
    "too_complex": MSG_TOO_COMPLEX,
}

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


class DocxImportError(ValueError):
    """The upload is refused; ``message`` is shown to the user as is."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


# --------------------------------------------------------------------------
# Checks before parsing
# --------------------------------------------------------------------------


def _check_ole(data: bytes) -> None:
    if data[:8] != _OLE_MAGIC:
        return
    if "EncryptedPackage".encode("utf-16-le") in data or "EncryptionInfo".encode("utf-16-le") in data:
        raise DocxImportError(MSG_ENCRYPTED)
    raise DocxImportError(MSG_OLD_DOC)


def _refuse_macro_types(name: str, blob: bytes) -> None:
    """[Content_Types].xml is read first: a macro-enabled type refuses the file before
    anything big is inflated (the text is decoded first, so UTF-16 does not hide it)."""
    if name.lower() == safezip.CONTENT_TYPES:
        text = safezip.xml_text(blob) or ""
        if "macroenabled" in text.lower():
            raise DocxImportError(MSG_MACRO)


def read_docx_members(data: bytes) -> dict[str, bytes]:
    """The members of an uploaded .docx after every pre-parse check."""
    if len(data) > MAX_UPLOAD_BYTES:
        raise DocxImportError(MSG_TOO_LARGE)
    _check_ole(data)
    try:
        package = safezip.Package(data, MAX_UPLOAD_BYTES)
        if any(n.endswith(("vbaproject.bin", "vbadata.xml")) for n in package.names):
            raise DocxImportError(MSG_MACRO)
        if "word/document.xml" not in package.names or safezip.CONTENT_TYPES not in package.names:
            raise DocxImportError(MSG_NOT_DOCX)
        return package.read(inspect=_refuse_macro_types)
    except safezip.SafeZipError as exc:
        raise DocxImportError(_SAFEZIP_MESSAGES[exc.reason]) from exc


def _open_document(members: dict[str, bytes]) -> DocxDocument:
    clean = io.BytesIO()
    with zipfile.ZipFile(clean, "w", zipfile.ZIP_STORED) as out:
        for name, blob in members.items():
            out.writestr(name, blob)
    clean.seek(0)
    try:
        return docx.Document(clean)
    except Exception as exc:  # any failure to read the package is a bad upload
        raise DocxImportError(MSG_NOT_DOCX) from exc


# --------------------------------------------------------------------------
# Numbering (lists and automatic "一、" numbers)
# --------------------------------------------------------------------------

_CN_DIGITS = "零一二三四五六七八九"
_TIANGAN = "甲乙丙丁戊己庚辛壬癸"


def _chinese_number(n: int) -> str:
    """1 → 一, 10 → 十, 21 → 二十一, 105 → 一百零五 (up to 999)."""
    if not 0 <= n < 1000:
        return str(n)
    if n < 10:
        return _CN_DIGITS[n]
    if n < 100:
        tens, ones = divmod(n, 10)
        return ("" if tens == 1 else _CN_DIGITS[tens]) + "十" + (_CN_DIGITS[ones] if ones else "")
    hundreds, rest = divmod(n, 100)
    out = _CN_DIGITS[hundreds] + "百"
    if rest == 0:
        return out
    if rest < 10:
        return out + "零" + _CN_DIGITS[rest]
    tens, ones = divmod(rest, 10)
    return out + _CN_DIGITS[tens] + "十" + (_CN_DIGITS[ones] if ones else "")


def _roman(n: int) -> str:
    if not 0 < n < 4000:
        return str(n)
    out = []
    for value, sym in (
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ):
        while n >= value:
            out.append(sym)
            n -= value
    return "".join(out)


def _format_number(n: int, fmt: str) -> str:
    if fmt in (
        "chineseCounting",
        "chineseCountingThousand",
        "chineseLegalSimplified",
        "ideographDigital",
        "taiwaneseCounting",
        "taiwaneseCountingThousand",
    ):
        return _chinese_number(n)
    if fmt in ("ideographTraditional",) and 0 < n <= 10:
        return _TIANGAN[n - 1]
    if fmt == "decimalEnclosedCircle" or fmt == "decimalEnclosedCircleChinese":
        return chr(0x2460 + n - 1) if 0 < n <= 20 else str(n)
    if fmt == "decimalFullWidth" or fmt == "decimalFullWidth2":
        return "".join(chr(ord(c) + 0xFEE0) for c in str(n))
    if fmt in ("upperLetter", "lowerLetter") and 0 < n <= MAX_LETTERS:
        letter = chr(ord("A") + (n - 1) % 26) * ((n - 1) // 26 + 1)
        return letter if fmt == "upperLetter" else letter.lower()
    if fmt == "upperRoman":
        return _roman(n)
    if fmt == "lowerRoman":
        return _roman(n).lower()
    if fmt == "decimalZero":
        return f"{n:02d}"
    return str(n)


class _Numbering:
    """Resolves a paragraph's numPr to a list kind or a printed number."""

    def __init__(self, document: DocxDocument) -> None:
        self.levels: dict[str, dict[int, tuple[str, str, int]]] = {}
        self.num_to_abstract: dict[str, str] = {}
        self.counters: dict[str, dict[int, int]] = {}
        try:
            numbering = document.part.part_related_by(RT.NUMBERING).element
        except (KeyError, AttributeError):  # no (XML) numbering part
            return
        for abstract in numbering.iterchildren(qn("w:abstractNum")):
            aid = abstract.get(qn("w:abstractNumId"), "")
            levels: dict[int, tuple[str, str, int]] = {}
            for lvl in abstract.iterchildren(qn("w:lvl")):
                ilvl = _bounded(_int(lvl.get(qn("w:ilvl")), 0), 0, MAX_LEVEL)
                fmt = _val(lvl.find(qn("w:numFmt"))) or "decimal"
                text = (_val(lvl.find(qn("w:lvlText"))) or "")[:MAX_LEVEL_TEXT]
                start = _bounded(_int(_val(lvl.find(qn("w:start"))), 1), 0, MAX_START)
                levels[ilvl] = (fmt, text, start)
            self.levels[aid] = levels
        for num in numbering.iterchildren(qn("w:num")):
            abstract_id = num.find(qn("w:abstractNumId"))
            if abstract_id is not None:
                self.num_to_abstract[num.get(qn("w:numId"), "")] = _val(abstract_id) or ""

    def resolve(self, num_id: str, ilvl: int) -> tuple[str, str]:
        """("ul"|"ol"|"", printed prefix for a non-list number)."""
        aid = self.num_to_abstract.get(num_id)
        if aid is None or aid not in self.levels:
            return "", ""
        levels = self.levels[aid]
        fmt, text, start = levels.get(ilvl, ("decimal", f"%{ilvl + 1}.", 1))
        counters = self.counters.setdefault(aid, {})
        counters[ilvl] = counters.get(ilvl, start - 1) + 1
        for deeper in [k for k in counters if k > ilvl]:
            del counters[deeper]
        if fmt == "bullet":
            return "ul", ""
        if fmt == "none":
            return "", ""
        if fmt == "decimal" and re.fullmatch(r"%\d[.．]?", text):
            return "ol", ""

        def placeholder(match: re.Match[str]) -> str:
            level = int(match.group(1)) - 1
            lvl_fmt, _, lvl_start = levels.get(level, ("decimal", "", 1))
            return _format_number(counters.get(level, lvl_start), lvl_fmt)

        return "", re.sub(r"%(\d)", placeholder, text)


MAX_LEVEL = 8  # Word's nine list levels, 0-8
MAX_START = 32767  # Word's largest starting number
MAX_LEVEL_TEXT = 64
MAX_LETTERS = 26 * 4  # "AAAA" at most; past it the number is written in digits


def _bounded(value: int, low: int, high: int) -> int:
    return max(low, min(high, value))


def _val(el) -> str | None:
    return None if el is None else el.get(qn("w:val"))


def _int(value: str | None, default: int) -> int:
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default


# --------------------------------------------------------------------------
# Conversion
# --------------------------------------------------------------------------

_W_R = qn("w:r")
_W_T = qn("w:t")
_W_P = qn("w:p")
_W_TBL = qn("w:tbl")
_W_SDT = qn("w:sdt")
_W_SDT_CONTENT = qn("w:sdtContent")
_INLINE_CONTAINERS = {
    qn("w:hyperlink"),
    qn("w:ins"),
    qn("w:smartTag"),
    qn("w:fldSimple"),
    qn("w:customXml"),
    qn("w:moveTo"),
    qn("w:dir"),
    qn("w:bdo"),
}
_BLOCK_CONTAINERS = {qn("w:customXml"), qn("w:ins"), qn("w:moveTo")}
_FALSE = {"0", "false", "off", "none"}


def _on(el) -> bool:
    return el is not None and (el.get(qn("w:val")) or "true").lower() not in _FALSE


class _Converter:
    def __init__(self, document: DocxDocument) -> None:
        self.numbering = _Numbering(document)
        self.styles: dict[str, object] = {}
        for style in document.part.styles.element.iterchildren(qn("w:style")):
            self.styles[style.get(qn("w:styleId"), "")] = style
        self.field_depth = 0
        self.in_instruction = False

    # -- styles ---------------------------------------------------------
    def _style_chain(self, style_id: str | None):
        seen = set()
        while style_id and style_id not in seen and style_id in self.styles:
            seen.add(style_id)
            style = self.styles[style_id]
            yield style
            style_id = _val(style.find(qn("w:basedOn")))

    def _char_style_flags(self, style_id: str | None) -> tuple[bool, bool, bool]:
        bold = italic = underline = False
        for style in self._style_chain(style_id):
            rpr = style.find(qn("w:rPr"))
            if rpr is None:
                continue
            bold = bold or _on(rpr.find(qn("w:b")))
            italic = italic or _on(rpr.find(qn("w:i")))
            underline = underline or _on(rpr.find(qn("w:u")))
        return bold, italic, underline

    def _num_pr(self, p) -> tuple[str, int] | None:
        ppr = p.find(qn("w:pPr"))
        candidates = []
        if ppr is not None:
            candidates.append(ppr.find(qn("w:numPr")))
            style_id = _val(ppr.find(qn("w:pStyle")))
            for style in self._style_chain(style_id):
                spr = style.find(qn("w:pPr"))
                if spr is not None:
                    candidates.append(spr.find(qn("w:numPr")))
        for num_pr in candidates:
            if num_pr is None:
                continue
            num_id = _val(num_pr.find(qn("w:numId")))
            if num_id is None:
                continue
            if num_id == "0":
                return None
            return num_id, _bounded(_int(_val(num_pr.find(qn("w:ilvl"))), 0), 0, MAX_LEVEL)
        return None

    # -- inline -----------------------------------------------------------
    def _inline(self, el, out: list[tuple[str, bool, bool, bool]]) -> None:
        for child in el.iterchildren():
            tag = child.tag
            if tag == _W_R:
                self._run(child, out)
            elif tag in _INLINE_CONTAINERS:
                self._inline(child, out)
            elif tag == _W_SDT:
                content = child.find(_W_SDT_CONTENT)
                if content is not None:
                    self._inline(content, out)
            # w:del, w:moveFrom, bookmarks, comments, proofErr…: skipped

    def _run(self, r, out: list[tuple[str, bool, bool, bool]]) -> None:
        rpr = r.find(qn("w:rPr"))
        bold = italic = underline = False
        if rpr is not None:
            if _on(rpr.find(qn("w:vanish"))) or _on(rpr.find(qn("w:specVanish"))):
                return  # hidden text never reaches the document
            bold, italic, underline = self._char_style_flags(_val(rpr.find(qn("w:rStyle"))))
            for name, current in (
                ("w:b", "bold"),
                ("w:i", "italic"),
                ("w:u", "underline"),
            ):
                el = rpr.find(qn(name))
                if el is not None:
                    value = _on(el)
                    if current == "bold":
                        bold = value
                    elif current == "italic":
                        italic = value
                    else:
                        underline = value
        for child in r.iterchildren():
            tag = child.tag
            if tag == qn("w:fldChar"):
                kind = child.get(qn("w:fldCharType"))
                if kind == "begin":
                    self.field_depth += 1
                    self.in_instruction = True
                elif kind == "separate":
                    self.in_instruction = False
                elif kind == "end":
                    self.field_depth = max(0, self.field_depth - 1)
                    self.in_instruction = False
                continue
            if self.in_instruction:
                continue
            if tag == _W_T:
                text = child.text or ""
                if text:
                    out.append((text, bold, italic, underline))
            elif tag in (qn("w:tab"), qn("w:ptab")):
                out.append((" ", bold, italic, underline))
            elif tag == qn("w:br"):
                if child.get(qn("w:type")) in (None, "textWrapping"):
                    out.append(("\n", False, False, False))
            elif tag == qn("w:cr"):
                out.append(("\n", False, False, False))
            elif tag == qn("w:noBreakHyphen"):
                out.append(("-", bold, italic, underline))

    def paragraph_html(self, p) -> str:
        pieces: list[tuple[str, bool, bool, bool]] = []
        self._inline(p, pieces)
        return _pieces_html(pieces)

    # -- blocks -------------------------------------------------------------
    def blocks(self, container, out: list[str]) -> None:
        list_kind = ""
        items: list[str] = []

        def close_list() -> None:
            nonlocal list_kind, items
            if list_kind and items:
                out.append(f"<{list_kind}>" + "".join(f"<li>{i}</li>" for i in items) + f"</{list_kind}>")
            list_kind, items = "", []

        for child in container.iterchildren():
            tag = child.tag
            if tag == _W_P:
                num = self._num_pr(child)
                kind, prefix = ("", "")
                if num is not None:
                    kind, prefix = self.numbering.resolve(*num)
                body = self.paragraph_html(child)
                if not _has_text(body):
                    continue
                if kind:
                    if kind != list_kind:
                        close_list()
                        list_kind = kind
                    items.append(body)
                    continue
                close_list()
                if prefix:
                    body = html.escape(_clean(prefix), quote=False) + body
                out.append(f"<p>{body}</p>")
            elif tag == _W_TBL:
                close_list()
                table = self.table_html(child)
                if table:
                    out.append(table)
            elif tag == _W_SDT:
                close_list()
                content = child.find(_W_SDT_CONTENT)
                if content is not None:
                    self.blocks(content, out)
            elif tag in _BLOCK_CONTAINERS:
                close_list()
                self.blocks(child, out)
        close_list()

    def _cell_html(self, tc) -> str:
        lines: list[str] = []
        for child in tc.iterchildren():
            if child.tag == _W_P:
                body = self.paragraph_html(child)
                if _has_text(body):
                    lines.append(body)
            elif child.tag == _W_TBL:  # nested table: its cells, line by line
                for tr in child.iter(qn("w:tr")):
                    cells = [self._cell_html(tc2) for tc2 in tr.iterchildren(qn("w:tc"))]
                    row = " ".join(c for c in cells if c)
                    if row:
                        lines.append(row)
            elif child.tag == _W_SDT:
                content = child.find(_W_SDT_CONTENT)
                if content is not None:
                    lines.append(self._cell_html(content))
        return "<br>".join(line for line in lines if line)

    def table_html(self, tbl) -> str:
        head: list[str] = []
        body: list[str] = []
        for tr in tbl.iterchildren(qn("w:tr")):
            cells = []
            for tc in _row_cells(tr):
                cells.append(self._cell_html(tc))
            if not cells:
                continue
            trpr = tr.find(qn("w:trPr"))
            is_header = not body and trpr is not None and _on(trpr.find(qn("w:tblHeader")))
            cell_tag = "th" if is_header else "td"
            row = "<tr>" + "".join(f"<{cell_tag}>{c}</{cell_tag}>" for c in cells) + "</tr>"
            (head if is_header else body).append(row)
        if not head and not body:
            return ""
        out = "<table>"
        if head:
            out += "<thead>" + "".join(head) + "</thead>"
        if body:
            out += "<tbody>" + "".join(body) + "</tbody>"
        return out + "</table>"


def _row_cells(tr):
    for child in tr.iterchildren():
        if child.tag == qn("w:tc"):
            yield child
        elif child.tag in (_W_SDT, qn("w:customXml")):
            content = child.find(_W_SDT_CONTENT) if child.tag == _W_SDT else child
            if content is not None:
                yield from content.iterchildren(qn("w:tc"))


def _clean(text: str) -> str:
    # XML already excludes most control characters; CR (from &#13;) would be
    # turned into LF by an HTML parser, so drop it here.
    return text.replace("\r", "")


def _pieces_html(pieces: list[tuple[str, bool, bool, bool]]) -> str:
    merged: list[list] = []
    for text, b, i, u in pieces:
        text = _clean(text)
        if not text:
            continue
        if text == "\n":
            merged.append(["\n", False, False, False])
        elif merged and merged[-1][0] != "\n" and merged[-1][1:] == [b, i, u]:
            merged[-1][0] += text
        else:
            merged.append([text, b, i, u])
    # trim leading/trailing line breaks
    while merged and merged[0][0] == "\n":
        merged.pop(0)
    while merged and merged[-1][0] == "\n":
        merged.pop()
    out = []
    for text, b, i, u in merged:
        if text == "\n":
            out.append("<br>")
            continue
        piece = html.escape(text, quote=False)
        if u:
            piece = f"<u>{piece}</u>"
        if i:
            piece = f"<em>{piece}</em>"
        if b:
            piece = f"<strong>{piece}</strong>"
        out.append(piece)
    return "".join(out)


_TAG = re.compile(r"<[^>]*>")


def _has_text(fragment: str) -> bool:
    return bool(_TAG.sub("", fragment).strip())


class _Output(list):
    """The converter's list of block HTML, refusing past MAX_OUTPUT_CHARS."""

    chars = 0

    def append(self, block: str) -> None:
        self.chars += len(block)
        if self.chars > MAX_OUTPUT_CHARS:
            raise DocxImportError(MSG_TOO_LONG)
        super().append(block)


def docx_to_blocks(data: bytes) -> list[str]:
    """The draft's top-level blocks, each one ``<p>``, ``<ul>``/``<ol>`` or ``<table>``
    element of HTML (see :func:`docx_to_body_html`); raises :class:`DocxImportError`."""
    members = read_docx_members(bytes(data))
    document = _open_document(members)
    out = _Output()
    try:
        _Converter(document).blocks(document.element.body, out)
    except DocxImportError:
        raise
    except Exception as exc:  # whatever the package holds, a bad file is a refusal, not an error page
        raise DocxImportError(MSG_NOT_DOCX) from exc
    return list(out)


def docx_to_body_html(data: bytes) -> str:
    """An uploaded .docx draft → body HTML; raises :class:`DocxImportError`.

    Paragraphs become <p> (headings too — "一、…" keeps its text, automatic
    Chinese numbering is written out as text), bold/italic/underline runs
    <strong>/<em>/<u>, bulleted and "1." numbered paragraphs <ul>/<ol><li>,
    tables <table> (rows marked "repeat as header" → <thead><th>).  Empty
    paragraphs, hidden text, deleted revisions, images and fields' codes are
    left out.  Returns "" when the draft has no text.
    """
    return "\n".join(docx_to_blocks(data))
