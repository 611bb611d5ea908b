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


def migration_heads(versions: Path) -> tuple[list[str], int]:
    """(heads, revisions reachable from them) as Alembic reads the migrations folder."""
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    cfg = Config()
    cfg.set_main_option("script_location", str(versions.parent))
    script = ScriptDirectory.from_config(cfg)
    return list(script.get_heads()), len(list(script.walk_revisions()))


def test_single_migration_head():
    """Two branches each adding a migration on the same parent leave two heads: `flask db
    upgrade` then refuses to run.  One head, and every file on its line."""
    versions = ROOT / "migrations" / "versions"
    heads, reachable = migration_heads(versions)
    assert len(heads) == 1, f"several migration heads {heads}: re-parent one on the other"
    assert reachable == len(list(versions.glob("*.py")))


def test_the_head_check_sees_a_second_head(tmp_path: Path):
    import shutil

    copy = tmp_path / "migrations"
    shutil.copytree(ROOT / "migrations", copy, ignore=shutil.ignore_patterns("__pycache__"))
    first = sorted((copy / "versions").glob("0001_*.py"))[0]
    revision = next(line.split("=", 1)[1].strip() for line in first.read_text().splitlines()
                    if line.startswith("revision ="))
    (copy / "versions" / "9999_parallel.py").write_text(
        f'revision = "9999_parallel"\ndown_revision = {revision}\n'
        "def upgrade():\n    pass\n\ndef downgrade():\n    pass\n", encoding="utf-8")
    heads, _ = migration_heads(copy / "versions")
    assert len(heads) == 2


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


def _start_with(env_vars: dict) -> subprocess.CompletedProcess:
    """Start the app in a fresh process whose settings come from these environment variables
    only (Config reads the environment when it is imported, as gunicorn would)."""
    env = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "APP_ENV", "DATABASE_URL")}
    env.update({"DATABASE_URL": "sqlite://", **env_vars})
    code = "from webapp import create_app; create_app(); print('started')"
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=120)


def test_production_refuses_a_published_or_missing_secret():
    from webapp.secret_key import PUBLISHED_KEYS

    for published in sorted(PUBLISHED_KEYS):
        refused = _start_with({"APP_ENV": "production", "SECRET_KEY": published})
        assert refused.returncode != 0 and "SECRET_KEY" in refused.stderr and "started" not in refused.stdout
    missing = _start_with({"APP_ENV": "production"})
    assert missing.returncode != 0 and "SECRET_KEY" in missing.stderr and "started" not in missing.stdout
    started = _start_with({"APP_ENV": "production", "SECRET_KEY": "a-real-secret-" + "x" * 40})
    assert started.returncode == 0 and "started" in started.stdout, started.stderr
