"""Leaving and locking the real desk by keys: Lock now (Ctrl+L) and Log out (Ctrl+Shift+L) in the
Desk menu; Ctrl+Q in the middle of a call asks first and keeps the call as a draft, offered back
at the next log-in."""

from __future__ import annotations

import uuid
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMenu, QMessageBox, QWidget
from sqlalchemy import select

from db.models import Contact
from spa_desk.database import Database
from tests.ui.call_desk import PASSWORD, Desk, DeskFactory
from tests.ui.desk_helpers import desk_session, log_in, press, top_level, type_log_in
from tests.ui.shell.role_desk import message_boxes
from ui.shell.login_dialog import LoginDialog

CTRL = Qt.KeyboardModifier.ControlModifier
CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
DATA_CALL_FROM_THE_PERSON = {"call_kind": "data", "caller_type": "self"}


def _login_dialog(*, locked: bool) -> LoginDialog | None:
    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, LoginDialog) and widget.isVisible():  # noqa: SIM102
            if (widget.locked_for is not None) == locked:
                return widget
    return None


def _leave_box() -> QMessageBox | None:
    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, QMessageBox) and widget.objectName() == "leaveCall":  # noqa: SIM102
            if widget.isVisible():
                return widget
    return None


def _stored(database: Database, contact_id: uuid.UUID) -> tuple[str, dict[str, Any]] | None:
    """The contact's status and the answers its draft holds, as the database has them."""
    with database.sessions() as session:
        row = session.execute(
            select(Contact.status, Contact.draft).where(Contact.id == contact_id)
        ).first()
    if row is None:
        return None
    return row.status, (row.draft or {}).get("answers", {})


def _on(widget: QWidget) -> bool:
    focus = QApplication.focusWidget()
    return focus is not None and widget.isAncestorOf(focus)


def _two_answers(desk: Desk) -> uuid.UUID:
    """F2, then 1 (a call about someone's care) and 1 (the person themself); the call's id."""
    call = desk.new_call()
    desk.keys("1", "1")
    desk.qtbot.waitUntil(lambda: call.draft.answers == DATA_CALL_FROM_THE_PERSON, timeout=5_000)
    return call.draft.contact_id


def test_the_desk_menu_shows_lock_and_log_out_with_their_keys(desk_for: DeskFactory) -> None:
    desk = desk_for("handler")
    desk_menu = desk.window.menuBar().actions()[0].menu()
    assert isinstance(desk_menu, QMenu)
    keys = {
        a.text(): a.shortcut().toString() for a in desk_menu.actions() if a.text() and a.isVisible()
    }
    assert keys == {
        "&New call": "F2",
        "I am &away": "Ctrl+Shift+W",
        "&Lock now": "Ctrl+L",
        "Log &out": "Ctrl+Shift+L",
        "&Quit": "Ctrl+Q",
    }


def test_lock_now_locks_mid_call_as_the_idle_lock_does(desk_for: DeskFactory) -> None:
    desk = desk_for("handler")
    _two_answers(desk)
    call = desk.call
    press(desk.qtbot, "L", modifier=CTRL)
    desk.qtbot.waitUntil(lambda: _login_dialog(locked=True) is not None, timeout=5_000)
    lock = _login_dialog(locked=True)
    assert lock is not None and lock.user_edit.text() == "handler"
    assert not call.screen.isVisible()  # nothing about the call shows on a locked desk
    desk.qtbot.keyClicks(lock.password_edit, PASSWORD)
    desk.qtbot.keyClick(lock.password_edit, Qt.Key.Key_Return)
    desk.qtbot.waitUntil(call.screen.isVisible, timeout=10_000)
    assert desk.session.call is call and call.draft.answers == DATA_CALL_FROM_THE_PERSON


def test_quitting_mid_call_asks_first_and_keeps_the_call_as_a_draft(
    desk_for: DeskFactory, database: Database, tmp_path: Any
) -> None:
    desk = desk_for("handler")
    contact_id = _two_answers(desk)
    call = desk.call

    press(desk.qtbot, "Q", modifier=CTRL)
    desk.qtbot.waitUntil(lambda: _leave_box() is not None, timeout=5_000)
    box = _leave_box()
    assert box is not None
    assert "Quit in the middle of this call?" in box.text()
    assert "The call is kept as a draft" in box.text()
    desk.qtbot.keyClick(box, Qt.Key.Key_Escape)  # Stay on the call
    desk.qtbot.waitUntil(lambda: _leave_box() is None, timeout=5_000)
    assert not desk.run.done() and desk.session.call is call and call.screen.isVisible()
    # The keyboard is back on the call's questions.
    desk.qtbot.waitUntil(lambda: _on(call.screen.screening), timeout=5_000)

    press(desk.qtbot, "Q", modifier=CTRL)
    desk.qtbot.waitUntil(lambda: _leave_box() is not None, timeout=5_000)
    box = _leave_box()
    assert box is not None
    desk.qtbot.keyClick(box, "Q")  # Quit, keeping the call as a draft
    desk.qtbot.waitUntil(desk.run.done, timeout=10_000)
    assert _stored(database, contact_id) == ("draft", DATA_CALL_FROM_THE_PERSON)

    # The next log-in offers the call back, exactly as it was.
    again = desk_session(database, tmp_path, desk.clock)
    run, window = log_in(desk.qtbot, again, "handler", PASSWORD)
    desk.qtbot.waitUntil(lambda: top_level(QMessageBox)() is not None, timeout=10_000)
    offer = top_level(QMessageBox)()
    assert isinstance(offer, QMessageBox) and "was not saved" in offer.text()
    desk.qtbot.keyClick(offer, Qt.Key.Key_Return)
    desk.qtbot.waitUntil(lambda: again.call is not None, timeout=10_000)
    assert again.call is not None and again.call.draft.contact_id == contact_id
    assert again.call.draft.answers == DATA_CALL_FROM_THE_PERSON
    window.close()
    desk.qtbot.waitUntil(run.done, timeout=10_000)


def test_logging_out_mid_call_keeps_the_call_and_asks_who_logs_in(
    desk_for: DeskFactory, database: Database
) -> None:
    desk = desk_for("handler")
    contact_id = _two_answers(desk)
    window = desk.window

    press(desk.qtbot, "L", modifier=CTRL_SHIFT)
    desk.qtbot.waitUntil(lambda: _leave_box() is not None, timeout=5_000)
    box = _leave_box()
    assert box is not None and "Log out in the middle of this call?" in box.text()
    desk.qtbot.keyClick(box, "L")  # Log out, keeping the call as a draft
    desk.qtbot.waitUntil(lambda: _login_dialog(locked=False) is not None, timeout=10_000)
    # The draft was written first; nobody's work is on screen now.
    assert _stored(database, contact_id) == ("draft", DATA_CALL_FROM_THE_PERSON)
    assert desk.session.call is None and desk.session.user is None
    assert window.user_label.text() == "Not logged in" and window.windowTitle() == "SPA Desk"
    assert window.pages.currentWidget() is window.shift_page
    assert window.shift_page.model.rowCount() == 0
    assert not window.new_call_action.isEnabled() and not window.refresh_action.isEnabled()

    # A colleague logs in: their own shift list, and nothing of the handler's is offered.
    login = _login_dialog(locked=False)
    assert login is not None
    type_log_in(desk.qtbot, login, "practitioner", PASSWORD)
    desk.qtbot.waitUntil(
        lambda: window.user_label.text() == "Dana Whitfield · Practitioner", timeout=10_000
    )
    desk.qtbot.waitUntil(window.new_call_action.isEnabled, timeout=5_000)
    desk.qtbot.waitUntil(lambda: not desk.session._tasks, timeout=10_000)
    assert message_boxes() == []
    assert window.pages.currentWidget() is window.shift_page

    # No call on screen: logging out asks nothing; the handler comes back to their call.
    desk.qtbot.waitUntil(window.isActiveWindow, timeout=5_000)
    press(desk.qtbot, "L", modifier=CTRL_SHIFT)
    desk.qtbot.waitUntil(lambda: _login_dialog(locked=False) is not None, timeout=10_000)
    assert _leave_box() is None
    login = _login_dialog(locked=False)
    assert login is not None
    type_log_in(desk.qtbot, login, "handler", PASSWORD)
    desk.qtbot.waitUntil(lambda: top_level(QMessageBox)() is not None, timeout=10_000)
    offer = top_level(QMessageBox)()
    assert isinstance(offer, QMessageBox) and "was not saved" in offer.text()
    desk.qtbot.keyClick(offer, Qt.Key.Key_Return)
    desk.qtbot.waitUntil(lambda: desk.session.call is not None, timeout=10_000)
    assert desk.call.draft.contact_id == contact_id
    assert desk.call.draft.answers == DATA_CALL_FROM_THE_PERSON
