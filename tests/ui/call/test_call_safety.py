"""A call is never lost or leaked: the idle lock mid-call, logs without personal data, calls
from the telephone system and the level-2 gate for call handlers (the new-person form has its
own tests, in test_new_person_form.py)."""

from __future__ import annotations

import logging
import time
import uuid

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from db.models import Caller, Contact
from spa_desk.telephony.events import CallAnswered, CallEnded, IncomingCall, TelephonyFeed
from spa_desk.vocabulary import Line
from tests.ui.call_desk import LEVEL1_SELF, NOW, PASSWORD, Desk, DeskFactory, saved_one
from ui.shell.login_dialog import LoginDialog


def _lock_dialog() -> LoginDialog | None:
    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, LoginDialog) and widget.isVisible() and widget.locked_for:
            return widget
    return None


def test_the_desk_locks_mid_call_and_unlocking_restores_the_call(desk_for: DeskFactory) -> None:
    # Long enough that a busy machine never locks the desk while the test is still typing.
    desk = desk_for("practitioner", idle_ms=5_000)
    call = desk.new_call()
    desk.screen({**LEVEL1_SELF, "abuse_or_neglect": "Y"}, until="in_danger_now")
    desk.qtbot.keyClicks(call.screen.outcome.notes, "Neighbour heard shouting at night.")
    desk.find_and_open("Testperson")
    before = call.draft
    desk.qtbot.waitUntil(lambda: _lock_dialog() is not None, timeout=10_000)
    lock = _lock_dialog()
    assert lock is not None
    assert not call.screen.isVisible()  # nothing about the call shows on an unattended desk
    assert lock.user_edit.text() == "practitioner"
    desk.qtbot.keyClicks(lock.password_edit, PASSWORD)
    desk.qtbot.keyClick(lock.password_edit, Qt.Key.Key_Return)
    desk.qtbot.waitUntil(call.screen.isVisible, timeout=10_000)
    desk.qtbot.waitUntil(desk.window.isActiveWindow, timeout=5_000)
    assert desk.session.call is call and call.draft == before
    screening = call.screen.screening
    assert screening.question_label.text() == "Is the person in danger right now?"
    assert call.screen.outcome.notes.toPlainText() == "Neighbour heard shouting at night."
    assert "Ada TESTPERSON" in call.screen.person.record_label.text()
    desk.screen({"personal_care_need": "Y"})
    contact = saved_one(desk)
    assert contact.notes == "Neighbour heard shouting at night."


PERSONAL = ("Ada", "Testperson", "TESTPERSON", "9990000026", "999 000 0026", "07700900001",
            "ZY1 1AA", "1941", "Neighbour")  # fmt: skip


def test_a_whole_call_logs_no_personal_data(
    desk_for: DeskFactory, caplog: pytest.LogCaptureFixture, capfd: pytest.CaptureFixture[str]
) -> None:
    caplog.set_level(logging.DEBUG)  # everything any library would log, SQL included
    for name in ("sqlalchemy.engine", "sqlalchemy.pool"):
        logging.getLogger(name).setLevel(logging.DEBUG)
    # Mapper and event-loop chatter (no values in it) is left at INFO: at DEBUG it slows the
    # desk so much on a busy machine that the test times out rather than looks.
    logging.getLogger("sqlalchemy.orm").setLevel(logging.INFO)
    logging.getLogger("qasync").setLevel(logging.INFO)
    try:
        desk = desk_for("practitioner")
        call = desk.new_call()
        desk.screen({**LEVEL1_SELF, "abuse_or_neglect": "Y"}, until="in_danger_now")
        desk.find_and_open("Testperson")
        desk.qtbot.keyClicks(call.screen.outcome.notes, "Neighbour heard shouting.")
        desk.screen({"personal_care_need": "Y"})
        saved_one(desk)
    finally:
        for name in ("sqlalchemy.engine", "sqlalchemy.pool", "sqlalchemy.orm", "qasync"):
            logging.getLogger(name).setLevel(logging.NOTSET)
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "INSERT INTO contacts" in logged or "UPDATE contacts" in logged  # SQL was logged
    printed = "\n".join(capfd.readouterr())
    for text in PERSONAL:
        assert text not in logged, f"{text!r} reached the log"
        assert text not in printed, f"{text!r} reached the console"


def test_a_call_from_the_telephone_system_rings_then_times_talk_and_wrap_up(
    desk_for: DeskFactory,
) -> None:
    desk = desk_for("handler")
    feed = TelephonyFeed()
    desk.session.listen_to(feed)
    feed.publish(
        IncomingCall(call_ref="q1-77", at=NOW, caller_number="07700 900001", line=Line.HEALTH)
    )
    desk.qtbot.waitUntil(lambda: desk.session.call is not None, timeout=5_000)
    call = desk.call
    bar = call.screen.bar
    assert bar.state_label.text() == "● Ringing"
    assert bar.line_combo.currentText() == "Health line"
    # The caller's number fills the search: their record is offered at once.
    desk.qtbot.waitUntil(lambda: len(call.matches) == 1, timeout=5_000)
    assert call.screen.person.search_edit.text() == "07700900001"
    # The call-back number and the line came with the call: nobody types them.
    assert call.screen.caller.phone_edit.text() == "07700900001"
    history = call.screen.screening.history
    assert history.item(0).text() == "Line  →  health  (from the telephone system)"
    assert "TESTPERSON, Ada" in call.screen.person.results.item(0).text()
    desk.clock.advance(8)
    feed.publish(CallAnswered(call_ref="q1-77", at=desk.clock()))
    desk.qtbot.waitUntil(lambda: bar.state_label.text() == "● On call")
    desk.clock.advance(125)
    call.show_timers()
    assert bar.talk_label.text() == "02:05"
    feed.publish(CallEnded(call_ref="other", at=desk.clock()))  # another desk's call
    assert bar.state_label.text() == "● On call"
    feed.publish(CallEnded(call_ref="q1-77", at=desk.clock()))
    desk.qtbot.waitUntil(lambda: bar.state_label.text() == "● Wrap-up")
    desk.clock.advance(30)
    call.show_timers()
    assert bar.talk_label.text() == "talk 02:05" and bar.wrap_label.text() == "wrap-up 00:30"
    # A second call ringing meanwhile is announced, not opened over this one.
    feed.publish(IncomingCall(call_ref="q1-78", at=desk.clock(), line=Line.GENERAL))
    desk.qtbot.waitUntil(lambda: "Another call is ringing" in desk.window.refresh_label.text())
    assert desk.session.call is call
    desk.screen({**LEVEL1_SELF, "information_only": "Y"})
    desk.keys(Qt.Key.Key_Space)
    desk.qtbot.keyClicks(call.screen.outcome.method_combo, "Information")
    contact = saved_one(desk)
    assert contact.line == "health" and contact.caller_number == "07700900001"
    assert contact.started_at == NOW
    assert contact.answered_at == NOW.replace(second=8)
    assert contact.ended_at is not None and (contact.ended_at - contact.answered_at).seconds == 125
    assert contact.wrap_up_ended_at is not None
    assert (contact.wrap_up_ended_at - contact.ended_at).seconds == 30
    assert contact.wrap_up_seconds == 30
    with desk.database.sessions() as session:
        caller = session.get(Caller, contact.caller_id)
        assert caller is not None
        assert (caller.caller_type, caller.relationship, caller.phone) == (
            "self", "self", "07700900001",
        )  # fmt: skip


def test_a_call_handler_passes_level_2_to_a_practitioner(desk_for: DeskFactory) -> None:
    desk = desk_for("handler")
    call = desk.new_call()
    desk.screen({**LEVEL1_SELF, "mobility_decline": "Y"}, until="nursing_need")
    screening = call.screen.screening
    assert screening.stage_label.text() == "Level 2 · health stream"
    assert not screening.answers_box.isEnabled()
    assert "run by a practitioner" in screening.blocked_label.text()
    desk.save()
    problem = call.screen.outcome.problem_label
    desk.qtbot.waitUntil(problem.isVisible, timeout=5_000)
    assert problem.text() == (
        "Not saved: Sam Okafor (Call handler) may not run level-2 screening. "
        "Ask an administrator if your roles should allow it."
    )
    assert desk.stored() == []


def test_closing_the_desk_mid_call_keeps_the_last_keystrokes(desk_for: DeskFactory) -> None:
    desk = desk_for("handler")
    call = desk.new_call()
    desk.screen({**LEVEL1_SELF}, until="risk_to_life")
    desk.qtbot.keyClicks(call.screen.outcome.notes, "Caller rang off")
    draft = call.draft
    desk.window.close()  # at once: sooner than the draft would be written on its own
    desk.qtbot.waitUntil(desk.run.done, timeout=10_000)
    with desk.database.sessions() as session:
        stored = session.get(Contact, draft.contact_id)
        assert stored is not None and stored.status == "draft"
        assert stored.draft is not None and stored.draft["notes"] == "Caller rang off"


def test_steady_typing_is_kept_within_a_second(desk_for: DeskFactory) -> None:
    desk = desk_for("handler")
    call = desk.new_call()
    notes = call.screen.outcome.notes
    notes.setFocus()
    started = time.monotonic()
    kept: list[float] = []
    call.draft_saved.connect(lambda: kept.append(time.monotonic() - started))
    for letter in "Caller is typing without a pause for breath":  # a key every 50 ms
        desk.qtbot.keyClicks(notes, letter)
        desk.qtbot.wait(50)
    assert kept and kept[0] < 1.0  # written while the typing went on, not after it stopped
    desk.qtbot.waitUntil(lambda: call.draft.notes.endswith("breath"))
    desk.qtbot.waitUntil(lambda: _stored_notes(desk, call.draft.contact_id).endswith("breath"))


def _stored_notes(desk: Desk, contact_id: uuid.UUID) -> str:
    with desk.database.sessions() as session:
        stored = session.get(Contact, contact_id)
        return str((stored.draft or {}).get("notes", "")) if stored is not None else ""
