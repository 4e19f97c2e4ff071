"""A trainee practises on the training desk (SPEC 7), by keys: F7, a sample call found and taken
(Ctrl+Return), worked on the call screen while its caller is heard, saved (Ctrl+S); the desk
scores it against the expected decision, keeps the result and says each difference; the live
database is byte for byte as it was. A practice call handed off at level 2 is scored on the
handler's part: level 1, stream and resolution."""

from __future__ import annotations

import asyncio
import hashlib
from datetime import UTC, datetime
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from spa_desk.cli.options import DeskOptions
from spa_desk.database import Database, open_database
from spa_desk.settings import Settings
from spa_desk.training.mode import make_training
from spa_desk.training.scoring import history
from tests.factories import add_person, add_user
from tests.ui.call.test_level1_in_seconds import _box, _key
from tests.ui.call_desk import Desk
from tests.ui.desk_helpers import MovableClock, log_in, press, top_level
from ui.shell.session import DeskSession
from ui.training.replay import ReplayDialog
from ui.training.results import ResultsDialog

NOW = datetime(2026, 11, 17, 14, 0, tzinfo=UTC)
PASSWORD = "trainee pass phrase"


def _answering(desk: Desk) -> bool:
    """The keyboard is on the first question's answers (not the line box, not the library)."""
    focus = QApplication.focusWidget()
    return focus is not None and desk.call.screen.screening.answers_box.isAncestorOf(focus)


def _trainee_desk(qtbot: QtBot, training: Database, data: Path) -> Desk:
    """Tia Trainee (a call handler) logged in at a desk in training mode on ``training``."""
    add_user(training, "tia", PASSWORD, ("call_handler",), "Tia Trainee")
    options = DeskOptions(
        settings=Settings(), database_url=training.url, data_dir=data, training=True
    )
    clock = MovableClock(NOW)
    session = DeskSession(options, clock=clock)
    run, window = log_in(qtbot, session, "tia", PASSWORD)
    return Desk(qtbot, training, session, window, run, clock)


def test_a_trainee_works_a_sample_call_by_keys_and_is_scored(
    qtbot: QtBot, qasync_loop: asyncio.AbstractEventLoop, tmp_path: Path
) -> None:
    live_path = tmp_path / "spa-desk.sqlite3"
    live = open_database(f"sqlite:///{live_path}")
    add_person(live)
    live.close()
    before = hashlib.sha256(live_path.read_bytes()).hexdigest()
    training = open_database(f"sqlite:///{tmp_path / 'training.sqlite3'}")
    desk = _trainee_desk(qtbot, training, tmp_path)
    session, window, run = desk.session, desk.window, desk.run
    try:
        assert window.practice_action.isEnabled()
        qtbot.keyClick(window, Qt.Key.Key_F7)
        qtbot.waitUntil(lambda: top_level(ReplayDialog)() is not None, timeout=10_000)
        dialog = top_level(ReplayDialog)()
        assert isinstance(dialog, ReplayDialog) and dialog.practice
        assert not dialog.answer_button.isVisible()  # no answer before the score
        qtbot.keyClicks(dialog.find_edit, "dentist")
        assert dialog.call is not None and dialog.call.id == "wrong-number-dentist"
        qtbot.waitUntil(dialog.play_button.isEnabled, timeout=20_000)
        qtbot.keyClick(dialog.library_list, "R", Qt.KeyboardModifier.ControlModifier)
        assert dialog.answer.isHidden()
        qtbot.keyClick(dialog.library_list, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
        qtbot.waitUntil(lambda: session.call is not None, timeout=10_000)
        assert dialog.playing  # the caller is heard while the trainee works
        # During the call F7 is the call's warm hand-off, not another practice call.
        assert not window.practice_action.isEnabled()
        qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=10_000)
        qtbot.waitUntil(lambda: _answering(desk), timeout=10_000)
        desk.keys("3")  # a wrong number
        desk.save()
        desk.wait_saved()
        qtbot.waitUntil(lambda: top_level(QMessageBox)() is not None, timeout=10_000)
        box = top_level(QMessageBox)()
        assert isinstance(box, QMessageBox) and "You scored 5 of 5" in box.text()
        qtbot.keyClick(box, Qt.Key.Key_Return)
        assert window.practice_action.isEnabled()
        assert session.last_score is not None and session.last_score.words == "5 of 5"
        user = session.user
        assert user is not None
        [kept] = history(training, user, user.id)
        assert kept.call_id == "wrong-number-dentist" and kept.marks == session.last_score.marks
        # F8: the trainee's own results, and nobody else's; no table across trainees.
        qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=10_000)
        qtbot.keyClick(window, Qt.Key.Key_F8)
        qtbot.waitUntil(lambda: top_level(ResultsDialog)() is not None, timeout=10_000)
        results = top_level(ResultsDialog)()
        assert isinstance(results, ResultsDialog)
        qtbot.waitUntil(lambda: results.history.rowCount() == 1, timeout=10_000)
        assert results.windowTitle().startswith("My practice results")
        assert results.trainee_list.count() == 1 and not results.routes.isVisible()
        history_item = results.history.item(0, 2)
        assert history_item is not None and history_item.text() == "5 of 5"
        results.close()
    finally:
        window.close()
        qtbot.waitUntil(run.done, timeout=10_000)
        training.close()
    assert hashlib.sha256(live_path.read_bytes()).hexdigest() == before


def test_a_practice_call_handed_off_at_level_2_is_scored_on_what_the_handler_decides(
    qtbot: QtBot, qasync_loop: asyncio.AbstractEventLoop, tmp_path: Path
) -> None:
    training = open_database(f"sqlite:///{tmp_path / 'training.sqlite3'}")
    make_training(training)  # marked first: a training database holds made-up people only
    add_person(training)
    desk = _trainee_desk(qtbot, training, tmp_path)
    session, window, run = desk.session, desk.window, desk.run
    try:
        qtbot.keyClick(window, Qt.Key.Key_F7)
        qtbot.waitUntil(lambda: top_level(ReplayDialog)() is not None, timeout=10_000)
        dialog = top_level(ReplayDialog)()
        assert isinstance(dialog, ReplayDialog)
        qtbot.keyClicks(dialog.find_edit, "daughter worried")
        assert dialog.call is not None and dialog.call.id == "fall-daughter-worried"
        qtbot.waitUntil(dialog.play_button.isEnabled, timeout=20_000)
        qtbot.keyClick(dialog.library_list, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
        qtbot.waitUntil(lambda: session.call is not None, timeout=10_000)
        qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=10_000)
        qtbot.waitUntil(lambda: _answering(desk), timeout=10_000)
        # Level 1 by keys, as on any call: a daughter rings about her mother's fall.
        _key(desk, "1")  # a data call
        _key(desk, "2")  # a family member rings
        _key(desk, _box(desk, "fall_recent"), Qt.Key.Key_Return)
        _key(desk, "N")
        _key(desk, "N")
        desk.find_and_open("Testperson", consent="2")
        desk.give_caller("Jo Testperson", "daughter")
        asked = desk.call.session().next_question()
        assert asked is not None and asked.level == 2  # a practitioner's questions now
        press(qtbot, Qt.Key.Key_F7)  # handed off warm to the health stream
        qtbot.waitUntil(lambda: session.call is None, timeout=10_000)
        qtbot.waitUntil(lambda: top_level(QMessageBox)() is not None, timeout=10_000)
        box = top_level(QMessageBox)()
        assert isinstance(box, QMessageBox) and "You scored 3 of 3" in box.text()
        assert "the routes and urgency are the practitioner's" in box.informativeText()
        qtbot.keyClick(box, Qt.Key.Key_Return)
        user = session.user
        assert user is not None
        [kept] = history(training, user, user.id)
        assert kept.call_id == "fall-daughter-worried"
        assert kept.marks == {"level1": True, "stream": True, "resolution": True}
        assert window.practice_action.isEnabled()  # ready for the next practice call
        qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=10_000)
        qtbot.keyClick(window, Qt.Key.Key_F8)  # the trainee's results say what was marked
        qtbot.waitUntil(lambda: top_level(ResultsDialog)() is not None, timeout=10_000)
        results = top_level(ResultsDialog)()
        assert isinstance(results, ResultsDialog)
        qtbot.waitUntil(lambda: results.history.rowCount() == 1, timeout=10_000)
        score, said = results.history.item(0, 2), results.history.item(0, 3)
        assert score is not None and score.text() == "3 of 3 (handed off)"
        assert said is not None and said.text().startswith("Nothing: level 1 done and handed off")
        results.close()
    finally:
        window.close()
        qtbot.waitUntil(run.done, timeout=10_000)
        training.close()
