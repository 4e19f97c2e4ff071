"""Running the desk: paint the main window at once, open the database meanwhile, log in.

The GUI thread imports only Qt and the light domain models; the database thread loads SQLAlchemy
and the services while the first window is painted (see :mod:`ui.kit.backend`).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from pathlib import Path

import qasync
from PySide6.QtWidgets import QApplication

from spa_desk.cli.arguments import report_known_error
from spa_desk.cli.options import desk_options
from spa_desk.errors import KnownError, LoginFailed
from ui.kit.dialogs import show_problem
from ui.shell.crash_report import crash_folder, write_crash_report
from ui.shell.desk_homes import Home, home_for
from ui.shell.main_window import MainWindow, paint_now
from ui.shell.qt_messages import quieten_harmless_qt_messages
from ui.shell.session import EXIT_FAILED, EXIT_OK, DeskSession
from ui.shell.startup_timing import report
from ui.shell.window_geometry import WindowPlacement


def run_desk(args: argparse.Namespace) -> int:
    """Open the desk (or, with ``--screenshot``, render its main window); the exit status.

    The main window is painted first; the settings, the database and log-in follow behind it.
    """
    screenshot_path: Path | None = args.screenshot
    if screenshot_path is not None:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ.setdefault("QT_API", "pyside6")
    quieten_harmless_qt_messages()

    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName("SPA Desk")
    app.setOrganizationName("SPA Desk")
    app.setQuitOnLastWindowClosed(False)
    window = MainWindow()
    placement = WindowPlacement() if screenshot_path is None else None
    if placement is not None:  # a screenshot keeps the window's own size
        placement.place(window)
    paint_now(window)
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    try:
        with loop:
            try:
                options = desk_options(args)
            except KnownError as error:
                if screenshot_path is None:
                    loop.run_until_complete(
                        show_problem("SPA Desk cannot start", str(error), parent=window)
                    )
                window.close()
                return report_known_error(error)
            session = DeskSession(options, window=window, placement=placement)
            if screenshot_path is not None:
                username, password = _screenshot_credentials(args.user)
                return int(
                    loop.run_until_complete(
                        screenshot(session, screenshot_path, username, password)
                    )
                )
            try:
                return int(loop.run_until_complete(session.interactive()))
            except KnownError as error:
                return report_known_error(error)
            except Exception as error:  # a bug that ended the desk itself: a report, no message
                return _report_crash(error, options.data_dir)
    finally:
        asyncio.set_event_loop(None)


def _report_crash(error: Exception, data_dir: Path) -> int:
    """Write a crash report for a bug that ended the desk; say where it is; the exit status.

    The desk's own crash handler (:mod:`ui.shell.crash_handler`) has gone with its session, so the
    message is one line on standard error, naming the exception's type but never its message.
    """
    kind = type(error).__name__
    try:
        path = write_crash_report(
            crash_folder(data_dir), type(error), error, error.__traceback__, "the desk itself"
        )
    except OSError:
        sys.stderr.write(f"SPA Desk stopped after an unexpected {kind}; no report was saved.\n")
        return EXIT_FAILED
    sys.stderr.write(
        f"SPA Desk stopped after an unexpected {kind}. A report was saved to {path}; "
        "please give it to your administrator.\n"
    )
    return EXIT_FAILED


def _screenshot_credentials(username: str | None) -> tuple[str, str]:
    """The given user with a password from standard input, or the demo call handler."""
    if username:
        return username, sys.stdin.readline().rstrip("\n")
    from spa_desk.cli.demo_data import demo_login

    return demo_login()


async def screenshot(session: DeskSession, target: Path, username: str, password: str) -> int:
    """Log in, show the main window with the shift's contacts, save it as a PNG."""
    session.show_window()
    try:
        await session.open_database()
        user = await session.backend.authenticate(username, password)
    except KnownError as error:
        session.window.close()
        session.close()
        from spa_desk.cli.demo_data import demo_login

        demo_username, _password = demo_login()
        if isinstance(error, LoginFailed) and username == demo_username:
            error = LoginFailed(
                f"{error} (Logging in as the demo call handler {demo_username!r}: if "
                "this database has no demo data, run 'spa-desk demo-data --months 1' first, "
                "or pass --user.)"
            )
        return report_known_error(error)
    try:
        if home_for(user) is Home.SHIFT_LIST:
            await session.start_shift_list(user).refresh()
            session.enable_calls()
        else:  # a trainer's or an administrator's own home, never the shift's contacts
            session.open_home(user, first_screen=False)
        await asyncio.sleep(0.05)  # the loop lays it out and paints it (no nested Qt loop)
        report("shift contacts shown")
        target.parent.mkdir(parents=True, exist_ok=True)
        if not session.window.grab().save(str(target), "PNG"):
            return report_known_error(KnownError(f"Cannot write the screenshot {target}."))
        sys.stdout.write(f"Saved a screenshot of the main window to {target}\n")
        return EXIT_OK
    finally:
        session.window.close()
        session.close()
