"""The portal is a separate application: it never imports the intranet (`webapp`) and never
reads the intranet's database; `gkt_protocol` is pure (no Flask, no SQLAlchemy) and imports
neither side."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def imported_modules(package: Path) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for path in package.rglob("*.py") if package.is_dir() else [package]:
        tree = ast.parse(path.read_text(), str(path))
        names = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names |= {a.name.split(".")[0] for a in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names.add(node.module.split(".")[0])
        found[str(path.relative_to(ROOT))] = names
    return found


def test_the_portal_package_imports_nothing_from_webapp():
    modules = {**imported_modules(ROOT / "portal"), **imported_modules(ROOT / "portal_wsgi.py")}
    assert len(modules) > 10
    assert not {p: n for p, n in modules.items() if "webapp" in n}


def test_the_protocol_is_pure_and_belongs_to_neither_side():
    for path, names in imported_modules(ROOT / "gkt_protocol").items():
        assert not names & {"webapp", "portal", "flask", "sqlalchemy", "flask_sqlalchemy"}, (path, names)


def test_the_intranet_does_not_import_the_portal():
    offenders = {p: n for p, n in imported_modules(ROOT / "webapp").items() if "portal" in n}
    assert not offenders


def test_loading_the_portal_loads_no_intranet_module(tmp_path):
    """Run in a fresh interpreter: after creating the portal app, no `webapp` module is loaded."""
    code = ("import sys, portal_wsgi; "
            "bad = sorted(m for m in sys.modules if m == 'webapp' or m.startswith('webapp.')); "
            "print(','.join(bad))")
    env = {**os.environ, "PORTAL_DATABASE_URL": f"sqlite:///{tmp_path / 'p.db'}", "PYTHONPATH": str(ROOT)}
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == ""


def test_the_portal_reads_its_own_database_setting_not_the_intranets(tmp_path, monkeypatch):
    """DATABASE_URL is the intranet's; the portal only ever reads PORTAL_DATABASE_URL."""
    code = ("import portal_wsgi; print(portal_wsgi.app.config['SQLALCHEMY_DATABASE_URI'])")
    env = {**os.environ, "DATABASE_URL": "postgresql://intranet@db/gongkaitong", "PYTHONPATH": str(ROOT)}
    env.pop("PORTAL_DATABASE_URL", None)
    out = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env=env, capture_output=True, text=True,
                         timeout=60)
    assert out.returncode == 0, out.stderr
    assert "intranet" not in out.stdout and out.stdout.strip().endswith("instance/portal.db")


def test_production_refuses_the_default_or_a_short_push_secret():
    from portal import create_app
    from portal.config import DEFAULT_PUSH_SECRET

    for secret in (DEFAULT_PUSH_SECRET, "short-but-16bytes!"):
        with pytest.raises(RuntimeError, match="PORTAL_PUSH_SECRET"):
            create_app({"PORTAL_ENV": "production", "PORTAL_PUSH_SECRET": secret,
                        "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    app = create_app({"PORTAL_ENV": "production", "PORTAL_PUSH_SECRET": "x" * 40,
                      "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    assert app.config["PORTAL_ENV"] == "production"


def test_portal_pages_load_nothing_from_other_sites():
    """No CDN: the stylesheet and script are served by the portal itself."""
    import re

    for path in (ROOT / "portal" / "templates").rglob("*.html"):
        assert not re.search(r'(src|href)="(https?:)?//', path.read_text()), path
    css = (ROOT / "portal" / "static" / "portal.css").read_text()
    assert "@import" not in css and "url(" not in css
