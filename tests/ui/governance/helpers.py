"""Shared by the governance screen tests: the fixed "now", the passwords, logging in, running a
coroutine while Qt spins, opening the user accounts dialog and reading a table's column.
"""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from datetime import UTC, datetime
from typing import Any, TypeVar

from pytestqt.qtbot import QtBot

from spa_desk.access.login import authenticate
from spa_desk.database import Database
from spa_desk.domain import CurrentUser
from ui.governance.audit_view import AuditView
from ui.governance.users_controller import UserAdminController
from ui.governance.users_view import UserAdminView
from ui.kit.backend import DeskBackend

T = TypeVar("T")

# 09:30 UTC on Friday 10 July 2026 is 10:30 in London (British Summer Time).
NOW = datetime(2026, 7, 10, 9, 30, tzinfo=UTC)
ADMIN_PASSWORD = "admin password 1"
PASSWORD = "handler password"


def log_in(database: Database, username: str, password: str, at: datetime = NOW) -> CurrentUser:
    return authenticate(database, username, password, now=at)


def run(qtbot: QtBot, work: Coroutine[Any, Any, T]) -> T:
    """Run ``work`` on the qasync loop while Qt spins; its result."""
    task = asyncio.ensure_future(work)
    qtbot.waitUntil(task.done, timeout=10_000)
    return task.result()


def open_user_admin(qtbot: QtBot, backend: DeskBackend, user: CurrentUser) -> UserAdminController:
    """The user accounts dialog, open and loaded; its controller (``.view`` is the dialog)."""
    controller = UserAdminController(UserAdminView(), backend, user)
    dialog = controller.view
    qtbot.addWidget(dialog)
    dialog.open()
    qtbot.waitExposed(dialog)
    assert run(qtbot, controller.refresh())
    return controller


def column_texts(dialog: UserAdminView | AuditView, column: int) -> list[str]:
    """What ``column`` of the dialog's table shows, top to bottom."""
    model = dialog.model
    return [model.data(model.index(row, column)) for row in range(model.rowCount())]
