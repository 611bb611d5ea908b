"""HTTP caching for every public page: ETag, Last-Modified, Cache-Control, 304 on revalidation.

A page whose version is known before rendering (a document: its id, version and last
change) answers a matching If-None-Match / If-Modified-Since with 304 without rendering.
Other pages (lists, search) are rendered and their ETag is the hash of the body, so a
revalidation still saves the transfer.  The ETag includes a build tag (hash of the
templates and stylesheet), so a new release never serves an old page as fresh.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from flask import Response, current_app, request

HERE = Path(__file__).resolve().parent


def build_tag() -> str:
    h = hashlib.sha256()
    for folder in ("templates", "static"):
        for path in sorted((HERE / folder).rglob("*")):
            if path.is_file():
                h.update(path.name.encode())
                h.update(path.read_bytes())
    return h.hexdigest()[:12]


def _etag(text: str | bytes) -> str:
    data = text.encode() if isinstance(text, str) else text
    return hashlib.sha256(current_app.config["PORTAL_BUILD"].encode() + b"|" + data).hexdigest()[:32]


def _cacheable(response: Response, etag: str, last_modified: datetime | None, max_age: int | None) -> Response:
    response.set_etag(etag)
    if last_modified is not None:
        response.last_modified = last_modified.replace(microsecond=0)
    response.cache_control.public = True
    response.cache_control.max_age = current_app.config["PORTAL_CACHE_SECONDS"] if max_age is None else max_age
    return response


def cached_page(render: Callable[[], str | bytes | Response], *, seed: str | None = None,
                last_modified: datetime | None = None, max_age: int | None = None,
                mimetype: str = "text/html") -> Response:
    """Answer with `render()` (called only when needed), cacheable; 304 when the client's copy is current."""
    if seed is not None:
        probe = _cacheable(Response(status=200), _etag(seed), last_modified, max_age)
        probe.make_conditional(request)
        if probe.status_code == 304:
            return probe
    body = render()
    response = body if isinstance(body, Response) else Response(body, mimetype=mimetype)
    _cacheable(response, _etag(seed if seed is not None else response.get_data()), last_modified, max_age)
    return response.make_conditional(request)


def cacheable(response: Response, last_modified: datetime | None = None, max_age: int | None = None) -> Response:
    """Cache headers on an already-built response (error pages, 410)."""
    return _cacheable(response, _etag(response.get_data()), last_modified, max_age)
