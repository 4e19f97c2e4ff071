"""Shared fixtures: every test gets its own config and data folders and a fresh database.

Database tests run on SQLite and on PostgreSQL. The PostgreSQL server comes from
``SPA_DESK_TEST_POSTGRES_URL`` (``scripts/with-postgres.sh`` starts one); without it the PostgreSQL
variants are skipped, unless ``SPA_DESK_REQUIRE_POSTGRES=1`` (as in CI), when they fail.
"""

from __future__ import annotations

import faulthandler
import os
import shutil
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_API", "pyside6")
os.environ.setdefault("QT_LOGGING_RULES", "qt.multimedia.*=false")

from db.engine import sqlite_url
from db.migrate import upgrade
from spa_desk.database import Database, connect, open_database

POSTGRES_ENV = "SPA_DESK_TEST_POSTGRES_URL"
HUNG_AFTER_SECONDS = 300
"""A test still running after this long is hung where pytest-timeout's signal (120 s) cannot
reach it: in Qt's C++, say, waiting for a lock. The whole run stops there, printing every
thread's stack, rather than waiting out CI's 90 minutes and printing nothing."""
REQUIRE_POSTGRES_ENV = "SPA_DESK_REQUIRE_POSTGRES"
BACKENDS = ("sqlite", "postgresql")


def _real_stderr(config: pytest.Config) -> IO[Any]:
    """The terminal's stderr, not the file pytest captures a test's output to."""
    capturing = getattr(config.pluginmanager.getplugin("capturemanager"), "_global_capturing", None)
    saved = getattr(getattr(capturing, "err", None), "targetfd_save", None)
    if isinstance(saved, int):
        return os.fdopen(os.dup(saved), "w", closefd=True)
    return sys.__stderr__ or sys.stderr


@pytest.hookimpl(wrapper=True)
def pytest_runtest_protocol(item: pytest.Item, nextitem: pytest.Item | None) -> Iterator[None]:
    """Watch each test from a thread of faulthandler's own, which needs neither the GIL nor
    the main thread: after ``HUNG_AFTER_SECONDS`` it prints every stack and ends the run."""
    stash = item.config.stash
    if _WATCHDOG_OUT not in stash:
        stash[_WATCHDOG_OUT] = _real_stderr(item.config)
    faulthandler.dump_traceback_later(HUNG_AFTER_SECONDS, exit=True, file=stash[_WATCHDOG_OUT])
    try:
        return (yield)
    finally:
        faulthandler.cancel_dump_traceback_later()


_WATCHDOG_OUT = pytest.StashKey[IO[Any]]()


@pytest.fixture(autouse=True)
def isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point HOME and the XDG folders into tmp_path so nothing touches the real home."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / ".local" / "share"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / ".cache"))
    monkeypatch.delenv("SPA_DESK_DATABASE_URL", raising=False)
    return home


def postgres_admin_url() -> str | None:
    """The URL of the test PostgreSQL server's maintenance database, or None when there is none."""
    return os.environ.get(POSTGRES_ENV) or None


class TemplateDatabases:
    """Migrated template databases, made once per run and copied for each test."""

    def __init__(self, workdir: Path) -> None:
        self.workdir = workdir
        self._sqlite: Path | None = None
        self._postgres: str | None = None

    def sqlite_copy(self, target: Path) -> str:
        if self._sqlite is None:
            self._sqlite = self.workdir / "template.sqlite3"
            database = connect(sqlite_url(self._sqlite))
            upgrade(database.engine)
            database.close()
        shutil.copyfile(self._sqlite, target)
        return sqlite_url(target)

    def postgres_copy(self, admin_url: str) -> str:
        admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
        try:
            with admin.connect() as connection:
                if self._postgres is None:
                    self._postgres = f"spa_template_{uuid.uuid4().hex[:8]}"
                    connection.execute(text(f'CREATE DATABASE "{self._postgres}"'))
                    template_url = make_url(admin_url).set(database=self._postgres)
                    database = connect(template_url.render_as_string(hide_password=False))
                    upgrade(database.engine)
                    database.close()
                name = f"spa_test_{uuid.uuid4().hex[:12]}"
                connection.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{self._postgres}"'))
        finally:
            admin.dispose()
        return make_url(admin_url).set(database=name).render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def template_databases(tmp_path_factory: pytest.TempPathFactory) -> TemplateDatabases:
    return TemplateDatabases(tmp_path_factory.mktemp("templates"))


def drop_postgres_database(admin_url: str, url: str) -> None:
    name = make_url(url).database
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        admin.dispose()


@pytest.fixture(params=BACKENDS)
def database_url(
    request: pytest.FixtureRequest, tmp_path: Path, template_databases: TemplateDatabases
) -> Iterator[str]:
    """The URL of a fresh, migrated, empty database on each backend."""
    backend: str = request.param
    if backend == "sqlite":
        yield template_databases.sqlite_copy(tmp_path / "desk.sqlite3")
        return
    admin_url = postgres_admin_url()
    if admin_url is None:
        if os.environ.get(REQUIRE_POSTGRES_ENV) == "1":
            pytest.fail(f"{POSTGRES_ENV} is not set but PostgreSQL tests are required")
        pytest.skip(f"no PostgreSQL server: set {POSTGRES_ENV} (scripts/with-postgres.sh does)")
    url = template_databases.postgres_copy(admin_url)
    yield url
    drop_postgres_database(admin_url, url)


@pytest.fixture
def database(database_url: str) -> Iterator[Database]:
    """An open, empty database at the newest schema, on each backend."""
    opened = open_database(database_url)
    yield opened
    opened.close()


@pytest.fixture
def sqlite_database_url(tmp_path: Path, template_databases: TemplateDatabases) -> str:
    """A fresh SQLite database only, for tests about the embedded file itself."""
    return template_databases.sqlite_copy(tmp_path / "desk.sqlite3")
