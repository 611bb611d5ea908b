"""What every PostgreSQL connection of the intranet is told when it opens (webapp/postgres.py):
one plan per prepared statement unless DB_PLAN_CACHE_MODE says otherwise; a URL that carries its
own options is left alone; a wrong value refuses to start.  PostgreSQL only (TEST_DATABASE_URL)."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from tests.conftest import TEST_CONFIG
from webapp import create_app
from webapp.extensions import db


def plan_cache_mode(url: str, **config) -> str:
    app = create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": url, **config})
    with app.app_context():
        try:
            return db.session.execute(text("SHOW plan_cache_mode")).scalar_one()
        finally:
            db.session.remove()
            db.engine.dispose()


def test_each_connection_plans_a_prepared_statement_once(pg_database_url):
    assert plan_cache_mode(pg_database_url) == "force_generic_plan"
    # a test's or a deployment's own engine options keep the setting
    assert plan_cache_mode(pg_database_url, SQLALCHEMY_ENGINE_OPTIONS={"pool_size": 1}) == "force_generic_plan"


def test_the_setting_can_give_postgresql_its_default_back(pg_database_url):
    assert plan_cache_mode(pg_database_url, DB_PLAN_CACHE_MODE="auto") == "auto"


def test_a_database_url_with_its_own_options_is_left_alone(pg_database_url):
    sep = "&" if "?" in pg_database_url else "?"
    assert plan_cache_mode(pg_database_url + sep + "options=-c%20statement_timeout%3D5000") == "auto"


def test_a_wrong_mode_refuses_to_start(pg_database_url):
    with pytest.raises(RuntimeError, match="DB_PLAN_CACHE_MODE"):
        create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": pg_database_url, "DB_PLAN_CACHE_MODE": "sometimes"})
