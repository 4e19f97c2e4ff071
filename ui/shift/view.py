"""The shift list's layout: the shift's title and summary, the keys to move between shifts, and
the table of its contacts (or a message when there are none).

Views hold layout only; :class:`ui.shift.controller.ShiftContactsController` fills this one. The
actions (with their shortcuts) belong to the main window, so its menus and these buttons share
them.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
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

from ui.shift.missed_calls import MissedCallsPanel
from ui.shift.model import ContactTableModel


def shortcut_text(sequence: QKeySequence) -> str:
    """A key as the platform writes it, for a button's label (``Alt+Left``)."""
    return sequence.toString(QKeySequence.SequenceFormat.NativeText)


class ShiftPage(QWidget):
    """The contacts of one shift: title, summary, shift keys and the table."""

    def __init__(
        self,
        *,
        new_call: QAction,
        previous: QAction,
        current: QAction,
        following: QAction,
        refresh: QAction,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("shiftPage")
        self.previous_action = previous
        self.current_action = current
        self.next_action = following
        self.refresh_action = refresh

        self.shift_title = QLabel()
        self.shift_title.setObjectName("shiftTitle")
        self.shift_title.setStyleSheet("font-size: 16pt; font-weight: 600;")
        self.shift_title.setAccessibleName("Shift shown")
        self.shift_summary = QLabel()
        self.shift_summary.setObjectName("shiftSummary")
        self.shift_summary.setAccessibleName("Shift summary")

        buttons = QHBoxLayout()
        self.new_call_button = QPushButton(f"New call  ({shortcut_text(QKeySequence('F2'))})")
        self.new_call_button.setObjectName("newCall")
        self.new_call_button.setAccessibleName("Start a new call")
        self.new_call_button.setStyleSheet("font-weight: 700; padding: 4px 14px;")
        self.new_call_button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.new_call_button.clicked.connect(new_call.trigger)
        new_call.enabledChanged.connect(self.new_call_button.setEnabled)
        self.new_call_button.setEnabled(new_call.isEnabled())
        buttons.addWidget(self.new_call_button)
        self.buttons = buttons
        for action, label in (
            (previous, "◀ Previous shift"),
            (current, "Current shift"),
            (following, "Next shift ▶"),
            (refresh, "Refresh"),
        ):
            button = QPushButton(f"{label}  ({shortcut_text(action.shortcut())})")
            button.setAccessibleName(action.text().replace("&", ""))
            button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
            button.clicked.connect(action.trigger)
            action.enabledChanged.connect(button.setEnabled)
            buttons.addWidget(button)
        buttons.addStretch(1)

        header = QVBoxLayout()
        header.addWidget(self.shift_title)
        header.addWidget(self.shift_summary)
        header.addLayout(buttons)

        self.model = ContactTableModel()
        self.table = QTableView()
        self.table.setObjectName("shiftContacts")
        self.table.setAccessibleName("Contacts of the shift")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(False)
        horizontal = self.table.horizontalHeader()
        horizontal.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        horizontal.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)

        self.empty_label = QLabel()
        self.empty_label.setObjectName("emptyShift")
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setStyleSheet("color: #555; font-size: 13pt;")
        self.empty_label.setWordWrap(True)
        self.list_stack = QStackedWidget()
        self.list_stack.addWidget(self.table)
        self.list_stack.addWidget(self.empty_label)
        self.keys_hint = QLabel("↑ ↓ choose a contact · Enter opens it to read (nothing changes)")
        self.keys_hint.setObjectName("shiftKeys")
        self.keys_hint.setAccessibleName("Keys of the shift list")
        self.keys_hint.setStyleSheet("color: #555;")

        self.missed = MissedCallsPanel()
        layout = QVBoxLayout(self)
        layout.addLayout(header)
        layout.addWidget(self.missed)
        layout.addWidget(self.list_stack, 1)
        layout.addWidget(self.keys_hint)
        self.show_logged_out()

    def show_logged_out(self) -> None:
        """Nobody is logged in: no contacts, and the words of the desk's start."""
        self.model.set_contacts([])
        self.shift_title.setText("SPA Desk")
        self.shift_summary.setText("Log in to see the contacts of the current shift.")
        self.show_contacts_or_empty("Not logged in.")

    def show_contacts_or_empty(self, empty_message: str | None) -> None:
        """Show the table, or the message when the shift has no contacts."""
        if empty_message is None:
            self.list_stack.setCurrentWidget(self.table)
        else:
            self.empty_label.setText(empty_message)
            self.list_stack.setCurrentWidget(self.empty_label)
