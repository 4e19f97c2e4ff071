"""The room's tables: the desks (who, where, for how long), the streams' queues, and the
call-backs with the SPA manager."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QFont

from spa_desk.handoff.clock import clock_words, span_words
from spa_desk.handoff.queue import QueueItem
from spa_desk.local_time import LONDON, Clock
from spa_desk.room.room import DeskInRoom, StreamQueue
from spa_desk.vocabulary import Presence
from ui.kit.row_table import RowTableModel

_RED = QColor("#a4001d")


def for_how_long(since: datetime, now: datetime) -> str:
    """How long since ``since``, in the words of the queue's clocks."""
    return span_words(now - since)


class DeskTableModel(RowTableModel[DeskInRoom]):
    """Who is at a desk, where they are and since when."""

    def __init__(self, clock: Clock) -> None:
        super().__init__(("Name", "Where", "For"))
        self._clock = clock

    def tick(self) -> None:
        """The clocks moved on."""
        if self.rowCount():
            self.dataChanged.emit(self.index(0, 2), self.index(self.rowCount() - 1, 2))

    def text(self, item: DeskInRoom, column: int) -> str | None:
        match column:
            case 0:
                return item.name
            case 1:
                return item.state.label
            case 2:
                return for_how_long(item.since, self._clock())
        return None

    def look(self, item: DeskInRoom, column: int, role: int) -> Any:
        if column == 1 and item.state is Presence.AVAILABLE and role == Qt.ItemDataRole.FontRole:
            bold = QFont()
            bold.setBold(True)
            return bold
        return None


class StreamTableModel(RowTableModel[StreamQueue]):
    """Each stream's queue: waiting, overdue, the oldest waiting, with the SPA manager."""

    def __init__(self, clock: Clock) -> None:
        super().__init__(("Stream", "Waiting", "Overdue", "Oldest waiting", "With you"))
        self._clock = clock

    def text(self, item: StreamQueue, column: int) -> str | None:
        match column:
            case 0:
                return item.stream.label
            case 1:
                return str(item.waiting)
            case 2:
                return str(item.overdue)
            case 3:
                if item.oldest_since is None:
                    return "-"
                return f"{for_how_long(item.oldest_since, self._clock())} (since " + (
                    f"{item.oldest_since.astimezone(LONDON):%H:%M})"
                )
            case 4:
                return str(item.with_manager)
        return None

    def look(self, item: StreamQueue, column: int, role: int) -> Any:
        if column == 2 and item.overdue and role == Qt.ItemDataRole.ForegroundRole:
            return QBrush(_RED)
        return None


class EscalatedTableModel(RowTableModel[QueueItem]):
    """Call-backs that came to the SPA manager after three unanswered attempts."""

    def __init__(self, clock: Clock) -> None:
        super().__init__(("Stream", "Urgency", "Handed off by", "Attempts", "Due"))
        self._clock = clock

    def text(self, item: QueueItem, column: int) -> str | None:
        match column:
            case 0:
                return item.stream.label
            case 1:
                return item.urgency.value.capitalize() if item.urgency else "Not yet known"
            case 2:
                return f"{item.handed_by} at {item.handed_at.astimezone(LONDON):%d %b %H:%M}"
            case 3:
                return f"{item.attempts} ({item.unanswered} unanswered)"
            case 4:
                return clock_words(item.due_at, self._clock())
        return None
