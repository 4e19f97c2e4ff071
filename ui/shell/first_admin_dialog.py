"""The first start of a fresh live database: it asks for the first administrator.

There are no built-in passwords outside demo data, so until this is done nobody can log in.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

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

CreateAdmin = Callable[[str, str, str], Awaitable[object]]


class FirstAdministratorDialog(QDialog):
    """Asks for the first administrator's user name, name and password (typed twice)."""

    def __init__(self, create: CreateAdmin, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._create = create
        self.created_username: str | None = None
        self.setWindowTitle("SPA Desk - first administrator")
        heading = QLabel(
            "<b>This database has no users yet.</b><br>Create the first administrator: they "
            "add everyone else."
        )
        heading.setWordWrap(True)
        self.username_edit = QLineEdit()
        self.username_edit.setAccessibleName("User name")
        self.name_edit = QLineEdit()
        self.name_edit.setAccessibleName("Name")
        self.password_edit = QLineEdit()
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.password_edit.setAccessibleName("Password")
        self.repeat_edit = QLineEdit()
        self.repeat_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.repeat_edit.setAccessibleName("Password again")
        self.error_label = QLabel()
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet("color: #b00020; font-weight: 600;")
        self.error_label.hide()
        form = QFormLayout()
        form.addRow("&User name", self.username_edit)
        form.addRow("&Name", self.name_edit)
        form.addRow("&Password", self.password_edit)
        form.addRow("Password &again", self.repeat_edit)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.create_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.create_button.setText("&Create administrator")
        self.buttons.accepted.connect(self._on_create)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)
        self.username_edit.setFocus(Qt.FocusReason.OtherFocusReason)

    @async_slot()
    async def _on_create(self) -> None:
        await self.create_admin()

    async def create_admin(self) -> bool:
        """Create the administrator from what was typed; the dialog is accepted on success."""
        if self.password_edit.text() != self.repeat_edit.text():
            self._problem("Password again: the two passwords are not the same.")
            return False
        self.buttons.setEnabled(False)
        try:
            await self._create(
                self.username_edit.text().strip(),
                self.name_edit.text(),
                self.password_edit.text(),
            )
        except KnownError as problem:
            self._problem(str(problem))
            return False
        finally:
            self.buttons.setEnabled(True)
        self.created_username = self.username_edit.text().strip()
        self.accept()
        return True

    def _problem(self, message: str) -> None:
        self.error_label.setText(message)
        self.error_label.show()
