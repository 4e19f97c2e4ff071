"""The room's layout: who is where, the queues, and the call-backs with the SPA manager."""

from __future__ import annotations

from PySide6.QtCore import QAbstractItemModel, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)


class EnterTable(QTableView):
    """A read-only table; Enter on a row emits :attr:`entered`."""

    entered = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.entered.emit()
            return
        super().keyPressEvent(event)


def _table(name: str, accessible: str, model: QAbstractItemModel) -> EnterTable:
    table = EnterTable()
    table.setObjectName(name)
    table.setAccessibleName(accessible)
    table.setModel(model)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.verticalHeader().setVisible(False)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    table.horizontalHeader().setStretchLastSection(True)
    return table


def _heading(text: str) -> QLabel:
    label = QLabel(text)
    label.setStyleSheet("font-size: 12pt; font-weight: 600; margin-top: 6px;")
    return label


class RoomPage(QWidget):
    """The SPA manager's room."""

    back_requested = Signal()

    def __init__(
        self,
        desks: QAbstractItemModel,
        streams: QAbstractItemModel,
        escalated: QAbstractItemModel,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("roomPage")
        title = QLabel("The room")
        title.setStyleSheet("font-size: 16pt; font-weight: 600;")
        self.summary = QLabel()
        self.summary.setObjectName("roomSummary")
        self.summary.setWordWrap(True)
        self.desks = _table("roomDesks", "Who is where", desks)
        self.streams = _table("roomQueues", "The queues", streams)
        self.escalated = _table("roomEscalated", "Call-backs with you", escalated)
        self.note = QLabel()
        self.note.setObjectName("roomNote")
        self.note.setWordWrap(True)
        back = QPushButton("Shift list  (Esc)")
        back.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        back.clicked.connect(self.back_requested)
        self.put_back_button = QPushButton("Put back in the queue  (Enter)")
        self.put_back_button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        buttons = QHBoxLayout()
        buttons.addWidget(back)
        buttons.addStretch(1)

        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(self.summary)
        layout.addLayout(buttons)
        columns = QHBoxLayout()
        left = QVBoxLayout()
        left.addWidget(_heading("Who is where"))
        left.addWidget(self.desks, 1)
        right = QVBoxLayout()
        right.addWidget(_heading("The queues"))
        right.addWidget(self.streams, 1)
        right.addWidget(
            _heading("Call-backs with you: three tries unanswered (Enter puts one back)")
        )
        right.addWidget(self.escalated, 1)
        right.addWidget(self.put_back_button)
        columns.addLayout(left, 2)
        columns.addLayout(right, 3)
        layout.addLayout(columns, 1)
        layout.addWidget(self.note)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        if event.key() == Qt.Key.Key_Escape:
            self.back_requested.emit()
            return
        super().keyPressEvent(event)
