"""Throwing away a call started by mistake ("Throw away…", after a question): the draft goes and
the desk is free; a call on which a person's record was opened is refused in words and stays."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from sqlalchemy import select

from db.models import Contact
from tests.ui.call_desk import DeskFactory
from tests.ui.desk_helpers import top_level


def _answer(desk_qtbot: object, button: QMessageBox.StandardButton) -> None:
    from pytestqt.qtbot import QtBot

    assert isinstance(desk_qtbot, QtBot)
    desk_qtbot.waitUntil(lambda: top_level(QMessageBox)() is not None, timeout=5_000)
    box = top_level(QMessageBox)()
    assert isinstance(box, QMessageBox)
    assert "Throw this call away?" in box.text()
    box.button(button).click()


def test_a_call_started_by_mistake_is_thrown_away_after_asking(desk_for: DeskFactory) -> None:
    desk = desk_for("handler")
    call = desk.new_call()
    contact_id = call.draft.contact_id
    desk.keys("1")  # level 1 begun: the draft is written
    desk.qtbot.waitUntil(lambda: _stored(desk, contact_id), timeout=5_000)
    call.screen.bar.discard_button.click()
    _answer(desk.qtbot, QMessageBox.StandardButton.Cancel)  # Cancel: nothing happens
    desk.qtbot.wait(100)
    assert desk.session.call is call
    call.screen.bar.discard_button.click()
    _answer(desk.qtbot, QMessageBox.StandardButton.Discard)
    desk.qtbot.waitUntil(lambda: desk.session.call is None, timeout=5_000)
    assert not _stored(desk, contact_id)
    assert desk.window.new_call_action.isEnabled()


def test_a_call_with_a_record_opened_is_kept_and_the_handler_told(desk_for: DeskFactory) -> None:
    desk = desk_for("handler")
    call = desk.new_call()
    desk.find_and_open("Testperson")
    call.screen.bar.discard_button.click()
    _answer(desk.qtbot, QMessageBox.StandardButton.Discard)
    problem = call.screen.outcome.problem_label
    desk.qtbot.waitUntil(lambda: "must be saved, not thrown away" in problem.text(), timeout=5_000)
    assert desk.session.call is call
    assert _stored(desk, call.draft.contact_id)
    save = call.screen.bar.save_button
    desk.qtbot.waitUntil(lambda: desk.window.focusWidget() is save, timeout=5_000)
    desk.window.activateWindow()
    desk.qtbot.waitUntil(desk.window.isActiveWindow, timeout=5_000)
    desk.keys(Qt.Key.Key_F4, "1")  # the call goes on and is still kept as it changes
    desk.qtbot.waitUntil(lambda: _answers_stored(desk, call.draft.contact_id), timeout=5_000)


def _stored(desk: object, contact_id: object) -> bool:
    from tests.ui.call_desk import Desk

    assert isinstance(desk, Desk)
    with desk.database.sessions() as session:
        return session.scalar(select(Contact.id).where(Contact.id == contact_id)) is not None


def _answers_stored(desk: object, contact_id: object) -> bool:
    from tests.ui.call_desk import Desk

    assert isinstance(desk, Desk)
    with desk.database.sessions() as session:
        row = session.get(Contact, contact_id)
        return row is not None and bool((row.draft or {}).get("answers"))
