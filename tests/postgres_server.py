"""The test PostgreSQL server that ``scripts/with-postgres.sh`` started, stopped and started
again by tests of a database outage (the fixture ``postgres_server``)."""

from __future__ import annotations

import os
import shlex
import subprocess
from collections.abc import Iterator

import pytest

from spa_desk.database import Database


class PostgresServer:
    """The test PostgreSQL server that ``scripts/with-postgres.sh`` started, to stop and start."""

    def __init__(self) -> None:
        self.ctl = os.environ["SPA_DESK_TEST_POSTGRES_CTL"]
        self.data = os.environ["SPA_DESK_TEST_POSTGRES_DATA"]
        self.options = os.environ["SPA_DESK_TEST_POSTGRES_OPTIONS"]
        self.log = os.environ["SPA_DESK_TEST_POSTGRES_LOG"]
        self.runas = shlex.split(os.environ.get("SPA_DESK_TEST_POSTGRES_RUNAS", ""))
        self.running = True

    def _pg_ctl(self, *args: str) -> None:
        command = [*self.runas, self.ctl, "-D", self.data, "-w", "-t", "30", *args]
        subprocess.run(command, check=True, capture_output=True, timeout=60)

    def stop(self) -> None:
        self._pg_ctl("-m", "fast", "stop")
        self.running = False

    def start(self) -> None:
        self._pg_ctl("-l", self.log, "-o", self.options, "start")
        self.running = True


@pytest.fixture
def postgres_server(database: Database) -> Iterator[PostgresServer]:
    """The server behind ``database`` (PostgreSQL only); always running again afterwards."""
    if database.is_sqlite:
        pytest.skip("stopping the database server is a PostgreSQL matter")
    if "SPA_DESK_TEST_POSTGRES_CTL" not in os.environ:
        pytest.fail("scripts/with-postgres.sh did not say how to stop and start its server")
    server = PostgresServer()
    yield server
    if not server.running:
        server.start()
