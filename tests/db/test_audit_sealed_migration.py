"""Revision 0005, the audit log sealed, on SQLite and PostgreSQL: entries written before it keep
their plain SHA-256 hashes and are marked as unkeyed, UPDATE and DELETE on the audit table are
refused from then on, and a downgrade takes the marks and the triggers away again."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic import command
from sqlalchemy import exc, inspect, text
from sqlalchemy.engine import make_url

from db.engine import sqlite_url
from db.migrate import HEAD_REVISION, alembic_config, current_revision, upgrade
from db.types import JSONDocument, UTCDateTime
from spa_desk.database import Database, connect
from spa_desk.governance.log import AuditAction, record
from spa_desk.governance.verify import verify
from tests.conftest import (
    POSTGRES_ENV,
    REQUIRE_POSTGRES_ENV,
    drop_postgres_database,
    postgres_admin_url,
)
from tests.spa_desk.governance.helpers import attacker_hash

BEFORE_SEAL = "0004_name_keys"
AT = datetime(2026, 1, 1, 9, tzinfo=UTC)
OLD_ENTRIES = 3

AUDIT = sa.table(
    "audit_events",
    sa.column("id", sa.Uuid()),
    sa.column("position", sa.BigInteger()),
    sa.column("occurred_at", UTCDateTime()),
    sa.column("user_id", sa.Uuid()),
    *(sa.column(name, sa.String()) for name in ("action", "entity_type", "entity_id")),
    sa.column("details", JSONDocument),
    *(sa.column(name, sa.String()) for name in ("prev_hash", "hash")),
)


@pytest.fixture(params=["sqlite", "postgresql"])
def database_at_0004(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    """A database made by revision 0004, not yet sealed, on each backend."""
    if request.param == "sqlite":
        url = sqlite_url(tmp_path / "old.sqlite3")
        admin_url = None
    else:
        admin_url = postgres_admin_url()
        if admin_url is None:
            if os.environ.get(REQUIRE_POSTGRES_ENV) == "1":
                pytest.fail(f"{POSTGRES_ENV} is not set but PostgreSQL tests are required")
            pytest.skip(f"no PostgreSQL server: set {POSTGRES_ENV} (scripts/with-postgres.sh does)")
        name = f"spa_old_{uuid.uuid4().hex[:12]}"
        admin = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        admin.dispose()
        url = make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    database = connect(url)
    upgrade(database.engine, BEFORE_SEAL)
    yield database
    database.close()
    if admin_url is not None:
        drop_postgres_database(admin_url, url)


def _store_entries_at_0004(database: Database) -> list[str]:
    """Entries as revision 0004 wrote them, hashed with plain SHA-256; their hashes."""
    hashes: list[str] = []
    prev_hash = "0" * 64
    with database.engine.begin() as connection:
        for position in range(1, OLD_ENTRIES + 1):
            fields = {
                "id": uuid.uuid4(), "position": position,
                "occurred_at": AT + timedelta(minutes=position), "user_id": None,
                "action": "login_failed", "entity_type": None, "entity_id": None,
                "details": {"reason": "unknown user name"}, "prev_hash": prev_hash,
            }  # fmt: skip
            prev_hash = attacker_hash(fields)
            connection.execute(AUDIT.insert().values(**fields, hash=prev_hash))
            hashes.append(prev_hash)
    return hashes


def _triggers(connection: sa.Connection) -> set[str]:
    sql = (
        "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'audit_events'"
        if connection.dialect.name == "sqlite"
        else "SELECT tgname FROM pg_trigger WHERE tgrelid = 'audit_events'::regclass "
        "AND NOT tgisinternal"
    )
    return {str(name) for name in connection.execute(text(sql)).scalars()}


def _touch(database: Database, statement: str) -> None:
    with database.engine.begin() as connection:
        connection.execute(text(statement))


def test_entries_from_before_the_seal_keep_their_hashes(database_at_0004: Database) -> None:
    database = database_at_0004
    hashes = _store_entries_at_0004(database)
    _touch(database, "UPDATE audit_events SET action = action WHERE position = 1")  # allowed

    upgrade(database.engine)

    with database.engine.connect() as connection:
        assert current_revision(connection) == HEAD_REVISION
        rows = connection.execute(
            text("SELECT hash, hash_scheme, key_id FROM audit_events ORDER BY position")
        ).all()
        columns = {c["name"]: c for c in inspect(connection).get_columns("audit_events")}
        triggers = _triggers(connection)
    assert [tuple(row) for row in rows] == [(hash_, "sha256", None) for hash_ in hashes]
    assert columns["hash_scheme"]["nullable"] is False
    assert columns["key_id"]["nullable"] is True
    assert triggers  # the append-only triggers
    for statement in (
        "UPDATE audit_events SET action = action WHERE position = 1",
        "DELETE FROM audit_events WHERE position = 3",
    ):
        with pytest.raises(exc.IntegrityError, match="audit_events is append-only"):
            _touch(database, statement)

    outcome = verify(database)
    assert outcome.ok and (outcome.entries, outcome.keyed, outcome.unkeyed) == (3, 0, 3)

    with database.sessions.begin() as session:  # the first keyed entry follows the old ones
        record(session, action=AuditAction.LOGIN_FAILED, user_id=None)
    with database.engine.connect() as connection:
        newest = connection.execute(
            text("SELECT prev_hash, hash_scheme FROM audit_events WHERE position = 4")
        ).one()
    assert tuple(newest) == (hashes[-1], "hmac-sha256")
    outcome = verify(database)
    assert outcome.ok and (outcome.entries, outcome.keyed, outcome.unkeyed) == (4, 1, 3)


def test_downgrade_from_0005_restores_revision_0004(database_at_0004: Database) -> None:
    database = database_at_0004
    hashes = _store_entries_at_0004(database)
    upgrade(database.engine)

    with database.engine.begin() as connection:
        command.downgrade(alembic_config(connection), BEFORE_SEAL)

    with database.engine.connect() as connection:
        assert current_revision(connection) == BEFORE_SEAL
        columns = {c["name"] for c in inspect(connection).get_columns("audit_events")}
        stored = list(connection.execute(sa.select(AUDIT.c.hash).order_by(AUDIT.c.position)))
        assert _triggers(connection) == set()
        if connection.dialect.name == "postgresql":
            functions = connection.execute(
                text("SELECT count(*) FROM pg_proc WHERE proname = 'audit_events_append_only'")
            ).scalar_one()
            assert functions == 0
    assert "hash_scheme" not in columns and "key_id" not in columns
    assert [row.hash for row in stored] == hashes
    _touch(database, "UPDATE audit_events SET action = action WHERE position = 1")  # allowed again

    upgrade(database.engine)  # and up again
    with database.engine.connect() as connection:
        assert current_revision(connection) == HEAD_REVISION
        assert _triggers(connection)
    assert verify(database).ok
