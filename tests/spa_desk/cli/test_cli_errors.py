"""Bad input at the command line: a clear message in words, a non-zero exit, never a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text

from db.engine import sqlite_url
from spa_desk.database import connect
from tests.cli_process import run_spa_desk

UNREACHABLE = "postgresql+psycopg://postgres@127.0.0.1:9/spa"


def _assert_clean_failure(result: object, *phrases: str) -> None:
    import subprocess

    assert isinstance(result, subprocess.CompletedProcess)
    assert result.returncode != 0, result.stdout
    assert "Traceback" not in result.stderr, result.stderr
    for phrase in phrases:
        assert phrase in result.stderr, result.stderr


@pytest.fixture
def corrupt_sqlite(tmp_path: Path) -> str:
    path = tmp_path / "corrupt.sqlite3"
    path.write_bytes(b"this is not a database at all, just some words " * 200)
    return sqlite_url(path)


@pytest.fixture
def newer_database(sqlite_database_url: str) -> str:
    database = connect(sqlite_database_url)
    with database.engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '9999_from_the_future'"))
    database.close()
    return sqlite_database_url


@pytest.mark.parametrize(
    "command",
    [
        ["db", "upgrade"],
        ["export", "contacts", "--from", "2026-01-01", "--to", "2026-01-02", "--csv", "-"],
        ["--screenshot", "shot.png"],
    ],
    ids=["db-upgrade", "export", "desk-screenshot"],
)
@pytest.mark.parametrize("problem", ["unreachable", "corrupt", "newer"])
def test_bad_databases_give_a_message_in_words(
    problem: str,
    command: list[str],
    tmp_path: Path,
    isolated_home: Path,
    request: pytest.FixtureRequest,
) -> None:
    url: str = (
        UNREACHABLE
        if problem == "unreachable"
        else request.getfixturevalue("corrupt_sqlite" if problem == "corrupt" else "newer_database")
    )
    expected = {
        "unreachable": ("Cannot connect to the database server", "127.0.0.1:9"),
        "corrupt": ("damaged or is not an SPA Desk database",),
        "newer": ("newer version of SPA Desk", "9999_from_the_future"),
    }[problem]
    result = run_spa_desk("--database", url, *command, home=isolated_home)
    _assert_clean_failure(result, *expected)


def test_wrong_password_gives_a_message_and_exit_1(
    sqlite_database_url: str, isolated_home: Path, tmp_path: Path
) -> None:
    from spa_desk.database import open_database
    from tests.factories import add_user

    database = open_database(sqlite_database_url)
    add_user(database, "jo", "right password")
    database.close()
    shot = tmp_path / "shot.png"
    args = ("--database", sqlite_database_url, "--screenshot", str(shot), "--user", "jo")
    result = run_spa_desk(*args, stdin="wrong password\n", home=isolated_home)
    _assert_clean_failure(result, "Wrong user name or password")
    assert result.returncode == 1
    assert not shot.exists()
    good = run_spa_desk(*args, stdin="right password\n", home=isolated_home)
    assert good.returncode == 0, good.stderr
    assert shot.stat().st_size > 0


def test_bad_arguments_exit_2_with_the_field_named(isolated_home: Path) -> None:
    result = run_spa_desk("demo-data", "--months", "zero", home=isolated_home)
    assert result.returncode == 2
    assert "--months" in result.stderr and "not a whole number" in result.stderr
    result = run_spa_desk(
        "export",
        "contacts",
        "--from",
        "2026-13-01",
        "--to",
        "2026-01-01",
        "--csv",
        "-",
        home=isolated_home,
    )
    assert result.returncode == 2
    assert "--from" in result.stderr and "not a date" in result.stderr


def test_reversed_export_dates_are_refused(sqlite_database_url: str, isolated_home: Path) -> None:
    result = run_spa_desk(
        "--database",
        sqlite_database_url,
        "export",
        "contacts",
        "--from",
        "2026-02-01",
        "--to",
        "2026-01-01",
        "--csv",
        "-",
        home=isolated_home,
    )
    _assert_clean_failure(result, "is before --from")
