"""Every way a bug can surface reaches the same crash handler: an async slot, a background task,
a database job on the worker thread, a thread of its own, and a bug that ends the desk itself."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from spa_desk.calls.draft import CallDraft
from spa_desk.domain import CurrentUser
from tests.ui.call_desk import Desk, DeskFactory
from tests.ui.desk_helpers import press
from tests.ui.shell.crash_helpers import (
    NOTES,
    assert_no_personal_data,
    call_with_notes,
    crash_dialog,
    crash_reports,
    stored_notes,
    wait_for_crash_dialog,
)
from ui.call.controller import CallController
from ui.shell import crash_handler

pytestmark = pytest.mark.usefixtures("crash_reports_expected")


def _reported(desk: Desk, call: CallController, where: str) -> str:
    """Check the dialog and the report for a crash in ``where``; carry on; the report."""
    dialog = wait_for_crash_dialog(desk)
    [report] = crash_reports(desk.session.options.data_dir)
    assert f"A report was saved to {report}" in dialog.text()
    text = report.read_text(encoding="utf-8")
    assert f" in {where}." in text.splitlines()[2]
    assert_no_personal_data(text)
    desk.qtbot.keyClick(dialog, Qt.Key.Key_Return)
    desk.qtbot.waitUntil(lambda: crash_dialog() is None, timeout=5_000)
    assert desk.session.call is call
    return text


def test_a_bug_in_an_async_slot_is_reported(
    desk_for: DeskFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    desk, call = call_with_notes(desk_for, monkeypatch)

    async def broken_flush() -> None:
        await asyncio.sleep(0)
        raise ArithmeticError(call.draft.notes)

    monkeypatch.setattr(call, "flush_draft", broken_flush)
    press(desk.qtbot, "S", modifier=Qt.KeyboardModifier.ControlModifier)  # Ctrl+S: async slot
    text = _reported(desk, call, "an async slot")
    assert "ArithmeticError" in text and "in broken_flush" in text and "in save" in text
    assert stored_notes(desk.database, call.draft.contact_id) == NOTES


def test_a_bug_in_a_background_task_is_reported(
    desk_for: DeskFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    desk, call = call_with_notes(desk_for, monkeypatch)

    async def broken_refresh() -> None:
        await asyncio.sleep(0)
        raise LookupError(call.draft.notes)

    desk.session.spawn(broken_refresh())  # as the desk spawns its shift-list refreshes
    text = _reported(desk, call, "an asyncio task or callback")
    assert "LookupError" in text and "in broken_refresh" in text
    assert stored_notes(desk.database, call.draft.contact_id) == NOTES


@pytest.mark.parametrize("keeping_fails_too", [False, True], ids=["kept", "not-kept"])
def test_a_bug_in_a_database_job_on_the_worker_thread_is_reported(
    desk_for: DeskFactory, monkeypatch: pytest.MonkeyPatch, keeping_fails_too: bool
) -> None:
    desk, call = call_with_notes(desk_for, monkeypatch)
    threads: list[str] = []

    def broken_save_draft(database: object, actor: CurrentUser, draft: CallDraft) -> None:
        threads.append(threading.current_thread().name)
        raise UnicodeError(draft.notes)

    monkeypatch.setattr("ui.call.draft_keeper.save_draft", broken_save_draft)
    if keeping_fails_too:  # the crash handler's own write of the draft fails as well
        monkeypatch.setattr("spa_desk.calls.draft.save_draft", broken_save_draft)
    press(desk.qtbot, "S", modifier=Qt.KeyboardModifier.ControlModifier)  # flushes the draft
    dialog = wait_for_crash_dialog(desk)
    assert threads and all(name.startswith("spa-desk-db") for name in threads)
    [report] = crash_reports(desk.session.options.data_dir)
    text = report.read_text(encoding="utf-8")
    assert "What happened: an unexpected UnicodeError in an async slot." in text
    assert "in broken_save_draft" in text and "ui/kit/asyncio_qt.py" in text
    assert_no_personal_data(text)
    if keeping_fails_too:
        assert "Your call could NOT be kept: writing it went wrong too." in dialog.text()
        assert "The call on screen: NOT kept: writing its draft failed too (UnicodeError)." in text
        assert stored_notes(desk.database, call.draft.contact_id) is None
    else:
        assert "Your call has been kept." in dialog.text()
        assert stored_notes(desk.database, call.draft.contact_id) == NOTES
    desk.qtbot.keyClick(dialog, Qt.Key.Key_Return)
    desk.qtbot.waitUntil(lambda: crash_dialog() is None, timeout=5_000)
    monkeypatch.undo()


def test_a_bug_in_a_thread_of_its_own_is_reported_on_the_gui_thread(
    desk_for: DeskFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    desk, call = call_with_notes(desk_for, monkeypatch)

    def adapter() -> None:
        raise ConnectionError(call.draft.notes)

    thread = threading.Thread(target=adapter, name="telephony-adapter")
    thread.start()
    thread.join(timeout=5)
    text = _reported(desk, call, "the thread 'telephony-adapter'")
    assert "ConnectionError" in text and "in adapter" in text
    assert stored_notes(desk.database, call.draft.contact_id) == NOTES


def test_a_bug_that_ends_the_desk_leaves_a_report(isolated_home: Path) -> None:
    probe = (
        "import sys\n"
        "from ui.shell import session\n"
        "async def broken(self):\n"
        f"    notes = {NOTES!r}\n"
        "    raise RuntimeError(notes)\n"
        "session.DeskSession.interactive = broken\n"
        "from ui.shell.launcher import main\n"
        "sys.exit(main([]))\n"
    )
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    root = Path(__file__).resolve().parents[3]
    result = subprocess.run(
        [sys.executable, "-c", probe],
        capture_output=True,
        text=True,
        env=env,
        cwd=root,
        timeout=60,
        check=False,
    )
    assert result.returncode == 1, result.stderr
    [report] = crash_reports(isolated_home / ".local" / "share" / "spa-desk")
    assert result.stderr.endswith(
        f"SPA Desk stopped after an unexpected RuntimeError. A report was saved to {report}; "
        "please give it to your administrator.\n"
    )
    text = report.read_text(encoding="utf-8")
    assert "What happened: an unexpected RuntimeError in the desk itself." in text
    assert "in broken" in text
    assert_no_personal_data(text + result.stdout + result.stderr)


def test_restarting_starts_the_same_desk_again(monkeypatch: pytest.MonkeyPatch) -> None:
    started: list[tuple[str, list[str]]] = []
    monkeypatch.setattr(os, "execv", lambda path, args: started.append((path, list(args))))
    monkeypatch.setattr(sys, "orig_argv", ["python3", "-m", "ui.shell.launcher", "--config", "c"])
    crash_handler.restart_desk_process()
    assert started == [
        (sys.executable, [sys.executable, "-m", "ui.shell.launcher", "--config", "c"])
    ]
