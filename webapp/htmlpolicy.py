"""The one HTML allow-list of the app, and a linear pre-pass that bounds what bleach sees.

Pure Python, no Flask.  Used by :mod:`webapp.richtext` (every body the user types or
pastes) and by :mod:`webapp.docgen.importer` (whose output must already be inside the
allow-list).

Why a pre-pass: html5lib (inside bleach) spends time in proportion to the depth of the
open-element stack for every tag, so 20,000 nested ``<b>`` took 7.7 s to clean.
:func:`flatten` reads the markup once, left to right, and writes markup that

* holds only allow-listed tags (``div`` becomes ``p``), without attributes except a
  small ``colspan``/``rowspan`` on table cells;
* drops ``<script>``, ``<style>`` and the other raw-text elements *with* their content
  (their text would otherwise show up in the 正文);
* drops comments, doctypes and processing instructions;
* is properly nested, closes what it opens, and never nests deeper than
  :data:`MAX_DEPTH` — a tag that would go deeper is dropped, its text kept.

Every step looks at most :data:`MAX_DEPTH` entries of its own stack, so the pass and
the bleach run after it are linear in the length of the input.  bleach still runs on
the result: the pre-pass narrows the input, bleach remains the sanitiser.
"""

from __future__ import annotations

import re

ALLOWED_TAGS = frozenset(
    {"p", "br", "strong", "b", "em", "i", "u", "ol", "ul", "li",
     "table", "thead", "tbody", "tr", "th", "td", "h2", "h3"}
)
ALLOWED_ATTRIBUTES = {"td": ["colspan", "rowspan"], "th": ["colspan", "rowspan"]}

#: Deepest nesting of allow-listed elements kept; a real 正文 needs about 10
#: (table › tbody › tr › td › ul › li › strong › em › u).
MAX_DEPTH = 32
MAX_SPAN = 1000  # largest colspan/rowspan kept
REFS_PER_RUN = 64  # character references (&…;) per text node handed to html5lib

#: Elements whose content is raw text in HTML: dropped together with that content.
DROPPED_WITH_CONTENT = frozenset(
    {"script", "style", "xmp", "iframe", "noembed", "noframes", "noscript", "textarea", "title"}
)
_RENAMED = {"div": "p"}
_VOID = frozenset({"br"})
_TABLE_PARTS = frozenset({"table", "thead", "tbody", "tr", "td", "th"})
_TABLE_ROWS = frozenset({"table", "thead", "tbody", "tr"})  # where only table parts belong
_HEADINGS = frozenset({"h2", "h3"})
_CLOSES_P = frozenset({"p", "h2", "h3", "ul", "ol", "table"})
# Where a search down the stack stops (html5lib's "scope" boundaries, as far as the
# allow-list goes).
_SCOPE = frozenset({"td", "th", "table"})
_LIST_SCOPE = _SCOPE | {"ul", "ol"}
_SPECIAL = frozenset({"li", "ul", "ol", "table", "thead", "tbody", "tr", "td", "th", "h2", "h3"})

_WS = "\t\n\f\r "
_WS_RUN = re.compile(r"[\t\n\f\r /]+")
_TAG_NAME = re.compile(r"[^\t\n\f\r />]+")
_ATTR_NAME = re.compile(r"[^\t\n\f\r />][^\t\n\f\r />=]*")
_EQUALS = re.compile(r"[\t\n\f\r ]*=[\t\n\f\r ]*")
_UNQUOTED = re.compile(r"[^\t\n\f\r >]*")
_SPAN_VALUE = re.compile(r"[\t\n\f\r ]*([0-9]{1,4})[\t\n\f\r ]*")
_COMMENT_END = re.compile(r"--!?>")
_RAW_END = {name: re.compile(rf"</{name}[\t\n\f\r />]", re.IGNORECASE) for name in DROPPED_WITH_CONTENT}


def _start_tag(s: str, j: int) -> tuple[str, dict[str, str], int] | None:
    """The start tag at s[j] == '<' (followed by a letter): name, attributes, end.

    None when the input ends inside the tag (html5lib drops such a tag and the rest)."""
    n = len(s)
    m = _TAG_NAME.match(s, j + 1)
    name = m.group(0).lower()
    k = m.end()
    attrs: dict[str, str] = {}
    while k < n:
        if s[k] == ">":
            return name, attrs, k + 1
        ws = _WS_RUN.match(s, k)
        if ws:
            k = ws.end()
            continue
        a = _ATTR_NAME.match(s, k)
        attr, k = a.group(0).lower(), a.end()
        value = ""
        eq = _EQUALS.match(s, k)
        if eq:
            k = eq.end()
            if k < n and s[k] in "\"'":
                close = s.find(s[k], k + 1)
                if close < 0:
                    return None
                value, k = s[k + 1 : close], close + 1
            else:
                u = _UNQUOTED.match(s, k)
                value, k = u.group(0), u.end()
        attrs.setdefault(attr, value)
    return None


class _Writer:
    """The stack of open, kept elements and the markup written so far."""

    def __init__(self) -> None:
        self.out: list[str] = []
        self.stack: list[str] = []
        self.refs = 0  # character references in the current text run

    def text(self, t: str) -> None:
        """Text as given; an empty comment after every REFS_PER_RUN character references.

        html5lib appends each reference to the text node by string concatenation, so one
        text node of k references costs O(k × length); the comment (which bleach removes)
        starts a new node, so no node holds more than REFS_PER_RUN of them."""
        if not t:
            return
        amps = t.count("&")
        if self.refs + amps < REFS_PER_RUN:
            self.refs += amps
            self.out.append(t)
            return
        start = 0
        pos = -1
        while True:
            pos = t.find("&", pos + 1)
            if pos < 0:
                break
            self.refs += 1
            if self.refs >= REFS_PER_RUN:
                self.out.append(t[start:pos])
                self.out.append("<!---->")
                start, self.refs = pos, 1
        self.out.append(t[start:])

    def tag(self, markup: str) -> None:
        self.out.append(markup)
        self.refs = 0

    def _find(self, names: frozenset[str] | set[str], stop: frozenset[str] | set[str]) -> int:
        """Index of the nearest open element named in *names*, not past one in *stop*; -1."""
        for idx in range(len(self.stack) - 1, -1, -1):
            name = self.stack[idx]
            if name in names:
                return idx
            if name in stop:
                return -1
        return -1

    def _pop_to(self, idx: int) -> None:
        """Close every open element from the top down to stack[idx] included (none if idx < 0)."""
        while idx >= 0 and len(self.stack) > idx:
            self.tag(f"</{self.stack.pop()}>")

    def _push(self, name: str, attrs: str = "") -> None:
        if len(self.stack) >= MAX_DEPTH:
            return  # too deep: the tag goes, its text stays
        self.stack.append(name)
        self.tag(f"<{name}{attrs}>")

    def open(self, name: str, attrs: dict[str, str]) -> None:
        if name not in _TABLE_PARTS and self.stack and self.stack[-1] in _TABLE_ROWS:
            return  # html5lib would move it out in front of the table: its text alone stays
        if name in _VOID:
            self.tag("<br>")
            return
        if name in _CLOSES_P:
            p = self._find({"p"}, _SCOPE)
            if p >= 0:
                self._pop_to(p)
        if name in _HEADINGS and self.stack and self.stack[-1] in _HEADINGS:
            self._pop_to(len(self.stack) - 1)
        if name == "li":
            for idx in range(len(self.stack) - 1, -1, -1):
                current = self.stack[idx]
                if current == "li":
                    self._pop_to(idx)
                    break
                if current in _SPECIAL:
                    break
        if name in _TABLE_PARTS and not self._open_table_part(name):
            return
        extra = ""
        if name in ("td", "th"):
            for attr in ("colspan", "rowspan"):
                m = _SPAN_VALUE.fullmatch(attrs.get(attr, ""))
                if m and 1 <= int(m.group(1)) <= MAX_SPAN:
                    extra += f' {attr}="{int(m.group(1))}"'
        self._push(name, extra)

    def _open_table_part(self, name: str) -> bool:
        """Close what a table part implies and open the parts it needs; False: ignore it."""
        if name == "table":
            inner = self._find(_TABLE_PARTS, set())
            if inner >= 0 and self.stack[inner] not in ("td", "th"):
                self._pop_to(self._find({"table"}, set()))  # a table straight in a table
            return True
        context = self._find(_TABLE_PARTS, set())
        if context < 0:
            return False  # a cell or row outside any table is ignored, as html5lib does
        if name in ("td", "th"):
            if self.stack[context] in ("td", "th"):
                self._pop_to(context)
                context = self._find(_TABLE_PARTS, set())
            if self.stack[context] != "tr":
                if not self._open_table_part("tr"):
                    return False
                self._push("tr")
            return self.stack[-1] == "tr"
        if name == "tr":
            if self.stack[context] in ("td", "th", "tr"):
                self._pop_to(self._find({"tr"}, {"table"}))
                context = self._find(_TABLE_PARTS, set())
            if self.stack[context] == "table":
                self._push("tbody")
            return self.stack[-1] in ("tbody", "thead")
        # thead / tbody
        self._pop_to(self._find({"table"}, set()) + 1)
        return True

    def close(self, name: str) -> None:
        if name in _VOID:
            self.tag("<br>")  # </br> is a line break in HTML too
            return
        if name == "table":
            idx = self._find({"table"}, set())
        elif name in _TABLE_PARTS:
            idx = self._find({name}, {"table"})
        elif name in _HEADINGS:
            idx = self._find(_HEADINGS, _SCOPE)
        elif name == "li":
            idx = self._find({"li"}, _LIST_SCOPE)
        else:
            idx = self._find({name}, _SCOPE)
        if idx >= 0:
            self._pop_to(idx)

    def result(self) -> str:
        self._pop_to(0)
        return "".join(self.out)


def flatten(html: str) -> str:
    """The allow-listed, properly nested, depth-bounded form of *html* (see the module)."""
    s = html or ""
    n = len(s)
    w = _Writer()
    i = 0
    while i < n:
        j = s.find("<", i)
        if j < 0:
            w.text(s[i:])
            break
        w.text(s[i:j])
        nxt = s[j + 1 : j + 2]
        if s.startswith("<!--", j):
            if s.startswith(("<!-->", "<!--->"), j):
                i = s.find(">", j) + 1
                continue
            end = _COMMENT_END.search(s, j + 4)
            i = n if end is None else end.end()
        elif nxt in ("!", "?"):  # doctype, CDATA, processing instruction: a bogus comment
            end = s.find(">", j + 2)
            i = n if end < 0 else end + 1
        elif nxt == "/":
            end = s.find(">", j + 2)
            if end < 0:
                break  # the input ends inside an end tag
            m = _TAG_NAME.match(s, j + 2)
            name = m.group(0).lower() if m and s[j + 2].isascii() and s[j + 2].isalpha() else ""
            i = end + 1
            name = _RENAMED.get(name, name)
            if name in ALLOWED_TAGS:
                w.close(name)
        elif nxt.isascii() and nxt.isalpha():
            tag = _start_tag(s, j)
            if tag is None:
                break
            name, attrs, i = tag
            if name in DROPPED_WITH_CONTENT:
                m = _RAW_END[name].search(s, i)
                if m is None:
                    break
                end = s.find(">", m.end() - 1)
                i = n if end < 0 else end + 1
                continue
            if name == "plaintext":
                break  # everything after it is raw text in HTML
            name = _RENAMED.get(name, name)
            if name in ALLOWED_TAGS:
                w.open(name, attrs)
        else:
            w.text("&lt;")
            i = j + 1
    return w.result()
