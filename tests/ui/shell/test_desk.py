"""The real desk, driven as staff drive it: log in, see the shift's contacts, change shift."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from db.models import Contact
from spa_desk.cli.options import DeskOptions
from spa_desk.database import Database
from spa_desk.demo.generator import generate_demo_data
from spa_desk.demo.users import DEMO_HANDLER_USERNAME, DEMO_PASSWORD
from spa_desk.reports.shifts import shift_at
from spa_desk.settings import Settings
from tests.ui.desk_helpers import desk_session, top_level, type_log_in
from ui.shell.idle_lock import IdleWatcher
from ui.shell.login_dialog import LoginDialog
from ui.shell.main_window import MainWindow
from ui.shell.session import DeskSession

# 10:00 on Friday 20 March 2026 (GMT): the early shift, 07:00-15:00.
NOW = datetime(2026, 3, 20, 10, 0, tzinfo=UTC)


@pytest.fixture
def demo_database(database: Database) -> Database:
    generate_demo_data(database, months=1, start=date(2026, 3, 1), seed=3, now=NOW)
    return database


def _shift_contact_count(database: Database, start: datetime, end: datetime) -> int:
    with database.sessions() as session:
        query = select(func.count()).where(Contact.started_at >= start, Contact.started_at < end)
        return int(session.execute(query).scalar_one())


def _session(database: Database, tmp_path: Path, idle_ms: int | None = None) -> DeskSession:
    return desk_session(database, tmp_path, lambda: NOW, idle_ms)


def _open_desk(
    qtbot: QtBot, database: Database, tmp_path: Path, idle_ms: int | None = None
) -> tuple[asyncio.Future[int], LoginDialog, MainWindow]:
    """Start the desk as staff do; its run, the log-in dialog and the main window behind it."""
    desk = asyncio.ensure_future(_session(database, tmp_path, idle_ms).interactive())
    qtbot.waitUntil(
        lambda: top_level(LoginDialog)() is not None and top_level(MainWindow)() is not None,
        timeout=10_000,
    )
    dialog, window = top_level(LoginDialog)(), top_level(MainWindow)()
    assert isinstance(dialog, LoginDialog) and dialog.parent() is window
    assert isinstance(window, MainWindow)
    return desk, dialog, window


def test_handler_logs_in_and_sees_the_current_shift(
    qtbot: QtBot, qasync_loop: asyncio.AbstractEventLoop, demo_database: Database, tmp_path: Path
) -> None:
    desk, dialog, window = _open_desk(qtbot, demo_database, tmp_path)
    page = window.shift_page
    # The main window is already painted behind the log-in dialog, showing nobody's data.
    assert dialog.parent() is window and dialog.isModal()
    assert window.user_label.text() == "Not logged in"
    assert page.model.rowCount() == 0 and not window.refresh_action.isEnabled()
    named = f"Database: {demo_database.description}"
    qtbot.waitUntil(lambda: dialog.database_label.text() == named, timeout=10_000)
    assert window.database_label.text() == named

    type_log_in(qtbot, dialog, DEMO_HANDLER_USERNAME, DEMO_PASSWORD)
    shift = shift_at(NOW)
    expected = _shift_contact_count(demo_database, shift.start_utc, shift.end_utc)
    assert expected > 20  # a Friday morning at the reference volume
    qtbot.waitUntil(lambda: page.model.rowCount() == expected, timeout=10_000)

    assert page.shift_title.text().startswith("Early shift, Fri 20 Mar 2026, 07:00-15:00")
    assert f"{expected} contacts" in page.shift_summary.text()
    assert page.list_stack.currentWidget() is page.table
    assert window.user_label.text() == "Sam Okafor · Call handler"
    assert window.windowTitle() == "SPA Desk - Sam Okafor"
    times = [page.model.data(page.model.index(r, 0)) for r in range(expected)]
    assert times == sorted(times, reverse=True)
    assert all(c.started_at < NOW for c in page.model.contacts)
    handlers = {page.model.data(page.model.index(r, 5)) for r in range(expected)}
    assert handlers and all(handlers)

    # The previous shift (last night's) loads with Alt+Left; Alt+Home comes back to this one.
    previous_start = shift.start_utc - timedelta(hours=8)
    night = _shift_contact_count(demo_database, previous_start, shift.start_utc)
    qtbot.keyClick(window, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: page.shift_title.text().startswith("Night shift, Thu 19 Mar"))
    qtbot.waitUntil(lambda: page.model.rowCount() == night, timeout=10_000)
    assert night < expected  # nights are quieter than mornings
    qtbot.keyClick(window, Qt.Key.Key_Home, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: page.model.rowCount() == expected, timeout=10_000)
    # The next shift has not started yet: the desk says so and stays where it is.
    qtbot.keyClick(window, Qt.Key.Key_Right, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: window.refresh_label.text() == "That shift has not started yet.")
    assert page.model.rowCount() == expected

    window.close()
    qtbot.waitUntil(desk.done, timeout=10_000)
    assert desk.result() == 0


def test_wrong_password_says_so_and_keeps_the_user_name(
    qtbot: QtBot, qasync_loop: asyncio.AbstractEventLoop, demo_database: Database, tmp_path: Path
) -> None:
    desk, dialog, window = _open_desk(qtbot, demo_database, tmp_path)
    type_log_in(qtbot, dialog, DEMO_HANDLER_USERNAME, "not the password")
    qtbot.waitUntil(lambda: "Wrong user name or password" in dialog.error_label.text())
    assert dialog.isVisible()
    assert dialog.user_edit.text() == DEMO_HANDLER_USERNAME
    assert dialog.password_edit.text() == ""
    assert window.user_label.text() == "Not logged in"

    dialog.reject()
    qtbot.waitUntil(desk.done, timeout=10_000)
    assert desk.result() == 1  # gave up after a failed log-in


def test_empty_fields_are_named(
    qtbot: QtBot, qasync_loop: asyncio.AbstractEventLoop, demo_database: Database, tmp_path: Path
) -> None:
    desk, dialog, _ = _open_desk(qtbot, demo_database, tmp_path)
    qtbot.mouseClick(dialog.login_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.error_label.text() == "Enter your user name.")
    qtbot.keyClicks(dialog.user_edit, "someone")
    qtbot.mouseClick(dialog.login_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.error_label.text() == "Enter your password.")
    dialog.reject()
    qtbot.waitUntil(desk.done, timeout=10_000)
    assert desk.result() == 0


def test_empty_shift_says_so(
    qtbot: QtBot, qasync_loop: asyncio.AbstractEventLoop, database: Database, tmp_path: Path
) -> None:
    from tests.factories import add_user

    add_user(database, "solo", "pw", display_name="Solo Handler")
    desk, dialog, window = _open_desk(qtbot, database, tmp_path)
    page = window.shift_page
    type_log_in(qtbot, dialog, "solo", "pw")
    qtbot.waitUntil(lambda: page.empty_label.text() == "No contacts in this shift yet.")
    assert page.list_stack.currentWidget() is page.empty_label
    assert page.shift_summary.text() == "0 contacts"
    window.close()
    qtbot.waitUntil(desk.done, timeout=10_000)


def test_a_damaged_database_is_explained_in_a_message(
    qtbot: QtBot,
    qasync_loop: asyncio.AbstractEventLoop,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    shown: list[tuple[str, str]] = []

    async def record_problem(title: str, message: str, parent: object = None) -> None:
        shown.append((title, message))

    monkeypatch.setattr("ui.shell.session.show_problem", record_problem)
    damaged = tmp_path / "damaged.sqlite3"
    damaged.write_bytes(b"not a database " * 500)
    options = DeskOptions(
        settings=Settings(), database_url=f"sqlite+pysqlite:///{damaged}", data_dir=tmp_path
    )
    desk = asyncio.ensure_future(DeskSession(options, clock=lambda: NOW).interactive())
    qtbot.waitUntil(desk.done, timeout=10_000)
    assert desk.result() == 1
    ((title, message),) = shown
    assert title == "SPA Desk cannot open the database"
    assert "damaged or is not an SPA Desk database" in message
    assert "Traceback" not in message
    assert top_level(LoginDialog)() is None  # the log-in dialog went away with the desk


def _lock_dialog() -> LoginDialog | None:
    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, LoginDialog) and widget.isVisible() and widget.locked_for:
            return widget
    return None


def test_idle_desk_locks_and_the_same_user_carries_on_where_they_were(
    qtbot: QtBot, qasync_loop: asyncio.AbstractEventLoop, demo_database: Database, tmp_path: Path
) -> None:
    # The desk does not lock while last night's shift loads, however busy the machine: its idle
    # time passes when the test says so below (the take-over test waits for the timer itself).
    desk, dialog, window = _open_desk(qtbot, demo_database, tmp_path, idle_ms=600_000)
    page = window.shift_page
    type_log_in(qtbot, dialog, DEMO_HANDLER_USERNAME, DEMO_PASSWORD)
    qtbot.waitUntil(lambda: page.model.rowCount() > 0, timeout=10_000)
    # The handler moves to last night's shift, then leaves the desk.
    qtbot.keyClick(window, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: page.shift_title.text().startswith("Night shift"))
    qtbot.waitUntil(lambda: window.refresh_label.text().startswith("Updated"), timeout=10_000)
    rows_before = page.model.contacts

    watcher = window.findChild(IdleWatcher)
    assert watcher is not None
    watcher.idle.emit()  # the handler has been away for the idle time
    qtbot.waitUntil(lambda: _lock_dialog() is not None, timeout=10_000)
    lock = _lock_dialog()
    assert lock is not None
    central = window.centralWidget()
    assert central is not None and not central.isVisible()  # nothing personal on show
    assert lock.user_edit.text() == DEMO_HANDLER_USERNAME
    lock.reject()  # Escape does not unlock
    assert lock.isVisible()
    qtbot.keyClicks(lock.password_edit, "wrong")
    qtbot.keyClick(lock.password_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "Wrong user name or password" in lock.error_label.text())
    assert not central.isVisible()
    qtbot.keyClicks(lock.password_edit, DEMO_PASSWORD)
    qtbot.keyClick(lock.password_edit, Qt.Key.Key_Return)

    qtbot.waitUntil(central.isVisible, timeout=10_000)
    assert page.shift_title.text().startswith("Night shift")  # where they left off
    assert page.model.contacts == rows_before
    assert window.user_label.text() == "Sam Okafor · Call handler"
    window.close()
    qtbot.waitUntil(desk.done, timeout=10_000)


def test_someone_else_can_take_over_a_locked_desk(
    qtbot: QtBot, qasync_loop: asyncio.AbstractEventLoop, demo_database: Database, tmp_path: Path
) -> None:
    desk, dialog, window = _open_desk(qtbot, demo_database, tmp_path, idle_ms=400)
    type_log_in(qtbot, dialog, DEMO_HANDLER_USERNAME, DEMO_PASSWORD)
    qtbot.waitUntil(lambda: _lock_dialog() is not None, timeout=10_000)
    lock = _lock_dialog()
    assert lock is not None
    lock.user_edit.clear()
    type_log_in(qtbot, lock, "handler2", DEMO_PASSWORD)
    qtbot.waitUntil(lambda: window.user_label.text().endswith("· Call handler")
                    and not window.user_label.text().startswith("Sam"), timeout=10_000)  # fmt: skip
    assert window.windowTitle() == "SPA Desk - Priya Ramsbottom"
    assert window.user_label.text() == "Priya Ramsbottom · Call handler"
    window.close()
    qtbot.waitUntil(desk.done, timeout=10_000)


def test_a_fresh_database_asks_for_the_first_administrator(
    qtbot: QtBot, qasync_loop: asyncio.AbstractEventLoop, database: Database, tmp_path: Path
) -> None:
    from ui.shell.first_admin_dialog import FirstAdministratorDialog

    desk = asyncio.ensure_future(_session(database, tmp_path).interactive())
    qtbot.waitUntil(lambda: top_level(FirstAdministratorDialog)() is not None, timeout=10_000)
    first = top_level(FirstAdministratorDialog)()
    assert isinstance(first, FirstAdministratorDialog)
    assert top_level(LoginDialog)() is None  # nobody can log in yet
    qtbot.keyClicks(first.username_edit, "ada.admin")
    qtbot.keyClicks(first.name_edit, "Ada Admin")
    qtbot.keyClicks(first.password_edit, "short")
    qtbot.keyClicks(first.repeat_edit, "short")
    qtbot.keyClick(first.repeat_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "Password: use at least 10 characters" in first.error_label.text())
    for edit in (first.password_edit, first.repeat_edit):
        edit.clear()
    qtbot.keyClicks(first.password_edit, "long enough pass")
    qtbot.keyClicks(first.repeat_edit, "long enough pass")
    qtbot.keyClick(first.repeat_edit, Qt.Key.Key_Return)

    qtbot.waitUntil(lambda: top_level(LoginDialog)() is not None, timeout=10_000)
    login = top_level(LoginDialog)()
    assert isinstance(login, LoginDialog)
    assert login.user_edit.text() == "ada.admin"
    qtbot.keyClicks(login.password_edit, "long enough pass")
    qtbot.keyClick(login.password_edit, Qt.Key.Key_Return)
    window = top_level(MainWindow)()
    assert isinstance(window, MainWindow)
    qtbot.waitUntil(lambda: window.user_label.text() == "Ada Admin · Administrator")
    # The first administrator's work starts with the user accounts, not a shift list.
    from ui.governance.menu import governance_menu

    qtbot.waitUntil(lambda: governance_menu(window) is not None, timeout=10_000)
    menu = governance_menu(window)
    assert menu is not None
    qtbot.waitUntil(lambda: menu.user_dialog is not None, timeout=10_000)
    home = window.pages.currentWidget()
    assert home is not None and home.objectName() == "administratorHome"
    assert "may not" not in window.shift_page.empty_label.text()
    window.close()
    qtbot.waitUntil(desk.done, timeout=10_000)
