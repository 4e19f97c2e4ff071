"""Migrations: any database made at an older revision is brought to the newest, data intact."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text
from sqlalchemy.engine import make_url

from db.engine import sqlite_url
from db.migrate import (
    HEAD_REVISION,
    SchemaState,
    alembic_config,
    current_revision,
    schema_state,
    upgrade,
)
from db.models import name_key
from db.types import UTCDateTime
from spa_desk.access.login import authenticate
from spa_desk.database import Database, connect, open_database
from spa_desk.people.search import search_people
from tests.cli_process import run_spa_desk
from tests.conftest import (
    POSTGRES_ENV,
    REQUIRE_POSTGRES_ENV,
    drop_postgres_database,
    postgres_admin_url,
)
from tests.factories import add_user

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


# --- revision 0004: name keys for family and given names, on both databases --------------------

BEFORE_NAME_KEYS = "0003_given_name_search"
NAME_KEYS = "0004_name_keys"
AT = datetime(2026, 1, 1, tzinfo=UTC)

PEOPLE = sa.table(
    "people",
    sa.column("id", sa.Uuid()),
    sa.column("given_name", sa.String()),
    sa.column("family_name", sa.String()),
    sa.column("family_key", sa.String()),
    sa.column("given_key", sa.String()),
    sa.column("created_at", UTCDateTime()),
    sa.column("updated_at", UTCDateTime()),
    sa.column("version", sa.Integer()),
)
USERS = sa.table(
    "users",
    sa.column("id", sa.Uuid()),
    *(sa.column(name, sa.String()) for name in ("username", "display_name", "password_hash")),
    sa.column("active", sa.Boolean()),
    sa.column("failed_logins", sa.Integer()),
    sa.column("created_at", UTCDateTime()),
    sa.column("password_changed_at", UTCDateTime()),
)
CONTACTS = sa.table(
    "contacts",
    *(sa.column(name, sa.Uuid()) for name in ("id", "person_id", "handler_id")),
    *(sa.column(name, UTCDateTime()) for name in ("started_at", "created_at", "updated_at")),
    *(sa.column(name, sa.String()) for name in ("line", "call_kind", "caller_type", "status")),
    *(sa.column(name, sa.JSON()) for name in ("facts", "recommended_routes", "final_routes")),
    sa.column("overridden", sa.Boolean()),
    sa.column("version", sa.Integer()),
)


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """The URL of an empty database with no schema at all, on each backend."""
    if request.param == "sqlite":
        yield sqlite_url(tmp_path / "old.sqlite3")
        return
    admin_url = postgres_admin_url()
    if admin_url is None:
        if os.environ.get(REQUIRE_POSTGRES_ENV) == "1":
            pytest.fail(f"{POSTGRES_ENV} is not set but PostgreSQL tests are required")
        pytest.skip(f"no PostgreSQL server: set {POSTGRES_ENV} (scripts/with-postgres.sh does)")
    name = f"spa_old_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    url = make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    yield url
    drop_postgres_database(admin_url, url)


@pytest.fixture
def database_at_0003(empty_database_url: str) -> Iterator[Database]:
    """A database made by revision 0003, not yet upgraded."""
    database = connect(empty_database_url)
    upgrade(database.engine, BEFORE_NAME_KEYS)
    yield database
    database.close()


def _store_people_at_0003(database: Database) -> dict[uuid.UUID, tuple[str, str]]:
    """People stored as revision 0003 stored them, with a contact pointing at the first (so the
    migration must not rebuild the table): one more than the migration's batch. Their names."""
    script = ScriptDirectory.from_config(alembic_config())
    batch = int(script.get_revision(NAME_KEYS).module.BATCH)
    names = {uuid.uuid4(): ("Zoë", "Élodie-Ñúñez"), uuid.uuid4(): ("  ANAÏS ", "O'Brien  Strauß")}
    names |= {uuid.uuid4(): (f"Ëva{n}", f"Ñame{n:05d}") for n in range(batch + 1 - len(names))}
    user_id = uuid.uuid4()
    with database.engine.begin() as connection:
        connection.execute(
            PEOPLE.insert(),
            [
                {"id": person_id, "given_name": given, "family_name": family,
                 "family_key": " ".join(family.casefold().split()),  # revision 0002's key
                 "created_at": AT, "updated_at": AT, "version": 1}
                for person_id, (given, family) in names.items()
            ],
        )  # fmt: skip
        connection.execute(
            USERS.insert().values(
                id=user_id, username="kept", display_name="Kept", password_hash="x",
                active=True, failed_logins=0, created_at=AT, password_changed_at=AT,
            )
        )  # fmt: skip
        connection.execute(
            CONTACTS.insert().values(
                id=uuid.uuid4(), person_id=next(iter(names)), handler_id=user_id, started_at=AT,
                created_at=AT, updated_at=AT, line="general", call_kind="data",
                caller_type="self", status="complete", facts={}, recommended_routes=[],
                final_routes=[], overridden=False, version=1,
            )
        )  # fmt: skip
    return names


def _index(connection: sa.Connection, name: str) -> str | None:
    """The definition of the index ``name``, or None when there is none."""
    sql = (
        "SELECT sql FROM sqlite_master WHERE name = :name"
        if connection.dialect.name == "sqlite"
        else "SELECT indexdef FROM pg_indexes WHERE indexname = :name"
    )
    found = connection.execute(sa.text(sql), {"name": name}).scalar()
    return None if found is None else str(found)


def test_people_stored_at_0003_get_name_keys_on_upgrade(database_at_0003: Database) -> None:
    names = _store_people_at_0003(database_at_0003)

    upgrade(database_at_0003.engine)

    with database_at_0003.engine.connect() as connection:
        assert current_revision(connection) == HEAD_REVISION
        rows = connection.execute(sa.select(PEOPLE.c.id, PEOPLE.c.given_key, PEOPLE.c.family_key))
        stored = {row.id: (row.given_key, row.family_key) for row in rows}
        columns = {c["name"]: c for c in inspect(connection).get_columns("people")}
        new_index = _index(connection, "ix_people_name_keys")
        old_index = _index(connection, "ix_people_family_key")
    zoe, anais = list(names)[:2]
    assert stored[zoe] == ("zoe", "elodie-nunez")
    assert stored[anais] == ("anais", "o'brien strauss")
    assert stored == {
        person_id: (name_key(given), name_key(family))
        for person_id, (given, family) in names.items()
    }  # every row of every batch, the last included
    assert columns["given_key"]["nullable"] is False
    assert new_index is not None and "(family_key, given_key)" in new_index
    assert old_index is None

    # The upgraded database finds them as a new one does, accents typed or not.
    add_user(database_at_0003, "handler", "pass phrase 1")
    handler = authenticate(database_at_0003, "handler", "pass phrase 1")
    for typed in ("zoe elodie-nunez", "Élodie-Ñúñez, ZOË", "ELODIE", "elodie-n, z"):
        found = search_people(database_at_0003, handler, typed).people
        assert [p.id for p in found] == [zoe], typed
    found = search_people(database_at_0003, handler, "Anais O'Brien").people
    assert [p.id for p in found] == [anais]


def test_downgrade_from_0004_restores_revision_0003(database_at_0003: Database) -> None:
    names = _store_people_at_0003(database_at_0003)
    upgrade(database_at_0003.engine)

    with database_at_0003.engine.begin() as connection:
        command.downgrade(alembic_config(connection), BEFORE_NAME_KEYS)

    with database_at_0003.engine.connect() as connection:
        assert current_revision(connection) == BEFORE_NAME_KEYS
        columns = {c["name"] for c in inspect(connection).get_columns("people")}
        rows = connection.execute(sa.select(PEOPLE.c.id, PEOPLE.c.family_key))
        family_keys = {row.id: row.family_key for row in rows}
        old_index = _index(connection, "ix_people_family_key")
        new_index = _index(connection, "ix_people_name_keys")
    assert "given_key" not in columns
    assert family_keys == {
        person_id: " ".join(family.casefold().split()) for person_id, (_, family) in names.items()
    }  # revision 0002's keys again, which revision 0003's searches read typed words through
    assert old_index is not None
    assert "(family_key, lower(" in old_index and "given_name" in old_index
    assert new_index is None

    upgrade(database_at_0003.engine)  # and up again
    with database_at_0003.engine.connect() as connection:
        assert current_revision(connection) == HEAD_REVISION
