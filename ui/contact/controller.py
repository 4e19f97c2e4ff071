"""The read-only contact view's behaviour: load the contact (off the GUI thread), open the person
only after consent, and go back to the shift list (Escape)."""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from html import escape
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Qt, QUrl, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QDialog

from spa_desk.calls.contact_detail import ContactDetail, contact_detail, open_contact_person
from spa_desk.domain import ContactSummary, CurrentUser
from spa_desk.errors import KnownError
from spa_desk.local_time import LONDON, Clock
from spa_desk.people.records import PersonRecord
from spa_desk.permissions import Action, allowed
from ui.contact.consent import ask_consent
from ui.contact.view import BACK_KEY, PERSON_KEY, RECORDING_KEY, ContactView
from ui.contact.words import contact_html, heading, person_html
from ui.kit.backend import DeskBackend
from ui.kit.media import Player

NOT_ABOUT_A_PERSON = "This contact is not about a person on record."
NEEDS_CONSENT = (
    "This contact is about a person on record. Who it is shows only once consent is recorded, "
    "as on a call."
)
NOT_YOUR_ROLE = (
    "This contact is about a person on record. Your roles do not open people's records, so who "
    "it is stays hidden."
)


def open_contact_view(
    backend: DeskBackend,
    user: CurrentUser,
    contact: ContactSummary,
    clock: Clock,
    recordings: Path | None = None,
) -> ContactViewController:
    """A new read-only view of ``contact`` with its controller (the view is ``.view``);
    ``recordings`` is the SPA's recordings folder, for those who may play a call's."""
    view = ContactView(heading(contact))
    return ContactViewController(view, backend, user, contact, clock, recordings=recordings)


class ContactViewController(QObject):
    """Drives one :class:`ui.contact.view.ContactView`.

    Signals:
        closed: the member of staff went back to the shift list.
    """

    closed = Signal()

    def __init__(
        self,
        view: ContactView,
        backend: DeskBackend,
        user: CurrentUser,
        contact: ContactSummary,
        clock: Clock,
        *,
        recordings: Path | None = None,
    ) -> None:
        super().__init__(view)
        self.recordings = recordings
        self.player: Player | None = None
        self.seconds = 0.0
        """The recording's length."""
        self.view = view
        self.backend = backend
        self.user = user
        self.contact = contact
        self.clock = clock
        self.detail: ContactDetail | None = None
        self.person: PersonRecord | None = None
        self.stopped = False
        """True once the view is going away: work still under way shows nothing."""
        self._tasks: set[asyncio.Future[None]] = set()
        view.back_button.clicked.connect(self.closed)
        view.person_button.clicked.connect(lambda: self._spawn(self.open_person()))
        view.recording_button.clicked.connect(self.toggle_recording)
        for key, slot in (
            (BACK_KEY, self.closed.emit),
            (PERSON_KEY, lambda: self._spawn(self.open_person())),
            (RECORDING_KEY, self.toggle_recording),
        ):
            shortcut = QShortcut(QKeySequence(key), view)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(slot)

    def _spawn(self, job: Coroutine[Any, Any, None]) -> None:
        task = asyncio.ensure_future(job)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    def stop(self) -> None:
        """The view is going away (back to the list, log-out, another user): a consent dialog
        still open is cancelled, so nothing waits on it."""
        self.stopped = True
        if self.player is not None:
            self.player.stop()
        for dialog in self.view.findChildren(QDialog):
            dialog.reject()

    def start(self) -> None:
        """Give the keyboard to the contact and load it."""
        self.view.contact_text.setFocus()
        self._spawn(self.load())

    async def load(self) -> None:
        """Read the contact (on the database thread) and show it in words."""
        try:
            detail = await self.backend.run(contact_detail, self.user, self.contact.id)
        except KnownError as problem:
            if not self.stopped:
                words = escape(str(problem))
                self.view.show_contact(f"<p>The contact cannot be shown: {words}</p>")
            return
        if self.stopped:
            return
        self.detail = detail
        self.view.show_contact(contact_html(detail))
        if self.recordings is not None and allowed(self.user, Action.PLAY_RECORDING):
            self._spawn(self._offer_recording())
        if not detail.about_a_person:
            self.view.show_person_note(NOT_ABOUT_A_PERSON, may_open=False)
        elif allowed(self.user, Action.VIEW_PERSON):
            self.view.show_person_note(NEEDS_CONSENT, may_open=True)
        else:
            self.view.show_person_note(NOT_YOUR_ROLE, may_open=False)

    async def open_person(self) -> None:
        """Ctrl+O: record consent in the call screen's consent dialog, then open the record."""
        detail = self.detail
        if detail is None or not detail.about_a_person or self.person is not None:
            return
        if not allowed(self.user, Action.VIEW_PERSON):
            return
        consent = await ask_consent(self.view)
        if self.stopped:
            return
        self.view.window().activateWindow()
        if consent is None:
            self.view.person_button.setFocus()
            return
        try:
            record = await self.backend.run(
                open_contact_person, self.user, self.contact.id, consent, now=self.clock()
            )
        except KnownError as problem:
            if not self.stopped:
                self.view.show_person_note(str(problem), may_open=True)
            return
        if self.stopped:
            return
        self.person = record
        self.view.show_person(person_html(record, self.clock().astimezone(LONDON).date()))
        self.view.person_text.setFocus()

    async def _offer_recording(self) -> None:
        from spa_desk.telephony.call_log import has_recording

        try:
            recorded = await self.backend.run(has_recording, self.user, self.contact.id)
        except KnownError:
            return
        if recorded and not self.stopped:
            self.view.recording_button.show()

    def toggle_recording(self) -> None:
        """Ctrl+P: play the call's recording (each playback is audited), or stop it."""
        if not self.view.recording_button.isVisible():
            return
        if self.player is not None and self.player.playing:
            self.player.stop()
            return
        self._spawn(self.play_recording())

    async def play_recording(self) -> None:
        """Fetch the recording (the playback is audited as it is fetched) and play it."""
        from spa_desk.telephony.call_log import play_recording

        if self.recordings is None:
            return
        try:
            found = await self.backend.run(
                play_recording, self.user, self.contact.id, self.recordings
            )
        except KnownError as problem:
            self.view.recording_label.setText(str(problem))
            return
        if self.stopped:
            return
        if self.player is None:
            self.player = Player(self)  # stopped without freezing the desk (ui.kit.media)
            self.player.qt.positionChanged.connect(self._show_position)
            self.player.qt.playbackStateChanged.connect(self._show_position)
        self.seconds = found.seconds
        self.player.set_source(QUrl.fromLocalFile(str(found.path)))
        self.player.play()

    def _show_position(self, *_: object) -> None:
        player = self.player
        if player is None:
            return
        playing = player.playing
        at = player.position_ms() // 1000
        total = round(self.seconds)
        self.view.recording_button.setText(
            f"Stop the recording  ({RECORDING_KEY})"
            if playing
            else f"Play the call's recording  ({RECORDING_KEY})"
        )
        self.view.recording_label.setText(
            f"{at // 60}:{at % 60:02d} / {total // 60}:{total % 60:02d}" if playing else ""
        )
