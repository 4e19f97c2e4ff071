"""One run of the desk (:class:`DeskSession`): its backend (database and worker thread), its
main window, the logged-in user, the shift list, the call on screen, telephony and the idle lock.
"""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Coroutine
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox

from spa_desk.cli.arguments import report_known_error
from spa_desk.cli.options import DeskOptions
from spa_desk.errors import KnownError
from spa_desk.local_time import LONDON, Clock, utc_clock
from ui.kit.asyncio_qt import settle
from ui.kit.backend import DeskBackend, settle_memory
from ui.kit.dialogs import run_dialog, show_problem
from ui.shell.first_admin_dialog import FirstAdministratorDialog
from ui.shell.idle_lock import IdleWatcher
from ui.shell.login_dialog import LoginDialog
from ui.shell.main_window import MainWindow, paint_now

if TYPE_CHECKING:
    from spa_desk.calls.draft import CallDraft
    from spa_desk.calls.save import SavedCall
    from spa_desk.domain import CurrentUser
    from spa_desk.telephony.events import TelephonyEvent, TelephonyFeed
    from ui.call.controller import CallController
    from ui.shift.controller import ShiftContactsController


EXIT_OK = 0


EXIT_FAILED = 1


async def _unlock(session: DeskSession) -> CurrentUser | None:
    """Keep the lock dialog up until someone logs in; who did (None when the desk closed)."""
    assert session.user is not None
    minutes = max(1, round(session.idle_ms / 60_000))
    while not session.ended:
        dialog = LoginDialog(
            session.backend.authenticate,
            parent=session.window,
            locked_for=session.user,
            idle_minutes=minutes,
        )
        dialog.show_database(session.window.database_label.text())
        session.window.closed.connect(dialog.reject)
        await run_dialog(dialog)
        if dialog.user is not None:
            return dialog.user
    return None


class TelephonyBridge(QObject):
    """Brings telephony events (published on the adapter's thread) to the GUI thread.

    Signals:
        arrived(object): a TelephonyEvent, delivered on the GUI thread.
    """

    arrived = Signal(object)

    def __init__(self, feed: TelephonyFeed, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.stop_listening = feed.subscribe(self.arrived.emit)


class DeskSession:
    """One run of the desk: its backend (database and worker thread) and its main window."""

    def __init__(
        self,
        options: DeskOptions,
        clock: Clock = utc_clock,
        window: MainWindow | None = None,
        idle_ms: int | None = None,
    ) -> None:
        self.options = options
        self.idle_ms = idle_ms or options.settings.idle_lock_minutes * 60_000
        self.user: CurrentUser | None = None
        self._new_call_connected = False
        self.locked = False
        self.ended = False
        """True once the main window has closed: nothing may start again (a lock, a timer)."""
        self.clock = clock
        self.backend = DeskBackend(options.database_url)
        self.window = window or MainWindow()
        self.controller: ShiftContactsController | None = None
        self.call: CallController | None = None
        self.telephony: TelephonyBridge | None = None
        self._tasks: set[asyncio.Future[object]] = set()

    def show_window(self) -> None:
        """Paint the main window (if it is not up yet), then start opening the database."""
        if not self.window.isVisible():
            paint_now(self.window)
        self.backend.start_opening()

    async def open_database(self) -> None:
        """Wait for the database; name it in the status bar. Problems raise in words."""
        self.window.show_database(await self.backend.description())

    def start_shift_list(self, user: CurrentUser) -> ShiftContactsController:
        """Show ``user`` as logged in and attach the shift list to the window."""
        from ui.shift.controller import ShiftContactsController

        self.user = user
        self.window.show_user(user)
        self.controller = ShiftContactsController(
            self.window.shift_page,
            self.window,
            load_contacts=functools.partial(self.backend.contacts_between, user),
            shifts=self.options.settings.shifts,
            refresh_seconds=self.options.settings.contact_list_refresh_seconds,
            clock=self.clock,
        )
        self.window.closed.connect(self.controller.stop)
        return self.controller

    def spawn(self, job: Coroutine[Any, Any, object]) -> None:
        """Run ``job`` in the background, keeping hold of it until it ends."""
        task = asyncio.ensure_future(job)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    def enable_calls(self) -> None:
        """Give the logged-in user what their roles allow: F2 for a new call (the button and
        the Desk menu too) and the Governance menu for administrators and managers."""
        from spa_desk.permissions import Action, allowed
        from ui.governance.menu import add_governance_menu

        if self.user is not None:
            add_governance_menu(self.window, self.backend, self.user, clock=self.clock)

        may = self.user is not None and allowed(self.user, Action.LOG_CONTACT)
        self.window.new_call_action.setEnabled(may)
        if not self._new_call_connected:
            self.window.new_call_action.triggered.connect(lambda: self.spawn(self.start_call()))
            self._new_call_connected = True

    async def start_call(
        self, draft: CallDraft | None = None, *, restored: bool = False
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
        screen = CallScreen()
        controller = CallController(
            screen,
            self.backend,
            user=self.user,
            ruleset=ruleset,
            draft=draft or new_draft(self.clock()),
            clock=self.clock,
        )
        controller.finished.connect(self._call_finished)
        self.call = controller
        self.window.show_page(screen)
        controller.start(restored=restored)
        return controller

    def _call_finished(self, saved: SavedCall | None) -> None:
        call, self.call = self.call, None
        self.window.show_page(self.window.shift_page)
        if call is not None:
            self.window.pages.removeWidget(call.screen)
            call.screen.deleteLater()
        if saved is not None:
            summary = saved.summary
            when = summary.started_at.astimezone(LONDON).strftime("%H:%M")
            self.window.show_refresh_note(f"Saved the call of {when}.")
        else:
            self.window.show_refresh_note("The call was thrown away.")
        self.window.shift_page.table.setFocus()
        if self.controller is not None:
            self.spawn(self.controller.refresh())

    async def prepare_for_calls(self) -> None:
        """After log-in, while the handler looks at the shift: load the rules and the call
        screen's code, then settle memory, so the first call opens at once and no garbage
        collection of all that stalls the screen mid-call."""
        try:
            await self.backend.ruleset()
        except KnownError:
            return  # the first call says what is wrong
        import ui.call.controller  # noqa: F401 - loaded now rather than at the first F2

        settle_memory()

    async def offer_unfinished_calls(self) -> None:
        """After log-in: offer back a call left unfinished by a crash or power cut."""
        from spa_desk.calls.draft import unfinished_calls
        from spa_desk.permissions import Action, allowed

        assert self.user is not None
        if not allowed(self.user, Action.LOG_CONTACT):
            return  # an administrator or a manager takes no calls, so has none to carry on
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
        from spa_desk.telephony.events import CallAnswered, CallEnded, IncomingCall

        call = self.call
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
            self.spawn(self.start_call(draft))
        elif call is not None and call.draft.telephony_ref == event.call_ref:
            if isinstance(event, CallAnswered) and call.draft.answered_at is None:
                call.update(answered_at=event.at)
            elif isinstance(event, CallEnded) and call.draft.ended_at is None:
                call.update(answered_at=call.draft.answered_at or event.at, ended_at=event.at)

    async def lock(self, watcher: IdleWatcher) -> None:
        """Hide the desk behind a lock until someone logs in; what was on screen comes back.

        The same user carries on exactly where they were; another user takes the desk over
        with the window as it stood (a call in progress stays with the desk).
        """
        if self.locked or self.user is None:
            return
        self.locked = True
        watcher.stop()
        central = self.window.centralWidget()
        assert central is not None
        central.hide()  # nothing personal stays on screen while the desk is unattended
        from ui.governance.menu import remove_governance_menu

        remove_governance_menu(self.window)  # its dialogs are windows of their own
        covered = [
            widget
            for widget in QApplication.topLevelWidgets()
            if widget.isVisible() and widget is not self.window and widget.isWindow()
        ]
        for widget in covered:  # a call's consent or new-person form, say
            widget.hide()
        try:
            user = await _unlock(self)
            if user is None:  # the desk was closed while it was locked
                return
            if user.id != self.user.id and self.controller is not None:
                self.user = user
                self.window.show_user(user)
                self.enable_calls()
                if self.call is not None:
                    self.call.user = user
                    self.call.changed()
                self.controller.use_loader(functools.partial(self.backend.contacts_between, user))
                await self.controller.refresh()
        finally:
            self.locked = False
            if not self.ended:
                central.show()
                for widget in covered:
                    widget.show()
                self.enable_calls()
                if self.call is not None and not covered:
                    self.call.refocus()
                watcher.start()

    def _end(self, closed: asyncio.Future[None]) -> None:
        """The main window closed: the session is over (a lock in progress gives up)."""
        self.ended = True
        settle(closed, None)

    def close(self) -> None:
        """Stop refreshing, stop the worker and release the database."""
        if self.controller is not None:
            self.controller.stop()
        if self.call is not None:
            self.call.stop()
        self.backend.close()

    async def interactive(self) -> int:
        """The desk as staff use it: the main window with the log-in dialog over it."""
        self.show_window()
        try:
            dialog = LoginDialog(self.backend.authenticate, parent=self.window)
            dialog_result = asyncio.ensure_future(run_dialog(dialog))
            try:
                await self.open_database()
            except KnownError as error:
                dialog.reject()
                await show_problem(
                    "SPA Desk cannot open the database", str(error), parent=self.window
                )
                return report_known_error(error)
            dialog.show_database(self.window.database_label.text())
            if not await self.backend.has_users():
                dialog.hide()
                first = FirstAdministratorDialog(self.backend.add_first_admin, parent=self.window)
                if await run_dialog(first) != QDialog.DialogCode.Accepted.value:
                    dialog.reject()
                    return EXIT_OK
                dialog.user_edit.setText(first.created_username or "")
                dialog.password_edit.setFocus()
                dialog.show()
            accepted = await dialog_result == QDialog.DialogCode.Accepted.value
            if not accepted or dialog.user is None:
                return EXIT_FAILED if dialog.failed_attempts else EXIT_OK
            closed: asyncio.Future[None] = asyncio.get_running_loop().create_future()
            self.window.closed.connect(lambda: self._end(closed))
            self.start_shift_list(dialog.user).start()
            self.enable_calls()
            self.spawn(self.prepare_for_calls())
            self.spawn(self.offer_unfinished_calls())
            watcher = IdleWatcher(self.idle_ms, self.window)
            watcher.idle.connect(lambda: asyncio.ensure_future(self.lock(watcher)))
            watcher.start()
            await closed
            watcher.stop()
            if self.call is not None:  # the last keystrokes of a call still open are kept too
                self.call.stop()
                await self.call.flush_draft()
            return EXIT_OK
        finally:
            self.window.close()
            self.close()
