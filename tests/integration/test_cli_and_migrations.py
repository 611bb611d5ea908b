"""`flask create-user`, `flask seed-demo`, and the migrations on a fresh database."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import create_engine, inspect

from tests.conftest import ROOT, TEST_DATABASE_URL, create_pg_database, drop_pg_database
from webapp.extensions import db
from webapp.models import User


def test_create_user_command(app):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["create-user", "wangli", "--name", "王丽", "--department", "法规处",
                                 "--role", "drafter", "--role", "office"])
    assert result.exit_code == 0, result.output
    assert "初始密码（只显示这一次）" in result.output
    with app.app_context():
        u = db.session.execute(db.select(User).where(User.username == "wangli")).scalar_one()
        assert u.department.name == "法规处" and {r.value for r in u.roles} == {"drafter", "office"}
    again = runner.invoke(args=["create-user", "wangli", "--name", "重复", "--role", "drafter"])
    assert again.exit_code == 1 and "已存在" in again.output


def test_seed_demo_refuses_a_second_run(app):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["seed-demo"])
    assert first.exit_code == 0 and "drafter" in first.output and "只显示这一次" in first.output
    assert runner.invoke(args=["seed-demo"]).exit_code == 1
    skipped = runner.invoke(args=["seed-demo", "--if-empty"])
    assert skipped.exit_code == 0 and "跳过" in skipped.output


def test_single_migration_head():
    versions = list((ROOT / "migrations" / "versions").glob("*.py"))
    revisions, downs = set(), set()
    for path in versions:
        ns: dict = {}
        src = path.read_text()
        for line in src.splitlines():
            if line.startswith(("revision =", "down_revision =")):
                exec(line, ns)
        revisions.add(ns["revision"])
        downs.add(ns["down_revision"])
    assert len(revisions - downs) == 1


def _flask(url: str, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "DATABASE_URL": url, "FLASK_APP": "wsgi.py"}
    return subprocess.run([sys.executable, "-m", "flask", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)


def _upgrade_and_compare(url: str) -> None:
    up = _flask(url, "db", "upgrade")
    assert up.returncode == 0, up.stderr
    check = _flask(url, "db", "check")  # models and migrations agree: nothing to autogenerate
    assert check.returncode == 0, check.stdout + check.stderr
    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://"))
    assert {"documents", "audit_events", "audit_head", "users", "departments"} <= set(inspect(engine).get_table_names())
    engine.dispose()
    down = _flask(url, "db", "downgrade", "base")
    assert down.returncode == 0, down.stderr


def test_migrations_build_the_schema_on_sqlite(tmp_path: Path):
    _upgrade_and_compare(f"sqlite:///{tmp_path / 'fresh.db'}")


def test_migrations_build_the_schema_on_postgresql():
    if not TEST_DATABASE_URL:
        pytest.skip("PostgreSQL not configured: set TEST_DATABASE_URL")
    url = create_pg_database()
    try:
        _upgrade_and_compare(url)
    finally:
        drop_pg_database(url)


def test_production_refuses_the_default_secret():
    from webapp import create_app

    env_backup = dict(os.environ)
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app({"APP_ENV": "production", "SECRET_KEY": "dev-only-secret-change-me",
                    "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    assert dict(os.environ) == env_backup
