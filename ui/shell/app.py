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
from spa_desk.errors import KnownError
from ui.kit.dialogs import show_problem
from ui.shell.main_window import MainWindow, paint_now
from ui.shell.qt_messages import quieten_harmless_qt_messages
from ui.shell.session import DeskSession


def run_desk(args: argparse.Namespace) -> int:
    """Open the desk (or, with ``--screenshot``, render its main window); the exit status.

    The main window is painted first; the settings, the database and log-in follow behind it.
    """
    screenshot: Path | None = args.screenshot
    if screenshot is not None:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ.setdefault("QT_API", "pyside6")
    quieten_harmless_qt_messages()

    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName("SPA Desk")
    app.setOrganizationName("SPA Desk")
    app.setQuitOnLastWindowClosed(False)
    window = MainWindow()
    paint_now(window)
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    try:
        with loop:
            try:
                options = desk_options(args)
            except KnownError as error:
                if screenshot is None:
                    loop.run_until_complete(
                        show_problem("SPA Desk cannot start", str(error), parent=window)
                    )
                window.close()
                return report_known_error(error)
            session = DeskSession(options, window=window)
            if screenshot is not None:
                username, password = _screenshot_credentials(args.user)
                return int(
                    loop.run_until_complete(session.screenshot(screenshot, username, password))
                )
            return int(loop.run_until_complete(session.interactive()))
    finally:
        asyncio.set_event_loop(None)


def _screenshot_credentials(username: str | None) -> tuple[str, str]:
    """The given user with a password from standard input, or the demo call handler."""
    if username:
        return username, sys.stdin.readline().rstrip("\n")
    from spa_desk.cli.demo_data import demo_login

    return demo_login()
