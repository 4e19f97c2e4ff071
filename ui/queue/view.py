"""The hand-off queue's layout: which streams it shows, the keys, the table (or words when
nothing waits), and a line for what just happened (claimed first by someone else, say)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ui.queue.model import QueueTableModel


class QueueTable(QTableView):
    """The queue's table: Enter claims the hand-off under the cursor."""

    claim_pressed = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.claim_pressed.emit()
            return
        super().keyPressEvent(event)


class QueuePage(QWidget):
    """A practitioner's hand-off queue."""

    back_requested = Signal()

    def __init__(self, model: QueueTableModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("queuePage")
        self.title = QLabel("Hand-off queue")
        self.title.setObjectName("queueTitle")
        self.title.setStyleSheet("font-size: 16pt; font-weight: 600;")
        self.streams_label = QLabel()
        self.streams_label.setObjectName("queueStreams")
        self.streams_label.setWordWrap(True)

        buttons = QHBoxLayout()
        self.claim_button = QPushButton("Claim  (Enter)")
        self.claim_button.setObjectName("claimHandoff")
        self.claim_button.setStyleSheet("font-weight: 700; padding: 4px 14px;")
        self.claim_button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.refresh_button = QPushButton("Refresh  (F5)")
        self.refresh_button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.back_button = QPushButton("Shift list  (Esc)")
        self.back_button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.back_button.clicked.connect(self.back_requested)
        for button in (self.claim_button, self.refresh_button, self.back_button):
            buttons.addWidget(button)
        buttons.addStretch(1)

        self.table = QueueTable()
        self.table.setObjectName("queueTable")
        self.table.setAccessibleName("Hand-offs waiting")
        self.table.setModel(model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        self.empty_label = QLabel()
        self.empty_label.setObjectName("queueEmpty")
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setWordWrap(True)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.table)
        self.stack.addWidget(self.empty_label)

        self.note = QLabel()
        self.note.setObjectName("queueNote")
        self.note.setWordWrap(True)
        self.note.setAccessibleName("Queue message")

        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.streams_label)
        layout.addLayout(buttons)
        layout.addWidget(self.note)
        layout.addWidget(self.stack, 1)

    def show_empty(self, words: str | None) -> None:
        """Words in place of the table when nothing waits (None: the table)."""
        if words is None:
            self.stack.setCurrentWidget(self.table)
        else:
            self.empty_label.setText(words)
            self.stack.setCurrentWidget(self.empty_label)

    def say(self, words: str, *, problem: bool = False) -> None:
        """What just happened, on the line above the table."""
        self.note.setStyleSheet("color: #a4001d; font-weight: 600;" if problem else "")
        self.note.setText(words)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        if event.key() == Qt.Key.Key_Escape:
            self.back_requested.emit()
            return
        super().keyPressEvent(event)
