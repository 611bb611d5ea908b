"""The signing key: never a value anyone can read in the repository.  Without SECRET_KEY
the app generates one at its first start and keeps it in the instance folder (0600);
several workers starting together agree on it; production still needs its own."""

from __future__ import annotations

import multiprocessing
import stat
from pathlib import Path

import pytest
from flask import Flask
from flask_login.utils import _create_identifier

from tests.conftest import TEST_CONFIG, People
from webapp import create_app
from webapp import secret_key as secret_key_module
from webapp.extensions import db
from webapp.workflow import Role

PUBLISHED = "dev-only-secret-change-me"


def app_without_key(instance: Path, database_url: str = "sqlite://", **extra) -> Flask:
    return create_app({**TEST_CONFIG, "SECRET_KEY": None, "INSTANCE_PATH": str(instance),
                       "SQLALCHEMY_DATABASE_URI": database_url, **extra})


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_without_a_key_one_is_generated_once_and_kept(tmp_path):
    first = app_without_key(tmp_path)
    key_file = tmp_path / secret_key_module.KEY_FILE_NAME
    assert key_file.read_text().strip() == first.secret_key
    assert mode(key_file) == 0o600
    assert len(first.secret_key) >= 64 and first.secret_key != PUBLISHED
    assert app_without_key(tmp_path).secret_key == first.secret_key  # a restart keeps sessions valid
    assert app_without_key(tmp_path / "elsewhere").secret_key != first.secret_key  # random, not derived
    assert [p.name for p in tmp_path.iterdir() if p.is_file()] == [secret_key_module.KEY_FILE_NAME]


def forged_session(app: Flask, signing_key: str, user_id: str) -> str:
    """A session cookie for `user_id`, signed with `signing_key`, as an attacker would make it."""
    forger = Flask("forger")
    forger.config.update(SECRET_KEY=signing_key, SESSION_COOKIE_NAME=app.config["SESSION_COOKIE_NAME"])
    with app.test_request_context("/", environ_base={"REMOTE_ADDR": "127.0.0.1"},
                                  headers={"User-Agent": "Werkzeug/test"}):
        identifier = _create_identifier()
    serializer = forger.session_interface.get_signing_serializer(forger)
    return serializer.dumps({"_user_id": user_id, "_fresh": True, "_id": identifier})


def test_a_session_cookie_signed_with_the_public_key_opens_nothing(tmp_path, database_url):
    from tests.conftest import make_app

    app = make_app(database_url, SECRET_KEY=None, INSTANCE_PATH=str(tmp_path))
    uid = People(app).user("root", Role.ADMIN, department="办公室")

    def open_admin(cookie: str) -> int:
        c = app.test_client()
        c.environ_base.update(REMOTE_ADDR="127.0.0.1", HTTP_USER_AGENT="Werkzeug/test")
        c.set_cookie(app.config["SESSION_COOKIE_NAME"], cookie)
        return c.get("/admin/users").status_code

    assert open_admin(forged_session(app, app.secret_key, f"{uid}:0")) == 200  # the forgery itself is sound
    assert open_admin(forged_session(app, PUBLISHED, f"{uid}:0")) == 302  # but the public key signs nothing
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def test_the_published_key_is_refused_in_every_mode(tmp_path):
    for env in ("development", "production"):
        with pytest.raises(RuntimeError, match="SECRET_KEY"):
            create_app({"APP_ENV": env, "SECRET_KEY": PUBLISHED, "INSTANCE_PATH": str(tmp_path),
                        "SQLALCHEMY_DATABASE_URI": "sqlite://"})


def test_production_needs_its_own_long_key(tmp_path):
    for key in (None, "short-key"):
        with pytest.raises(RuntimeError, match="SECRET_KEY"):
            create_app({"APP_ENV": "production", "SECRET_KEY": key, "INSTANCE_PATH": str(tmp_path),
                        "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    assert not (tmp_path / secret_key_module.KEY_FILE_NAME).exists()  # nothing generated in production
    app = create_app({"APP_ENV": "production", "SECRET_KEY": "k" * 40, "INSTANCE_PATH": str(tmp_path),
                      "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    assert app.secret_key == "k" * 40


def _worker(folder: str, barrier, results) -> None:
    barrier.wait()
    results.put(secret_key_module.load_or_create(folder))


def test_workers_starting_together_end_with_one_key(tmp_path):
    ctx = multiprocessing.get_context("fork")
    for attempt in range(3):  # three cold starts, eight workers each
        folder = tmp_path / f"start{attempt}"
        barrier, results = ctx.Barrier(8), ctx.Queue()
        workers = [ctx.Process(target=_worker, args=(str(folder), barrier, results)) for _ in range(8)]
        for w in workers:
            w.start()
        keys = [results.get(timeout=60) for _ in workers]
        for w in workers:
            w.join(60)
            assert w.exitcode == 0
        key_file = folder / secret_key_module.KEY_FILE_NAME
        assert set(keys) == {key_file.read_text().strip()}
        assert mode(key_file) == 0o600
        assert [p.name for p in folder.iterdir()] == [secret_key_module.KEY_FILE_NAME]  # no temporary left


def test_an_unusable_key_file_stops_the_start_with_a_chinese_message(tmp_path):
    key_file = tmp_path / secret_key_module.KEY_FILE_NAME
    for content in ("", "short", PUBLISHED):
        key_file.write_text(content)
        with pytest.raises(secret_key_module.SecretKeyError, match="删除该文件后重新启动"):
            app_without_key(tmp_path)


def test_a_key_file_readable_by_others_is_restricted_to_the_service(tmp_path):
    key_file = tmp_path / secret_key_module.KEY_FILE_NAME
    key_file.write_text("a" * 64 + "\n")
    key_file.chmod(0o644)
    assert app_without_key(tmp_path).secret_key == "a" * 64
    assert mode(key_file) == 0o600
