"""A desk for whole-call tests: users, a person, a service, and a handler at the keyboard."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import partial
from pathlib import Path
from typing import Protocol

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from db.models import Contact, Referral, Service
from spa_desk.database import Database
from spa_desk.vocabulary import ConsentBasis
from tests.factories import add_person, add_user
from tests.ui.desk_helpers import MovableClock, desk_session, log_in, press, top_level
from ui.call.controller import CallController
from ui.call.person_dialogs import ConsentDialog
from ui.shell.main_window import MainWindow
from ui.shell.session import DeskSession

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

    def screen(
        self, answers: dict[str, str | tuple[str | Qt.Key, ...]], *, until: str | None = None
    ) -> None:
        """Answer the desk's questions by keys, as the handler hears them from the caller.

        ``answers`` gives the keys for a fact; a question not in it gets No (N), or None of
        these (0) for a list. Stops when screening is complete or before the fact ``until``.
        """
        call = self.call
        focus = QApplication.focusWidget()
        if focus is None or not call.screen.screening.isAncestorOf(focus):
            self.keys(Qt.Key.Key_F4)  # back to the questions
        for _ in range(60):
            asked = call.session().next_question()
            if asked is None:
                return
            fact = asked.question.fact.name
            boxes = [box.fact.name for box in asked.boxes]
            if until is not None and until in (fact, *boxes):
                return
            assert call.screen.screening.question_label.text() == asked.question.text
            default = "0" if asked.question.fact.type == "enum_set" else "N"
            keys = answers.get(fact, default)
            if boxes:  # a checklist: tick the boxes answered yes (by number), then Enter
                ticks = [str(n) for n, box in enumerate(boxes, start=1) if answers.get(box) == "Y"]
                keys = (*ticks, Qt.Key.Key_Return) if ticks else "0"
            before = len(call.draft.answers)
            self.keys(*((keys,) if isinstance(keys, str) else keys))
            self.qtbot.waitUntil(partial(more_answers, call, before), timeout=10_000)
        raise AssertionError("screening never finished")

    def find_and_open(self, text: str, *, consent: str = "1") -> None:
        """F3, type the search, Down, Enter; record consent by its number and open the record."""
        call = self.call
        self.keys(Qt.Key.Key_F3)
        self.qtbot.keyClicks(call.screen.person.search_edit, text)
        self.qtbot.waitUntil(lambda: bool(call.matches), timeout=5_000)
        self.keys(Qt.Key.Key_Down, Qt.Key.Key_Return)
        self.qtbot.waitUntil(lambda: top_level(ConsentDialog)() is not None, timeout=5_000)
        dialog = top_level(ConsentDialog)()
        assert isinstance(dialog, ConsentDialog)
        self.qtbot.keyClick(dialog, consent, Qt.KeyboardModifier.AltModifier)
        wanted = list(ConsentBasis)[int(consent) - 1]
        self.qtbot.waitUntil(lambda: dialog.basis is wanted, timeout=3_000)
        self.qtbot.keyClick(dialog, Qt.Key.Key_Return)
        self.qtbot.waitUntil(lambda: call.person is not None, timeout=5_000)
        # The record is on screen and the keyboard is back on the call.
        self.qtbot.waitUntil(lambda: QApplication.focusWidget() is not None, timeout=5_000)

    def give_caller(self, name: str, relationship: str) -> None:
        """Alt+M, the caller's name; Alt+H, their relationship to the person (family, carers)."""
        caller = self.call.screen.caller
        for key, edit, text in (
            ("M", caller.name_edit, name),
            ("H", caller.relationship_edit, relationship),
        ):
            press(self.qtbot, key, modifier=Qt.KeyboardModifier.AltModifier)
            self.qtbot.waitUntil(edit.hasFocus, timeout=3_000)
            self.qtbot.keyClicks(edit, text)
        self.qtbot.waitUntil(lambda: self.call.draft.caller.relationship == relationship)

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
) -> Iterator[DeskFactory]:
    desks: list[Desk] = []

    def start(username: str, idle_ms: int | None = None) -> Desk:
        clock = MovableClock(NOW)
        session = desk_session(database, tmp_path, clock, idle_ms)
        run, window = log_in(qtbot, session, username, PASSWORD)
        desk = Desk(qtbot, database, session, window, run, clock)
        desks.append(desk)
        return desk

    yield start
    for desk in reversed(desks):  # the last started first: crash handlers unwind in turn
        desk.window.close()
        qtbot.waitUntil(desk.run.done, timeout=10_000)
        if not desk.run.cancelled():
            # Taken here: a session that ended on a test's own bug (a broken flush at close)
            # would otherwise be reported when its task is collected, in the next test's desk.
            desk.run.exception()


def more_answers(call: CallController, before: int) -> bool:
    return len(call.draft.answers) > before


def referrals(database: Database, contact_id: uuid.UUID) -> list[tuple[str, str | None]]:
    with database.sessions() as session:
        rows = session.execute(
            select(Referral.route, Referral.urgency).where(Referral.contact_id == contact_id)
        ).all()
    return sorted((row.route, row.urgency) for row in rows)


LEVEL1_SELF = {"call_kind": "1", "caller_type": "1"}


def saved_one(desk: Desk) -> Contact:
    """Ctrl+S; the one contact stored."""
    desk.save()
    desk.wait_saved()
    [contact] = desk.stored()
    return contact


class DeskFactory(Protocol):
    """Starts a desk and logs in the user named (the desk locks after ``idle_ms`` idle)."""

    def __call__(self, username: str, idle_ms: int | None = None) -> Desk: ...
