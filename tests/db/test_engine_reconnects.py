"""A PostgreSQL server restarted while a desk's pooled connections sit idle: the next action
gets a fresh connection and goes through (no outage is reported for a server that is back), and
taking a connection from the pool costs no round trip to the server."""

from __future__ import annotations

import pytest
from sqlalchemy import select, text

from db.models import User
from spa_desk.database import Database
from tests.postgres_server import PostgresServer, postgres_server  # noqa: F401


def _backend_pid(database: Database) -> int:
    with database.sessions() as session:
        return int(session.scalar(text("SELECT pg_backend_pid()")))


def test_a_restarted_server_is_met_with_a_fresh_connection(
    database: Database,
    postgres_server: PostgresServer,  # noqa: F811
) -> None:
    before = _backend_pid(database)  # a connection now waits in the pool
    postgres_server.stop()
    postgres_server.start()
    after = _backend_pid(database)  # no error: the dead connection was dropped at checkout
    assert after != before
    with database.sessions() as session:
        assert session.scalars(select(User)).all() == []


def test_taking_a_pooled_connection_sends_nothing(
    database: Database,
    postgres_server: PostgresServer,  # noqa: F811 - PostgreSQL only
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _backend_pid(database)
    pings: list[object] = []
    monkeypatch.setattr(database.engine.dialect, "do_ping", pings.append)
    for _ in range(3):
        _backend_pid(database)
    assert pings == []  # SQLAlchemy's pre-ping (a SELECT 1 before every action) is off
