"""Driving the real desk in tests: start it, log in, find its windows, move its clock."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from spa_desk.cli.options import DeskOptions
from spa_desk.database import Database
from spa_desk.settings import Settings
from ui.shell.login_dialog import LoginDialog
from ui.shell.main_window import MainWindow
from ui.shell.session import DeskSession


class MovableClock:
    """A desk clock the test moves on by hand, so timers can be checked to the second."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        """Move the clock on."""
        self.now += timedelta(seconds=seconds)


def top_level(kind: type[object]) -> Callable[[], object | None]:
    """A finder for the visible top-level widget of ``kind`` (None when there is none)."""

    def find() -> object | None:
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, kind) and widget.isVisible():
                return widget
        return None

    return find


def desk_session(
    database: Database,
    tmp_path: Path,
    clock: Callable[[], datetime],
    idle_ms: int | None = None,
) -> DeskSession:
    """A desk session on ``database`` with the given clock."""
    options = DeskOptions(settings=Settings(), database_url=database.url, data_dir=tmp_path)
    return DeskSession(options, clock=clock, idle_ms=idle_ms)


def type_log_in(qtbot: QtBot, dialog: LoginDialog, username: str, password: str) -> None:
    """Type a user name and password and press Enter, as staff do."""
    qtbot.keyClicks(dialog.user_edit, username)
    qtbot.keyClicks(dialog.password_edit, password)
    qtbot.keyClick(dialog.password_edit, Qt.Key.Key_Return)


def log_in(
    qtbot: QtBot, session: DeskSession, username: str, password: str
) -> tuple[asyncio.Future[int], MainWindow]:
    """Start ``session`` as staff do and log in; the running desk and its main window."""
    desk = asyncio.ensure_future(session.interactive())
    qtbot.waitUntil(lambda: top_level(LoginDialog)() is not None, timeout=10_000)
    dialog = top_level(LoginDialog)()
    assert isinstance(dialog, LoginDialog)
    type_log_in(qtbot, dialog, username, password)
    qtbot.waitUntil(lambda: session.user is not None, timeout=10_000)
    qtbot.waitUntil(session.window.new_call_action.isEnabled, timeout=5_000)
    # The log-in dialog has gone and the main window has the keyboard again (Qt may take a
    # moment on a busy machine): only then do the desk's keys reach it.
    qtbot.waitUntil(session.window.isActiveWindow, timeout=5_000)
    return desk, session.window


def press(qtbot: QtBot, *keys: str | Qt.Key, modifier: Qt.KeyboardModifier | None = None) -> None:
    """Press keys where the keyboard focus is, as the handler would."""
    for key in keys:
        widget = QApplication.focusWidget()
        assert isinstance(widget, QWidget), "nothing has the keyboard focus"
        if modifier is None:
            qtbot.keyClick(widget, key)
        else:
            qtbot.keyClick(widget, key, modifier)
