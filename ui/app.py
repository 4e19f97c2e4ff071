"""Running the desk: open the database, log in, show the main window (or render it to a PNG).

Everything the database does runs on the :class:`DatabaseExecutor` thread; the GUI thread only
awaits it on the qasync event loop.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from pathlib import Path

import qasync
from PySide6.QtWidgets import QApplication, QDialog

from db.errors import DatabaseProblem
from spa_desk.auth import CurrentUser, authenticate
from spa_desk.cli import DeskOptions, desk_options, report_known_error
from spa_desk.database import Database, open_database
from spa_desk.demo.users import DEMO_HANDLER_USERNAME, DEMO_PASSWORD
from spa_desk.errors import KnownError
from ui.asyncio_qt import DatabaseExecutor, settle
from ui.dialogs import run_dialog, show_problem
from ui.login_dialog import LoginDialog
from ui.main_window import MainWindow
from ui.qt_messages import quieten_harmless_qt_messages
from ui.shift_contacts import Clock, ShiftContactsController, utc_clock

EXIT_OK = 0
EXIT_FAILED = 1


def run_desk(args: argparse.Namespace) -> int:
    """Open the desk (or, with ``--screenshot``, render its main window); the exit status."""
    try:
        options = desk_options(args)
    except KnownError as error:
        return report_known_error(error)
    screenshot: Path | None = args.screenshot
    credentials: tuple[str, str] | None = None
    if screenshot is not None:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        if args.user:
            credentials = (args.user, sys.stdin.readline().rstrip("\n"))
        else:
            credentials = (DEMO_HANDLER_USERNAME, DEMO_PASSWORD)
    os.environ.setdefault("QT_API", "pyside6")
    quieten_harmless_qt_messages()

    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName("SPA Desk")
    app.setOrganizationName("SPA Desk")
    app.setQuitOnLastWindowClosed(False)
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    session = DeskSession(options)
    try:
        with loop:
            if screenshot is not None and credentials is not None:
                return int(loop.run_until_complete(session.screenshot(screenshot, *credentials)))
            return int(loop.run_until_complete(session.interactive()))
    finally:
        asyncio.set_event_loop(None)


class DeskSession:
    """One run of the desk: its database, its worker thread and its windows."""

    def __init__(self, options: DeskOptions, clock: Clock = utc_clock) -> None:
        self.options = options
        self.clock = clock
        self.executor = DatabaseExecutor()
        self.database: Database | None = None

    async def open(self) -> Database:
        """Open the configured database on the worker thread."""
        self.database = await self.executor.run(open_database, self.options.database_url)
        return self.database

    async def authenticate(self, username: str, password: str) -> CurrentUser:
        """Check a log-in on the worker thread."""
        assert self.database is not None
        return await self.executor.run(authenticate, self.database, username, password)

    def close(self) -> None:
        """Stop the worker and release the database."""
        self.executor.shutdown()
        if self.database is not None:
            self.database.close()

    def main_window(self, user: CurrentUser) -> tuple[MainWindow, ShiftContactsController]:
        """A main window for ``user`` with its shift list controller, not yet shown."""
        assert self.database is not None
        window = MainWindow(user, self.database.description)
        controller = ShiftContactsController(
            window,
            database=self.database,
            executor=self.executor,
            shifts=self.options.settings.shifts,
            refresh_seconds=self.options.settings.contact_list_refresh_seconds,
            clock=self.clock,
        )
        return window, controller

    async def screenshot(self, target: Path, username: str, password: str) -> int:
        """Log in, show the main window with the shift's contacts, save it as a PNG."""
        try:
            await self.open()
            user = await self.authenticate(username, password)
        except (KnownError, DatabaseProblem) as error:
            self.close()
            if username == DEMO_HANDLER_USERNAME and "Wrong user name" in str(error):
                error = KnownError(
                    f"{error} The demo call handler {DEMO_HANDLER_USERNAME!r} is not in this "
                    "database: run 'spa-desk demo-data --months 1' first, or pass --user."
                )
            return report_known_error(error)
        try:
            window, controller = self.main_window(user)
            window.show()
            await controller.refresh()
            QApplication.processEvents()
            target.parent.mkdir(parents=True, exist_ok=True)
            if not window.grab().save(str(target), "PNG"):
                return report_known_error(KnownError(f"Cannot write the screenshot {target}."))
            print(f"Saved a screenshot of the main window to {target}")
            window.close()
            return EXIT_OK
        finally:
            self.close()

    async def interactive(self) -> int:
        """The desk as staff use it: log in, then the main window until it is closed."""
        try:
            database = await self.open()
        except (KnownError, DatabaseProblem) as error:
            self.close()
            await show_problem("SPA Desk cannot open the database", str(error))
            return report_known_error(error)
        try:
            dialog = LoginDialog(self.authenticate, database.description)
            if await run_dialog(dialog) != QDialog.DialogCode.Accepted.value or dialog.user is None:
                return EXIT_FAILED if dialog.failed_attempts else EXIT_OK
            window, controller = self.main_window(dialog.user)
            closed: asyncio.Future[None] = asyncio.get_running_loop().create_future()
            window.closed.connect(lambda: settle(closed, None))
            window.show()
            controller.start()
            await closed
            controller.stop()
            return EXIT_OK
        finally:
            self.close()
