"""Opt-in start-up timing: with ``SPA_DESK_STARTUP_T0`` set to the launch time (``time.time()``),
the desk prints to standard error how long after launch its main window was first painted and
when the shift's contacts were on screen. The start-up benchmark sets it; so can anyone who
wonders why a desk is slow to start.
"""

from __future__ import annotations

import os
import sys
import time

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QWidget

ENV = "SPA_DESK_STARTUP_T0"


def _launch_time() -> float | None:
    value = os.environ.get(ENV)
    try:
        return float(value) if value else None
    except ValueError:
        return None


def report(milestone: str) -> None:
    """Print ``startup: MILESTONE N ms`` when timing is on; nothing otherwise."""
    launched = _launch_time()
    if launched is not None:
        sys.stderr.write(f"startup: {milestone} {(time.time() - launched) * 1000:.1f} ms\n")
        sys.stderr.flush()


class _FirstPaint(QObject):
    def __init__(self, widget: QWidget, milestone: str) -> None:
        super().__init__(widget)
        self._milestone = milestone
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.Paint:
            watched.removeEventFilter(self)
            report(self._milestone)
        return False


def report_first_paint(widget: QWidget, milestone: str) -> None:
    """Report ``milestone`` when ``widget`` is first painted (when timing is on)."""
    if _launch_time() is not None:
        _FirstPaint(widget, milestone)
