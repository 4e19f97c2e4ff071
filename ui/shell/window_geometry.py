"""Where the main window opens: where its user left it last time; the first time, maximised on a
screen up to 1440 px wide (most desks: 1366x768 and 1440x900 screens) and a comfortable size in
the middle of a larger one.

Only the window's geometry lives in QSettings (STYLE: the settings file holds the rest), in
``window.ini`` beside the settings file (``$XDG_CONFIG_HOME/spa-desk`` on Linux).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, QRect, QSettings, QSize, QStandardPaths, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget

MAXIMISE_UP_TO = 1440
"""Screens this wide or narrower get the window maximised the first time."""
LARGER_SCREEN_SIZE = QSize(1440, 900)
"""The window's first size on a larger screen."""
GEOMETRY_KEY = "main_window/geometry"
FOLDER = "spa-desk"
FILE_NAME = "window.ini"


def geometry_file() -> Path:
    """``window.ini`` in the user's configuration folder for SPA Desk (read when asked, so a
    test's own HOME and XDG folders are honoured)."""
    location = QStandardPaths.StandardLocation.GenericConfigLocation
    return Path(QStandardPaths.writableLocation(location)) / FOLDER / FILE_NAME


def first_geometry(available: QRect) -> QRect | None:
    """The window's first geometry on a screen with ``available`` room; None: maximised."""
    if available.width() <= MAXIMISE_UP_TO:
        return None
    size = LARGER_SCREEN_SIZE.boundedTo(available.size())
    frame = QRect(0, 0, size.width(), size.height())
    frame.moveCenter(available.center())
    return frame


class WindowPlacement:
    """Places the main window before it shows, and keeps its geometry when it closes."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or geometry_file()
        self._settings = QSettings(str(self.path), QSettings.Format.IniFormat)

    def place(self, window: QWidget) -> None:
        """Where the window was left, if that still fits a screen; else its first place."""
        saved = self._settings.value(GEOMETRY_KEY)
        if isinstance(saved, QByteArray) and window.restoreGeometry(saved):
            return
        screen = window.screen() or QGuiApplication.primaryScreen()
        geometry = first_geometry(screen.availableGeometry())
        if geometry is None:
            window.setWindowState(window.windowState() | Qt.WindowState.WindowMaximized)
        else:
            window.setGeometry(geometry)

    def keep(self, window: QWidget) -> None:
        """Remember the window's geometry (maximised or not) for the next start."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._settings.setValue(GEOMETRY_KEY, window.saveGeometry())
        self._settings.sync()
