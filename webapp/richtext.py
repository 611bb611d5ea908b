"""User HTML goes through bleach with a short allow-list, before storing and before showing."""

from __future__ import annotations

import re

import bleach

ALLOWED_TAGS = frozenset(
    {"p", "br", "strong", "b", "em", "i", "u", "ol", "ul", "li",
     "table", "thead", "tbody", "tr", "th", "td", "h2", "h3"}
)
ALLOWED_ATTRIBUTES = {"td": ["colspan", "rowspan"], "th": ["colspan", "rowspan"]}

_TAG = re.compile(r"<[^>]+>")
_EMPTY_P = re.compile(r"<p>(\s|<br>|&nbsp;)*</p>")
_SPACE = re.compile(r"\s+")


_DIV_OPEN = re.compile(r"<div(\s[^>]*)?>", re.IGNORECASE)
_DIV_CLOSE = re.compile(r"</div\s*>", re.IGNORECASE)


def clean_html(html: str) -> str:
    """Keep only the allow-listed tags; scripts, handlers and URLs are removed.
    Blocks pasted or typed as <div> become paragraphs rather than running together."""
    html = _DIV_CLOSE.sub("</p>", _DIV_OPEN.sub("<p>", html or ""))
    cleaned = bleach.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        protocols=[],
        strip=True,
        strip_comments=True,
    )
    return _EMPTY_P.sub("", cleaned).strip()


def plain_text(html: str) -> str:
    """Visible text of cleaned HTML, whitespace collapsed (for excerpts and checks)."""
    text = _TAG.sub(" ", html or "")
    text = bleach.clean(text, tags=set(), strip=True)  # unescape-safe: leaves entities
    return _SPACE.sub(" ", text.replace("&nbsp;", " ")).strip()


def text_to_html(text: str) -> str:
    """Plain text (one paragraph per line) → cleaned paragraphs, e.g. for seed documents."""
    from markupsafe import escape

    paras = [line.strip() for line in (text or "").splitlines() if line.strip()]
    return "".join(f"<p>{escape(p)}</p>" for p in paras)
