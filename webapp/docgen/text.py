"""Text helpers shared by the writer, the importer and the preview.

Everything that ends up in an XML part goes through :func:`xml_safe` first:
XML 1.0 cannot carry most C0 control characters, U+FFFE/U+FFFF or lone
surrogates, and lxml refuses them with an exception.  Stripping them here is
what lets *any* Unicode body produce a valid .docx.
"""

from __future__ import annotations

import re
from datetime import date

# Characters XML 1.0 forbids (tab, LF and CR are allowed and handled as
# whitespace elsewhere), plus lone surrogates, which cannot be encoded.
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
# HTML's collapsible whitespace (not U+00A0 / U+3000, which are content).
_HTML_SPACE = re.compile("[ \t\n\r\f]+")


def xml_safe(text: str) -> str:
    """Remove every character that cannot appear in an XML 1.0 document."""
    return _XML_ILLEGAL.sub("", text)


def collapse_space(text: str) -> str:
    """Collapse runs of HTML whitespace to one space, as a browser shows them."""
    return _HTML_SPACE.sub(" ", text)


def xml_escape(text: str) -> str:
    """Escape text for an XML text node or a double-quoted attribute."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def chinese_date(value: date) -> str:
    """2026年3月1日 — Arabic numerals, no zero padding (GB/T 9704 7.3.5.1)."""
    return f"{value.year}年{value.month}月{value.day}日"


def display_width(text: str) -> float:
    """Width of *text* in em (一个汉字 = 1, ASCII = 0.5), for GB/T 9704 offsets."""
    width = 0.0
    for ch in text:
        width += 0.5 if ord(ch) < 0x2E80 and not 0xFF01 <= ord(ch) <= 0xFF60 else 1.0
    return width


# Separators a drafter may type between 抄送机关: GB/T 9704 7.5.2 wants "，".
_CC_SEPARATORS = re.compile(r"\s*[,，、;；\n\r]+\s*")


def cc_line(cc: str) -> str:
    """The 抄送 line of the 版记 (GB/T 9704-2012 7.5.2), or "" when there is none.

    "抄送：" then the bodies separated by full-width commas, a full stop after
    the last one: ``cc_line("甲、乙; 丙.")`` → "抄送：甲，乙，丙。".  The one
    place this is written: the .docx writer and the HTML preview both call it.
    """
    names = [" ".join(part.split()) for part in _CC_SEPARATORS.split(xml_safe(cc))]
    names = [name.rstrip("。.").strip() for name in names]
    names = [name for name in names if name]
    return "抄送：" + "，".join(names) + "。" if names else ""
