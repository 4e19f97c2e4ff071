"""Real bugs get a crash report, not silence: a bug in a slot mid-call shows a dialog in words
with the report's path, the report holds the traceback and versions but nothing the handler
typed, the call's draft is kept, and the handler carries on or restarts the desk."""

from __future__ import annotations

import re
import sys
import threading
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

import spa_desk
from spa_desk.errors import InvalidInput
from tests.ui.call_desk import LEVEL1_SELF, DeskFactory, saved_one
from tests.ui.shell.crash_helpers import (
    NOTES,
    assert_no_personal_data,
    call_with_notes,
    crash_dialog,
    crash_reports,
    stored_notes,
    wait_for_crash_dialog,
)
from ui.shell.session import EXIT_OK

pytestmark = pytest.mark.usefixtures("crash_reports_expected")


def _ends_with(report: Path, line: str) -> bool:
    return report.read_text(encoding="utf-8").endswith(f"{line}\n")


def test_a_bug_in_a_slot_shows_a_report_keeps_the_call_and_the_handler_carries_on(
    desk_for: DeskFactory,
    monkeypatch: pytest.MonkeyPatch,
    capfd: pytest.CaptureFixture[str],
) -> None:
    desk, call = call_with_notes(desk_for, monkeypatch)

    def broken_search() -> None:
        notes = call.draft.notes  # what the handler typed, in a variable and in the message
        raise LookupError(f"cannot search for {notes}")

    monkeypatch.setattr(call.finder, "focus_search", broken_search)
    desk.keys(Qt.Key.Key_F3)  # the desk's F3 slot calls the broken search
    dialog = wait_for_crash_dialog(desk)

    [report] = crash_reports(desk.session.options.data_dir)
    assert re.fullmatch(r"crash-\d{4}-\d\d-\d\d-\d{6}Z\.txt", report.name)
    assert (
        "Something went wrong in SPA Desk. Your call has been kept. "
        f"A report was saved to {report}; please give it to your administrator."
    ) in dialog.text()
    assert dialog.isModal() and dialog.carry_on_button.text() == "&Carry on"
    text = report.read_text(encoding="utf-8")
    assert "What happened: an unexpected LookupError in a Qt slot or event handler." in text
    assert f"SPA Desk {spa_desk.__version__}" in text and "PySide6 " in text
    assert "Traceback (most recent call last):" in text
    assert re.search(r'File "ui/call/controller\.py", line \d+, in focus_search', text)
    assert re.search(r'File "tests/ui/shell/test_crash_report\.py", line \d+, in broken_', text)
    assert "The call on screen: kept" in text
    assert_no_personal_data(text)
    assert stored_notes(desk.database, call.draft.contact_id) == NOTES  # kept by the handler

    desk.qtbot.keyClick(dialog, Qt.Key.Key_Return)  # Carry on is the default
    desk.qtbot.waitUntil(lambda: crash_dialog() is None, timeout=5_000)
    assert desk.session.call is call and call.screen.isVisible()
    desk.qtbot.waitUntil(lambda: _ends_with(report, "The handler chose to carry on."))
    # The call goes on as if nothing had happened, to a saved contact.
    desk.screen({**LEVEL1_SELF, "information_only": "Y"})
    desk.keys(Qt.Key.Key_Space)
    desk.qtbot.keyClicks(call.screen.outcome.method_combo, "Information")
    contact = saved_one(desk)
    assert contact.notes == NOTES
    printed = "\n".join(capfd.readouterr())
    assert_no_personal_data(printed)


def test_restart_keeps_the_call_then_closes_the_desk_and_starts_it_again(
    desk_for: DeskFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    desk, call = call_with_notes(desk_for, monkeypatch)
    handler = desk.session.crash_handler
    restarted: list[tuple[bool, bool]] = []
    monkeypatch.setattr(
        desk.session,
        "restart_process",
        lambda: restarted.append((desk.window.isVisible(), handler.installed)),
    )

    def broken_slot() -> None:
        raise KeyError(call.draft.notes)

    call.screen.outcome.notes.textChanged.connect(broken_slot)
    desk.qtbot.keyClicks(call.screen.outcome.notes, ".")
    dialog = wait_for_crash_dialog(desk)
    assert "Your call has been kept." in dialog.text()
    assert restarted == []

    desk.qtbot.mouseClick(dialog.restart_button, Qt.MouseButton.LeftButton)
    desk.qtbot.waitUntil(desk.run.done, timeout=10_000)
    assert desk.run.result() == EXIT_OK
    assert restarted == [(False, False)]  # once the desk had closed and let go of the hooks
    assert stored_notes(desk.database, call.draft.contact_id) == NOTES + "."
    [report] = crash_reports(desk.session.options.data_dir)
    assert _ends_with(report, "The handler chose to restart the desk.")


def test_a_known_error_is_not_a_crash_and_a_crash_meanwhile_adds_to_the_report(
    desk_for: DeskFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    desk, call = call_with_notes(desk_for, monkeypatch)
    notes_changed = call.screen.outcome.notes.textChanged
    raised: list[type[Exception]] = [InvalidInput, ValueError, ZeroDivisionError]

    def failing_slot() -> None:
        kind = raised.pop(0)
        if kind is InvalidInput:
            raise InvalidInput("NHS number", "999 000 0026 has a wrong check digit")
        raise kind(call.draft.notes)

    notes_changed.connect(failing_slot)
    notes_changed.emit()  # a KnownError: said in words where it happens, never a crash
    assert crash_reports(desk.session.options.data_dir) == []
    notes_changed.emit()
    dialog = wait_for_crash_dialog(desk)
    notes_changed.emit()  # another bug while the report is on screen: no second dialog
    assert raised == []
    [report] = crash_reports(desk.session.options.data_dir)
    text = report.read_text(encoding="utf-8")
    assert "What happened: an unexpected ValueError in a Qt slot or event handler." in text
    assert re.search(
        r"Then, while this report was on screen: ZeroDivisionError in a Qt slot or event "
        r"handler at tests/ui/shell/test_crash_report\.py, line \d+, in failing_slot\.",
        text,
    )
    assert_no_personal_data(text)
    assert [crash_dialog()] == [dialog]
    notes_changed.disconnect(failing_slot)
    desk.qtbot.keyClick(dialog, Qt.Key.Key_Escape)  # Esc carries on too
    desk.qtbot.waitUntil(lambda: crash_dialog() is None, timeout=5_000)
    assert desk.session.call is call


def test_a_crash_inside_the_crash_handler_never_loops(
    desk_for: DeskFactory,
    monkeypatch: pytest.MonkeyPatch,
    capfd: pytest.CaptureFixture[str],
) -> None:
    desk, call = call_with_notes(desk_for, monkeypatch)
    written: list[str] = []

    def broken_writer(*args: object, **kwargs: object) -> None:
        written.append("tried")
        error = RuntimeError(call.draft.notes)
        sys.excepthook(RuntimeError, error, None)  # the handler's own code fails into the hook
        raise error

    monkeypatch.setattr("ui.shell.crash_handler.write_crash_report", broken_writer)
    call.screen.outcome.notes.textChanged.connect(lambda: 1 / 0)
    desk.qtbot.keyClicks(call.screen.outcome.notes, "!")
    desk.qtbot.waitUntil(lambda: len(written) == 1, timeout=5_000)
    desk.qtbot.wait(200)  # what a loop would have done by now
    assert written == ["tried"] and crash_dialog() is None
    err = capfd.readouterr().err
    assert "SPA Desk: an unexpected RuntimeError inside the crash handler." in err
    assert "while reporting an unexpected ZeroDivisionError" in err
    assert_no_personal_data(err)

    monkeypatch.undo()  # the handler works again for the next bug
    desk.qtbot.keyClicks(call.screen.outcome.notes, "?")
    dialog = wait_for_crash_dialog(desk)
    assert "Your call has been kept." in dialog.text()
    assert len(crash_reports(desk.session.options.data_dir)) == 1
    desk.qtbot.keyClick(dialog, Qt.Key.Key_Return)
    desk.qtbot.waitUntil(lambda: crash_dialog() is None, timeout=5_000)


def test_the_handler_is_installed_for_the_session_and_gone_when_it_ends(
    desk_for: DeskFactory,
) -> None:
    before = sys.excepthook, threading.excepthook
    desk = desk_for("handler")
    handler = desk.session.crash_handler
    assert handler.installed
    assert sys.excepthook == handler._sys_hook
    assert threading.excepthook == handler._thread_hook
    desk.window.close()
    desk.qtbot.waitUntil(desk.run.done, timeout=10_000)
    assert not handler.installed
    assert (sys.excepthook, threading.excepthook) == before
    loop_handler = getattr(desk.run.get_loop(), "_QEventLoop__exception_handler", None)
    assert loop_handler is None
