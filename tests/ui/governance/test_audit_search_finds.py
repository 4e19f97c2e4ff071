"""An audit search that finds, driven by keys in the real desk as an SPA manager drives it: a user
by user name or by the name the desk shows, a person by NHS number (never opening their record),
a filter that matches nobody saying so, Enter searching even while a search runs, and the chosen
entry read in full, an override's reason with it.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QAbstractButton, QApplication, QLabel, QLineEdit, QWidget
from pytestqt.exceptions import TimeoutError as QtBotTimeout
from pytestqt.qtbot import QtBot

from spa_desk.database import Database
from spa_desk.governance.search import _search as unchecked_search
from spa_desk.people.consent import ConsentGiven
from spa_desk.people.records import open_person
from spa_desk.vocabulary import ConsentBasis
from tests.factories import add_person, add_user
from tests.ui.call_desk import LEVEL1_SELF, DeskFactory, saved_one
from tests.ui.call_desk import NOW as CALL_NOW
from tests.ui.desk_helpers import MovableClock, desk_session, press, top_level, type_log_in
from tests.ui.governance.helpers import NOW, PASSWORD, log_in
from ui.governance.audit_view import AuditView
from ui.governance.menu import GovernanceMenu, governance_menu
from ui.shell.login_dialog import LoginDialog
from ui.shell.session import DeskSession

CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
ALT = Qt.KeyboardModifier.AltModifier
ADA_NHS = "9990000026"  # tests.factories.add_person's
PERSON_DETAILS = ("Ada", "Testperson", "TESTPERSON", "ZY1 1AA", "07700900001")


@dataclass
class ManagerDesk:
    """A running desk with the SPA manager Morgan logged in."""

    qtbot: QtBot
    session: DeskSession
    run: asyncio.Future[int]

    @property
    def menu(self) -> GovernanceMenu:
        menu = governance_menu(self.session.window)
        assert menu is not None
        return menu

    def open_audit(self) -> AuditView:
        """Ctrl+Shift+A, as the manager opens the audit log; it searches the last week at once."""
        press(self.qtbot, "A", modifier=CTRL_SHIFT)
        self.qtbot.waitUntil(lambda: self.menu.audit_dialog is not None, timeout=10_000)
        dialog = self.menu.audit_dialog
        assert dialog is not None
        self.qtbot.waitUntil(lambda: _searched(dialog), timeout=10_000)
        return dialog

    def search_by_keys(self, dialog: AuditView, mnemonic: str, text: str) -> None:
        """Alt+<mnemonic> to a filter, Ctrl+A and type ``text`` over what is there, Enter; wait
        for the answer."""
        self.qtbot.keyClick(dialog, mnemonic, ALT)
        field = QApplication.focusWidget()
        assert isinstance(field, QLineEdit)
        self.qtbot.keyClick(field, "A", Qt.KeyboardModifier.ControlModifier)
        self.qtbot.keyClicks(field, text)
        dialog.summary_label.clear()  # so the wait below sees this search's answer
        press(self.qtbot, Qt.Key.Key_Return)
        # Every answer, entries or a problem, says so above the table; a desk that leaves it
        # empty fails on the assertions that follow, which show what it did instead.
        with contextlib.suppress(QtBotTimeout):
            self.qtbot.waitUntil(lambda: _searched(dialog), timeout=10_000)


def _searched(dialog: AuditView) -> bool:
    text = dialog.summary_label.text()
    return bool(text) and text != "Searching…" and text != "Not searched yet."


def _rows(dialog: AuditView) -> list[tuple[str, str]]:
    """The entries shown, as (user, action)."""
    model = dialog.model
    return [
        (model.data(model.index(row, 1)), model.data(model.index(row, 2)))
        for row in range(model.rowCount())
    ]


def _everything_shown(dialog: AuditView) -> str:
    """Every text the dialog shows: labels, fields, buttons, table cells, the details pane."""
    texts: list[str] = []
    for widget in dialog.findChildren(QWidget):
        if isinstance(widget, QLabel | QLineEdit | QAbstractButton):
            texts.append(widget.text())
    model = dialog.model
    texts += [
        str(model.data(model.index(row, column)))
        for row in range(model.rowCount())
        for column in range(model.columnCount())
    ]
    texts.append(dialog.details_view.toPlainText())
    return "\n".join(texts)


@pytest.fixture
def manager_desk(
    qtbot: QtBot,
    qasync_loop: asyncio.AbstractEventLoop,
    database: Database,
    tmp_path: Path,
) -> Iterator[Callable[[datetime], ManagerDesk]]:
    """Starts a desk with its clock at the time given and logs Morgan, an SPA manager, in."""
    add_user(database, "morgan", PASSWORD, roles=("spa_manager",), display_name="Morgan Achebe")
    desks: list[ManagerDesk] = []

    def start(now: datetime) -> ManagerDesk:
        session = desk_session(database, tmp_path, MovableClock(now))
        run = asyncio.ensure_future(session.interactive())
        qtbot.waitUntil(lambda: top_level(LoginDialog)() is not None, timeout=10_000)
        dialog = top_level(LoginDialog)()
        assert isinstance(dialog, LoginDialog)
        type_log_in(qtbot, dialog, "morgan", PASSWORD)
        qtbot.waitUntil(lambda: governance_menu(session.window) is not None, timeout=10_000)
        qtbot.waitUntil(session.window.isActiveWindow, timeout=5_000)
        desk = ManagerDesk(qtbot, session, run)
        desks.append(desk)
        return desk

    yield start
    for desk in desks:
        desk.session.window.close()
        qtbot.waitUntil(desk.run.done, timeout=10_000)


@pytest.fixture
def history(database: Database) -> dict[str, uuid.UUID]:
    """Sam opened Ada's record and Kim another person's, both today; Sam and Kim logged in."""
    add_user(database, "sam", PASSWORD, display_name="Sam Okafor")
    add_user(database, "kim", PASSWORD, display_name="Kim Haddad")
    ada = add_person(database)
    other = add_person(database, nhs_number="9990000034", given_name="Bea")
    sam = log_in(database, "sam", PASSWORD, NOW - timedelta(hours=3))
    kim = log_in(database, "kim", PASSWORD, NOW - timedelta(hours=3))
    consent = ConsentGiven(basis=ConsentBasis.GIVEN_BY_PERSON, purpose="caller asks for help")
    open_person(database, sam, ada, consent, now=NOW - timedelta(hours=2))
    open_person(database, kim, other, consent, now=NOW - timedelta(hours=1))
    return {"ada": ada, "other": other}


def test_a_manager_finds_a_persons_entries_by_nhs_number_without_opening_the_record(
    manager_desk: Callable[[datetime], ManagerDesk],
    history: dict[str, uuid.UUID],
    database: Database,
) -> None:
    desk = manager_desk(NOW)
    dialog = desk.open_audit()
    assert ("kim", "Record opened") in _rows(dialog)

    desk.search_by_keys(dialog, "N", "999 000 0026")  # Alt+N: NHS number, as it is read out
    assert _rows(dialog) == [("sam", "Record opened")]
    assert dialog.model.data(dialog.model.index(0, 3)) == f"Person {history['ada']}"
    assert dialog.summary_label.text() == "1 entry, newest first."
    assert not dialog.error_label.isVisible()
    shown = _everything_shown(dialog)
    for detail in PERSON_DETAILS:  # the person's id only; nothing about them
        assert detail not in shown, detail
    # Finding the id was an audit read, not an opening of the record.
    opened = [e for e in unchecked_search(database) if e.action == "person_viewed"]
    assert {e.username for e in opened} == {"sam", "kim"}

    # A number no one has says so, and shows nothing (not the last search's entries).
    desk.search_by_keys(dialog, "N", "999 000 0042")
    assert _rows(dialog) == []
    assert dialog.error_label.isVisible()
    assert dialog.error_label.text() == (
        "NHS number: no one on the desk has the NHS number 999 000 0042"
    )
    assert dialog.summary_label.text() == "No entries shown: see the problem above."
    # A mistyped number is named as one.
    desk.search_by_keys(dialog, "N", "999 000 0027")
    assert dialog.error_label.text().startswith("NHS number: '999 000 0027' is not an NHS number")
    assert dialog.person_edit.hasFocus() and dialog.person_edit.selectedText() == "999 000 0027"
    assert _rows(dialog) == []


def test_the_user_field_takes_the_user_name_or_the_name_shown_and_nobody_shows_nothing(
    manager_desk: Callable[[datetime], ManagerDesk],
    history: dict[str, uuid.UUID],
) -> None:
    desk = manager_desk(NOW)
    dialog = desk.open_audit()
    assert {user for user, _action in _rows(dialog)} >= {"sam", "kim"}

    desk.search_by_keys(dialog, "U", "sam okafor")  # the name the desk shows, any case
    assert _rows(dialog) == [("sam", "Record opened"), ("sam", "Logged in")]
    desk.search_by_keys(dialog, "U", "KIM")  # the user name, any case
    assert _rows(dialog) == [("kim", "Record opened"), ("kim", "Logged in")]

    desk.search_by_keys(dialog, "U", "Sam Okafer")
    assert _rows(dialog) == []  # never everyone, as if no filter were given
    assert dialog.summary_label.text() == "No entries shown: see the problem above."
    assert dialog.error_label.text() == "User: there is no user named 'Sam Okafer'"
    # The problem is just under the filters, and the field is ready to be typed again.
    assert dialog.error_label.geometry().bottom() < dialog.table.mapTo(dialog, QPoint(0, 0)).y()
    assert dialog.user_edit.hasFocus() and dialog.user_edit.selectedText() == "Sam Okafer"


def test_enter_searches_even_while_a_search_is_running(
    manager_desk: Callable[[datetime], ManagerDesk],
    history: dict[str, uuid.UUID],
    qtbot: QtBot,
) -> None:
    desk = manager_desk(NOW)
    # A busy database: the search made on opening waits behind another desk's work.
    released = threading.Event()
    busy = asyncio.ensure_future(desk.session.backend.run(lambda _db: released.wait(10)))
    try:
        press(qtbot, "A", modifier=CTRL_SHIFT)
        qtbot.waitUntil(lambda: desk.menu.audit_dialog is not None, timeout=10_000)
        dialog = desk.menu.audit_dialog
        assert dialog is not None
        # The manager types once the dialog is in front (on a loaded machine the window system
        # takes its time to activate it; keys pressed before then go to the desk behind).
        qtbot.waitUntil(dialog.isActiveWindow, timeout=10_000)
        qtbot.keyClick(dialog, "U", ALT)
        qtbot.waitUntil(dialog.user_edit.hasFocus, timeout=10_000)
        qtbot.keyClicks(dialog.user_edit, "sam")
        press(qtbot, Qt.Key.Key_Return)  # pressed while the first search still waits
        qtbot.wait(50)
    finally:
        released.set()
        qtbot.waitUntil(busy.done, timeout=10_000)
    qtbot.waitUntil(
        lambda: _rows(dialog) == [("sam", "Record opened"), ("sam", "Logged in")], timeout=10_000
    )
    qtbot.waitUntil(lambda: _searched(dialog), timeout=10_000)
    assert dialog.summary_label.text() == "2 entries, newest first."


def test_an_override_entry_holds_its_reason_read_in_full_without_numbers(
    desk_for: DeskFactory,
    manager_desk: Callable[[datetime], ManagerDesk],
    qtbot: QtBot,
) -> None:
    reason = (
        "Lives alone and the daughter, on 07700 900123, has agreed befriending with her; "
        "community therapy already visits weekly, so a second referral would only duplicate it"
    )
    practitioner = desk_for("practitioner")
    call = practitioner.new_call()
    practitioner.screen({**LEVEL1_SELF, "mobility_decline": "Y"})
    practitioner.find_and_open("Testperson")
    outcome = call.screen.outcome
    qtbot.keyClick(call.screen, "O", ALT)
    qtbot.waitUntil(lambda: call.draft.override)
    vcs = next(r for r in outcome.override_rows if r.route.value == "vcs")
    vcs.check.setFocus()
    practitioner.keys(Qt.Key.Key_Space, Qt.Key.Key_Tab, "r")  # tick, to its urgency, routine
    qtbot.keyClicks(outcome.override_reason, reason)
    contact = saved_one(practitioner)
    assert contact.override_reason == reason  # the call keeps it as typed
    shift = practitioner.window.shift_page
    qtbot.waitUntil(lambda: shift.model.rowCount() == 1, timeout=5_000)

    desk = manager_desk(CALL_NOW)
    dialog = desk.open_audit()
    desk.search_by_keys(dialog, "U", "practitioner")
    actions = [action for _user, action in _rows(dialog)]
    assert "Screening overridden" in actions
    dialog.table.setFocus()
    dialog.table.setCurrentIndex(dialog.model.index(0, 0))
    for _ in range(actions.index("Screening overridden")):
        press(qtbot, Qt.Key.Key_Down)
    press(qtbot, Qt.Key.Key_Tab)  # on to the chosen entry, in full
    assert dialog.details_view.hasFocus()
    details = dialog.details_view.toPlainText()
    assert "Screening overridden" in details.splitlines()[0]
    assert "reason: " + reason.replace("07700 900123", "[number left out]") in details
    assert "07700" not in _everything_shown(dialog)
    assert "final: community_therapy:soon, vcs:routine" in details
    # The whole reason is read in the pane, wrapped to its width, never cut off at the edge.
    assert dialog.details_view.isVisible()
    document = dialog.details_view.document()
    assert document.size().width() <= dialog.details_view.viewport().width()
    assert not dialog.details_view.horizontalScrollBar().isVisible()
