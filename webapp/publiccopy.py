"""The public copy of a document: what the publisher reviews and what the public gets.

Pure Python, no Flask.  A document is reviewed as a few *fields* (title, body,
interpretation material, attachments).  Each field has a plain *scan text* the
de-identification engine reads; for HTML fields the scan text is the text of
the HTML (paragraphs on their own lines, table cells separated by tabs) and a
map back to the HTML's text nodes, so a masked scan text becomes masked HTML
with the markup untouched.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from html import escape
from html.parser import HTMLParser

from .deid import Finding, find_personal_data, mask_value, name_aliases

BLOCKS = {"p", "li", "tr", "h2", "h3", "table", "ul", "ol", "thead", "tbody"}
CELLS = {"td", "th"}


@dataclass
class _Token:
    raw: str  # markup, or "" for text
    text: str = ""  # unescaped text of a text node
    start: int = 0  # span of the text node in the scan text
    end: int = 0


@dataclass
class HtmlScan:
    text: str
    tokens: list[_Token]


class _Scanner(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tokens: list[_Token] = []
        self.parts: list[str] = []
        self.length = 0
        self.cell_in_row = 0

    def _sep(self, sep: str) -> None:
        if self.length and not self.parts[-1].endswith(("\n", "\t")):
            self.parts.append(sep)
            self.length += len(sep)

    def handle_starttag(self, tag, attrs):
        if tag in BLOCKS or tag == "br":
            self._sep("\n")
            if tag == "tr":
                self.cell_in_row = 0
        elif tag in CELLS:
            if self.cell_in_row:
                self._sep("\t")
            self.cell_in_row += 1
        self.tokens.append(_Token(self.get_starttag_text() or f"<{tag}>"))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag):
        self.tokens.append(_Token(f"</{tag}>"))

    def handle_data(self, data):
        if not data:
            return
        self.tokens.append(_Token("", data, self.length, self.length + len(data)))
        self.parts.append(data)
        self.length += len(data)


def scan_html(html: str) -> HtmlScan:
    scanner = _Scanner()
    scanner.feed(html or "")
    scanner.close()
    return HtmlScan("".join(scanner.parts), scanner.tokens)


def apply_to_html(scan: HtmlScan, replacements: Sequence[tuple[int, int, str]]) -> str:
    """Rebuild the HTML with each (start, end, new text) of the scan text replaced.

    A replacement that spans several text nodes is written into the first and
    removes the rest of its span from the others."""
    reps = sorted(replacements)
    out: list[str] = []
    for tok in scan.tokens:
        if tok.raw:
            out.append(tok.raw)
            continue
        pieces, pos = [], tok.start
        for start, end, new in reps:
            if end <= tok.start or start >= tok.end:
                continue
            lo, hi = max(start, tok.start), min(end, tok.end)
            pieces.append(tok.text[pos - tok.start : lo - tok.start])
            if start >= tok.start:  # the replacement begins in this node
                pieces.append(new)
            pos = hi
        pieces.append(tok.text[pos - tok.start :])
        out.append(escape("".join(pieces), quote=False))
    return "".join(out)


@dataclass(frozen=True)
class FieldFinding:
    """A finding in one field of a document (offsets relative to that field's scan text)."""

    field: str
    kind: str
    start: int
    end: int
    text: str
    score: float = 1.0
    reason: str = ""


def find_in_fields(fields: dict[str, str]) -> list[FieldFinding]:
    """Run the engine over each field's scan text."""
    out = []
    for name, text in fields.items():
        for f in find_personal_data(text):
            out.append(FieldFinding(name, f.kind, f.start, f.end, f.text, f.score, f.reason))
    return out


def replacement_texts(findings: Iterable[FieldFinding]) -> dict[FieldFinding, str]:
    """The masked form of each finding; names get aliases consistent over the whole document
    (two different 王 become 王某甲 and 王某乙 wherever they appear)."""
    items = list(findings)
    order = {name: i for i, name in enumerate(dict.fromkeys(f.field for f in items))}
    # name_aliases orders people by first appearance: give each field its own offset range
    as_engine = [Finding(f.kind, order[f.field] * 10**9 + f.start, order[f.field] * 10**9 + f.end, f.text,
                         min(1.0, max(0.0, f.score)), f.reason or "") for f in items]
    aliases = name_aliases(as_engine)
    return {f: mask_value(f.kind, f.text, alias=aliases.get(f.text)) for f in items}


def masked_by_engine(text: str) -> str:
    """The text with every finding of the engine masked (a file's name, a 附件说明 title: what a
    reviewer did not read as content)."""
    found = find_in_fields({"name": text})
    if not found:
        return text
    reps = replacement_texts(found)
    return mask_text(text, [(f.start, f.end, reps[f]) for f in found])


def mask_text(text: str, replacements: Sequence[tuple[int, int, str]]) -> str:
    parts, pos = [], 0
    for start, end, new in sorted(replacements):
        if start < pos:
            continue
        parts.append(text[pos:start])
        parts.append(new)
        pos = end
    parts.append(text[pos:])
    return "".join(parts)


def mask_lines(lines: Sequence[str], replacements: Sequence[tuple[int, int, str]]) -> list[str]:
    """Lines reviewed as one scan text ("\\n"-joined: the 附件说明), masked line by line so each
    keeps its place.  A replacement that crosses a line break is written where it begins and
    removes the rest of its span from the following lines (as apply_to_html does across nodes)."""
    out, lo = [], 0
    for line in lines:
        hi = lo + len(line)
        reps = [(max(s, lo) - lo, min(e, hi) - lo, new if s >= lo else "")
                for s, e, new in replacements if s < hi and e > lo]
        out.append(mask_text(line, reps))
        lo = hi + 1
    return out
