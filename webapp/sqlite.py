"""SQLite, the embedded default: foreign keys on, WAL, and a busy timeout."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import event
from sqlalchemy.engine import Engine


def _pragmas(dbapi_connection, connection_record) -> None:  # noqa: ARG001
    if type(dbapi_connection).__module__.startswith("sqlite3"):
        cur = dbapi_connection.cursor()
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA busy_timeout=10000")
        cur.execute("PRAGMA journal_mode=WAL")
        cur.close()


def enable_sqlite_pragmas(app: Flask) -> None:
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite") and not event.contains(
        Engine, "connect", _pragmas
    ):
        event.listen(Engine, "connect", _pragmas)
