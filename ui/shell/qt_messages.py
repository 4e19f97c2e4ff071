"""Qt's own messages: passed on to standard error, less the ones known to be harmless noise."""

from __future__ import annotations

import sys

from PySide6.QtCore import QMessageLogContext, QtMsgType, qInstallMessageHandler

HARMLESS = (
    "This plugin does not support propagateSizeHints()",
    "This plugin does not support raise()",
)
"""Printed by the offscreen platform (screenshots, tests); they mean nothing to a user."""


def _handler(kind: QtMsgType, _context: QMessageLogContext, message: str) -> None:
    if kind == QtMsgType.QtDebugMsg or message in HARMLESS:
        return
    sys.stderr.write(message + "\n")


def quieten_harmless_qt_messages() -> None:
    """Install the filter for the rest of the process."""
    qInstallMessageHandler(_handler)
