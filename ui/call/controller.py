"""One call from ring to saved record (SPEC 2), behind the call screen.

The controller holds the call as a :class:`spa_desk.calls.draft.CallDraft` and rebuilds the screen
from it after every change, so the draft is the one truth: it is written to the database within a
second of any change (nothing is lost to a crash) and a restored draft comes back exactly. Every
database job runs on the worker thread through :class:`ui.kit.backend.DeskBackend`. The person and
outcome columns see the call only through :class:`ui.call.context.CallContext`.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Coroutine
from datetime import datetime
from typing import Any, Protocol

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QMessageBox

from spa_desk.calls.draft import (
    CallDraft,
    discard_draft,
    reopened,
    seen_in_wrap_up,
    wrap_up_seconds,
)
from spa_desk.calls.journal import DraftJournal, JournalEntry
from spa_desk.calls.save import SavedCall, save_call
from spa_desk.calls.screening import chosen_routes, resolvable, screening
from spa_desk.domain import CurrentUser
from spa_desk.errors import DatabaseFailure, InvalidInput, KnownError
from spa_desk.handoff.queue import QueueItem, hand_off
from spa_desk.local_time import Clock
from spa_desk.people.consent import ConsentGiven
from spa_desk.people.records import PersonRecord
from spa_desk.people.search import PersonMatch
from spa_desk.rules.screening import RuleSet, ScreeningSession
from spa_desk.vocabulary import HandoffKind, Line
from ui.call.caller import CallerEditor
from ui.call.draft_keeper import DraftKeeper
from ui.call.outcome import OutcomeEditor
from ui.call.outcome_view import select_data
from ui.call.person import PersonFinder
from ui.call.screen import CallScreen
from ui.call.screening import ScreeningColumn
from ui.kit.asyncio_qt import async_slot
from ui.kit.backend import DeskBackend
from ui.kit.dialogs import run_dialog


class Phone(Protocol):
    """The desk's telephone, for a call that rang on it (:class:`ui.shell.phone_link.PhoneLink`).
    Each command returns once given; what happened comes back as the phone's events."""

    async def answer(self) -> None:
        """Pick up the ringing call."""

    async def hang_up(self) -> None:
        """End the call."""

    async def hold(self, on: bool) -> None:
        """Put the caller on hold, or take them off it."""


class CallController(QObject):
    """Drives :class:`ui.call.screen.CallScreen` for one call.

    Signals:
        finished(object): the call was saved (a SavedCall), kept on this desk to be saved when
            the database is back (a JournalEntry), or thrown away (None).
        draft_saved(): the draft reached the database.
    """

    finished = Signal(object)
    """The call left the screen: a SavedCall, a JournalEntry (the database was out of reach, so
    the save waits on this desk's disk), a QueueItem (handed off to a practitioner), or None
    (thrown away)."""
    draft_saved = Signal()

    def __init__(
        self,
        screen: CallScreen,
        backend: DeskBackend,
        *,
        user: CurrentUser,
        ruleset: RuleSet,
        draft: CallDraft,
        clock: Clock,
        journal: DraftJournal | None = None,
        phone: Phone | None = None,
    ) -> None:
        super().__init__(screen)
        self.phone = phone
        """The desk's telephone, when this call rang on it: F9, F10 and Ctrl+H work the phone."""
        self.on_hold = False
        self.screen = screen
        self.backend = backend
        self.user = user
        self.ruleset = ruleset
        self.draft = draft
        self.clock = clock
        self.saving = False
        self.updating = False
        self._tasks: set[asyncio.Future[None]] = set()
        self.keeper = DraftKeeper(backend, lambda: self.draft, lambda: self.user, journal, self)
        self.keeper.saved.connect(self.draft_saved)
        self.keeper.failed.connect(self.screen.outcome.show_problem)
        self.keeper.offline.connect(self.screen.bar.show_database_problem)
        self.keeper.online.connect(lambda: self.screen.bar.show_database_problem(None))
        self._tick = QTimer(self)
        self._tick.setInterval(1000)
        self._tick.timeout.connect(self.show_timers)
        self.caller = CallerEditor(self, screen.caller, self.answer)
        self.screening = ScreeningColumn(self, screen.screening, screen.recommendation)
        self._connect()
        self._shortcuts()
        self.finder = PersonFinder(self, screen.person, screen)
        self.outcome = OutcomeEditor(self, screen.outcome)

    # Wiring ----------------------------------------------------------------------------------

    def _connect(self) -> None:
        s = self.screen
        s.screening.answered.connect(self.answer)
        s.screening.change_requested.connect(self.screening.change_answer)
        s.screening.back_requested.connect(self.screening.back)
        s.screening.line_wanted.connect(s.bar.line_combo.setFocus)
        s.bar.line_combo.activated.connect(self._line_chosen)
        s.bar.answer_button.clicked.connect(self.answer_call)
        s.bar.end_button.clicked.connect(self.end_call)
        s.bar.save_button.clicked.connect(self.save)
        s.bar.discard_button.clicked.connect(self.discard)
        s.screening.handoff_requested.connect(self.hand_off)

    def _shortcuts(self) -> None:
        window = self.screen
        for key, slot in (
            ("Ctrl+S", self.save),
            ("F9", self.answer_call),
            ("F10", self.end_call),
            ("Ctrl+H", self.toggle_hold),
            ("Ctrl+K", self.caller.use_known),
            ("F3", self.focus_search),
            ("F4", self.screen.screening.focus_answers),
            ("Ctrl+N", self.new_person),
            ("Ctrl+E", self.edit_person),
            ("Ctrl+M", self.screen.outcome.notes.setFocus),
            ("F7", lambda: self.hand_off(HandoffKind.WARM.value)),
            ("F8", lambda: self.hand_off(HandoffKind.CALL_BACK.value)),
        ):
            shortcut = QShortcut(QKeySequence(key), window)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(slot)

    # Starting --------------------------------------------------------------------------------

    def start(self, *, restored: bool = False) -> None:
        """Show the call; begin the timers; put the keyboard on the first question. A call
        restored in wrap-up does not count the time the desk was closed."""
        kept = self.draft
        if restored:
            self.draft = reopened(kept, self.now())
        self._tick.start()
        self.screen.outcome.notes.blockSignals(True)
        self.screen.outcome.notes.setPlainText(self.draft.notes)
        self.screen.outcome.notes.blockSignals(False)
        self.screen.person.search_edit.setText(self.draft.search_text)
        self.caller.load()
        self.refresh()
        self.screen.screening.focus_answers()
        if self.draft.search_text and self.draft.person_id is None:
            self.finder.search()  # first: the caller's people are what the handler needs now
        if self.draft.caller_number and not self.draft.caller.name:
            self.spawn(self.caller.look_up())
        self.spawn(self.outcome.load_services())
        if restored and self.draft.person_id is not None:
            self.spawn(self.finder.reopen_person())
        self.changed(save=not restored or self.draft != kept)

    def spawn(self, job: Coroutine[Any, Any, None]) -> None:
        """Run ``job`` in the background, keeping hold of it until it ends."""
        task = asyncio.ensure_future(job)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    def stop(self) -> None:
        """Stop the timers (the call is over on this screen)."""
        self._tick.stop()
        self.keeper.stop()

    # The draft --------------------------------------------------------------------------------

    def now(self) -> datetime:
        """The desk's clock."""
        return self.clock()

    def update(self, **changes: Any) -> None:
        """Change the draft, show it, and write it soon."""
        self.draft = self.draft.model_copy(update=changes)
        self.changed()

    def changed(self, *, save: bool = True) -> None:
        """The draft changed: show it and (by default) write it within a second."""
        self.refresh()
        if save:
            self.keeper.changed()

    async def write_draft_now(self) -> None:
        """Write the draft now, changed or not (a consent row is about to refer to it)."""
        await self.keeper.write_now()

    async def flush_draft(self) -> None:
        """Write the draft now if it changed (waiting for a write already under way)."""
        await self.keeper.flush()

    # Showing ---------------------------------------------------------------------------------

    def session(self) -> ScreeningSession:
        """The screening session of the draft as it stands."""
        return screening(self.ruleset, self.draft)

    def refresh(self) -> None:
        """Rebuild the screen from the draft."""
        self.updating = True
        try:
            session = self.session()
            decision = session.decision()
            next_question = session.next_question()
            screen = self.screen
            self.screening.show(session, next_question)
            self.caller.show()
            select_data(screen.bar.line_combo, self.draft.line.value)
            screen.bar.number_label.setText(
                f"From {self.draft.caller_number}"
                if self.draft.caller_number
                else "Number withheld"
            )
            screen.show_banner(decision.level1)
            self.outcome.show(decision.level1, session, complete=next_question is None)
            self.show_timers()
        finally:
            self.updating = False

    def show_timers(self) -> None:
        """The call state and its timers, from the draft's times; in wrap-up the draft notes now
        and then that the desk is still open, so time it is closed is never counted."""
        draft, now = self.draft, self.now()
        self.screen.bar.show_times(
            draft.started_at,
            draft.answered_at,
            draft.ended_at,
            now,
            wrap_up_seconds(draft, now),
            on_hold=self.on_hold,
        )
        seen = seen_in_wrap_up(draft, now)
        if seen is not None and not self.saving:
            self.draft = seen  # nothing on screen changes: no refresh, only the write
            self.keeper.changed()

    # Screening -------------------------------------------------------------------------------

    def answer(self, fact: str, value: object) -> None:
        """Record an answer; the next question (or the outcome) takes the keyboard."""
        if not self.updating:
            self.screening.answer(fact, value)

    def refocus(self) -> None:
        """After a dialog: the keyboard goes back where the handler's eyes are."""
        self.screen.window().activateWindow()
        if self.session().next_question() is not None:
            self.screen.screening.focus_answers()
        else:
            self._focus_outcome()

    def _focus_outcome(self) -> None:
        view = self.screen.outcome
        session = self.session()
        level1 = session.decision().level1
        if self.draft.resolve is None and not resolvable(
            self.ruleset, level1, chosen_routes(self.draft, session)
        ):
            self.update(resolve=False)  # the only outcome there can be
        if view.outcome_box.isVisible():
            (view.resolve_radio if view.resolve_radio.isEnabled() else view.refer_radio).setFocus()
        else:
            self.screen.bar.save_button.setFocus()

    # Caller ----------------------------------------------------------------------------------

    def _line_chosen(self, index: int) -> None:
        self.update(line=Line(str(self.screen.bar.line_combo.itemData(index))))

    @property
    def _on_the_phone(self) -> bool:
        return self.phone is not None and self.draft.telephony_ref is not None

    def answer_call(self) -> None:
        """F9: the call is answered now; the call timer starts. A call that rang on the desk's
        phone is picked up there, and its timer starts when the phone says it is answered."""
        if self.draft.answered_at is not None:
            return
        if self._on_the_phone and self.phone is not None:
            self.spawn(self.phone.answer())
        else:
            self.update(answered_at=self.now())

    def end_call(self) -> None:
        """F10: the call ended now; wrap-up time starts (on the phone: when it has hung up)."""
        if self.draft.ended_at is not None:
            return
        if self._on_the_phone and self.phone is not None and self.draft.answered_at is not None:
            self.spawn(self.phone.hang_up())
        else:
            self.update(answered_at=self.draft.answered_at or self.now(), ended_at=self.now())

    def toggle_hold(self) -> None:
        """Ctrl+H: the caller on hold, or back from it (a call on the desk's phone, talking)."""
        if not self._on_the_phone or self.phone is None:
            return
        if self.draft.answered_at is None or self.draft.ended_at is not None:
            return
        self.show_hold(not self.on_hold)
        self.spawn(self.phone.hold(self.on_hold))

    def show_hold(self, on: bool) -> None:
        """The caller is on hold (``on``) or not, as the phone or the handler says."""
        self.on_hold = on
        self.show_timers()

    # Person ----------------------------------------------------------------------------------

    @property
    def person(self) -> PersonRecord | None:
        """The person's record opened on this call, if any."""
        return self.finder.person

    @property
    def matches(self) -> tuple[PersonMatch, ...]:
        """The people the last search found."""
        return self.finder.matches

    def focus_search(self) -> None:
        """F3: the keyboard goes to the person search."""
        self.finder.focus_search()

    async def open_with_consent(self, person_id: uuid.UUID, consent: ConsentGiven) -> None:
        """Open the person's record on this call with the consent given; show it."""
        await self.finder.open_with_consent(person_id, consent)

    def edit_person(self) -> None:
        """Ctrl+E: change the record opened on this call."""
        self.finder.edit_person()

    def new_person(self) -> None:
        """Ctrl+N: the new-person form."""
        self.finder.new_person()

    # Saving ----------------------------------------------------------------------------------

    @async_slot()
    async def save(self) -> None:
        """Ctrl+S: save the contact in one transaction, or say what to fix (nothing is lost)."""
        if self.saving:
            return
        self.saving = True
        now = self.now()
        draft = self.draft
        if draft.ended_at is None:
            draft = draft.model_copy(
                update={"answered_at": draft.answered_at or now, "ended_at": now}
            )
        try:
            await self.flush_draft()
            saved: SavedCall = await self.backend.run(
                save_call, self.user, draft, self.ruleset, now=now
            )
        except DatabaseFailure as error:
            kept = await self.keeper.keep_save(draft, now, error)
            self.saving = False
            if kept:
                self.stop()
                self.finished.emit(
                    JournalEntry(draft=draft, user_id=self.user.id, kept_at=now, save_at=now)
                )
            return
        except InvalidInput as error:
            self.screen.outcome.show_problem(str(error))
            self.screen.focus_field(error.field)
            return
        except KnownError as error:
            self.screen.outcome.show_problem(f"Not saved: {error}")
            return
        finally:
            self.saving = False
        self.stop()
        self.finished.emit(saved)

    @async_slot(str)
    async def hand_off(self, kind: str) -> None:
        """F7 warm, F8 call-back: pass the call to its stream's queue with everything recorded
        so far; the desk is free at once. What stops it is said in words (nothing is lost)."""
        if self.saving or not self.screen.screening.handoff_box.isVisible():
            return
        self.saving = True
        try:
            await self.flush_draft()
            item: QueueItem = await self.backend.run(
                hand_off, self.user, self.draft, self.ruleset, HandoffKind(kind), now=self.now()
            )
        except DatabaseFailure:
            self.screen.outcome.show_problem(
                "The database is out of reach, so the call cannot be handed off yet. It is kept "
                "on this desk: hand it off again in a moment, or carry on with the caller."
            )
            return
        except InvalidInput as error:
            self.screen.outcome.show_problem(f"Not handed off: {error}")
            self.screen.focus_field(error.field)
            return
        except KnownError as error:
            self.screen.outcome.show_problem(f"Not handed off: {error}")
            return
        finally:
            self.saving = False
        self.stop()
        self.finished.emit(item)

    async def abandoned(self) -> None:
        """The caller hung up before anyone answered: nothing was said, so the draft goes
        without asking (the desk lists the missed call for a call-back)."""
        await self._throw_away()

    @async_slot()
    async def discard(self) -> None:
        """Throw away a call started by mistake (after asking)."""
        box = QMessageBox(
            QMessageBox.Icon.Question,
            "Throw away this call?",
            "Throw this call away? Use this only for a call started by mistake.",
            QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
            self.screen,
        )
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        if await run_dialog(box) != QMessageBox.StandardButton.Discard.value:
            return
        await self._throw_away()

    async def _throw_away(self) -> None:
        """The draft deleted and the call off the screen; a refusal (a record was opened on
        this call, say) is shown in words and the call stays, the keyboard on Save."""
        self.keeper.stop()
        await self.flush_draft()
        try:
            await self.backend.run(discard_draft, self.user, self.draft.contact_id)
        except KnownError as error:
            self.screen.outcome.show_problem(str(error))
            self.screen.bar.save_button.setFocus()
            return
        self.stop()
        self.finished.emit(None)
