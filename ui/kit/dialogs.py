"""Dialogs and message boxes opened from coroutines, without a nested event loop."""

from __future__ import annotations

import asyncio
from pathlib import Path

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QDialog, QFileDialog, QMessageBox, QPushButton, QWidget

from ui.kit.asyncio_qt import settle


async def run_dialog(dialog: QDialog) -> int:
    """Open ``dialog`` and wait until it is finished; its result code."""
    finished: asyncio.Future[int] = asyncio.get_running_loop().create_future()
    dialog.finished.connect(lambda code: settle(finished, code))
    dialog.open()
    return await finished


async def ask_save_path(
    parent: QWidget, title: str, suggested: Path, kind: str, words: str
) -> Path | None:
    """Ask where to save a ``kind`` file (``"pdf"``, ``"csv"``), offering ``suggested``; None
    when the user cancels. ``words`` names the files in the chooser ("PDF files").

    The chooser is opened, not exec'd: a nested event loop inside a coroutine would step other
    tasks inside this one, which asyncio refuses, leaving them waiting for ever.
    """
    chooser = QFileDialog(parent, title, str(suggested))
    chooser.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
    chooser.setNameFilter(f"{words} (*.{kind})")
    chooser.setDefaultSuffix(kind)
    try:
        if await run_dialog(chooser) != QDialog.DialogCode.Accepted.value:
            return None
        files = chooser.selectedFiles()
        return Path(files[0]) if files else None
    finally:
        chooser.deleteLater()


async def show_problem(title: str, message: str, parent: QWidget | None = None) -> None:
    """Show a problem in words and wait until the user has read it."""
    box = QMessageBox(QMessageBox.Icon.Critical, title, message, QMessageBox.StandardButton.Ok)
    if parent is not None:
        box.setParent(parent)
    await run_dialog(box)


def form_button(text: str, accessible_name: str) -> QPushButton:
    """A dialog button that never fires on Enter by chance (Enter belongs to the form)."""
    button = QPushButton(text)
    button.setAccessibleName(accessible_name)
    button.setAutoDefault(False)
    return button


FRAME_ROOM = 48
"""Room left on the screen for a window's title bar and frame."""


def fit_to_screen(window: QWidget, width: int, height: int) -> None:
    """Size ``window`` to ``width`` x ``height``, or to the screen it opens on when that is
    smaller (a 1366x768 desk with its task bar), so no part of it is out of reach."""
    screen = window.screen() or QGuiApplication.primaryScreen()
    room = screen.availableGeometry()
    window.resize(min(width, room.width() - FRAME_ROOM), min(height, room.height() - FRAME_ROOM))
