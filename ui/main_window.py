"""The main window: the contacts of the shift, with the user and database in the status bar.

The view holds layout only; :class:`ui.shift_contacts.ShiftContactsController` fills it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMainWindow,
    QPushButton,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ui.contact_table import ContactTableModel

if TYPE_CHECKING:
    from spa_desk.domain import CurrentUser


def _shortcut_text(sequence: QKeySequence) -> str:
    return sequence.toString(QKeySequence.SequenceFormat.NativeText)


class MainWindow(QMainWindow):
    """The desk's main window.

    Signals:
        closed: the window was closed; the desk session ends.
    """

    closed = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.setWindowTitle("SPA Desk")
        self.resize(1280, 720)

        self.shift_title = QLabel()
        self.shift_title.setObjectName("shiftTitle")
        self.shift_title.setStyleSheet("font-size: 16pt; font-weight: 600;")
        self.shift_title.setAccessibleName("Shift shown")
        self.shift_summary = QLabel()
        self.shift_summary.setObjectName("shiftSummary")
        self.shift_summary.setAccessibleName("Shift summary")

        self.previous_action = self._action("&Previous shift", QKeySequence("Alt+Left"))
        self.current_action = self._action("&Current shift", QKeySequence("Alt+Home"))
        self.next_action = self._action("&Next shift", QKeySequence("Alt+Right"))
        self.refresh_action = self._action(
            "&Refresh", QKeySequence(QKeySequence.StandardKey.Refresh)
        )
        self.quit_action = self._action("&Quit", QKeySequence(QKeySequence.StandardKey.Quit))
        self.quit_action.triggered.connect(self.close)

        self.new_call_action = self._action("&New call", QKeySequence("F2"))
        self.new_call_action.setEnabled(False)
        buttons = QHBoxLayout()
        self.new_call_button = QPushButton(f"New call  ({_shortcut_text(QKeySequence('F2'))})")
        self.new_call_button.setObjectName("newCall")
        self.new_call_button.setAccessibleName("Start a new call")
        self.new_call_button.setStyleSheet("font-weight: 700; padding: 4px 14px;")
        self.new_call_button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.new_call_button.clicked.connect(self.new_call_action.trigger)
        self.new_call_action.enabledChanged.connect(self.new_call_button.setEnabled)
        self.new_call_button.setEnabled(False)
        buttons.addWidget(self.new_call_button)
        for action, label in (
            (self.previous_action, "◀ Previous shift"),
            (self.current_action, "Current shift"),
            (self.next_action, "Next shift ▶"),
            (self.refresh_action, "Refresh"),
        ):
            button = QPushButton(f"{label}  ({_shortcut_text(action.shortcut())})")
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

        self.shift_page = QWidget()
        self.shift_page.setObjectName("shiftPage")
        layout = QVBoxLayout(self.shift_page)
        layout.addLayout(header)
        layout.addWidget(self.list_stack, 1)
        self.pages = QStackedWidget()
        self.pages.setObjectName("pages")
        self.pages.addWidget(self.shift_page)
        self.setCentralWidget(self.pages)

        menu = self.menuBar()
        desk_menu = menu.addMenu("&Desk")
        desk_menu.addAction(self.new_call_action)
        desk_menu.addSeparator()
        desk_menu.addAction(self.quit_action)
        view_menu = menu.addMenu("&View")
        for action in (
            self.previous_action,
            self.current_action,
            self.next_action,
            self.refresh_action,
        ):
            view_menu.addAction(action)

        self.user_label = QLabel("Not logged in")
        self.user_label.setObjectName("statusUser")
        self.user_label.setAccessibleName("Logged-in user and role")
        self.database_label = QLabel("Database: opening…")
        self.database_label.setObjectName("statusDatabase")
        self.database_label.setAccessibleName("Database in use")
        self.refresh_label = QLabel()
        self.refresh_label.setObjectName("statusRefresh")
        self.refresh_label.setAccessibleName("List refresh")
        status = self.statusBar()
        status.addWidget(self.refresh_label, 1)
        status.addPermanentWidget(self.user_label)
        status.addPermanentWidget(self.database_label)
        self.shift_title.setText("SPA Desk")
        self.shift_summary.setText("Log in to see the contacts of the current shift.")
        self.show_contacts_or_empty("Not logged in.")
        for action in (self.previous_action, self.current_action, self.next_action):
            action.setEnabled(False)
        self.refresh_action.setEnabled(False)

    def show_page(self, page: QWidget) -> None:
        """Show ``page`` (the shift list or the call in progress), adding it if it is new."""
        if self.pages.indexOf(page) < 0:
            self.pages.addWidget(page)
        self.pages.setCurrentWidget(page)

    def show_database(self, description: str) -> None:
        """Name the database in use in the status bar."""
        self.database_label.setText(f"Database: {description}")

    def show_user(self, user: CurrentUser) -> None:
        """Show who is logged in, and open the shift controls to them."""
        self.setWindowTitle(f"SPA Desk - {user.display_name}")
        self.user_label.setText(f"{user.display_name} · {user.roles_label}")
        for action in (
            self.previous_action,
            self.current_action,
            self.next_action,
            self.refresh_action,
        ):
            action.setEnabled(True)
        self.activateWindow()
        self.raise_()
        self.table.setFocus()

    def _action(self, text: str, shortcut: QKeySequence) -> QAction:
        action = QAction(text, self)
        action.setShortcut(shortcut)
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        self.addAction(action)
        return action

    def show_contacts_or_empty(self, empty_message: str | None) -> None:
        """Show the table, or the message when the shift has no contacts."""
        if empty_message is None:
            self.list_stack.setCurrentWidget(self.table)
        else:
            self.empty_label.setText(empty_message)
            self.list_stack.setCurrentWidget(self.empty_label)

    def show_refresh_problem(self, message: str) -> None:
        """Say in the status bar that the list could not be refreshed (the old list stays)."""
        self.refresh_label.setStyleSheet("color: #b00020; font-weight: 600;")
        self.refresh_label.setText(message)

    def show_refresh_note(self, message: str) -> None:
        """A quiet note in the status bar, such as when the list was last updated."""
        self.refresh_label.setStyleSheet("")
        self.refresh_label.setText(message)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        self.closed.emit()
        super().closeEvent(event)
