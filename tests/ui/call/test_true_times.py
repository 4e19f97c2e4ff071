"""Times that are true (issue 11 item 11), on the real window: the notes count their characters
and refuse more than the record keeps in words, losing nothing; wrap-up time stops while the
desk is closed."""

from __future__ import annotations

import uuid
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox

from db.models import Contact
from spa_desk.calls.draft import NOTES_LIMIT
from tests.ui.call_desk import Desk, DeskFactory, saved_one
from tests.ui.desk_helpers import top_level


def test_notes_count_their_characters_and_refuse_too_many_in_words(
    desk_for: DeskFactory,
) -> None:
    desk = desk_for("handler")
    call = desk.new_call()
    desk.screen({"call_kind": "2"})  # a silent call: notes only
    outcome = call.screen.outcome
    assert outcome.notes_count.text() == "0 of 10,000 characters"
    desk.qtbot.keyClick(call.screen, "M", Qt.KeyboardModifier.ControlModifier)
    desk.qtbot.waitUntil(outcome.notes.hasFocus, timeout=3_000)
    desk.qtbot.keyClicks(outcome.notes, "Line open")
    assert outcome.notes_count.text() == "9 of 10,000 characters"
    # A long letter pasted in: one character too many.
    QApplication.clipboard().setText("x" * (NOTES_LIMIT - 9 + 1))
    desk.qtbot.keyClick(outcome.notes, "V", Qt.KeyboardModifier.ControlModifier)
    assert outcome.notes_count.text() == (
        "10,001 characters: 1 more than the 10,000 the record keeps"
    )
    desk.save()
    desk.qtbot.waitUntil(lambda: outcome.problem_label.text().startswith("Notes:"))
    assert outcome.problem_label.text() == (
        "Notes: 10,001 characters is more than the 10,000 the record keeps: shorten them by 1"
    )
    assert desk.stored() == [] and desk.session.call is call
    desk.qtbot.waitUntil(outcome.notes.hasFocus, timeout=3_000)  # where the problem is
    assert len(call.draft.notes) == NOTES_LIMIT + 1  # nothing typed is lost
    desk.keys(Qt.Key.Key_End, Qt.Key.Key_Backspace)
    assert outcome.notes_count.text() == "10,000 of 10,000 characters"
    contact = saved_one(desk)
    assert contact.notes is not None and len(contact.notes) == NOTES_LIMIT


def test_wrap_up_time_stops_while_the_desk_is_closed(desk_for: DeskFactory) -> None:
    first = desk_for("handler")
    call = first.new_call()
    first.screen({"call_kind": "2"})
    first.keys(Qt.Key.Key_F10)  # the call ends: wrap-up begins
    first.qtbot.waitUntil(lambda: call.draft.ended_at is not None)
    bar = call.screen.bar
    first.clock.advance(40)
    call.show_timers()
    assert bar.wrap_label.text() == "wrap-up 00:40"
    first.qtbot.waitUntil(lambda: _kept(first, call.draft.contact_id).get("seen_at") is not None)
    first.window.close()  # the desk goes down forty seconds into wrap-up
    first.qtbot.waitUntil(first.run.done, timeout=10_000)

    second = desk_for("handler")
    second.clock.advance(2 * 60 * 60 + 40)  # back two hours later
    second.qtbot.waitUntil(lambda: top_level(QMessageBox)() is not None, timeout=10_000)
    offer = top_level(QMessageBox)()
    assert isinstance(offer, QMessageBox)
    second.qtbot.keyClick(offer, Qt.Key.Key_Return)  # carry on with the call
    second.qtbot.waitUntil(lambda: second.session.call is not None, timeout=10_000)
    back = second.call
    back.show_timers()
    # Once a restart added the two hours the desk was down.
    assert back.screen.bar.wrap_label.text() == "wrap-up 00:40"
    second.clock.advance(20)
    back.show_timers()
    assert back.screen.bar.wrap_label.text() == "wrap-up 01:00"
    # The offscreen platform has no window manager to give the window back after the offer.
    second.window.activateWindow()
    second.qtbot.waitUntil(second.window.isActiveWindow, timeout=5_000)
    second.qtbot.keyClick(back.screen, "S", Qt.KeyboardModifier.ControlModifier)
    second.wait_saved()
    [contact] = second.stored()
    assert contact.wrap_up_seconds == 60


def _kept(desk: Desk, contact_id: uuid.UUID) -> dict[str, Any]:
    with desk.database.sessions() as session:
        stored = session.get(Contact, contact_id)
        return dict(stored.draft or {}) if stored is not None else {}
