"""The Alembic migrations build exactly the schema the SQLModel tables describe (a table or index
added to the models without a migration fails here), on SQLite and on PostgreSQL."""

import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from sqlmodel import SQLModel

import adapter_store.models  # noqa: F401  (registers the tables)
from core.settings import REPO_ROOT


def _upgrade_and_diff(url: str) -> list:
    cfg = Config(str(REPO_ROOT / "alembic.ini"))
    cfg.set_main_option("script_location", str(REPO_ROOT / "migrations"))
    cfg.attributes["url"] = url
    command.upgrade(cfg, "head")
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            return compare_metadata(MigrationContext.configure(conn), SQLModel.metadata)
    finally:
        engine.dispose()


def test_migrations_match_the_models_on_sqlite(tmp_path):
    assert _upgrade_and_diff(f"sqlite:///{tmp_path / 'm.db'}") == []


def test_migrations_match_the_models_on_postgres(pg_engine):
    # pg_engine created the tables with create_all; start from an empty schema instead.
    SQLModel.metadata.drop_all(pg_engine)
    with pg_engine.begin() as conn:
        conn.execute(sa.text("DROP TABLE IF EXISTS alembic_version"))
    try:
        assert _upgrade_and_diff(pg_engine.url.render_as_string(hide_password=False)) == []
    finally:
        with pg_engine.begin() as conn:
            conn.execute(sa.text("DROP TABLE IF EXISTS alembic_version"))
