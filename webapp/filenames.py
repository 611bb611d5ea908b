"""Uploaded file names: a safe display name, and the download header that carries it.

Pure Python, no Flask.  A browser sends whatever name the user's disk (or an attacker)
gives: ``../../x.docx``, ``C:\\fakepath\\x.docx``, NUL, CR/LF, a right-to-left override
that shows ``exe.docx`` as ``xcod.exe``, 10,000 characters.  What the app keeps, shows,
logs and flashes is :func:`safe_filename`'s result: the last path component only, no
control, format (bidi, zero-width) or separator characters, whitespace collapsed, no
leading dots, at most :data:`MAX_NAME_CHARS` characters with the extension kept.
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import quote

MAX_NAME_CHARS = 100
_DROPPED_CATEGORIES = {"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"}
_RESERVED = re.compile(r'[<>:"|?*]')  # not allowed in a Windows file name
_SPACE = re.compile(r"\s+")
_EXTENSION = re.compile(r"\.[0-9A-Za-z]{1,10}$")


def _visible(ch: str) -> bool:
    return unicodedata.category(ch) not in _DROPPED_CATEGORIES


def safe_filename(name: str | None, default: str = "附件") -> str:
    """The name to keep and show for an upload (see the module); *default* when nothing
    printable is left."""
    text = unicodedata.normalize("NFC", str(name or ""))
    text = re.split(r"[/\\]", text)[-1]
    text = "".join(ch if _visible(ch) else " " if ch in "\t\r\n" else "" for ch in text)
    text = _SPACE.sub(" ", _RESERVED.sub("_", text)).strip().rstrip(". ")
    match = _EXTENSION.search(text)
    ext = match.group(0).lower() if match else ""
    stem = (text[: match.start()] if match else text).strip(". ")
    stem = stem[: MAX_NAME_CHARS - len(ext)].rstrip(". ") or default
    return stem + ext


def extension(name: str) -> str:
    """".docx" for "通知.DOCX"; "" when the name has none."""
    match = _EXTENSION.search(name or "")
    return match.group(0).lower() if match else ""


_ASCII_SAFE = re.compile(r"[A-Za-z0-9][A-Za-z0-9 ._()-]{0,99}")


def content_disposition(display_name: str, fallback_stem: str, ext: str) -> str:
    """``attachment`` with an ASCII ``filename`` whose extension is *ext* (the file's own
    type, not always .docx) and the display name as RFC 5987 ``filename*`` (UTF-8)."""
    name = safe_filename(display_name, default=fallback_stem)
    if extension(name) != ext:
        name += ext
    ascii_name = name if _ASCII_SAFE.fullmatch(name) else f"{fallback_stem}{ext}"
    encoded = quote(name, safe="!#$&+^`|")
    return f'attachment; filename="{ascii_name}"; filename*=UTF-8\'\'{encoded}'
