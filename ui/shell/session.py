"""One run of the desk (:class:`DeskSession`): its backend (database and worker thread), its
main window, the logged-in user and their home, the call on screen, telephony, the idle lock,
logging out and quitting.

The session's parts live in its bases: calls (:mod:`ui.shell.desk_calls`), each role's home
(:mod:`ui.shell.desk_homes`) and leaving or locking the desk (:mod:`ui.shell.leaving`).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QApplication, QDialog

from spa_desk.cli.arguments import report_known_error
from spa_desk.cli.options import DeskOptions
from spa_desk.errors import KnownError
from spa_desk.local_time import Clock, utc_clock
from ui.kit.asyncio_qt import settle
from ui.kit.backend import DeskBackend
from ui.kit.dialogs import run_dialog, show_problem
from ui.shell.crash_handler import CrashHandler, restart_desk_process
from ui.shell.crash_report import crash_folder
from ui.shell.first_admin_dialog import FirstAdministratorDialog
from ui.shell.idle_lock import IdleWatcher
from ui.shell.leaving import DeskLeaving
from ui.shell.login_dialog import LoginDialog
from ui.shell.main_window import MainWindow, paint_now
from ui.shell.telephony_bridge import TelephonyBridge

if TYPE_CHECKING:
    from spa_desk.calls.journal import DraftJournal
    from spa_desk.domain import CurrentUser
    from ui.call.controller import CallController
    from ui.contact.controller import ContactViewController
    from ui.kit.coalesce import Coalesced
    from ui.queue.controller import QueueController
    from ui.reports.controller import DashboardController
    from ui.room.controller import RoomController
    from ui.shell.home_pages import HomePage
    from ui.shell.journal_replay import JournalReplayer
    from ui.shell.live_bridge import LiveBridge
    from ui.shell.phone_link import PhoneLink
    from ui.shell.presence_keeper import PresenceKeeper
    from ui.shell.window_geometry import WindowPlacement
    from ui.shift.controller import ShiftContactsController


EXIT_OK = 0


EXIT_FAILED = 1


class DeskSession(DeskLeaving):
    """One run of the desk: its backend (database and worker thread) and its main window.

    With ``placement`` the window's geometry is kept for the next start when it closes.
    """

    def __init__(
        self,
        options: DeskOptions,
        clock: Clock = utc_clock,
        window: MainWindow | None = None,
        idle_ms: int | None = None,
        placement: WindowPlacement | None = None,
    ) -> None:
        self.options = options
        self.idle_ms = idle_ms or options.settings.idle_lock_minutes * 60_000
        self.user: CurrentUser | None = None
        self._new_call_connected = False
        self._leaving = False
        self.locked = False
        self.ended = False
        """True once the main window has closed: nothing may start again (a lock, a timer)."""
        self.clock = clock
        self.backend = DeskBackend(options.database_url, training=options.training)
        self.journal: DraftJournal | None = None
        self.replayer: JournalReplayer | None = None
        self.window = window or MainWindow()
        self.controller: ShiftContactsController | None = None
        self.home_page: HomePage | None = None
        self.contact: ContactViewController | None = None
        self.queue: QueueController | None = None
        self.live: LiveBridge | None = None
        self.room: RoomController | None = None
        self.dashboard: DashboardController | None = None
        self._dashboard_news: Coalesced | None = None
        self._reports_connected = False
        self.presence: PresenceKeeper | None = None
        self._queue_news: Coalesced | None = None
        self._contact_news: Coalesced | None = None
        self._room_news: Coalesced | None = None
        self.watcher: IdleWatcher | None = None
        self.call: CallController | None = None
        self.telephony: TelephonyBridge | None = None
        self.phone: PhoneLink | None = None
        self._tasks: set[asyncio.Future[object]] = set()
        self._phone_jobs: set[asyncio.Future[object]] = set()
        self.restarting = False
        """True once the handler chose Restart after a crash: the desk starts again on closing."""
        self.restart_process: Callable[[], None] = restart_desk_process
        """Starts the desk again once this session has closed (tests replace it)."""
        self.crash_handler = CrashHandler(
            crash_folder(options.data_dir),
            keep_call=self.keep_call,
            restart=self.restart,
            parent=self.window,
        )
        self._connect_desk_menu(placement)

    def _connect_desk_menu(self, placement: WindowPlacement | None) -> None:
        """Quit, Lock now and Log out; the window's geometry kept as it closes."""
        main = self.window
        main.quit_action.triggered.connect(lambda: self.spawn(self.quit_desk()))
        main.lock_action.triggered.connect(self.lock_now)
        main.log_out_action.triggered.connect(lambda: self.spawn(self.log_out()))
        if placement is not None:
            main.closed.connect(lambda: placement.keep(main))

    def show_window(self) -> None:
        """Paint the main window (if it is not up yet), then start opening the database."""
        if not self.window.isVisible():
            paint_now(self.window)
        self.backend.start_opening()

    async def open_database(self) -> None:
        """Wait for the database; name it in the status bar, and mark the desk TRAINING when
        it is a training database. Problems raise in words."""
        self.window.show_database(await self.backend.description())
        if await self.backend.is_training():
            self.window.mark_training()

    async def start_phone(self) -> None:
        """The desk's telephone, when the settings give one (SPEC 12): its state on the status
        bar, its calls ringing on the desk. Without one the desk works as before."""
        settings = self.options.settings.telephony
        if not settings.enabled or self.phone is not None:
            return
        from PySide6.QtGui import QKeySequence, QShortcut

        from ui.shell.phone_link import PhoneLink
        from ui.shift.missed_calls import CALL_BACK_KEY

        self.phone = phone = PhoneLink(settings, self.options.data_dir, self.clock, self.window)
        phone.state_changed.connect(self.window.show_phone)
        phone.problem.connect(self.window.show_refresh_problem)
        self.window.show_phone(False, "Connecting to the phone…", say=False)
        self.listen_to(phone.feed)
        missed = self.window.shift_page.missed
        missed.call_back.connect(self.call_back)
        shortcut = QShortcut(QKeySequence(CALL_BACK_KEY), self.window.shift_page)
        shortcut.activated.connect(missed.choose)
        try:
            phone.clear_old_recordings()
        except OSError as error:
            self.window.show_refresh_problem(f"Old recordings could not be deleted: {error}.")
        self.replay_phone_journal()  # what the phone said before this desk closed, first
        await phone.start()
        await self.refresh_missed()

    def restart(self) -> None:
        """Restart after a crash: close the desk as staff would (the call's last keystrokes are
        kept), then start it again. A log-in, lock or other dialog gives up first."""
        self.restarting = True
        for widget in QApplication.topLevelWidgets():
            if widget is not self.window and widget.isWindow() and widget.isVisible():
                widget.close()
        self.window.close()

    def _end(self, closed: asyncio.Future[None]) -> None:
        """The main window closed: the session is over (a lock in progress gives up)."""
        self.ended = True
        settle(closed, None)

    def close(self) -> None:
        """Stop refreshing, stop the worker and release the database."""
        if self.replayer is not None:
            self.replayer.stop()
        if self.controller is not None:
            self.controller.stop()
        if self.call is not None:
            self.call.stop()
        self.backend.close()

    async def interactive(self) -> int:
        """The desk as staff use it: the main window with the log-in dialog over it.

        Unexpected exceptions meanwhile get a crash report (:mod:`ui.shell.crash_handler`).
        """
        self.show_window()
        self.crash_handler.install()
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
            self.watcher = watcher = IdleWatcher(self.idle_ms, self.window)
            watcher.idle.connect(self.lock_now)
            self.begin_work(dialog.user)
            await self.start_phone()
            await closed
            watcher.stop()
            if self.presence is not None and self.user is not None:
                self.presence.stop()
                await self.presence.leave(self.user)  # out of the room as the desk closes
            if self.call is not None:  # the last keystrokes of a call still open are kept too
                self.call.stop()
                await self.call.flush_draft()
            return EXIT_OK
        finally:
            self.window.close()
            if self.phone is not None:
                await self.phone.stop()
                await self.finish_phone_log()
            self.close()
            self.crash_handler.uninstall()
            if self.restarting:
                self.restart_process()
