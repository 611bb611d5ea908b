"""What typed text may contain, and how it is normalised — pure (no Flask, no models).

One rule set for every form field and query parameter:

- Control characters other than tab, line feed and carriage return (NUL, ESC, DEL,
  the C1 range), lone surrogates and the non-characters U+FFFE/U+FFFF are refused.
  PostgreSQL refuses NUL in text (HTTP 500), SQLite stores it, and the .docx writer
  cannot put any of them into XML; nobody types them on purpose.
- A single-line field keeps no line breaks or tabs (they become one space).
- A text with no visible character (only spaces, zero-width spaces, joiners, …)
  counts as empty, so a required field refuses it.
- Ids and numbers from a URL, a query or a form stay within what the columns hold:
  every id and counter is an INTEGER, 32-bit on PostgreSQL (a larger value there is
  "integer out of range", on SQLite an OverflowError past 64 bits — both HTTP 500).
"""

from __future__ import annotations

import re
import unicodedata

# The largest value of PostgreSQL's INTEGER, the type of every id and counter column.
MAX_INT = 2**31 - 1

_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_LINE_BREAKS = re.compile(r"[\t\r\n]+")
_ASCII_ID = re.compile(r"[0-9]{1,10}")

# Letters that render as nothing (Hangul fillers, the braille blank) though Unicode
# calls them letters or symbols.
_INVISIBLE_LETTERS = frozenset("\u115f\u1160\u3164\uffa0\u2800\u180e")
_INVISIBLE_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Zs", "Zl", "Zp", "Mn", "Me"})

FORBIDDEN_MESSAGE = "含有不可见的控制字符（如 NUL），请删除后重试。"


def forbidden_characters(text: str) -> list[str]:
    """The distinct forbidden characters in `text`, as U+XXXX, in order of appearance."""
    seen: dict[str, None] = {}
    for m in _FORBIDDEN.finditer(text or ""):
        seen.setdefault(f"U+{ord(m.group()):04X}", None)
    return list(seen)


def has_forbidden(text: str) -> bool:
    return bool(_FORBIDDEN.search(text or ""))


def is_visible(char: str) -> bool:
    return char not in _INVISIBLE_LETTERS and unicodedata.category(char) not in _INVISIBLE_CATEGORIES


def has_visible(text: str | None) -> bool:
    """True when at least one character of `text` would show on screen."""
    return any(is_visible(c) for c in text or "")


def single_line(text: str) -> str:
    """Tabs and line breaks inside a one-line value become one space."""
    return _LINE_BREAKS.sub(" ", text)


def clean_field(text: str | None, *, multiline: bool) -> str | None:
    """The cleaning applied to every submitted text value (forbidden characters are
    refused separately, before this): one line where one is expected, and a value
    with nothing visible becomes empty."""
    if text is None:
        return None
    if not multiline:
        text = single_line(text)
    return text if has_visible(text) else ""


def parse_id(value: str | None) -> int | None:
    """A positive id from a URL or a query: ASCII digits only, at most MAX_INT.
    None for anything else (``²``, ``٣``, ``-1``, ``1e3``, ``1_0``, 11 digits)."""
    if value is None or not _ASCII_ID.fullmatch(value):
        return None
    number = int(value)
    return number if 0 < number <= MAX_INT else None


def shorten(text: str, limit: int = 300) -> str:
    """At most `limit` characters: the middle of a longer text gives way to "…", so a
    long file name keeps its beginning and its extension."""
    text = str(text)
    if len(text) <= limit:
        return text
    head = (limit - 1) * 2 // 3
    tail = limit - 1 - head
    return text[:head] + "…" + text[len(text) - tail:]
