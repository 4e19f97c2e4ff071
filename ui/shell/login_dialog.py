"""The log-in dialog: user name and password, checked off the GUI thread."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from spa_desk.errors import KnownError
from ui.kit.asyncio_qt import async_slot

if TYPE_CHECKING:
    from spa_desk.domain import CurrentUser

Authenticate = Callable[[str, str], Awaitable["CurrentUser"]]


class LoginDialog(QDialog):
    """Asks who is at the desk. On success ``user`` holds them and the dialog is accepted.

    A wrong password shows a message in words, clears the password and keeps the user name.
    """

    def __init__(
        self,
        authenticate: Authenticate,
        parent: QWidget | None = None,
        locked_for: CurrentUser | None = None,
        idle_minutes: int = 0,
    ) -> None:
        super().__init__(parent)
        self._authenticate = authenticate
        self.locked_for = locked_for
        self.user: CurrentUser | None = None
        self.failed_attempts = 0
        self.setWindowTitle("SPA Desk - log in" if locked_for is None else "SPA Desk - locked")
        self.setMinimumWidth(380)

        if locked_for is None:
            heading = QLabel("<b>SPA Desk</b><br>Log in to start your shift.")
        else:
            heading = QLabel(
                f"<b>The desk locked itself</b> after {idle_minutes} "
                f"minute{'s' if idle_minutes != 1 else ''} without use.<br>"
                f"{locked_for.display_name}: enter your password to carry on where you were, "
                "or log in as someone else."
            )
        heading.setWordWrap(True)
        heading.setObjectName("loginHeading")
        self.user_edit = QLineEdit()
        self.user_edit.setAccessibleName("User name")
        self.password_edit = QLineEdit()
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.password_edit.setAccessibleName("Password")
        self.error_label = QLabel()
        self.error_label.setObjectName("loginError")
        self.error_label.setAccessibleName("Log-in problem")
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet("color: #b00020; font-weight: 600;")
        self.error_label.hide()
        self.database_label = QLabel("Database: opening…")
        self.database_label.setStyleSheet("color: #555;")
        self.database_label.setWordWrap(True)

        form = QFormLayout()
        form.addRow("&User name", self.user_edit)
        form.addRow("&Password", self.password_edit)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.login_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.login_button.setText("&Log in")
        self.login_button.setDefault(True)
        self.buttons.accepted.connect(self._on_login)
        self.buttons.rejected.connect(self.reject)
        if locked_for is not None:  # a locked desk can only be unlocked, not dismissed
            self.buttons.button(QDialogButtonBox.StandardButton.Cancel).hide()
            self.login_button.setText("&Unlock")
            self.user_edit.setText(locked_for.username)

        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addWidget(self.database_label)
        layout.addWidget(self.buttons)
        focus = self.user_edit if locked_for is None else self.password_edit
        focus.setFocus(Qt.FocusReason.OtherFocusReason)

    def reject(self) -> None:
        """Escape closes the log-in dialog, but never a lock: that needs a password."""
        if self.locked_for is None:
            super().reject()

    def show_database(self, text: str) -> None:
        """Say which database the log-in is checked against."""
        self.database_label.setText(text)

    @async_slot()
    async def _on_login(self) -> None:
        await self.attempt_login()

    async def attempt_login(self) -> CurrentUser | None:
        """Check the name and password typed; accept the dialog on success."""
        username = self.user_edit.text().strip()
        password = self.password_edit.text()
        if not username:
            self._show_problem("Enter your user name.", self.user_edit)
            return None
        if not password:
            self._show_problem("Enter your password.", self.password_edit)
            return None
        self.buttons.setEnabled(False)
        self.error_label.setText("Checking…")
        self.error_label.setStyleSheet("color: #555;")
        self.error_label.show()
        try:
            user = await self._authenticate(username, password)
        except KnownError as problem:
            self.failed_attempts += 1
            self.password_edit.clear()
            self._show_problem(str(problem), self.password_edit)
            return None
        finally:
            self.buttons.setEnabled(True)
        self.user = user
        self.error_label.hide()
        self.accept()
        return user

    def _show_problem(self, message: str, focus: QLineEdit) -> None:
        self.error_label.setText(message)
        self.error_label.setStyleSheet("color: #b00020; font-weight: 600;")
        self.error_label.show()
        focus.setFocus(Qt.FocusReason.OtherFocusReason)
