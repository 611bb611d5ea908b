"""A line-by-line model of how the writer's .docx falls onto pages.

The writer puts every line of the main flow at an exact height (a grid line
of 579 twips, or a tightened one), and the 版头 fills whole grid lines, so a
page is a sum of line heights that can be computed before any reader opens
the file.  What is uncertain is where a reader breaks a line: the model
breaks as LibreOffice 7.4 does with our settings — a Chinese character is
one cell (its size condensed by 0.25 pt), a run of digits or Latin letters
is one unbreakable word of about 0.55 em per character with a small gap
where it meets Chinese, closing punctuation hangs past a full line and an
opening bracket never ends one.  Where it errs, it errs towards one line
too many (the 版记 then ends a line above the foot, never past it).

Used for three decisions (see :mod:`.gbt9704`): whether 署名 and 成文日期
would fall alone onto a page (then the body above them is tightened),
how much blank space puts the 版记 on the last line of the last page, and
whether the 版记 needs a page of its own.  The tests check the model against
LibreOffice's rendering.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from .text import display_width

OPENING = set("《（(〔[【“‘「")
CLOSING = set("》）)〕]】”’」，。、；：？！,.;:?!…%％")
# LibreOffice lets only these hang past the end of a full line; other closing
# marks (”》）：；) take the character before them to the next line.
HANGING = set("，。、,.．")
_TOKEN = re.compile(r"[\x21-\x7e\u00a1-\u02ff]+| |\n|.", re.S)
# Advance widths in em, measured on LibreOffice 7.4's rendering (Noto CJK as
# the fallback for 仿宋_GB2312; see tests/integration/test_docgen_libreoffice.py):
# 51 digits fill a 156 mm line, 44 capitals, 42 of "政," …
LATIN_EM = 0.56  # digits and small letters
CAPITAL_EM = 0.65
SPACE_EM = 0.23
WIDE_EM = 1.0  # % & @ # are about as wide as a Chinese character
PUNCT_EM = 0.38  # , . : ; ( ) / and other ASCII punctuation
SYMBOL_EM = 0.6  # < > = + * ~ ^ _ $
LATIN_GAP_EM = 0.24  # LibreOffice's gap where Chinese meets a digit or Latin letter


def text_width(text: str, size_twips: int, condense: int) -> float:
    """Width of *text* on one line, in twips."""
    width = 0.0
    previous: str | None = None
    for token in _TOKEN.findall(text):
        width += _token_width(token, size_twips, condense) + _gap(previous, token, size_twips)
        previous = token
    return width


_ALNUM = re.compile(r"[0-9A-Za-z]")


def _char_em(ch: str) -> float:
    if ch.isdigit() or ch.islower():
        return LATIN_EM
    if ch.isupper():
        return CAPITAL_EM
    if ch == " ":
        return SPACE_EM
    if ch in "%&@#":
        return WIDE_EM
    if ch in "<>=+*~^_$":
        return SYMBOL_EM
    return PUNCT_EM


# Below U+2E80 but set full width by a Chinese font: quotes, dashes, ellipsis.
_FULL_WIDTH = set("“”‘’…—·")


def _is_latin(token: str) -> bool:
    """Digits, Latin letters, ASCII punctuation (not Chinese quotes or dashes)."""
    return display_width(token[0]) < 1 and token[0] not in _FULL_WIDTH


def _gap(previous: str | None, token: str, size: int) -> float:
    """LibreOffice's autospace where a Chinese character meets a Latin letter or digit."""
    if previous is None or previous == "\n":
        return 0.0
    a = previous[-1]
    b = token[0]
    if (_wide(a) and _ALNUM.match(b)) or (_ALNUM.match(a) and _wide(b)):
        return LATIN_GAP_EM * size
    return 0.0


def _wide(ch: str) -> bool:
    return display_width(ch) >= 1 or ch in _FULL_WIDTH


def _token_width(token: str, size: int, condense: int) -> float:
    if token == " " or _is_latin(token):
        return sum(_char_em(ch) * size + condense for ch in token)
    return len(token) * (size + condense)


@lru_cache(maxsize=8192)
def _token_info(token: str, size: int, condense: int) -> tuple[float, bool, bool, bool, bool, bool]:
    """(width, is Latin, starts wide, ends wide, starts alnum, ends alnum) of a token."""
    return (
        _token_width(token, size, condense),
        _is_latin(token),
        _wide(token[0]),
        _wide(token[-1]),
        bool(_ALNUM.match(token[0])),
        bool(_ALNUM.match(token[-1])),
    )


def count_lines(text: str, width: int, first_indent: int = 0, size_twips: int = 320, condense: int = -5) -> int:
    """Lines that *text* takes in a column *width* twips wide (first line indented)."""
    if not text:
        return 1
    lines = 1
    avail = width - first_indent
    used = 0.0
    previous: str | None = None
    previous_width = 0.0
    prev_wide = prev_alnum = False
    gap = LATIN_GAP_EM * size_twips
    for token in _TOKEN.findall(text):
        if token == "\n":
            lines += 1
            avail, used, previous = width, 0.0, None
            prev_wide = prev_alnum = False
            continue
        w, latin, first_wide, last_wide, first_alnum, last_alnum = _token_info(token, size_twips, condense)
        if previous is not None and ((prev_wide and first_alnum) or (prev_alnum and first_wide)):
            w += gap  # LibreOffice's autospace between Chinese and a digit or letter
        if used + w <= avail or used == 0:
            used += w
            # a Latin word longer than the line is broken inside
            while used > avail and latin:
                lines += 1
                used -= avail
                avail = width
        elif token in HANGING:
            used += w  # hangs in the margin
        elif token in CLOSING and previous is not None and previous not in CLOSING:
            # may not start a line: goes down with the character before it
            lines += 1
            avail = width
            used = previous_width + w
        elif token == " ":
            lines += 1
            avail, used = width, 0.0
        else:
            lines += 1
            avail = width
            if previous is not None and previous in OPENING:
                used = previous_width + w  # an opening bracket goes down with its word
            else:
                used = w
            while used > avail and latin:
                lines += 1
                used -= avail
        previous, previous_width = token, w
        prev_wide, prev_alnum = last_wide, last_alnum
    return lines


# --------------------------------------------------------------------------
# Pagination
# --------------------------------------------------------------------------


@dataclass
class Item:
    """One paragraph (``heights`` = its lines) or table (its rows) in the flow."""

    heights: list[int]
    keep_next: bool = False
    keep_lines: bool = False
    table_header: int = 0  # a table: height of the header rows repeated on each page
    page_break: bool = False  # starts a new page
    tag: str = ""  # what the writer calls it: "body", "sig", "blank", …
    # filled by paginate(): (page, top) of each line/row, 1-based pages, twips
    places: list[tuple[int, int]] = field(default_factory=list)

    @property
    def height(self) -> int:
        return sum(self.heights)


def paginate(items: list[Item], page_height: int, start: int = 0) -> tuple[int, int]:
    """Place *items* as LibreOffice does; returns (last page, bottom on it)."""
    page, y = 1, start
    for index, item in enumerate(items):
        item.places = []
        if item.page_break:
            page, y = page + 1, 0
        if y > 0:
            # keep with next: the chain up to and including the first line of
            # the first item that does not keep with its next one
            need = 0
            j = index
            while j < len(items) and items[j].keep_next:
                need += items[j].height
                j += 1
            if j < len(items) and j > index:
                nxt = items[j]
                need += nxt.height if nxt.keep_lines else (nxt.heights[0] if nxt.heights else 0)
            elif item.keep_lines:
                need = item.height
            if need and y + need > page_height and need <= page_height:
                page, y = page + 1, 0
        for h in item.heights:
            if y + h > page_height and y > 0:
                page, y = page + 1, item.table_header
            item.places.append((page, y))
            y += h
    return page, y
