"""HTTP caching for every public page: ETag, Last-Modified, Cache-Control, 304 on revalidation.

A page whose version is known before rendering (a document: its id, version and last
change) answers a matching If-None-Match / If-Modified-Since with 304 without rendering.
Other pages (lists, search) are rendered and their ETag is the hash of the body, so a
revalidation still saves the transfer.  The ETag includes a build tag (hash of the
templates and stylesheet), so a new release never serves an old page as fresh.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Hashable
from datetime import datetime
from pathlib import Path

from flask import Response, current_app, request
from werkzeug.http import http_date, is_resource_modified, quote_etag

from .pagecache import page_cache

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
    # The three headers written as text (werkzeug's typed setters parse and re-serialise each time).
    headers = response.headers
    headers["ETag"] = quote_etag(etag)
    if last_modified is not None:
        headers["Last-Modified"] = http_date(_whole_seconds(last_modified))
    age = current_app.config["PORTAL_CACHE_SECONDS"] if max_age is None else max_age
    headers["Cache-Control"] = f"public, max-age={int(age)}"
    return response


def cached_page(render: Callable[[], str | bytes | Response], *, seed: str | None = None,
                last_modified: datetime | None = None, max_age: int | None = None,
                mimetype: str = "text/html", cache_key: Hashable | None = None) -> Response:
    """Answer with `render()` (called only when needed), cacheable; 304 when the client's copy is current.

    With a `seed` (what the page is made from), the ETag is known before rendering: a client
    holding it gets 304 without a render, and with a `cache_key` the rendered body is kept in the
    process's page cache (portal/pagecache.py) and served from there while the key holds."""
    if seed is not None:
        etag = _etag(seed)
        if not is_resource_modified(request.environ, etag=etag, last_modified=_whole_seconds(last_modified)):
            response = Response(status=200, mimetype=mimetype)  # make_conditional turns it into the 304
            return _cacheable(response, etag, last_modified, max_age).make_conditional(request)
        # Modified for this client: the conditional decision is made, so the body goes out as it is
        # (no second pass through make_conditional; the server adds the Date header).
        cache = page_cache() if cache_key is not None else None
        body = cache.get(cache_key) if cache is not None else None
        if body is not None:
            response = Response(body, mimetype=mimetype)
        else:
            rendered = render()
            response = rendered if isinstance(rendered, Response) else Response(rendered, mimetype=mimetype)
            if cache is not None and not isinstance(rendered, Response):  # a Response is never kept
                cache.put(cache_key, response.get_data())
        return _cacheable(response, etag, last_modified, max_age)
    body = render()
    response = body if isinstance(body, Response) else Response(body, mimetype=mimetype)
    _cacheable(response, _etag(response.get_data()), last_modified, max_age)
    return response.make_conditional(request)


def _whole_seconds(at: datetime | None) -> datetime | None:
    return at.replace(microsecond=0) if at is not None else None


def cacheable(response: Response, last_modified: datetime | None = None, max_age: int | None = None) -> Response:
    """Cache headers on an already-built response (error pages, 410)."""
    return _cacheable(response, _etag(response.get_data()), last_modified, max_age)
