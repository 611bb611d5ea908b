"""Fixtures shared by the whole suite.

The same tests run on SQLite and, when TEST_DATABASE_URL is set, on PostgreSQL:
the `database_url` fixture is parametrised over the available backends.  Each
PostgreSQL run creates its own database and drops it afterwards.  Under CI=true
a missing PostgreSQL or Chromium fails the run instead of skipping.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from webapp import create_app
from webapp.extensions import db
from webapp.models import Department, User
from webapp.services import accounts, audit
from webapp.workflow import Role

PASSWORD = "Passw0rd-test"
IN_CI = os.environ.get("CI", "").lower() == "true"
TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL", "")
ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = Path(os.environ.get("TEST_ARTIFACTS_DIR", ROOT / "test-results"))


# CI runs the property tests on a fixed seed, so a submission's result does not depend on
# luck; run them locally (without CI=true) to explore new examples.
from hypothesis import settings as _hypothesis_settings  # noqa: E402

_hypothesis_settings.register_profile("ci", derandomize=True, database=None)
if IN_CI:
    _hypothesis_settings.load_profile("ci")


def pytest_report_header(config):
    lines = [f"databases: sqlite{' + postgresql (' + make_url(TEST_DATABASE_URL).render_as_string(hide_password=True) + ')' if TEST_DATABASE_URL else ' only — PostgreSQL tests SKIPPED (set TEST_DATABASE_URL)'}"]
    return lines


def pytest_sessionstart(session):
    if IN_CI and not TEST_DATABASE_URL:
        raise pytest.UsageError("CI=true but TEST_DATABASE_URL is not set: PostgreSQL tests must run in CI.")


# --------------------------------------------------------------------------- databases

def _pg_admin_url() -> str:
    from webapp.config import normalise_database_url

    return normalise_database_url(TEST_DATABASE_URL)


def create_pg_database() -> str:
    """A fresh, empty PostgreSQL database for this run; returns its URL."""
    admin = create_engine(_pg_admin_url(), isolation_level="AUTOCOMMIT")
    name = f"gkt_test_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return make_url(_pg_admin_url()).set(database=name).render_as_string(hide_password=False)


def drop_pg_database(url: str) -> None:
    name = make_url(url).database
    admin = create_engine(_pg_admin_url(), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :n AND pid <> pg_backend_pid()"
        ), {"n": name})
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
    admin.dispose()


BACKENDS = ["sqlite", "postgresql"] if TEST_DATABASE_URL else ["sqlite"]


@pytest.fixture(scope="session", params=BACKENDS)
def database_url(request, tmp_path_factory) -> Iterator[str]:
    if request.param == "sqlite":
        path = tmp_path_factory.mktemp("db") / "test.db"
        yield f"sqlite:///{path}"
        return
    url = create_pg_database()
    try:
        yield url
    finally:
        drop_pg_database(url)


@pytest.fixture(scope="session")
def pg_database_url() -> Iterator[str]:
    """PostgreSQL only (concurrency proofs): skipped with a reason when not configured."""
    if not TEST_DATABASE_URL:
        pytest.skip("PostgreSQL not configured: set TEST_DATABASE_URL to run the concurrency tests")
    url = create_pg_database()
    try:
        yield url
    finally:
        drop_pg_database(url)


TEST_CONFIG = {
    "TESTING": True,
    "SECRET_KEY": "test-secret",
    "ARGON2_TIME_COST": 1,
    "ARGON2_MEMORY_COST": 1024,
    "ARGON2_PARALLELISM": 1,
    "WTF_CSRF_ENABLED": True,
}

_schemas_made: set[str] = set()


def make_app(url: str, **extra):
    app = create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": url, **extra})
    with app.app_context():
        if url not in _schemas_made:
            db.drop_all()
            db.create_all()
            _schemas_made.add(url)
        wipe_database()
    return app


def wipe_database() -> None:
    """Empty every table (schema kept) and restart the audit chain."""
    tables = list(reversed(db.metadata.sorted_tables))
    if db.engine.dialect.name == "postgresql":
        names = ", ".join(t.name for t in tables)
        db.session.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    else:
        # The dashboard's rollup last: deleting the rows it counts adds its -1 rows.
        for t in sorted(tables, key=lambda t: t.name == "dashboard_rollup"):
            db.session.execute(t.delete())
    db.session.commit()
    audit.ensure_head()
    db.session.commit()


def app_on(url: str):
    """An app on the database at `url`, its session and pool closed afterwards (a fixture's body)."""
    app = make_app(url)
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def app(database_url):
    yield from app_on(database_url)


@pytest.fixture
def client(app):
    return app.test_client()


# --------------------------------------------------------------------------- people

class People:
    """Creates departments and users; logs test clients in."""

    def __init__(self, app):
        self.app = app

    def department(self, name: str) -> int:
        with self.app.app_context():
            dept = db.session.execute(db.select(Department).where(Department.name == name)).scalar_one_or_none()
            return dept.id if dept else accounts.save_department(name, None).id

    def user(self, username: str, *roles: Role, department: str = "应急救援处", name: str | None = None) -> int:
        dept_id = self.department(department)
        with self.app.app_context():
            user, _ = accounts.create_user(username, name or username, PASSWORD, dept_id, set(roles))
            return user.id

    def client(self, username: str):
        c = self.app.test_client()
        login(c, username)
        return c

    def get(self, user_id: int) -> User:
        return db.session.get(User, user_id)


def csrf_token(client, path: str = "/login") -> str:
    """Fetch a page and read its CSRF token from the <meta> tag."""
    import re

    html = client.get(path).get_data(as_text=True)
    m = re.search(r'name="csrf-token" content="([^"]+)"', html)
    assert m, f"no csrf token on {path}"
    return m.group(1)


def login(client, username: str, password: str = PASSWORD):
    token = csrf_token(client, "/login")
    resp = client.post("/login", data={"username": username, "password": password, "csrf_token": token})
    assert resp.status_code == 302, resp.get_data(as_text=True)[:500]
    client.csrf = csrf_token(client, "/")
    return resp


def post(client, path: str, data: dict | None = None, htmx: bool = False, **kw):
    """POST with the session's CSRF token, as the page would."""
    data = dict(data or {})
    data.setdefault("csrf_token", getattr(client, "csrf", None) or csrf_token(client, "/"))
    headers = kw.pop("headers", {})
    if htmx:
        headers = {**headers, "HX-Request": "true"}
    return client.post(path, data=data, headers=headers, **kw)


@pytest.fixture
def people(app) -> People:
    return People(app)


@pytest.fixture
def chain_cast(people):
    """A drafting department and one user per reviewing role, plus a second drafter elsewhere."""
    ids = {
        "drafter": people.user("drafter", Role.DRAFTER, name="张丽"),
        "colleague": people.user("colleague", Role.DRAFTER, name="李娜"),
        "other_drafter": people.user("other_drafter", Role.DRAFTER, department="风险监测处", name="王强"),
        "secrecy": people.user("secrecy", Role.SECRECY, department="保密办", name="刘敏"),
        "office": people.user("office", Role.OFFICE, department="办公室", name="陈静"),
        "leader": people.user("leader", Role.LEADER, department="办公室", name="赵阳"),
        "publisher": people.user("publisher", Role.PUBLISHER, department="办公室", name="孙悦"),
        "archivist": people.user("archivist", Role.ARCHIVIST, department="办公室", name="周杰"),
        "admin": people.user("admin", Role.ADMIN, department="办公室", name="管理员"),
    }
    return ids


# --------------------------------------------------------------------------- browser

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """pytest-playwright's browser, but Debian's Chromium (never a downloaded one)."""
    if not os.path.exists(CHROMIUM):
        if IN_CI:
            pytest.fail(f"CI=true but Chromium is missing at {CHROMIUM}")
        pytest.skip(f"Chromium not found at {CHROMIUM}: browser tests skipped (apt-get install chromium)")
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run"],
    }


@pytest.fixture
def live_server(app):
    """The app served over real HTTP on a free port, in a thread."""
    import threading

    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(5)
