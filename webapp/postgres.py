"""PostgreSQL, the production database: what the driver is told once per process."""

from __future__ import annotations

from flask import Flask

# psycopg turns a statement's "%(name)s" placeholders into PostgreSQL's "$1" once and keeps the
# result (an LRU of 128) — but only for statements up to 4 KiB; a longer one is parsed again at
# every execution (about 0.25 ms for 5 KiB here).  A page's own statement with the navigation's
# counters riding on it (services/standin.Riders) is 4–5 KiB: keep statements up to 16 KiB.
# The setting is the driver's module constant, read at each call; without it (another psycopg)
# nothing changes but the speed.
MAX_CACHED_STATEMENT = 16 * 1024


def tune_psycopg(app: Flask) -> None:
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        return
    try:
        from psycopg import _queries
    except ImportError:  # another driver
        return
    if getattr(_queries, "MAX_CACHED_STATEMENT_LENGTH", MAX_CACHED_STATEMENT) < MAX_CACHED_STATEMENT:
        _queries.MAX_CACHED_STATEMENT_LENGTH = MAX_CACHED_STATEMENT
