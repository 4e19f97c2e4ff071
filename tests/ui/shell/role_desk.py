"""Starting the real desk for any role (``desk_helpers.log_in`` waits for F2, which only staff
who take calls have), and reading what is on screen as its user would."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from PySide6.QtWidgets import QApplication, QLabel, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from spa_desk.database import Database
from tests.ui.desk_helpers import desk_session, top_level, type_log_in
from ui.shell.login_dialog import LoginDialog
from ui.shell.session import DeskSession

PASSWORD = "pass phrase 1"


def start_desk(
    qtbot: QtBot,
    database: Database,
    tmp_path: Path,
    username: str,
    clock: Callable[[], datetime],
) -> tuple[asyncio.Future[int], DeskSession]:
    """Start the desk as staff do and log ``username`` in; the running desk and its session."""
    session = desk_session(database, tmp_path, clock)
    run = asyncio.ensure_future(session.interactive())
    qtbot.waitUntil(lambda: top_level(LoginDialog)() is not None, timeout=10_000)
    dialog = top_level(LoginDialog)()
    assert isinstance(dialog, LoginDialog)
    type_log_in(qtbot, dialog, username, PASSWORD)
    qtbot.waitUntil(lambda: session.user is not None, timeout=10_000)
    return run, session


def current_page(session: DeskSession) -> QWidget:
    """The page the main window shows."""
    page = session.window.pages.currentWidget()
    assert page is not None
    return page


def page_name(session: DeskSession) -> str:
    """The object name of the page the main window shows (``shiftPage``, ``trainerHome``...)."""
    return current_page(session).objectName()


def message_boxes() -> list[str]:
    """The text of every message box on screen."""
    return [
        widget.text()
        for widget in QApplication.topLevelWidgets()
        if isinstance(widget, QMessageBox) and widget.isVisible()
    ]


def visible_text(root: QWidget) -> str:
    """Every label's text that ``root`` shows, in one string."""
    return "\n".join(label.text() for label in root.findChildren(QLabel) if label.isVisibleTo(root))
