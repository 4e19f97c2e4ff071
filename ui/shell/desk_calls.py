"""The calls side of a desk session: opening the call screen (F2, a ringing telephone, an
unfinished call offered back), what happens when a call leaves the screen, telephony events, and
the desk's journal of calls kept on disk while the database is out of reach.

:class:`DeskCalls` is the base of :class:`ui.shell.session.DeskSession`; it names the few things
of the session it uses, so that this module needs nothing from the session's.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Coroutine
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QMessageBox

from spa_desk.errors import DatabaseFailure, KnownError
from spa_desk.local_time import LONDON, Clock
from spa_desk.memory import settle_memory
from ui.kit.backend import DeskBackend
from ui.kit.dialogs import run_dialog, show_problem
from ui.kit.disk import on_disk
from ui.shell.main_window import MainWindow
from ui.shell.telephony_bridge import TelephonyBridge

if TYPE_CHECKING:
    from spa_desk.calls.draft import CallDraft
    from spa_desk.calls.journal import DraftJournal, JournalEntry
    from spa_desk.calls.save import SavedCall
    from spa_desk.cli.options import DeskOptions
    from spa_desk.domain import ContactSummary, CurrentUser
    from spa_desk.handoff.queue import QueueItem
    from spa_desk.telephony.call_log import MissedCall
    from spa_desk.telephony.events import TelephonyEvent, TelephonyFeed
    from spa_desk.telephony.phone_journal import PhoneJournal, PhoneStep
    from ui.call.controller import CallController
    from ui.call.screen import CallScreen
    from ui.queue.controller import QueueController
    from ui.shell.journal_replay import JournalReplayer
    from ui.shell.phone_link import PhoneLink
    from ui.shift.controller import ShiftContactsController


def saved_words(summary: ContactSummary, now: datetime) -> str:
    """What a save stored, and when, for the status bar:
    ``Saved at 14:07: the call of 14:00 · Health · Community nursing (urgent) · Referred``."""
    from ui.kit.contact_text import contact_what

    at = now.astimezone(LONDON).strftime("%H:%M")
    started = summary.started_at.astimezone(LONDON).strftime("%H:%M")
    return f"Saved at {at}: the call of {started} · {contact_what(summary)}"


def handed_off_words(item: QueueItem, now: datetime) -> str:
    """What a hand-off did, for the status bar: ``Handed off at 14:07: the call of 14:00 to
    the health queue, warm (the caller holds), due by 14:22``."""
    at = now.astimezone(LONDON).strftime("%H:%M")
    due = item.due_at.astimezone(LONDON)
    due_text = due.strftime(
        "%H:%M" if due.date() == now.astimezone(LONDON).date() else "%a %d %b %H:%M"
    )
    how = "warm (the caller holds)" if item.kind.value == "warm" else "for a call-back"
    return (
        f"Handed off at {at}: the call to the {item.stream.label.lower()} queue, {how}, "
        f"due by {due_text}"
    )


class DeskCalls:
    """The calls of one desk session (see the module's words)."""

    options: DeskOptions
    clock: Clock
    backend: DeskBackend
    window: MainWindow
    user: CurrentUser | None
    controller: ShiftContactsController | None
    ended: bool
    call: CallController | None
    queue: QueueController | None
    telephony: TelephonyBridge | None
    phone: PhoneLink | None = None
    _phone_log_tail: asyncio.Future[object] | None = None
    """The last call-log job: the next one waits for it, so the log follows the phone's order."""
    phone_journal: PhoneJournal | None = None
    """What the phone said, kept on this desk's disk until the database has it."""
    _phone_jobs: set[asyncio.Future[object]]
    """The call-log jobs running or waiting their turn."""
    phone_log_retry_seconds = 2.0
    """How often a call-log job the database refused for want of a connection is tried again."""
    _spare_screen: CallScreen | None = None
    """A call screen built while the desk was idle, so a ringing call opens without building
    one (a few dozen milliseconds of the GUI thread)."""
    journal: DraftJournal | None
    replayer: JournalReplayer | None
    _tasks: set[asyncio.Future[object]]

    def _keep_journal(self) -> None:
        """The desk's journal of calls kept while the database is out of reach, and its replay."""
        if self.journal is not None:
            return
        from spa_desk.calls.journal import JOURNAL_FOLDER, DraftJournal
        from ui.shell.journal_replay import JournalReplayer

        self.journal = DraftJournal(self.options.data_dir / JOURNAL_FOLDER)
        self.replayer = JournalReplayer(
            self.backend,
            self.journal,
            lambda: self.user,
            lambda: self.call.draft.contact_id if self.call is not None else None,
            self.window,
        )
        self.replayer.note.connect(lambda note: self.spawn(self._refresh_then_say(note)))
        self.replayer.waiting.connect(self.window.show_refresh_problem)
        self.window.closed.connect(self.replayer.stop)

    async def _refresh_then_say(self, note: str) -> None:
        """Calls kept on this desk reached the database: show them in the list, then say so."""
        if self.controller is not None:
            await self.controller.refresh()
        self.window.show_refresh_note(note)

    def spawn(self, job: Coroutine[Any, Any, object]) -> asyncio.Future[object]:
        """Run ``job`` in the background, keeping hold of it until it ends; its task."""
        task: asyncio.Future[object] = asyncio.ensure_future(job)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    async def start_call(
        self, draft: CallDraft | None = None, *, restored: bool = False, ringing: bool = False
    ) -> CallController | None:
        """Open the call screen for a new call (or ``draft``); the call already open comes
        forward instead, since a desk takes one call at a time."""
        from spa_desk.calls.draft import new_draft
        from ui.call.controller import CallController
        from ui.call.screen import CallScreen

        if self.call is not None:
            self.window.show_page(self.call.screen)
            return self.call
        if self.user is None:
            return None
        ruleset = await self.backend.ruleset()
        if self.call is not None:  # another start won the race while the rules loaded
            return self.call
        screen, self._spare_screen = self._spare_screen or CallScreen(), None
        controller = CallController(
            screen,
            self.backend,
            user=self.user,
            ruleset=ruleset,
            draft=draft or new_draft(self.clock()),
            clock=self.clock,
            journal=self.journal,
            phone=self.phone,
        )
        controller.finished.connect(self._call_finished)
        self.call = controller
        self.window.away_action.setChecked(False)  # taking a call: not away any more
        if not ringing:
            self.window.show_page(screen)
            controller.start(restored=restored)
            return controller
        # A call ringing on the phone: its people search goes to the database first, and the
        # GUI breathes once before the screen is shown (no key of the handler's is waiting:
        # they have not answered yet), so the GUI never works 50 ms at a stretch.
        controller.start(restored=restored)
        await asyncio.sleep(0)
        if self.call is controller:
            self.window.show_page(screen)
            screen.screening.focus_answers()
        return controller

    def _call_finished(self, saved: SavedCall | JournalEntry | QueueItem | None) -> None:
        call, self.call = self.call, None
        from spa_desk.calls.save import SavedCall

        ref = call.draft.telephony_ref if call is not None else None
        if ref is not None and self.phone is not None and isinstance(saved, SavedCall):
            from spa_desk.telephony.phone_journal import PhoneStep

            link = PhoneStep(
                kind="linked", call_ref=ref, at=self.clock(), contact_id=saved.summary.id
            )
            self._log_phone_step(link)
        self.window.show_page(self.window.shift_page)
        if call is not None:
            self.window.pages.removeWidget(call.screen)
            call.screen.deleteLater()
        self.make_spare_screen()  # the next call's screen, before the next call rings
        from spa_desk.calls.journal import JournalEntry

        if isinstance(saved, JournalEntry):  # the database was out of reach: kept on this desk
            when = saved.draft.started_at.astimezone(LONDON).strftime("%H:%M")
            self.window.show_refresh_problem(
                f"The database is out of reach: the call of {when} is kept on this desk and will "
                "be saved when it is back."
            )
            if self.replayer is not None:
                self.replayer.start()
            self.window.shift_page.table.setFocus()
            return  # the shift list cannot be read until the database is back
        from spa_desk.handoff.queue import QueueItem

        self._queue_changed()  # on one desk alone (SQLite), its own queue hears it here
        if isinstance(saved, QueueItem):
            self.window.show_saved(handed_off_words(saved, self.clock()))
            if self.controller is not None:
                self.spawn(self.controller.refresh())
            self.window.shift_page.table.setFocus()
            return
        if saved is not None:
            self.window.show_saved(saved_words(saved.summary, self.clock()))
            if self.controller is not None:
                self.controller.choose(saved.summary.id)  # Enter opens what was just saved
        else:
            self.window.show_refresh_note("The call was thrown away.")
        self.window.shift_page.table.setFocus()
        if self.controller is not None:
            self.spawn(self.controller.refresh())

    def _queue_changed(self) -> None:
        """This desk changed a queue: the queue on screen, if any, reads again."""
        queue = self.queue
        if queue is not None and queue.page.isVisible():
            self.spawn(queue.refresh())

    async def prepare_for_calls(self) -> None:
        """After log-in, while the handler looks at the shift: load the rules and the call
        screen's code and rehearse a save (on the database thread), then settle memory, so the
        first call opens at once, its save is as quick as the rest, and no garbage collection
        of all that stalls the screen mid-call."""
        from spa_desk.calls.save import prepare_saving
        from spa_desk.permissions import Action, allowed

        if self.user is None or not allowed(self.user, Action.LOG_CONTACT):
            return  # no calls to prepare for
        try:
            ruleset = await self.backend.ruleset()
        except KnownError:
            return  # the first call says what is wrong
        import ui.call.controller  # noqa: F401 - loaded now rather than at the first F2

        self.make_spare_screen()
        with contextlib.suppress(KnownError):  # not rehearsed: the first save compiles
            await self.backend.run(prepare_saving, self.user, ruleset)
        settle_memory()

    def make_spare_screen(self) -> None:
        """Build the next call's screen now, while nobody is waiting for it."""
        from ui.call.screen import CallScreen

        if self._spare_screen is None and self.user is not None:
            screen = CallScreen()
            self._spare_screen = screen

    async def offer_unfinished_calls(self) -> None:
        """After log-in: offer back a call left unfinished by a crash or power cut."""
        from spa_desk.calls.draft import unfinished_calls
        from spa_desk.permissions import Action, allowed

        assert self.user is not None
        if not allowed(self.user, Action.LOG_CONTACT):
            return  # an administrator or a manager takes no calls, so has none to carry on
        if self.replayer is not None:
            self.replayer.start()  # calls kept on this desk reach the database first
            await self.replayer.replay()
        try:
            drafts = await self.backend.run(unfinished_calls, self.user)
        except KnownError as error:
            await show_problem("Unfinished calls", str(error), parent=self.window)
            return
        if not drafts or self.call is not None:
            return
        draft = drafts[-1]
        when = draft.started_at.astimezone(LONDON).strftime("%H:%M on %d %b")
        more = f" (and {len(drafts) - 1} older)" if len(drafts) > 1 else ""
        box = QMessageBox(
            QMessageBox.Icon.Question,
            "Unfinished call",
            f"The call started at {when}{more} was not saved. Carry on with it now, "
            "exactly as it was?",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            self.window,
        )
        box.setObjectName("unfinishedCall")
        box.button(QMessageBox.StandardButton.Yes).setText("&Carry on with the call")
        box.button(QMessageBox.StandardButton.No).setText("&Later")
        box.setDefaultButton(QMessageBox.StandardButton.Yes)
        if await run_dialog(box) == QMessageBox.StandardButton.Yes.value:
            await self.start_call(draft, restored=True)

    def listen_to(self, feed: TelephonyFeed) -> None:
        """Take calls from a telephony adapter: a ringing call opens the call screen."""
        self.telephony = TelephonyBridge(feed, self.window)
        self.telephony.arrived.connect(self._telephony_event)

    def _telephony_event(self, event: TelephonyEvent) -> None:
        from spa_desk.calls.draft import new_draft
        from spa_desk.telephony.events import (
            CallAnswered,
            CallEnded,
            CallHeld,
            CallResumed,
            IncomingCall,
        )

        call = self.call
        if self.phone is not None:
            self._log_phone_call(event)  # queued after the new call's search (start_call)
        if isinstance(event, IncomingCall):
            if call is not None or self.user is None:
                self.window.show_refresh_note(
                    f"Another call is ringing on the {event.line.value.replace('_', ' ')} line."
                )
                return
            draft = new_draft(
                event.at,
                caller_number=event.caller_number,
                line=event.line,
                telephony_ref=event.call_ref,
                answered=False,
            )
            self.spawn(self.start_call(draft, ringing=self.phone is not None))
        elif call is not None and call.draft.telephony_ref == event.call_ref:
            if isinstance(event, CallAnswered) and call.draft.answered_at is None:
                call.update(answered_at=event.at)
            elif isinstance(event, CallEnded) and call.draft.answered_at is None and call.phone:
                draft = call.draft
                if not (draft.answers or draft.notes or draft.person_id or draft.caller.name):
                    self.spawn(call.abandoned())  # nothing was said; the missed list has it
                else:  # the handler had begun: nothing they typed is thrown away
                    call.update(answered_at=event.at, ended_at=event.at)
                    self.window.show_refresh_problem(
                        "The caller hung up before the call was answered; what you typed is "
                        "kept on screen (the call is on the missed list too)."
                    )
            elif isinstance(event, CallEnded) and call.draft.ended_at is None:
                call.show_hold(False)
                call.update(answered_at=call.draft.answered_at or event.at, ended_at=event.at)
            elif isinstance(event, CallHeld | CallResumed):
                call.show_hold(isinstance(event, CallHeld))

    def _log_phone_call(self, event: TelephonyEvent) -> None:
        """Keep the phone's call in the database (every desk's missed list and the figures),
        written to the desk's phone journal first, so that nothing the phone said is lost when
        the database is out of reach and the desk is closed before it is back."""
        from spa_desk.telephony.events import CallEnded, IncomingCall
        from spa_desk.telephony.phone_journal import PhoneStep

        named = None
        if isinstance(event, CallEnded) and self.phone is not None:
            named = self.phone.recordings_named.get(event.call_ref)
        step = PhoneStep.of(event, self.user.id if self.user is not None else None, named)
        if step is None:
            return
        self._log_phone_step(
            step, later=isinstance(event, IncomingCall), missed=isinstance(event, CallEnded)
        )

    def _log_phone_step(
        self, step: PhoneStep, *, later: bool = False, missed: bool = False
    ) -> None:
        """Keep ``step`` in the phone journal, then write it to the call log after the steps
        before it (``later`` and ``missed``: see :meth:`_phone_job`). Its journal file is named
        here, in the order heard, and written off the GUI thread."""
        target = self._phone_journal().next_file()
        after = self._phone_log_tail  # kept in the order heard: a ring before its end
        job = self._phone_job(step, target, later=later, missed=missed, after=after)
        self._phone_log_tail = self._spawn_phone_job(job)

    def _spawn_phone_job(self, job: Coroutine[Any, Any, None]) -> asyncio.Future[object]:
        task = self.spawn(job)
        self._phone_jobs.add(task)
        task.add_done_callback(self._phone_jobs.discard)
        return task

    async def finish_phone_log(self, seconds: float = 2.0) -> None:
        """As the desk closes: let the call-log jobs still running end (``seconds`` at most),
        then stop waiting for the database; what they held stays in the phone journal for the
        next desk started on this computer."""
        if not self._phone_jobs:
            return
        await asyncio.wait(set(self._phone_jobs), timeout=seconds)
        for job in list(self._phone_jobs):
            job.cancel()
        await asyncio.gather(*self._phone_jobs, return_exceptions=True)

    def _phone_journal(self) -> PhoneJournal:
        from spa_desk.telephony.phone_journal import PHONE_JOURNAL_FOLDER, PhoneJournal

        if self.phone_journal is None:
            self.phone_journal = PhoneJournal(self.options.data_dir / PHONE_JOURNAL_FOLDER)
        return self.phone_journal

    def replay_phone_journal(self) -> None:
        """Write what the phone said while the database was out of reach, left on this desk's
        disk when it closed: first, before anything the phone says now."""
        self._phone_log_tail = self._spawn_phone_job(self._phone_job(None, None, missed=True))

    async def _phone_job(
        self,
        step: PhoneStep | None,
        kept: Path | None,
        *,
        later: bool = False,
        missed: bool = False,
        after: asyncio.Future[object] | None = None,
    ) -> None:
        """Write ``step`` to the phone journal's file ``kept``, then to the call log (None:
        what the phone journal holds, if anything) once the job before it (``after``) has
        ended; ``later``: after what the ringing call needs first. Out of reach, it is tried
        again while the desk is open (the jobs after it wait), and stays in the phone journal if
        the desk closes first; a problem is said; with ``missed`` the missed list is read
        again. The journal's files are written, read and removed on the disk's thread."""
        from spa_desk.telephony.phone_journal import replay_phone_journal, write_step

        journal = self._phone_journal()
        if step is not None and kept is not None:
            try:  # at once, not after the jobs before it: the disk's thread keeps the order
                await on_disk(journal.write, kept, step)
            except OSError as error:  # the database may still take it: said, and tried
                kept = None
                self.window.show_refresh_problem(
                    f"The phone's call could not be kept on this desk's disk: {error}."
                )
        if after is not None and not after.done():
            await asyncio.wait([after])
        if step is None and not await on_disk(journal.waiting):
            return  # nothing left on this desk's disk
        if later:
            await asyncio.sleep(0.05)
        waited = 0.0
        while True:
            try:
                if step is None:
                    await self.backend.run(replay_phone_journal, journal)
                else:
                    await self.backend.run(write_step, step)
                break
            except DatabaseFailure:
                if self.ended:
                    return  # kept in the phone journal: the next desk started here writes it
                if waited == 0.0:
                    self.window.show_refresh_problem(
                        "The database is out of reach: the phone's calls are kept on this desk "
                        "and written when it is back."
                    )
                await asyncio.sleep(self.phone_log_retry_seconds)
                waited += self.phone_log_retry_seconds
            except KnownError as error:
                self.window.show_refresh_problem(f"The phone's call was not kept: {error}")
                if kept is not None:  # refused, not out of reach: not tried again
                    with contextlib.suppress(OSError):
                        await on_disk(journal.set_aside, kept)
                return
        if kept is not None:
            try:
                await on_disk(journal.forget, kept)
            except OSError as error:  # written again later, it changes nothing
                self.window.show_refresh_problem(
                    f"The phone's journal on this desk could not be tidied: {error}."
                )
        if missed:
            await self.refresh_missed()

    async def refresh_missed(self) -> None:
        """Read the missed calls of the last day into the shift page's list."""
        from spa_desk.telephony.call_log import MISSED_WITHIN, missed_calls

        if self.user is None or self.phone is None:
            return
        since = self.clock() - MISSED_WITHIN
        try:
            missed = await self.backend.run(missed_calls, self.user, since)
        except KnownError:
            return  # the list stays as it was; the shift list says what is wrong
        self.window.shift_page.missed.show_calls(missed)

    def call_back(self, missed: MissedCall) -> None:
        """F11 on a missed call: ring the number back on the desk's phone."""
        self.spawn(self._call_back(missed))

    async def _call_back(self, missed: MissedCall) -> None:
        from spa_desk.telephony.call_log import called_back

        phone, user = self.phone, self.user
        if phone is None or user is None:
            return
        if not missed.caller_number:
            self.window.show_refresh_problem("That caller withheld their number.")
            return
        try:
            mine = await self.backend.run(called_back, user, missed.id, self.clock())
        except KnownError as error:
            self.window.show_refresh_problem(str(error))
            return
        if not mine:
            self.window.show_refresh_note("Someone else has already called that number back.")
        elif await phone.dial(missed.caller_number):
            self.window.show_refresh_note(f"Calling {missed.caller_number} back…")
        await self.refresh_missed()

    async def keep_call(self) -> bool:
        """After a crash: write the draft of the call on screen now; False when none is open.

        Written straight through the backend, not the call's draft keeper, whose own write may
        be what went wrong; when the database is out of reach, to the desk's journal instead.
        Raises when the draft can be kept nowhere.
        """
        from spa_desk.calls.draft import save_draft
        from spa_desk.errors import DatabaseFailure

        call = self.call
        if call is None:
            return False
        try:
            await self.backend.run(save_draft, call.user, call.draft)
        except DatabaseFailure:
            if self.journal is None:
                raise
            await on_disk(self.journal.keep, call.user, call.draft)  # the replay writes it later
        return True
