"""Migration 0007_upload: names stored before uploads were cleaned become safe display names."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import MetaData, create_engine, text

from tests.conftest import TEST_DATABASE_URL, create_pg_database, drop_pg_database
from tests.integration.test_cli_and_migrations import _flask

RAW = {"../../x.docx": "x.docx", "invoice\u202etxt.exe": "invoicetxt.exe", "长" * 180 + ".pdf": "长" * 96 + ".pdf",
       "正常的名字.xlsx": "正常的名字.xlsx"}


def _insert(conn, table, **values) -> None:
    """A row with *values*; every other NOT NULL column without a default gets a plain value."""
    for column in table.columns:
        if column.name in values or column.nullable or column.server_default is not None:
            continue
        python = column.type.python_type
        values[column.name] = {int: 1, str: "x", bool: False, bytes: b"x", float: 0.0}.get(
            python, datetime(2026, 1, 1, tzinfo=UTC) if python is datetime else date(2026, 1, 1))
    conn.execute(table.insert().values(**values))


def _run(url: str) -> None:
    assert _flask(url, "db", "upgrade", "0004").returncode == 0
    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://"))
    meta = MetaData()
    meta.reflect(engine, only=["departments", "users", "documents", "stored_files"])
    t = meta.tables
    with engine.begin() as conn:
        _insert(conn, t["departments"], id=1, name="处")
        _insert(conn, t["users"], id=1, username="u", department_id=1)
        _insert(conn, t["documents"], id=1, department_id=1, drafter_id=1)
        for i, name in enumerate(RAW, start=1):
            _insert(conn, t["stored_files"], id=i, document_id=1, filename=name, created_by_id=None, source_id=None)
    up = _flask(url, "db", "upgrade")
    assert up.returncode == 0, up.stderr
    with engine.connect() as conn:
        names = [r[0] for r in conn.execute(text("SELECT filename FROM stored_files ORDER BY id"))]
    engine.dispose()
    assert names == list(RAW.values())


def test_stored_names_are_made_safe_on_sqlite(tmp_path: Path):
    _run(f"sqlite:///{tmp_path / 'old.db'}")


def test_stored_names_are_made_safe_on_postgresql():
    if not TEST_DATABASE_URL:
        pytest.skip("PostgreSQL not configured: set TEST_DATABASE_URL")
    url = create_pg_database()
    try:
        _run(url)
    finally:
        drop_pg_database(url)
