"""Whole calls driven through the real desk, as a handler drives it: keyboard first.

Each test asserts on what the handler sees and on what is stored.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from db.models import Contact, Service
from spa_desk.database import Database
from tests.factories import add_person, add_user
from tests.ui.desk_helpers import MovableClock, desk_session, log_in, press
from ui.app import DeskSession
from ui.call_controller import CallController
from ui.main_window import MainWindow

# 14:00 on Tuesday 17 November 2026 (GMT): in hours, the early shift.
NOW = datetime(2026, 11, 17, 14, 0, tzinfo=UTC)
PASSWORD = "pass phrase 1"


@dataclass
class Desk:
    """A running desk with a call handler or practitioner logged in."""

    qtbot: QtBot
    database: Database
    session: DeskSession
    window: MainWindow
    run: asyncio.Future[int]
    clock: MovableClock

    @property
    def call(self) -> CallController:
        assert self.session.call is not None, "no call is open"
        return self.session.call

    def new_call(self) -> CallController:
        """F2, as the handler starts a call by hand."""
        self.qtbot.keyClick(self.window, Qt.Key.Key_F2)
        self.qtbot.waitUntil(lambda: self.session.call is not None, timeout=10_000)
        return self.call

    def keys(self, *keys: str | Qt.Key) -> None:
        """Press keys one by one where the focus is, letting the desk catch up after each."""
        for key in keys:
            self.qtbot.wait(20)
            press(self.qtbot, key)

    def save(self) -> None:
        """Ctrl+S, and wait for the call to be saved (the shift list comes back)."""
        press(self.qtbot, "S", modifier=Qt.KeyboardModifier.ControlModifier)

    def wait_saved(self) -> None:
        self.qtbot.waitUntil(lambda: self.session.call is None, timeout=10_000)

    def stored(self) -> list[Contact]:
        with self.database.sessions() as session:
            return list(session.scalars(select(Contact).where(Contact.status == "complete")).all())


@pytest.fixture
def people(database: Database) -> dict[str, uuid.UUID]:
    add_user(database, "handler", PASSWORD, ("call_handler",), "Sam Okafor")
    add_user(database, "practitioner", PASSWORD, ("practitioner",), "Dana Whitfield")
    ada = add_person(database, date_of_birth=date(1941, 3, 12))
    with database.sessions.begin() as session:
        session.add(Service(name="Saltmarsh Befriending", route="vcs", organisation="VCS"))
    return {"ada": ada}


@pytest.fixture
def desk_for(
    qtbot: QtBot,
    qasync_loop: asyncio.AbstractEventLoop,
    database: Database,
    people: dict[str, uuid.UUID],
    tmp_path: Path,
) -> Iterator[object]:
    desks: list[Desk] = []

    def start(username: str) -> Desk:
        clock = MovableClock(NOW)
        session = desk_session(database, tmp_path, clock)
        run, window = log_in(qtbot, session, username, PASSWORD)
        desk = Desk(qtbot, database, session, window, run, clock)
        desks.append(desk)
        return desk

    yield start
    for desk in desks:
        desk.window.close()
        qtbot.waitUntil(desk.run.done, timeout=10_000)


def test_wrong_number_closes_in_two_keystrokes(desk_for: object) -> None:
    assert callable(desk_for)
    desk: Desk = desk_for("handler")
    call = desk.new_call()
    screen = call.screen
    assert desk.window.pages.currentWidget() is screen
    assert screen.screening.question_label.text() == "Is this a call about someone's care?"
    assert screen.bar.state_label.text() == "● On call"
    desk.keys("3")  # 3: wrong number
    assert "Ctrl+S" in screen.banner.text()
    desk.save()
    desk.wait_saved()
    [contact] = desk.stored()
    assert contact.call_kind == "wrong_number"
    assert contact.outcome == "non_data" and contact.level1 == "non_data"
    assert contact.person_id is None and contact.final_routes == []
    assert desk.window.pages.currentWidget() is desk.window.shift_page
    desk.qtbot.waitUntil(lambda: desk.window.model.rowCount() == 1, timeout=5_000)
