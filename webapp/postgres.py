"""PostgreSQL, the production database: what the driver is told once per process, and what each
connection is told when it opens."""

from __future__ import annotations

from flask import Flask
from sqlalchemy.engine import make_url

# PostgreSQL plans a prepared statement (psycopg prepares one after its 5th run on a connection)
# afresh for each run while it *estimates* that a plan for the values at hand beats one plan for
# all values ("custom" plans, plan_cache_mode=auto).  The pages' statements — a queue's rows with
# the navigation's dozen capped counts riding on them — are such: planning them took 0.7–1.0 ms of
# each request at 10,000–100,000 applications, running the one generic plan 0.2–0.3 ms (measured,
# docs/benchmarks.md §10).  Our statements are keyed lookups, keyset pages and capped counts whose
# best plan does not depend on the values; the annual report and the document search were measured
# with both settings and were no slower.  DB_PLAN_CACHE_MODE=auto restores PostgreSQL's default
# (e.g. behind a pooler that refuses startup options).
DEFAULT_PLAN_CACHE_MODE = "force_generic_plan"
PLAN_CACHE_MODES = ("auto", "force_generic_plan", "force_custom_plan")


def configure_connections(app: Flask) -> None:
    """Before the engine exists: every new connection starts with the plan cache mode set
    (a startup option: no statement, no round trip).  Left alone when the database URL already
    carries its own `options`."""
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    if not url.startswith("postgresql"):
        return
    mode = app.config.get("DB_PLAN_CACHE_MODE") or DEFAULT_PLAN_CACHE_MODE
    if mode not in PLAN_CACHE_MODES:
        raise RuntimeError(f"DB_PLAN_CACHE_MODE 应为 {'、'.join(PLAN_CACHE_MODES)} 之一，而不是 {mode!r}。")
    if mode == "auto" or "options" in make_url(url).query:
        return
    options = dict(app.config.get("SQLALCHEMY_ENGINE_OPTIONS") or {})
    connect_args = dict(options.get("connect_args") or {})
    if "options" in connect_args:
        return
    connect_args["options"] = f"-c plan_cache_mode={mode}"
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = {**options, "connect_args": connect_args}

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
