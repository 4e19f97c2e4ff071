"""Migrations: any database made at an older revision is brought to the newest, data intact."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import text

from db.engine import sqlite_url
from db.migrate import HEAD_REVISION, SchemaState, current_revision, schema_state, upgrade
from spa_desk.database import connect, open_database
from tests.cli_process import run_spa_desk

FIRST_REVISION = "0001_initial"


def test_database_made_at_first_revision_upgrades_to_head(
    tmp_path: Path, isolated_home: Path
) -> None:
    url = sqlite_url(tmp_path / "old.sqlite3")
    database = connect(url)
    upgrade(database.engine, FIRST_REVISION)
    with database.engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO users (id, username, display_name, password_hash, active, "
                "failed_logins, created_at, password_changed_at) VALUES "
                "('0123456789abcdef0123456789abcdef', 'kept', 'Kept User', 'x', 1, 0, "
                "'2026-01-01 00:00:00', '2026-01-01 00:00:00')"
            )
        )
    database.close()

    result = run_spa_desk("--database", url, "db", "upgrade", home=isolated_home)
    assert result.returncode == 0, result.stderr
    assert HEAD_REVISION in result.stdout

    database = connect(url)
    assert schema_state(database.engine) is SchemaState.CURRENT
    with database.engine.connect() as connection:
        assert current_revision(connection) == HEAD_REVISION
        kept = connection.execute(text("SELECT display_name FROM users")).scalar_one()
    assert kept == "Kept User"
    database.close()


def test_open_database_creates_an_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "new.sqlite3"
    database = open_database(sqlite_url(path))
    assert schema_state(database.engine) is SchemaState.CURRENT
    database.close()
    assert path.exists()


def test_db_status_reports_revision(sqlite_database_url: str, isolated_home: Path) -> None:
    result = run_spa_desk("--database", sqlite_database_url, "db", "status", home=isolated_home)
    assert result.returncode == 0, result.stderr
    assert f"schema revision: {HEAD_REVISION} (current" in result.stdout
