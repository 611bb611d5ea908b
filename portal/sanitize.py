"""Pushed HTML is cleaned again on arrival (bleach allow-list) and read as plain text for search.

Pure: no Flask, no models.  The intranet already cleans and de-identifies the public copy;
the portal does not trust the wire for what it shows.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import bleach

ALLOWED_TAGS = frozenset({
    "p", "br", "strong", "b", "em", "i", "u", "sub", "sup", "ol", "ul", "li", "blockquote",
    "table", "caption", "thead", "tbody", "tfoot", "tr", "th", "td", "h2", "h3", "h4",
})
ALLOWED_ATTRIBUTES = {"td": ["colspan", "rowspan"], "th": ["colspan", "rowspan", "scope"]}
BLOCKS = {"p", "br", "li", "tr", "h2", "h3", "h4", "table", "ul", "ol", "blockquote", "caption", "div"}
CELLS = {"td", "th"}
_DIV_OPEN = re.compile(r"<div(\s[^>]*)?>", re.IGNORECASE)
_DIV_CLOSE = re.compile(r"</div\s*>", re.IGNORECASE)
_H1 = re.compile(r"<(/?)h1(\s[^>]*)?>", re.IGNORECASE)
# Elements whose content is not text: dropped whole (bleach's strip would keep their content).
_NOT_TEXT = re.compile(r"<(script|style|template|noscript|iframe|object|textarea|title)\b.*?(</\1\s*>|\Z)",
                       re.IGNORECASE | re.DOTALL)


def clean_html(html: str) -> str:
    html = _NOT_TEXT.sub("", html or "")
    html = _DIV_CLOSE.sub("</p>", _DIV_OPEN.sub("<p>", html))
    html = _H1.sub(r"<\1h2>", html)  # the page has one <h1>: the title
    return bleach.clean(html, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, protocols=[],
                        strip=True, strip_comments=True).strip()


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in BLOCKS:
            self.parts.append("\n")
        elif tag in CELLS:
            self.parts.append("\t")

    def handle_endtag(self, tag):
        if tag in BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data):
        self.parts.append(data)


def html_text(html: str) -> str:
    """The visible text: one line per paragraph or table row, cells separated by tabs."""
    parser = _Text()
    parser.feed(html or "")
    parser.close()
    lines = (" ".join(line.split()) if "\t" not in line else "\t".join(" ".join(c.split()) for c in line.split("\t"))
             for line in "".join(parser.parts).split("\n"))
    return "\n".join(line.strip() for line in lines if line.strip())
