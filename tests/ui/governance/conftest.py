"""Fixtures for the governance screen tests: the database worker and a logged-in administrator."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from spa_desk.database import Database
from spa_desk.domain import CurrentUser
from tests.factories import add_user
from tests.ui.governance.helpers import ADMIN_PASSWORD, log_in
from ui.kit.backend import DeskBackend


@pytest.fixture
def backend(database: Database) -> Iterator[DeskBackend]:
    desk_backend = DeskBackend(database.url)
    yield desk_backend
    desk_backend.close()


@pytest.fixture
def admin(database: Database) -> CurrentUser:
    add_user(database, "alex", ADMIN_PASSWORD, roles=("administrator",), display_name="Alex Mbeki")
    return log_in(database, "alex", ADMIN_PASSWORD)
