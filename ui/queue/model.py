"""The Qt table model of a hand-off queue: one row a hand-off, its clock counting down."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QFont

from spa_desk.handoff.clock import clock_words
from spa_desk.handoff.queue import QueueItem
from spa_desk.local_time import LONDON, Clock
from spa_desk.vocabulary import HandoffKind, HandoffStatus
from ui.kit.row_table import RowTableModel

COLUMNS = (
    "Due",
    "Urgency",
    "Kind",
    "Stream",
    "Why this stream",
    "Handed off by",
    "Waiting since",
    "Attempts",
)
DUE_COLUMN = 0

KIND_WORDS = {
    HandoffKind.WARM: "Warm: caller holding",
    HandoffKind.CALL_BACK: "Call-back",
}


def due_text(item: QueueItem, now: datetime) -> str:
    """The clock of a hand-off, or where it went: ``due in 12:05``, ``overdue 3:10``."""
    if item.status is HandoffStatus.ESCALATED:
        return f"With the SPA manager ({clock_words(item.due_at, now)})"
    if item.status is HandoffStatus.CLAIMED:
        return f"Claimed by {item.claimed_by}"
    return clock_words(item.due_at, now)


class QueueTableModel(RowTableModel[QueueItem]):
    """Hand-offs, due soonest first; overdue ones in bold red."""

    def __init__(self, clock: Clock) -> None:
        super().__init__(COLUMNS)
        self._clock = clock
        self._bold = QFont()
        self._bold.setBold(True)
        self._overdue = QBrush(QColor("#a4001d"))

    def tick(self) -> None:
        """The clocks moved on: repaint the due column."""
        if self.rowCount():
            self.dataChanged.emit(
                self.index(0, DUE_COLUMN), self.index(self.rowCount() - 1, DUE_COLUMN)
            )

    def look(self, item: QueueItem, column: int, role: int) -> Any:
        if not item.overdue(self._clock()):
            return None
        if role == Qt.ItemDataRole.FontRole:
            return self._bold
        return self._overdue

    def text(self, item: QueueItem, column: int) -> str | None:
        match column:
            case 0:
                return due_text(item, self._clock())
            case 1:
                return item.urgency.value.capitalize() if item.urgency else "Not yet known"
            case 2:
                return KIND_WORDS[item.kind]
            case 3:
                return item.stream.label
            case 4:
                return item.reason
            case 5:
                return item.handed_by
            case 6:
                return item.handed_at.astimezone(LONDON).strftime("%H:%M")
            case 7:
                unanswered = f" ({item.unanswered} unanswered)" if item.unanswered else ""
                return f"{item.attempts}{unanswered}"
        return None
