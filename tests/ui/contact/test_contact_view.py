"""The read-only contact view for those who may read a contact but not the person: an SPA manager
reads the screening and outcome, and is never offered the person; an open draft says it is open.
Every control has a name and Tab reaches them in order."""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QApplication, QTextBrowser
from pytestqt.qtbot import QtBot

from spa_desk.database import Database
from tests.factories import add_contact, add_person, add_user
from tests.ui.desk_helpers import press, top_level
from tests.ui.shell.role_desk import PASSWORD, start_desk
from ui.call.person_dialogs import ConsentDialog
from ui.contact.controller import NOT_YOUR_ROLE, ContactViewController
from ui.shell.session import DeskSession

NOW = datetime(2026, 11, 17, 14, 0, tzinfo=UTC)


@pytest.fixture
def contacts(database: Database) -> dict[str, uuid.UUID]:
    """A referral about Ada at 13:30 and a call still open (a draft) at 13:50."""
    handler = add_user(database, "handler", PASSWORD, ("call_handler",), "Sam Okafor")
    add_user(database, "manager", PASSWORD, ("spa_manager",), "Morag Lyle")
    ada = add_person(database, date_of_birth=date(1941, 3, 12))
    referred = add_contact(
        database,
        handler,
        NOW - timedelta(minutes=30),
        person_id=ada,
        final_routes=[{"route": "adult_social_care", "urgency": "soon"}],
        recommended_routes=[{"route": "adult_social_care", "urgency": "soon"}],
        outcome="referred",
        resolved_at_first_contact=False,
        notes="Carer exhausted; needs help with morning washes.",
    )
    draft = add_contact(
        database,
        handler,
        NOW - timedelta(minutes=10),
        status="draft",
        outcome=None,
        level1=None,
        stream=None,
        final_routes=[],
        recommended_routes=[],
    )
    return {"referred": referred, "draft": draft}


def _open_row(qtbot: QtBot, session: DeskSession, row: int) -> ContactViewController:
    page = session.window.shift_page
    qtbot.waitUntil(lambda: page.model.rowCount() == 2, timeout=10_000)
    qtbot.waitUntil(session.window.isActiveWindow, timeout=5_000)
    page.table.setFocus()
    for _ in range(row):
        press(qtbot, Qt.Key.Key_Down)
    qtbot.waitUntil(lambda: page.table.currentIndex().row() == row, timeout=5_000)
    press(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: session.contact is not None, timeout=5_000)
    viewer = session.contact
    assert viewer is not None
    qtbot.waitUntil(lambda: viewer.detail is not None, timeout=10_000)
    return viewer


def test_a_manager_reads_the_contact_and_is_never_offered_the_person(
    qtbot: QtBot,
    qasync_loop: asyncio.AbstractEventLoop,
    database: Database,
    contacts: dict[str, uuid.UUID],
    tmp_path: Path,
) -> None:
    run, session = start_desk(qtbot, database, tmp_path, "manager", lambda: NOW)
    view = _open_row(qtbot, session, 1).view  # newest first: the referral is the second row
    text = view.contact_text.toPlainText()
    assert "Outcome\nReferred" in text and "Referred to" not in text  # no referral rows made
    assert "Notes\nCarer exhausted; needs help with morning washes." in text
    assert view.person_note.text() == NOT_YOUR_ROLE
    assert not view.person_button.isVisible() and not view.person_text.isVisible()
    press(qtbot, "O", modifier=Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: not session.contact or not session.contact._tasks, timeout=5_000)
    assert top_level(ConsentDialog)() is None
    assert "Ada" not in text and "TESTPERSON" not in text.upper()
    session.window.close()
    qtbot.waitUntil(run.done, timeout=10_000)


def test_an_open_draft_says_it_is_still_open(
    qtbot: QtBot,
    qasync_loop: asyncio.AbstractEventLoop,
    database: Database,
    contacts: dict[str, uuid.UUID],
    tmp_path: Path,
) -> None:
    run, session = start_desk(qtbot, database, tmp_path, "handler", lambda: NOW)
    view = _open_row(qtbot, session, 0).view
    text = view.contact_text.toPlainText()
    assert "Status\nOpen: the call is still a draft" in text
    assert "The rules decide when the call is saved." in text
    assert "Level 1\nnot decided yet" in text
    session.window.close()
    qtbot.waitUntil(run.done, timeout=10_000)


def test_every_control_is_named_and_tab_goes_through_them_in_order(
    qtbot: QtBot,
    qasync_loop: asyncio.AbstractEventLoop,
    database: Database,
    contacts: dict[str, uuid.UUID],
    tmp_path: Path,
) -> None:
    run, session = start_desk(qtbot, database, tmp_path, "handler", lambda: NOW)
    view = _open_row(qtbot, session, 1).view
    qtbot.waitUntil(view.person_button.isVisible, timeout=5_000)
    controls = [*view.findChildren(QAbstractButton), *view.findChildren(QTextBrowser)]
    controls = [w for w in controls if w.isVisibleTo(view)]
    assert controls and all(w.accessibleName() for w in controls)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is view.contact_text, timeout=5_000)
    order = [QApplication.focusWidget()]
    for _ in range(2):
        press(qtbot, Qt.Key.Key_Tab)
        order.append(QApplication.focusWidget())
    assert order == [view.contact_text, view.person_button, view.back_button]
    session.window.close()
    qtbot.waitUntil(run.done, timeout=10_000)


def test_a_refresh_keeps_the_cursor_on_the_contact_chosen(
    qtbot: QtBot,
    qasync_loop: asyncio.AbstractEventLoop,
    database: Database,
    contacts: dict[str, uuid.UUID],
    tmp_path: Path,
) -> None:
    run, session = start_desk(qtbot, database, tmp_path, "handler", lambda: NOW)
    page = session.window.shift_page
    qtbot.waitUntil(lambda: page.model.rowCount() == 2, timeout=10_000)
    qtbot.waitUntil(session.window.isActiveWindow, timeout=5_000)
    page.table.setFocus()
    press(qtbot, Qt.Key.Key_Down)
    qtbot.waitUntil(lambda: page.table.currentIndex().row() == 1, timeout=5_000)
    # Another desk saves a call meanwhile: it lands on top of the list at the next refresh.
    handler = session.user
    assert handler is not None
    add_contact(database, handler.id, NOW - timedelta(minutes=5))
    press(qtbot, Qt.Key.Key_F5)
    qtbot.waitUntil(lambda: page.model.rowCount() == 3, timeout=10_000)
    assert page.table.currentIndex().row() == 2  # still the 13:30 referral
    press(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: session.contact is not None, timeout=5_000)
    assert session.contact is not None and session.contact.contact.id == contacts["referred"]
    session.window.close()
    qtbot.waitUntil(run.done, timeout=10_000)


def test_a_manager_plays_the_calls_recording_and_the_playback_is_audited(
    qtbot: QtBot,
    qasync_loop: asyncio.AbstractEventLoop,
    database: Database,
    contacts: dict[str, uuid.UUID],
    tmp_path: Path,
) -> None:
    import wave

    from sqlalchemy import func, select

    from db.models import AuditEvent
    from spa_desk.telephony import call_log
    from spa_desk.telephony.events import IncomingCall
    from spa_desk.telephony.recordings import keep_recording, recordings_folder

    folder = recordings_folder(tmp_path)
    folder.mkdir()
    for side in ("dec", "enc"):
        with wave.open(str(folder / f"dump-2026-11-17-13-30-00-{side}.wav"), "wb") as out:
            out.setnchannels(1)
            out.setsampwidth(2)
            out.setframerate(8000)
            out.writeframes(b"\x00\x08" * 8000 * 3)
    rang = NOW - timedelta(minutes=30)
    call_log.rang(database, None, IncomingCall(call_ref="c1", at=rang))
    call_log.ended(database, "c1", rang + timedelta(minutes=6), keep_recording(folder, "c1", rang))
    call_log.link_contact(database, "c1", contacts["referred"])

    def played() -> int:
        with database.sessions() as session:
            query = select(func.count()).where(AuditEvent.action == "recording_played")
            return int(session.execute(query).scalar_one())

    run, session = start_desk(qtbot, database, tmp_path, "manager", lambda: NOW)
    viewer = _open_row(qtbot, session, 1)
    view = viewer.view
    qtbot.waitUntil(view.recording_button.isVisible, timeout=5_000)
    assert view.recording_button.text() == "Play the call's recording  (Ctrl+P)"
    press(qtbot, "P", modifier=Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: played() == 1, timeout=10_000)
    qtbot.waitUntil(lambda: viewer.player is not None, timeout=5_000)
    assert viewer.player is not None
    assert viewer.player.qt.source().toLocalFile().endswith("-both.wav")
    assert viewer.seconds == 3.0
    session.window.close()
    qtbot.waitUntil(run.done, timeout=10_000)
    # A handler reading the same contact is never offered the recording.
    run, session = start_desk(qtbot, database, tmp_path / "other", "handler", lambda: NOW)
    view = _open_row(qtbot, session, 1).view
    qtbot.wait(300)
    assert not view.recording_button.isVisible()
    session.window.close()
    qtbot.waitUntil(run.done, timeout=10_000)
