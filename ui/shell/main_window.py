"""The main window: the desk's menus and keys, its pages (the shift list, a call in progress, a
contact opened to read, a role's home) and the status bar with the user, the database, notes
about the list and the last save.

The view holds layout only; the session (:mod:`ui.shell.session`) puts pages and menus in it and
gives the Desk menu's actions (new call, lock, log out, quit) their behaviour.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QLabel,
    QMainWindow,
    QPushButton,
    QSizePolicy,
    QStackedWidget,
    QToolBar,
    QWidget,
)

from spa_desk.vocabulary import TRAINING_MARK as MARK_WORDS
from ui.shell.startup_timing import report_first_paint
from ui.shift.view import ShiftPage

if TYPE_CHECKING:
    from spa_desk.domain import CurrentUser


class MainWindow(QMainWindow):
    """The desk's main window.

    Signals:
        closed: the window was closed; the desk session ends.
    """

    closed = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.training = False
        """A training database is open: TRAINING on the title, a banner and the status bar."""
        self.training_banner: QLabel | None = None
        self.setWindowTitle("SPA Desk")
        self.resize(1280, 720)

        self.previous_action = self._action("&Previous shift", QKeySequence("Alt+Left"))
        self.current_action = self._action("&Current shift", QKeySequence("Alt+Home"))
        self.next_action = self._action("&Next shift", QKeySequence("Alt+Right"))
        self.refresh_action = self._action(
            "&Refresh", QKeySequence(QKeySequence.StandardKey.Refresh)
        )
        # Spelt out: the platform's standard Quit key is empty on some (offscreen, Windows).
        self.quit_action = self._action("&Quit", QKeySequence("Ctrl+Q"))
        self.lock_action = self._action("&Lock now", QKeySequence("Ctrl+L"))
        self.log_out_action = self._action("Log &out", QKeySequence("Ctrl+Shift+L"))

        self.new_call_action = self._action("&New call", QKeySequence("F2"))
        self.new_call_action.setEnabled(False)
        self.queue_action = self._action("Hand-off &queue", QKeySequence("F6"))
        self.queue_action.setEnabled(False)
        self.reports_action = self._action("&Dashboard and reports", QKeySequence("F9"))
        self.reports_action.setEnabled(False)
        self.reports_action.setVisible(False)
        self.practice_action = self._action("&Practice a sample call", QKeySequence("F7"))
        self.practice_action.setEnabled(False)
        self.practice_action.setVisible(False)
        self.my_results_action = self._action("My practice &results", QKeySequence("F8"))
        self.my_results_action.setEnabled(False)
        self.my_results_action.setVisible(False)
        self.away_action = self._action("I am &away", QKeySequence("Ctrl+Shift+W"))
        self.away_action.setCheckable(True)
        self.away_action.setEnabled(False)
        self.shift_page = ShiftPage(
            new_call=self.new_call_action,
            previous=self.previous_action,
            current=self.current_action,
            following=self.next_action,
            refresh=self.refresh_action,
        )
        self.pages = QStackedWidget()
        self.pages.setObjectName("pages")
        self.pages.addWidget(self.shift_page)
        self.setCentralWidget(self.pages)

        menu = self.menuBar()
        desk_menu = menu.addMenu("&Desk")
        desk_menu.addAction(self.new_call_action)
        desk_menu.addAction(self.queue_action)
        desk_menu.addAction(self.reports_action)
        desk_menu.addAction(self.practice_action)
        desk_menu.addAction(self.away_action)
        desk_menu.addSeparator()
        desk_menu.addAction(self.lock_action)
        desk_menu.addAction(self.log_out_action)
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
        self.saved_label = QLabel()
        self.saved_label.setObjectName("statusSaved")
        self.saved_label.setAccessibleName("Last save")
        self.saved_label.setStyleSheet("color: #1b5e20; font-weight: 600;")
        self.phone_label = QLabel()
        self.phone_label.setObjectName("statusPhone")
        self.phone_label.setAccessibleName("Telephone")
        self.phone_label.setVisible(False)
        self.live_label = QLabel()
        self.live_label.setObjectName("statusLive")
        self.live_label.setAccessibleName("Live updates from other desks")
        self.live_label.setVisible(False)
        status = self.statusBar()
        status.addWidget(self.refresh_label, 1)
        status.addWidget(self.saved_label)
        status.addPermanentWidget(self.live_label)
        status.addPermanentWidget(self.phone_label)
        status.addPermanentWidget(self.user_label)
        status.addPermanentWidget(self.database_label)
        self.show_logged_out()

    def show_page(self, page: QWidget) -> None:
        """Show ``page`` (the shift list or the call in progress), adding it if it is new."""
        if self.pages.indexOf(page) < 0:
            self.pages.addWidget(page)
        self.pages.setCurrentWidget(page)

    def remove_page(self, page: QWidget) -> None:
        """Take ``page`` out (and delete it); the shift list shows if it was on screen."""
        if self.pages.currentWidget() is page:
            self.pages.setCurrentWidget(self.shift_page)
        self.pages.removeWidget(page)
        page.deleteLater()

    def _title(self, title: str) -> str:
        return f"{MARK_WORDS} - {title}" if self.training else title

    def mark_training(self) -> None:
        """A training database is open (SPEC 7): say so on the title of this window and every
        other (the application's name), in a banner over every page and in the status bar."""
        if self.training:
            return
        self.training = True
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.setApplicationDisplayName(f"SPA Desk {MARK_WORDS}")
        banner = QLabel(
            f"{MARK_WORDS}: practice calls on the training database. Nothing here is live, and "
            "nothing reaches live records or live reports."
        )
        banner.setObjectName("trainingBanner")
        banner.setAccessibleName("Training mode")
        banner.setAlignment(Qt.AlignmentFlag.AlignCenter)
        banner.setStyleSheet(
            "QLabel { background: #b00020; color: white; font-weight: 700; font-size: 12pt;"
            " padding: 6px; }"
        )
        banner.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        bar = QToolBar("Training")
        bar.setObjectName("trainingBar")
        bar.setMovable(False)
        bar.setFloatable(False)
        bar.toggleViewAction().setEnabled(False)
        bar.addWidget(banner)
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, bar)
        self.training_banner = banner
        for place, (action, words, name) in enumerate(
            (
                (self.practice_action, "Practice a sample call", "practiceCall"),
                (self.my_results_action, "My practice results", "myResults"),
            ),
            start=1,
        ):
            self.shift_page.buttons.insertWidget(place, _action_button(action, words, name))
        self.database_label.setText(f"{MARK_WORDS} · {self.database_label.text()}")
        self.setWindowTitle(self._title(self.windowTitle()))

    def show_database(self, description: str) -> None:
        """Name the database in use in the status bar."""
        mark = f"{MARK_WORDS} · " if self.training else ""
        self.database_label.setText(f"{mark}Database: {description}")

    def show_user(self, user: CurrentUser) -> None:
        """Show who is logged in; the Desk menu's lock and log-out are theirs now."""
        self.setWindowTitle(self._title(f"SPA Desk - {user.display_name}"))
        self.user_label.setText(f"{user.display_name} · {user.roles_label}")
        self.lock_action.setEnabled(True)
        self.log_out_action.setEnabled(True)
        self.activateWindow()
        self.raise_()

    def open_shift_list(self) -> None:
        """Show the shift list with its keys (previous, current, next shift, refresh)."""
        for action in self._shift_actions():
            action.setEnabled(True)
        self.show_page(self.shift_page)
        self.shift_page.table.setFocus()

    def show_logged_out(self) -> None:
        """Nobody is logged in: the start-up words, every key of a logged-in user off."""
        self.setWindowTitle(self._title("SPA Desk"))
        self.user_label.setText("Not logged in")
        for action in (
            *self._shift_actions(),
            self.new_call_action,
            self.reports_action,
            self.practice_action,
            self.my_results_action,
        ):
            action.setEnabled(False)
        self.lock_action.setEnabled(False)
        self.log_out_action.setEnabled(False)
        self.shift_page.show_logged_out()
        self.show_page(self.shift_page)
        self.refresh_label.clear()
        self.saved_label.clear()

    def show_saved(self, message: str) -> None:
        """Say what was saved, and when; it stays until the next save (list notes come and go)."""
        self.saved_label.setText(message)

    def _shift_actions(self) -> tuple[QAction, ...]:
        return (self.previous_action, self.current_action, self.next_action, self.refresh_action)

    def _action(self, text: str, shortcut: QKeySequence) -> QAction:
        action = QAction(text, self)
        action.setShortcut(shortcut)
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        self.addAction(action)
        return action

    def show_phone(self, connected: bool, words: str, *, say: bool = True) -> None:
        """The telephone's state: "☎ Phone" when connected, why not when not (the words in its
        tooltip and, when it is lost, in the status bar)."""
        self.phone_label.setVisible(True)
        self.phone_label.setToolTip(words)
        if connected:
            self.phone_label.setText("☎ Phone ready")
            self.phone_label.setStyleSheet("color: #1b5e20; font-weight: 600;")
        else:
            self.phone_label.setText("☎ No phone")
            self.phone_label.setStyleSheet("color: #b00020; font-weight: 600;")
            if say:
                self.show_refresh_problem(words)

    def show_refresh_problem(self, message: str) -> None:
        """Say in the status bar that the list could not be refreshed (the old list stays)."""
        self.refresh_label.setStyleSheet("color: #b00020; font-weight: 600;")
        self.refresh_label.setText(message)

    def show_refresh_note(self, message: str) -> None:
        """A quiet note in the status bar, such as when the list was last updated."""
        self.refresh_label.setStyleSheet("")
        self.refresh_label.setText(message)

    def show_live(self, listening: bool, words: str) -> None:
        """Whether other desks' changes reach this desk now (PostgreSQL only), in a place of its
        own: a pause stays in sight until it ends, and the list's notes never hide it."""
        self.live_label.setVisible(True)
        self.live_label.setToolTip(words)
        if listening:
            self.live_label.setStyleSheet("color: #1b5e20;")
            self.live_label.setText("● Live")
        else:
            self.live_label.setStyleSheet("color: #b00020; font-weight: 600;")
            self.live_label.setText(words)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        self.closed.emit()
        super().closeEvent(event)


def paint_now(window: MainWindow) -> None:
    """Show ``window`` and let Qt paint it straight away, before anything slower is loaded.

    Inside an asyncio task (a desk started again after a log-out or a crash) it only shows the
    window, which the loop paints on its next turn: spinning Qt's events there would step other
    tasks inside this one, and asyncio refuses such a step ("Cannot enter into task"), leaving
    that task waiting for ever (a desk's live refresh would never run again).
    """
    report_first_paint(window, "main window painted")
    window.show()
    if not _inside_task():
        QApplication.processEvents()


def _inside_task() -> bool:
    try:
        return asyncio.current_task() is not None
    except RuntimeError:  # no event loop running yet (the desk's first paint)
        return False


def _action_button(action: QAction, words: str, name: str) -> QPushButton:
    """A button for ``action`` with its key on it, on and shown whenever the action is."""
    button = QPushButton(f"{words}  ({action.shortcut().toString()})")
    button.setObjectName(name)
    button.setAccessibleName(words)
    button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
    button.clicked.connect(action.trigger)
    action.enabledChanged.connect(button.setEnabled)
    action.visibleChanged.connect(lambda: button.setVisible(action.isVisible()))
    button.setEnabled(action.isEnabled())
    button.setVisible(action.isVisible())
    return button
