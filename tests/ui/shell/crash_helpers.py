"""For the crash-report tests: a call with personal data typed in, and what a crash left."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest

from db.models import Contact
from spa_desk.database import Database
from tests.ui.call_desk import Desk, DeskFactory
from tests.ui.desk_helpers import top_level
from ui.call.controller import CallController
from ui.shell.crash_handler import CrashDialog

NOTES = "Rosalind Quenby, NHS 999 000 0026, rang from 07700 900123: fell twice"
PERSONAL = ("Rosalind", "Quenby", "9990000026", "999 000 0026", "07700 900123", "07700900123")
"""What the handler typed that must never reach a crash report or the console."""


def call_with_notes(
    desk_for: DeskFactory, monkeypatch: pytest.MonkeyPatch
) -> tuple[Desk, CallController]:
    """A handler's call with personal data typed into its notes and not yet in the database:
    its draft keeper waits ten minutes, so only the crash handler writes it."""
    monkeypatch.setattr("ui.call.draft_keeper.DRAFT_DELAY_MS", 600_000)
    desk = desk_for("handler")
    call = desk.new_call()
    desk.qtbot.keyClicks(call.screen.outcome.notes, NOTES)
    desk.qtbot.waitUntil(lambda: call.draft.notes == NOTES, timeout=5_000)
    assert stored_notes(desk.database, call.draft.contact_id) is None
    return desk, call


def crash_dialog() -> CrashDialog | None:
    """The crash dialog on screen, if any."""
    found = top_level(CrashDialog)()
    assert found is None or isinstance(found, CrashDialog)
    return found


def wait_for_crash_dialog(desk: Desk) -> CrashDialog:
    desk.qtbot.waitUntil(lambda: crash_dialog() is not None, timeout=10_000)
    dialog = crash_dialog()
    assert dialog is not None
    return dialog


def crash_reports(data_dir: Path) -> list[Path]:
    """The crash reports in a desk's data folder, oldest first."""
    return sorted((data_dir / "crash-reports").glob("crash-*.txt"))


def stored_notes(database: Database, contact_id: uuid.UUID) -> str | None:
    """The notes of the call's draft as the database holds them (None: no draft row)."""
    with database.sessions() as session:
        stored = session.get(Contact, contact_id)
        if stored is None or stored.draft is None:
            return None
        assert stored.status == "draft"
        return str(stored.draft.get("notes"))


def assert_no_personal_data(text: str) -> None:
    for personal in PERSONAL:
        assert personal not in text, f"{personal!r} reached the crash report"
