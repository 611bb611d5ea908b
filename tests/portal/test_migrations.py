"""The portal's schema comes from its own hand-written migration, which matches its models."""

from __future__ import annotations

from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory

from portal.extensions import db

MIGRATIONS = Path(__file__).resolve().parents[2] / "portal" / "migrations"
SEARCH_TABLES = ("search_fts", "search_entries", "portal_alembic_version")


def test_one_migration_head():
    script = ScriptDirectory.from_config(_config())
    assert script.get_heads() == ["0009_portal_catalogue_version"]


def _config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def test_the_migrated_database_matches_the_models(portal_app):
    """Autogenerate finds nothing to add or drop (the search index is the migration's own)."""
    with portal_app.app_context(), db.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), db.metadata)
    relevant = [d for d in diff if not (isinstance(d, tuple) and d[0] in ("remove_table", "remove_index")
                                        and _table_name(d[1]).startswith(SEARCH_TABLES))]
    assert relevant == []


def _table_name(obj) -> str:
    return obj.name if obj.__class__.__name__ == "Table" else obj.table.name
