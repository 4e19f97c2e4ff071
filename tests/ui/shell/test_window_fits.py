"""The window fits the screen: maximised the first time on screens up to 1440 px wide, where its
user left it after that (only its geometry in QSettings, under the test's own HOME); and every
screen of the desk is usable at 1366x768."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from spa_desk.cli.options import DeskOptions
from spa_desk.database import Database
from spa_desk.settings import Settings
from tests.factories import add_user
from tests.ui.call_desk import DeskFactory
from tests.ui.desk_helpers import press, top_level, type_log_in
from tests.ui.shell.role_desk import PASSWORD
from ui.shell.home_pages import AdministratorHome, trainer_home
from ui.shell.login_dialog import LoginDialog
from ui.shell.main_window import MainWindow
from ui.shell.session import DeskSession
from ui.shell.window_geometry import WindowPlacement, first_geometry

SMALL_SCREEN = QSize(1366, 768)
USABLE = QSize(1366, 768 - 40)
"""What a 1366x768 screen leaves a window once its task bar is drawn."""


@pytest.mark.parametrize(
    ("available", "maximised"),
    [
        (QRect(0, 0, 1366, 728), True),
        (QRect(0, 0, 1440, 860), True),
        (QRect(0, 0, 1920, 1040), False),
    ],
)
def test_the_first_start_is_maximised_on_screens_up_to_1440_wide(
    available: QRect, maximised: bool
) -> None:
    geometry = first_geometry(available)
    assert (geometry is None) is maximised
    if geometry is not None:  # a larger screen: a comfortable window in its middle
        assert geometry.size() == QSize(1440, 900) and geometry.center() == available.center()


def _run_desk(
    qtbot: QtBot, database: Database, tmp_path: Path
) -> tuple[asyncio.Future[int], MainWindow]:
    """Start the desk as ``spa-desk`` does (the window placed before it paints) and log in."""
    window = MainWindow()
    placement = WindowPlacement()
    placement.place(window)
    options = DeskOptions(settings=Settings(), database_url=database.url, data_dir=tmp_path)
    session = DeskSession(options, window=window, placement=placement)
    run = asyncio.ensure_future(session.interactive())
    qtbot.waitUntil(lambda: top_level(LoginDialog)() is not None, timeout=10_000)
    dialog = top_level(LoginDialog)()
    assert isinstance(dialog, LoginDialog)
    type_log_in(qtbot, dialog, "handler", PASSWORD)
    qtbot.waitUntil(lambda: session.user is not None, timeout=10_000)
    qtbot.waitUntil(window.isActiveWindow, timeout=5_000)
    return run, window


def test_the_window_opens_maximised_then_where_it_was_left(
    qtbot: QtBot,
    qasync_loop: asyncio.AbstractEventLoop,
    database: Database,
    tmp_path: Path,
    isolated_home: Path,
) -> None:
    add_user(database, "handler", PASSWORD, ("call_handler",), "Sam Okafor")
    screen = QApplication.primaryScreen().availableGeometry()
    assert screen.width() <= 1440  # the offscreen test screen is a small one

    run, window = _run_desk(qtbot, database, tmp_path)
    assert window.isMaximized()
    window.showNormal()
    window.setGeometry(10, 30, 780, 520)
    qtbot.waitUntil(lambda: window.geometry() == QRect(10, 30, 780, 520), timeout=5_000)
    press(qtbot, "Q", modifier=Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(run.done, timeout=10_000)
    # Only the geometry is kept, beside the settings in the user's own configuration folder.
    kept = isolated_home / ".config" / "spa-desk" / "window.ini"
    assert kept.exists() and "geometry" in kept.read_text(encoding="utf-8")

    run, window = _run_desk(qtbot, database, tmp_path)
    assert not window.isMaximized()
    assert window.geometry() == QRect(10, 30, 780, 520)
    window.close()
    qtbot.waitUntil(run.done, timeout=10_000)


def _fits(widget: QWidget, room: QSize) -> bool:
    hint = widget.minimumSizeHint()
    return hint.width() <= room.width() and hint.height() <= room.height()


def test_every_screen_is_usable_at_1366_by_768(desk_for: DeskFactory) -> None:
    desk = desk_for("practitioner")
    window = desk.window
    window.showNormal()
    window.resize(SMALL_SCREEN)
    assert _fits(window, USABLE)
    room = window.pages.size()
    assert _fits(window.shift_page, room)
    for home in (
        trainer_home("Tess Abara", lock=window.lock_action, log_out=window.log_out_action),
        AdministratorHome("Ada Admin", lock=window.lock_action, log_out=window.log_out_action),
    ):
        window.show_page(home)
        assert _fits(home, room), home.objectName()
        window.remove_page(home)
    call = desk.new_call()
    assert _fits(call.screen, room)
    desk.keys("3")
    desk.save()
    desk.wait_saved()
    page = window.shift_page
    desk.qtbot.waitUntil(lambda: page.model.rowCount() == 1, timeout=10_000)
    desk.qtbot.waitUntil(lambda: QApplication.focusWidget() is page.table, timeout=5_000)
    press(desk.qtbot, Qt.Key.Key_Return)
    desk.qtbot.waitUntil(lambda: desk.session.contact is not None, timeout=5_000)
    viewer = desk.session.contact
    assert viewer is not None
    assert _fits(viewer.view, room)
