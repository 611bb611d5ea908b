"""Views that only read: `@reads_only`.

psycopg opens a transaction with its own round trip (BEGIN) before a request's first statement, and
the session's close sends another (ROLLBACK): two of the six round trips of a page that reads four
times.  A view that never writes gains nothing from them — under READ COMMITTED every statement
takes its own snapshot anyway — so on PostgreSQL its request runs on a connection in autocommit
(SQLAlchemy's `isolation_level="AUTOCOMMIT"`, set before the request's first statement and put back
by the pool when the connection is returned, so the next request that checks it out is
transactional again).  SQLite keeps its usual mode (no round trips there).

Such a view must not write: on every database, a statement run for it that is not a plain SELECT
(an INSERT, UPDATE, DELETE, a SELECT … FOR UPDATE, any DDL) raises `WriteInReadOnlyView` before it
reaches the database — in autocommit it would otherwise be committed at once, whatever happened
after.  Only GET and HEAD requests of a marked view run this way.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from flask import Flask, current_app, g, request
from sqlalchemy import event
from sqlalchemy.engine import Engine

from .extensions import db

OPTION = "gkt_reads_only"
_READ = re.compile(r"\s*\(*\s*SELECT\b", re.IGNORECASE)
_LOCKS = re.compile(r"\bFOR\s+(UPDATE|SHARE|NO\s+KEY\s+UPDATE|KEY\s+SHARE)\b", re.IGNORECASE)


class WriteInReadOnlyView(RuntimeError):
    """A view marked @reads_only tried to write (a programming error, never a user's)."""


def reads_only(view: Callable) -> Callable:
    """Mark a view that never writes (see the module).  The mark survives decorators built with
    functools.wraps, so it may stand above or below the access rule."""
    view.reads_only = True  # type: ignore[attr-defined]
    return view


def is_reads_only_request() -> bool:
    return bool(g.get("reads_only"))


def _begin() -> None:
    if request.method not in ("GET", "HEAD") or request.endpoint is None:
        return
    view = current_app.view_functions.get(request.endpoint)
    if not getattr(view, "reads_only", False):
        return
    options: dict[str, object] = {OPTION: True}
    if db.engine.dialect.name == "postgresql":
        options["isolation_level"] = "AUTOCOMMIT"
    db.session.connection(execution_options=options)  # before any statement of this request
    g.reads_only = True


def _guard(conn, cursor, statement, parameters, context, executemany) -> None:  # noqa: ARG001
    if not conn.get_execution_options().get(OPTION):
        return
    if executemany or not _READ.match(statement) or _LOCKS.search(statement):
        raise WriteInReadOnlyView(f"a view marked @reads_only tried to write: {statement[:120]!r}")


def install(app: Flask) -> None:
    """Call before the blueprints are registered: this runs before their hooks load the user."""
    app.before_request(_begin)
    if not event.contains(Engine, "before_cursor_execute", _guard):
        event.listen(Engine, "before_cursor_execute", _guard)
