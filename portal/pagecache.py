"""An in-process cache of rendered pages, keyed by what the page was rendered from.

A document page is rendered from its rows (the policy and its 解读): the key holds their ids,
versions, statuses and last changes (the same "seed" its ETag is made of), so a push or a
withdrawal, which changes those, makes the next request render afresh — there is nothing to
invalidate and no lifetime to tune.  Every request still reads the rows' stamps from the
database (one small query), so several processes (gunicorn workers) each with their own cache
never serve a page older than the database.

What a cached page may depend on: the stamped rows, the app's configuration, the templates
(the build tag is in every key through the ETag seed), the request's script root and the
agency's date (part of the key, so a page that shows anything date-dependent is rendered again
each day).  Nothing per user: the 适老化 mode is applied in the browser, the page is the same
for everyone.

Bounded by size (PORTAL_PAGE_CACHE_BYTES, default 16 MiB per process; 0 turns it off), least
recently used first out.  Thread-safe.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable

from flask import Flask, current_app

EXTENSION = "portal_page_cache"
LIST_EXTENSION = "portal_list_cache"
DEFAULT_BYTES = 16 * 1024 * 1024
DEFAULT_LIST_BYTES = 4 * 1024 * 1024


class PageCache:
    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self._pages: OrderedDict[Hashable, tuple[object, int]] = OrderedDict()  # key → (body, size)
        self._bytes = 0
        self._lock = threading.Lock()
        self.hits = self.misses = 0

    def get(self, key: Hashable):
        with self._lock:
            entry = self._pages.get(key)
            if entry is None:
                self.misses += 1
                return None
            self._pages.move_to_end(key)
            self.hits += 1
            return entry[0]

    def put(self, key: Hashable, body, size: int | None = None) -> None:
        """Keep `body` (bytes, or any value with its `size` in bytes given)."""
        size = len(body) if size is None else size
        if size > self.max_bytes // 8:  # one huge page does not push out everything else
            return
        with self._lock:
            old = self._pages.pop(key, None)
            if old is not None:
                self._bytes -= old[1]
            self._pages[key] = (body, size)
            self._bytes += size
            while self._bytes > self.max_bytes and self._pages:
                _, (_, dropped) = self._pages.popitem(last=False)
                self._bytes -= dropped

    def clear(self) -> None:
        with self._lock:
            self._pages.clear()
            self._bytes = 0

    def __len__(self) -> int:
        return len(self._pages)


def init_app(app: Flask) -> None:
    size = int(app.config.get("PORTAL_PAGE_CACHE_BYTES", DEFAULT_BYTES))
    app.extensions[EXTENSION] = PageCache(size) if size > 0 else None
    size = int(app.config.get("PORTAL_LIST_CACHE_BYTES", DEFAULT_LIST_BYTES))
    app.extensions[LIST_EXTENSION] = PageCache(size) if size > 0 else None


def page_cache() -> PageCache | None:
    return current_app.extensions.get(EXTENSION)


def list_cache() -> PageCache | None:
    """The catalogue list's pages, keyed by what the page is made of and the catalogue's version
    (see views.catalogue); PORTAL_LIST_CACHE_BYTES, default 4 MiB per process, 0 turns it off."""
    return current_app.extensions.get(LIST_EXTENSION)
