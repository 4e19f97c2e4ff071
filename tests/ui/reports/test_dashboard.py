"""The SPA manager's dashboard on real desk windows (issue 13 item 5): F9 opens it on the shift
so far; a call saved on another desk (PostgreSQL) or this one (SQLite, one desk alone) reaches
it; a shift report is previewed and signed from it, and signing locks it."""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, date, datetime, timedelta
from functools import partial
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox
from pytestqt.qtbot import QtBot
from sqlalchemy import select, update
from sqlalchemy.exc import DBAPIError

from db.models import AuditEvent, SignedReport
from spa_desk.database import Database
from spa_desk.telephony import call_log
from spa_desk.telephony.events import IncomingCall
from tests.factories import add_contact, add_user
from tests.ui.call_desk import NOW, PASSWORD, Desk, DeskFactory
from tests.ui.desk_helpers import MovableClock, press, top_level
from tests.ui.queue.test_handoff_desks import _front, _settled
from tests.ui.shell.role_desk import start_desk
from ui.reports.controller import DashboardController
from ui.reports.view import PreviewDialog
from ui.shell.session import DeskSession


def _contacts_shown(board: DashboardController) -> str:
    return board.page.tiles["contacts"].value.text()


def _active(qtbot: QtBot, session: DeskSession) -> None:
    session.window.raise_()
    session.window.activateWindow()
    qtbot.waitUntil(session.window.isActiveWindow, timeout=5_000)


def _open_dashboard(qtbot: QtBot, session: DeskSession) -> DashboardController:
    _active(qtbot, session)
    qtbot.waitUntil(session.window.reports_action.isEnabled, timeout=5_000)
    press(qtbot, Qt.Key.Key_F9)
    qtbot.waitUntil(lambda: session.dashboard is not None, timeout=5_000)
    board = session.dashboard
    assert board is not None
    qtbot.waitUntil(lambda: board.shown is not None, timeout=10_000)
    assert session.window.pages.currentWidget() is board.page
    return board


def _wrong_number(desk: Desk) -> None:
    _front(desk)
    desk.new_call()
    desk.keys("3")  # a wrong number
    desk.save()
    desk.wait_saved()


def test_the_dashboard_hears_a_call_saved_on_another_desk(
    desk_for: DeskFactory, database: Database, database_url: str, tmp_path: Path
) -> None:
    if not database_url.startswith("postgresql"):
        pytest.skip("desks hear each other on PostgreSQL; SQLite is one desk alone (next test)")
    add_user(database, "boss", PASSWORD, ("spa_manager",), "Morgan Achebe")
    handler = desk_for("handler")
    handler.qtbot.waitUntil(partial(_settled, handler), timeout=10_000)
    qtbot = handler.qtbot
    run, manager = start_desk(qtbot, database, tmp_path / "boss", "boss", MovableClock(NOW))
    try:
        board = _open_dashboard(qtbot, manager)
        assert _contacts_shown(board) == "0"
        assert "Early shift, Tue 17 Nov 2026, 07:00-15:00, so far" in board.page.subtitle.text()
        _wrong_number(handler)
        saved = time.monotonic()
        qtbot.waitUntil(lambda: _contacts_shown(board) == "1", timeout=5_000)
        heard = time.monotonic() - saved
        assert heard < 2.0, f"the dashboard took {heard:.2f} s"
        assert board.refresh_ms is not None
    finally:
        manager.window.close()
        qtbot.waitUntil(run.done, timeout=10_000)


def test_a_call_saved_here_reaches_the_dashboard(desk_for: DeskFactory, database: Database) -> None:
    add_user(database, "both", PASSWORD, ("call_handler", "spa_manager"), "Morgan Achebe")
    desk = desk_for("both")
    board = _open_dashboard(desk.qtbot, desk.session)
    assert _contacts_shown(board) == "0"
    _wrong_number(desk)  # F2 leaves the dashboard for the call; Ctrl+S saves it
    desk.qtbot.waitUntil(desk.window.reports_action.isEnabled, timeout=5_000)
    board = _open_dashboard(desk.qtbot, desk.session)
    desk.qtbot.waitUntil(lambda: _contacts_shown(board) == "1", timeout=5_000)
    assert board.page.tiles["data"].value.text() == "0"  # a wrong number is not a data call


def test_callers_who_rang_off_unanswered_are_counted_beside_the_service_level(
    desk_for: DeskFactory, database: Database
) -> None:
    for minutes, ref in ((50, "gone-1"), (20, "gone-2")):
        rang_at = NOW - timedelta(minutes=minutes)
        call_log.rang(database, None, IncomingCall(call_ref=ref, at=rang_at,
                                                   caller_number="07700900456"))  # fmt: skip
        call_log.ended(database, ref, rang_at + timedelta(seconds=40))
    add_user(database, "both", PASSWORD, ("call_handler", "spa_manager"), "Morgan Achebe")
    desk = desk_for("both")
    board = _open_dashboard(desk.qtbot, desk.session)
    service = board.page.tiles["service"]
    assert service.caption.text() == "answered in time: 2 rang off unanswered"
    assert "2 rang off unanswered" in service.accessibleDescription()


def _answer(qtbot: QtBot, yes: bool) -> None:
    qtbot.waitUntil(lambda: top_level(QMessageBox)() is not None, timeout=5_000)
    box = top_level(QMessageBox)()
    assert isinstance(box, QMessageBox)
    assert "A signed report is locked" in box.text()
    button = box.button(QMessageBox.StandardButton.Yes if yes else QMessageBox.StandardButton.No)
    button.click()


def _manager_after_early_shift(
    qtbot: QtBot, database: Database, tmp_path: Path, *, contacts: int
) -> tuple[asyncio.Future[int], DeskSession]:
    """``contacts`` calls saved on the early shift of 16 November (from 08:00, one an hour), and
    the SPA manager Morgan's desk running the day after."""
    handler = add_user(database, "hal", PASSWORD, ("call_handler",), "Hal Handler")
    for hour in range(8, 8 + contacts):
        add_contact(database, handler, datetime(2026, 11, 16, hour, tzinfo=UTC))
    add_user(database, "boss", PASSWORD, ("spa_manager",), "Morgan Achebe")
    return start_desk(qtbot, database, tmp_path / "boss", "boss", MovableClock(NOW))


def test_signing_from_the_desk_locks_the_report(
    qtbot: QtBot, qasync_loop: object, database: Database, tmp_path: Path
) -> None:
    run, manager = _manager_after_early_shift(qtbot, database, tmp_path, contacts=3)
    try:
        board = _open_dashboard(qtbot, manager)
        board.page.set_shift(date(2026, 11, 16), "early")
        board.page.preview_button.setFocus()
        both = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
        qtbot.keyClick(board.page.preview_button, Qt.Key.Key_S, both)
        _answer(qtbot, yes=False)  # No: nothing is signed
        qtbot.wait(200)
        with database.sessions() as session:
            assert session.scalars(select(SignedReport)).first() is None
        _active(qtbot, manager)
        board.page.preview_button.setFocus()
        qtbot.keyClick(board.page.preview_button, Qt.Key.Key_S, both)
        _answer(qtbot, yes=True)
        qtbot.waitUntil(lambda: "Signed Early shift" in board.page.note.text(), timeout=10_000)
        with database.sessions() as session:
            [row] = session.scalars(select(SignedReport)).all()
            assert (row.shift_name, row.shift_date) == ("early", date(2026, 11, 16))
            audited = session.scalars(
                select(AuditEvent).where(AuditEvent.action == "report_signed")
            ).all()
            assert len(audited) == 1
        with pytest.raises(DBAPIError, match="locked"), database.sessions.begin() as session:
            session.execute(update(SignedReport).values(pdf=b"changed"))

        # Ctrl+P: the signed report, said to be signed, its pages as pictures.
        _active(qtbot, manager)
        board.page.preview_button.setFocus()
        qtbot.keyClick(board.page.preview_button, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
        qtbot.waitUntil(lambda: top_level(PreviewDialog)() is not None, timeout=10_000)
        dialog = top_level(PreviewDialog)()
        assert isinstance(dialog, PreviewDialog)
        qtbot.waitUntil(lambda: dialog.where.text().startswith("Page 1 of"), timeout=10_000)
        assert "was signed by Morgan Achebe" in dialog.words.text()
        assert not dialog.sign_button.isVisible()
        pixmap = dialog.image.pixmap()
        assert pixmap is not None and pixmap.width() >= 800
        assert board.files is not None and board.files.pdf == row.pdf
        dialog.next_button.click()
        qtbot.waitUntil(lambda: dialog.where.text().startswith("Page 2 of"), timeout=10_000)
        qtbot.keyClick(dialog, Qt.Key.Key_Escape)
        qtbot.waitUntil(lambda: top_level(PreviewDialog)() is None, timeout=5_000)
        assert QApplication.activeModalWidget() is None
    finally:
        manager.window.close()
        qtbot.waitUntil(run.done, timeout=10_000)


def test_a_shift_report_is_saved_where_the_manager_chooses(
    qtbot: QtBot, qasync_loop: object, database: Database, tmp_path: Path
) -> None:
    run, manager = _manager_after_early_shift(qtbot, database, tmp_path, contacts=2)
    try:
        board = _open_dashboard(qtbot, manager)
        board.page.set_shift(date(2026, 11, 16), "early")
        for key, kind in ((Qt.Key.Key_C, "csv"), (Qt.Key.Key_P, "pdf")):
            target = tmp_path / f"shift-2026-11-16-early.{kind}"  # the name offered
            _active(qtbot, manager)
            board.page.preview_button.setFocus()
            both = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
            qtbot.keyClick(board.page.preview_button, key, both)
            qtbot.waitUntil(lambda: top_level(QFileDialog)() is not None, timeout=10_000)
            chooser = top_level(QFileDialog)()
            assert isinstance(chooser, QFileDialog)
            assert chooser.defaultSuffix() == kind
            # While the manager chooses, the desk goes on: the dashboard is read again.
            board.refresh_ms = None
            board.spawn(board.refresh())
            qtbot.waitUntil(lambda: board.refresh_ms is not None, timeout=5_000)
            chooser.setDirectory(str(tmp_path))
            chooser.selectFile(target.name)
            chooser.accept()
            saved = f"Saved {target}."
            qtbot.waitUntil(lambda: board.page.note.text() == saved, timeout=10_000)  # noqa: B023
            data = target.read_bytes()
            if kind == "csv":
                assert data.decode("utf-8").startswith("section,key,value\n")
                assert "\nsummary,contacts,2\n" in data.decode("utf-8")
            else:
                assert data.startswith(b"%PDF")
    finally:
        manager.window.close()
        qtbot.waitUntil(run.done, timeout=10_000)
