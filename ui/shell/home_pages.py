"""The homes of the roles whose work is not the shift list: the trainer's (no live record on it,
SPEC 7) and the administrator's (the user accounts and the audit log).

Views hold layout only; :mod:`ui.shell.desk_homes` decides whose home is whose and wires the
buttons. Each button names its key, as the Desk and Governance menus do.
"""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

USERS_KEY = "Ctrl+Shift+U"
REPLAY_KEY = "F7"
RESULTS_KEY = "F8"
AUDIT_KEY = "Ctrl+Shift+A"


def _key_text(sequence: QKeySequence) -> str:
    return sequence.toString(QKeySequence.SequenceFormat.NativeText)


def _button(text: str, accessible_name: str) -> QPushButton:
    button = QPushButton(text)
    button.setAccessibleName(accessible_name)
    return button


class HomePage(QWidget):
    """A role's home: a title, words about what the role does here, and buttons with their keys;
    Lock now and Log out (the Desk menu's own actions) end each home's row of buttons."""

    def __init__(
        self,
        name: str,
        title: str,
        body_html: str,
        *,
        lock: QAction,
        log_out: QAction,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.title = QLabel(title)
        self.title.setObjectName("homeTitle")
        self.title.setAccessibleName("Home")
        self.title.setStyleSheet("font-size: 16pt; font-weight: 600;")
        self.body = QLabel(body_html)
        self.body.setObjectName("homeText")
        self.body.setAccessibleName("What you can do here")
        self.body.setWordWrap(True)
        self.body.setTextFormat(Qt.TextFormat.RichText)
        self.body.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.body.setMaximumWidth(900)
        self.buttons = QHBoxLayout()
        for action in (lock, log_out):
            label = action.text().replace("&", "")
            button = _button(f"{label}  ({_key_text(action.shortcut())})", label)
            button.clicked.connect(action.trigger)
            self.buttons.addWidget(button)
        self.buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 18, 24, 18)
        layout.addWidget(self.title)
        layout.addWidget(self.body)
        layout.addSpacing(12)
        layout.addLayout(self.buttons)
        layout.addStretch(1)

    replay_button: QPushButton | None = None
    """The trainer's Replay button (trainer's home only)."""
    results_button: QPushButton | None = None
    """The trainer's Results button (trainer's home only)."""

    def add_button(self, text: str, key: str, accessible_name: str) -> QPushButton:
        """A button before Lock now and Log out, naming its key (``Users…  (Ctrl+Shift+U)``)."""
        button = _button(f"{text}  ({_key_text(QKeySequence(key))})", accessible_name)
        self.buttons.insertWidget(self.buttons.count() - 3, button)
        return button


def trainer_home(display_name: str, *, lock: QAction, log_out: QAction) -> HomePage:
    """The trainer's home: what a trainer can do at this desk today, and no live data at all."""
    body = (
        f"<p>Welcome, {escape(display_name)}. A trainer works with anonymised sample calls and "
        "trainees' results: this desk shows you no live calls, contacts or people's records.</p>"
        "<p><b>What you can do here</b></p><ul>"
        f"<li><b>Replay a sample call</b> ({REPLAY_KEY}) from the library to your trainees: "
        "its voices and its transcript in time, paused, stepped a line at a time, slower or "
        "faster, with the expected decision and learning points when you choose.</li>"
        f"<li><b>Trainees' results</b> ({RESULTS_KEY}): each trainee's history, what they got "
        "wrong and the rule that decides it, the routes learnt worst, and a trainee's session "
        "report as PDF.</li>"
        "<li>Turn a period's real calls into anonymised sample calls: <code>spa-desk training "
        "anonymise --from DATE --to DATE --out DIR</code>.</li>"
        "<li>Try the screening rules on made-up facts, as a sample call would give them: "
        "<code>spa-desk triage --facts FILE</code> prints the level 1, stream, routes with "
        "urgency and the reasons.</li>"
        "<li>Check a rule file and its cases: <code>spa-desk rules check FILE</code>.</li>"
        "<li>Lock the desk while you are away, or log out so a colleague can use it.</li>"
        "</ul>"
    )
    page = HomePage("trainerHome", "Training", body, lock=lock, log_out=log_out)
    page.replay_button = page.add_button("Replay a sample call…", REPLAY_KEY, "Replay")
    page.results_button = page.add_button("Trainees' results…", RESULTS_KEY, "Results")
    return page


class AdministratorHome(HomePage):
    """The administrator's home: the user accounts (opened over it at log-in) and the audit
    log, each a button with its key."""

    def __init__(self, display_name: str, *, lock: QAction, log_out: QAction) -> None:
        body = (
            f"<p>Welcome, {escape(display_name)}. Administrators manage who may use the desk; "
            "they take no calls and see no shift's contacts.</p><ul>"
            "<li><b>Users</b>: add an account with its roles, disable one, reset a password "
            "(the new one-time password is shown once).</li>"
            "<li><b>Audit log</b>: every log-in, every opening and change of a person's record, "
            "searched by period, user or person, and exported.</li></ul>"
        )
        super().__init__("administratorHome", "Administration", body, lock=lock, log_out=log_out)
        self.users_button = self.add_button("Users…", USERS_KEY, "Open the user accounts")
        self.audit_button = self.add_button("Audit log…", AUDIT_KEY, "Open the audit log")
