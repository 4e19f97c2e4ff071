"""Every role has a home: the real desk, logged in by keys as each member of staff would, opens on
their own work, with no message about a screen that is not theirs; a trainer sees no live record
(SPEC 7); an administrator opens on the user accounts."""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from spa_desk.database import Database
from tests.factories import add_contact, add_user
from tests.ui.shell.role_desk import (
    PASSWORD,
    current_page,
    message_boxes,
    page_name,
    start_desk,
    visible_text,
)
from ui.governance.menu import governance_menu
from ui.shell.session import DeskSession

# 14:00 on Tuesday 17 November 2026 (GMT): the early shift.
NOW = datetime(2026, 11, 17, 14, 0, tzinfo=UTC)
STAFF = {
    "handler": (("call_handler",), "Sam Okafor"),
    "practitioner": (("practitioner",), "Dana Whitfield"),
    "manager": (("spa_manager",), "Morag Lyle"),
    "trainer": (("trainer",), "Tess Abara"),
    "admin": (("administrator",), "Ada Admin"),
    "trainer-admin": (("administrator", "trainer"), "Kit Dual"),
    "admin-handler": (("administrator", "call_handler"), "Lee Both"),
}


@pytest.fixture
def staff(database: Database) -> uuid.UUID:
    """Everyone in STAFF, and a contact of this shift taken by the handler; the handler's id."""
    ids = {
        name: add_user(database, name, PASSWORD, roles, display_name)
        for name, (roles, display_name) in STAFF.items()
    }
    add_contact(database, ids["handler"], NOW - timedelta(minutes=30))
    return ids["handler"]


def _logged_in_work_done(session: DeskSession) -> bool:
    """Log-in's own work (the rules, an unfinished call) is over; an open Governance screen
    may still be waited on."""
    waiting = (getattr(t, "get_coro", lambda: None)() for t in session._tasks)
    return all("_governance" in getattr(c, "__qualname__", "") for c in waiting)


@pytest.mark.parametrize(
    ("username", "home"),
    [
        ("handler", "shiftPage"),
        ("practitioner", "shiftPage"),
        ("manager", "shiftPage"),
        ("trainer", "trainerHome"),
        ("admin", "administratorHome"),
        ("trainer-admin", "trainerHome"),  # trainer comes before administrator in SPEC 1
        ("admin-handler", "shiftPage"),  # call handler comes first
    ],
)
def test_each_role_opens_on_its_own_home_and_sees_no_error(
    qtbot: QtBot,
    qasync_loop: asyncio.AbstractEventLoop,
    database: Database,
    staff: uuid.UUID,
    tmp_path: Path,
    username: str,
    home: str,
) -> None:
    run, session = start_desk(qtbot, database, tmp_path, username, lambda: NOW)
    window = session.window
    qtbot.waitUntil(lambda: page_name(session) == home, timeout=10_000)
    if home == "shiftPage":
        qtbot.waitUntil(lambda: window.shift_page.model.rowCount() == 1, timeout=10_000)
    else:
        qtbot.waitUntil(lambda: session.user is not None and window.lock_action.isEnabled())
    # Whatever their home, nobody is told about a screen that is not theirs.
    qtbot.waitUntil(lambda: _logged_in_work_done(session), timeout=10_000)
    assert message_boxes() == []
    assert "may not" not in visible_text(window)
    window.close()
    qtbot.waitUntil(run.done, timeout=10_000)


def test_a_trainer_sees_what_they_can_do_today_and_no_live_record(
    qtbot: QtBot,
    qasync_loop: asyncio.AbstractEventLoop,
    database: Database,
    staff: uuid.UUID,
    tmp_path: Path,
) -> None:
    run, session = start_desk(qtbot, database, tmp_path, "trainer", lambda: NOW)
    window = session.window
    qtbot.waitUntil(lambda: page_name(session) == "trainerHome")
    qtbot.waitUntil(lambda: not session._tasks, timeout=10_000)
    home = current_page(session)
    text = visible_text(home)
    assert "Training" in text and "What you can do here" in text
    assert "no live calls, contacts or people's records" in text
    assert "Lock now  (Ctrl+L)" in [
        b.text() for b in home.findChildren(type(window.shift_page.new_call_button))
    ]
    # No way to the live shift: its keys are off and pressing them shows nothing.
    for key, modifier in (
        (Qt.Key.Key_F5, Qt.KeyboardModifier.NoModifier),
        (Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier),
        (Qt.Key.Key_Home, Qt.KeyboardModifier.AltModifier),
        (Qt.Key.Key_F2, Qt.KeyboardModifier.NoModifier),
    ):
        qtbot.keyClick(window, key, modifier)
    qtbot.waitUntil(lambda: not session._tasks, timeout=10_000)
    assert window.pages.currentWidget() is home
    assert session.controller is None and session.call is None
    assert window.shift_page.model.rowCount() == 0
    assert "Sam Okafor" not in visible_text(window)  # the handler of the live contact
    assert governance_menu(window) is None
    assert message_boxes() == []
    window.close()
    qtbot.waitUntil(run.done, timeout=10_000)


def test_an_administrator_opens_on_the_user_accounts(
    qtbot: QtBot,
    qasync_loop: asyncio.AbstractEventLoop,
    database: Database,
    staff: uuid.UUID,
    tmp_path: Path,
) -> None:
    run, session = start_desk(qtbot, database, tmp_path, "admin", lambda: NOW)
    window = session.window
    qtbot.waitUntil(lambda: governance_menu(window) is not None, timeout=10_000)
    menu = governance_menu(window)
    assert menu is not None
    qtbot.waitUntil(lambda: menu.user_dialog is not None, timeout=10_000)
    accounts = menu.user_dialog
    assert accounts is not None
    qtbot.waitUntil(lambda: accounts.model.rowCount() == len(STAFF), timeout=10_000)
    assert accounts.isVisible() and accounts.isModal()
    # Behind the accounts, the administrator's home; never the shift's contacts.
    assert page_name(session) == "administratorHome"
    assert window.shift_page.model.rowCount() == 0 and session.controller is None

    qtbot.keyClick(accounts, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: menu.user_dialog is None, timeout=10_000)
    home = current_page(session)
    buttons = [b.text() for b in home.findChildren(type(window.shift_page.new_call_button))]
    assert "Users…  (Ctrl+Shift+U)" in buttons and "Audit log…  (Ctrl+Shift+A)" in buttons
    # The keyboard is back on the home, on the button that opens the accounts again.
    qtbot.waitUntil(window.isActiveWindow, timeout=5_000)
    focus = QApplication.focusWidget()
    assert focus is not None and focus.accessibleName() == "Open the user accounts"
    qtbot.keyClick(
        window,
        Qt.Key.Key_U,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    qtbot.waitUntil(lambda: menu.user_dialog is not None, timeout=10_000)
    assert message_boxes() == []
    window.close()
    qtbot.waitUntil(run.done, timeout=10_000)
