"""Input rules applied to every request, once, before any view runs.

- `<int:…>` in a URL accepts ASCII digits up to 2**31 − 1 only (every id column is a
  PostgreSQL INTEGER): a larger id is a 404 ("页面不存在"), never a query that fails.
- A query parameter or form value (or its name) holding a control character is refused
  with a Chinese 400 before any view reads it, identically on SQLite and PostgreSQL.
- Flash messages are bounded: each one at FLASH_LIMIT characters (the middle of a longer
  one gives way to "…") and at most MAX_FLASHES waiting, so the signed session cookie
  stays far below the 4 KB a browser keeps.
"""

from __future__ import annotations

from flask import Flask, request, session
from werkzeug.routing import BaseConverter, ValidationError

from .. import textinput
from ..services.errors import ServiceError

FLASH_LIMIT = 200
MAX_FLASHES = 4


class BadInput(ServiceError):
    """The request itself is malformed (HTTP 400); nothing was changed."""

    status = 400


class BoundedIdConverter(BaseConverter):
    """Replaces Werkzeug's `int` converter: ASCII digits, 1 … 2**31 − 1."""

    regex = r"[0-9]{1,10}"
    weight = 50

    def to_python(self, value: str) -> int:
        number = textinput.parse_id(value)
        if number is None:
            raise ValidationError()
        return number

    def to_url(self, value) -> str:
        return str(int(value))


def _refuse_control_characters() -> None:
    sources = [request.args]
    if request.method not in ("GET", "HEAD", "OPTIONS"):
        sources.append(request.form)
    for source in sources:
        for key, values in source.lists():
            for text in (key, *values):
                found = textinput.forbidden_characters(text)
                if found:
                    raise BadInput(
                        f"提交的内容含有不可见的控制字符（{'、'.join(found[:3])}），没有做任何修改。"
                        "请删除这些字符后重试。")


def _bound_flashes(response):
    flashes = session.get("_flashes")
    if flashes:
        bounded = [(category, textinput.shorten(message, FLASH_LIMIT)) for category, message in flashes[-MAX_FLASHES:]]
        if [m for _, m in bounded] != [m for _, m in flashes] or len(bounded) != len(flashes):
            session["_flashes"] = bounded
    return response


def install(app: Flask) -> None:
    """Call before the blueprints are registered (their rules use the converter)."""
    app.url_map.converters["int"] = BoundedIdConverter
    app.before_request(_refuse_control_characters)
    app.after_request(_bound_flashes)

