"""The shift contact list's behaviour: which shift is shown; refreshing it off the GUI thread
(the contact chosen stays chosen); Enter on a contact asks for it to be opened to read."""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Protocol

from PySide6.QtCore import QModelIndex, QObject, QTimer, Signal

from spa_desk.domain import ContactSummary
from spa_desk.errors import DatabaseFailure, KnownError
from spa_desk.local_time import LONDON, Clock, utc_clock
from spa_desk.reports.shifts import Shift, adjacent_shift, shift_at
from spa_desk.settings import ShiftDefinition
from spa_desk.vocabulary import ContactStatus, Outcome
from ui.kit.asyncio_qt import async_slot
from ui.shift.view import ShiftPage

LoadContacts = Callable[[datetime, datetime], Awaitable[list[ContactSummary]]]


class StatusLine(Protocol):
    """Where notes about the list go (the main window's status bar)."""

    def show_refresh_note(self, message: str) -> None:
        """A quiet note, such as when the list was last updated."""

    def show_refresh_problem(self, message: str) -> None:
        """The list could not be refreshed; the old list stays."""


def summarise(contacts: list[ContactSummary]) -> str:
    """For example ``42 contacts · 30 resolved at first contact · 9 referred · 2 open drafts``."""
    outcomes = Counter(c.outcome for c in contacts if c.status is ContactStatus.COMPLETE)
    drafts = sum(1 for c in contacts if c.status is ContactStatus.DRAFT)
    parts = [f"{len(contacts)} contact{'s' if len(contacts) != 1 else ''}"]
    if outcomes[Outcome.RESOLVED]:
        parts.append(f"{outcomes[Outcome.RESOLVED]} resolved at first contact")
    if outcomes[Outcome.REFERRED]:
        parts.append(f"{outcomes[Outcome.REFERRED]} referred")
    if outcomes[Outcome.EMERGENCY]:
        parts.append(f"{outcomes[Outcome.EMERGENCY]} to 999")
    if outcomes[Outcome.NON_DATA]:
        parts.append(f"{outcomes[Outcome.NON_DATA]} non-data")
    if drafts:
        parts.append(f"{drafts} open draft{'s' if drafts != 1 else ''}")
    return " · ".join(parts)


class ShiftContactsController(QObject):
    """Keeps the shift page on the shift chosen and refreshes it every so often.

    Signals:
        refreshed: the list now shows what the database holds.
        contact_opened(object): Enter (or a double click) on a contact: its ContactSummary.
    """

    refreshed = Signal()
    contact_opened = Signal(object)

    def __init__(
        self,
        page: ShiftPage,
        status: StatusLine,
        *,
        load_contacts: LoadContacts,
        shifts: tuple[ShiftDefinition, ...],
        refresh_seconds: int,
        clock: Clock = utc_clock,
    ) -> None:
        super().__init__(page)
        self._page = page
        self._status = status
        self._load_contacts = load_contacts
        self._shifts = shifts
        self._clock = clock
        self._refreshing = False
        self._chosen: uuid.UUID | None = None
        self.shift: Shift = shift_at(clock(), shifts)
        self._timer = QTimer(self)
        self._timer.setInterval(refresh_seconds * 1000)
        self._timer.timeout.connect(self._on_refresh)
        self._wiring = (
            (page.refresh_action.triggered, self._on_refresh),
            (page.previous_action.triggered, self._on_previous),
            (page.next_action.triggered, self._on_next),
            (page.current_action.triggered, self._on_current),
            (page.table.activated, self._open),
            (page.table.selectionModel().currentRowChanged, self._on_cursor),
        )
        for signal, slot in self._wiring:
            signal.connect(slot)
        self._show_title()

    def use_loader(self, load_contacts: LoadContacts) -> None:
        """Load contacts through ``load_contacts`` from now on (another user logged in)."""
        self._load_contacts = load_contacts

    def start(self) -> None:
        """Refresh now and then every ``refresh_seconds``."""
        self._timer.start()
        self._on_refresh()

    def stop(self) -> None:
        """Stop refreshing."""
        self._timer.stop()

    def detach(self) -> None:
        """The user logged out: stop, let go of the page's keys and empty the page."""
        self.stop()
        for signal, slot in self._wiring:
            signal.disconnect(slot)
        self._page.show_logged_out()
        self.deleteLater()

    def choose(self, contact_id: uuid.UUID) -> None:
        """Put the cursor on the contact ``contact_id`` (now, or when the list next shows it:
        a call just saved, say)."""
        self._chosen = contact_id
        self._show_chosen()

    def _open(self, index: QModelIndex) -> None:
        contacts = self._page.model.contacts
        if index.isValid() and index.row() < len(contacts):
            self._chosen = contacts[index.row()].id
            self.contact_opened.emit(contacts[index.row()])

    def _on_cursor(self, current: QModelIndex, _previous: QModelIndex) -> None:
        """The handler moved the cursor: that contact stays chosen across refreshes."""
        contacts = self._page.model.contacts
        if current.isValid() and current.row() < len(contacts):
            self._chosen = contacts[current.row()].id

    def _show_chosen(self) -> None:
        row = self._page.model.row_of(self._chosen) if self._chosen is not None else None
        if row is not None:
            self._page.table.selectRow(row)

    @async_slot()
    async def _on_refresh(self) -> None:
        await self.refresh()

    @async_slot()
    async def _on_previous(self) -> None:
        await self.show_shift(adjacent_shift(self.shift, -1, self._shifts))

    @async_slot()
    async def _on_next(self) -> None:
        await self.show_shift(adjacent_shift(self.shift, 1, self._shifts))

    @async_slot()
    async def _on_current(self) -> None:
        await self.show_shift(shift_at(self._clock(), self._shifts))

    async def show_shift(self, shift: Shift) -> None:
        """Show ``shift`` (never one that has not started yet) and load its contacts."""
        if shift.start_utc > self._clock():
            self._status.show_refresh_note("That shift has not started yet.")
            return
        self.shift = shift
        self._show_title()
        await self.refresh()

    async def refresh(self) -> None:
        """Load the shown shift's contacts (off the GUI thread) and show them."""
        if self._refreshing:
            return
        self._refreshing = True
        shift = self.shift
        self._status.show_refresh_note("Loading…")
        try:
            contacts = await self._load_contacts(shift.start_utc, shift.end_utc)
        except DatabaseFailure as problem:  # a dropped connection must not close the desk
            self._status.show_refresh_problem(
                f"Could not refresh the list; it may be out of date. {problem}"
            )
            return
        except KnownError as problem:  # for example, roles that do not include the shift list
            self._page.model.set_contacts([])
            self._page.shift_summary.setText("")
            self._page.show_contacts_or_empty(str(problem))
            self._status.show_refresh_note("")
            return
        finally:
            self._refreshing = False
        if shift != self.shift:  # the handler moved to another shift meanwhile
            return
        self._page.model.set_contacts(contacts)
        self._show_chosen()  # a refresh never moves the handler off the contact they chose
        self._page.shift_summary.setText(summarise(contacts))
        empty = None if contacts else "No contacts in this shift yet."
        self._page.show_contacts_or_empty(empty)
        updated = self._clock().astimezone(LONDON)
        self._status.show_refresh_note(f"Updated at {updated:%H:%M:%S}")
        self.refreshed.emit()

    def _show_title(self) -> None:
        current = shift_at(self._clock(), self._shifts)
        suffix = " (now)" if self.shift == current else ""
        self._page.shift_title.setText(self.shift.title + suffix)
