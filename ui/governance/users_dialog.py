"""User administration for administrators: the accounts, adding one, disabling one, new passwords.

Every change goes through :mod:`spa_desk.access.users` on the database thread, which checks the
administrator's permission and audits it. A new or reset password is a one-time password, shown
here once in a selectable label for the administrator to hand over, and gone with the next action.
"""

from __future__ import annotations

import itertools
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from spa_desk.errors import InvalidInput, KnownError
from spa_desk.local_time import LONDON, Clock, utc_clock
from spa_desk.vocabulary import Role
from ui.kit.asyncio_qt import async_slot
from ui.kit.dialogs import form_button, run_dialog
from ui.kit.row_table import ItemRole, RowTableModel

if TYPE_CHECKING:
    from spa_desk.access.users import UserAccount
    from spa_desk.database import Database
    from spa_desk.domain import CurrentUser
    from ui.kit.backend import DeskBackend

USER_COLUMNS = ("User name", "Name", "Roles", "Active", "Locked")
AccountRole = ItemRole
"""The data role that returns the row's UserAccount."""

Confirm = Callable[[str, str], Awaitable[bool]]
"""Asks a yes/no question (title, question); True for yes."""

_ROLE_MNEMONICS = {
    Role.CALL_HANDLER: "&Call handler",
    Role.PRACTITIONER: "&Practitioner",
    Role.SPA_MANAGER: "&SPA manager",
    Role.TRAINER: "&Trainer",
    Role.ADMINISTRATOR: "Adm&inistrator",
}
PROBLEM_STYLE = "color: #b00020; font-weight: 600;"


# Jobs for the database thread; the services load there, not on the GUI thread.
def _list_users(database: Database, actor: CurrentUser) -> list[UserAccount]:
    from spa_desk.access.users import list_users

    return list_users(database, actor)


def _add_user(
    database: Database, actor: CurrentUser, username: str, name: str, roles: tuple[Role, ...]
) -> tuple[UserAccount, str]:
    from spa_desk.access.users import add_user

    return add_user(database, actor, username, name, roles)  # no password: a one-time one


def _disable_user(database: Database, actor: CurrentUser, username: str) -> UserAccount:
    from spa_desk.access.users import disable_user

    return disable_user(database, actor, username)


def _reset_password(database: Database, actor: CurrentUser, username: str) -> str:
    from spa_desk.access.users import reset_password

    return reset_password(database, actor, username)


def locked_text(account: UserAccount, now: datetime) -> str:
    """``No``, or until when (local time) the account is locked after failed log-ins."""
    if account.locked_until is None or account.locked_until <= now:
        return "No"
    until = account.locked_until.astimezone(LONDON)
    if until.date() == now.astimezone(LONDON).date():
        return f"Until {until:%H:%M}"
    return f"Until {until:%d %b %H:%M}"


class UserTableModel(RowTableModel["UserAccount"]):
    """Accounts by user name: user name, name, roles, whether active, whether locked."""

    def __init__(self) -> None:
        super().__init__(USER_COLUMNS)
        self._now = utc_clock()
        self._disabled_brush = QBrush(QColor("#6b6b6b"))
        self._italic = QFont()
        self._italic.setItalic(True)

    @property
    def accounts(self) -> list[UserAccount]:
        """The accounts shown, in row order."""
        return self.items

    def set_accounts(self, accounts: list[UserAccount], now: datetime) -> None:
        """Show ``accounts`` in place of what was there; ``now`` decides who is still locked."""
        self._now = now
        self.set_items(accounts)

    def row_of(self, username: str) -> int | None:
        """The row of the account ``username``, if shown."""
        for row, account in enumerate(self.items):
            if account.username == username:
                return row
        return None

    def look(self, item: UserAccount, column: int, role: int) -> Any:
        if item.active:
            return None
        return self._italic if role == Qt.ItemDataRole.FontRole else self._disabled_brush

    def text(self, account: UserAccount, column: int) -> str | None:
        match column:
            case 0:
                return account.username
            case 1:
                return account.display_name
            case 2:
                return ", ".join(role.label for role in account.roles)
            case 3:
                return "Yes" if account.active else "No (disabled)"
            case 4:
                return locked_text(account, self._now)
        return None


async def ask_yes_no(parent: QWidget, title: str, question: str) -> bool:
    """Ask ``question`` in a message box (No is the default); True when the answer is Yes."""
    yes, no = QMessageBox.StandardButton.Yes, QMessageBox.StandardButton.No
    box = QMessageBox(QMessageBox.Icon.Question, title, question, yes | no, parent)
    box.setDefaultButton(no)
    await run_dialog(box)
    return box.standardButton(box.clickedButton()) == yes


class UserAdminDialog(QDialog):
    """The accounts, with adding a user, disabling one and resetting a password.

    ``confirm`` asks before disabling or resetting (a message box; tests replace it).
    Problems from the services show in words in ``error_label``; nothing typed is lost.
    """

    def __init__(
        self,
        backend: DeskBackend,
        user: CurrentUser,
        parent: QWidget | None = None,
        clock: Clock = utc_clock,
    ) -> None:
        super().__init__(parent)
        self._backend = backend
        self._user = user
        self._clock = clock
        self.confirm: Confirm = lambda title, question: ask_yes_no(self, title, question)
        self.setWindowTitle("SPA Desk - user accounts")
        self.setObjectName("userAdminDialog")
        self.resize(900, 660)

        self.model = UserTableModel()
        self.table = QTableView()
        self.table.setObjectName("userAccounts")
        self.table.setAccessibleName("User accounts")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setTabKeyNavigation(False)  # Tab moves on to the buttons
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        table_label = QLabel("Acc&ounts")
        table_label.setStyleSheet("font-weight: 600;")
        table_label.setBuddy(self.table)
        self.count_label = QLabel()
        self.count_label.setStyleSheet("color: #555;")
        self.count_label.setAccessibleName("Number of accounts")

        self.disable_button = form_button("&Disable user", "Disable the selected user")
        self.reset_button = form_button("&Reset password", "Reset the selected user's password")
        self.refresh_button = form_button("Re&fresh", "Refresh the list of accounts")
        self.disable_button.clicked.connect(self._on_disable)
        self.reset_button.clicked.connect(self._on_reset)
        self.refresh_button.clicked.connect(self._on_refresh)

        self.username_edit = QLineEdit()
        self.username_edit.setAccessibleName("New user's user name")
        self.username_edit.setPlaceholderText("lower-case, for example jo.bloggs")
        self.username_edit.setMaxLength(32)
        self.name_edit = QLineEdit()
        self.name_edit.setAccessibleName("New user's full name")
        self.name_edit.setPlaceholderText("as colleagues see it, for example Jo Bloggs")
        self.role_boxes: dict[Role, QCheckBox] = {}
        roles_row = QHBoxLayout()
        for role in Role:
            box = QCheckBox(_ROLE_MNEMONICS.get(role, role.label))
            box.setAccessibleName(f"Role: {role.label}")
            self.role_boxes[role] = box
            roles_row.addWidget(box)
        roles_row.addStretch(1)
        self.add_button = form_button("&Add user", "Add the user")
        self.add_button.clicked.connect(self._on_add)
        self.username_edit.returnPressed.connect(self.add_button.click)
        self.name_edit.returnPressed.connect(self.add_button.click)
        form = QFormLayout()
        username_label = QLabel("User &name")
        username_label.setBuddy(self.username_edit)
        name_label = QLabel("Full na&me")
        name_label.setBuddy(self.name_edit)
        form.addRow(username_label, self.username_edit)
        form.addRow(name_label, self.name_edit)
        form.addRow("Roles", roles_row)
        add_row = QHBoxLayout()
        add_row.addWidget(self.add_button)
        add_hint = QLabel("A one-time password is made and shown above, once.")
        add_hint.setStyleSheet("color: #555;")
        add_row.addWidget(add_hint)
        add_row.addStretch(1)
        form.addRow("", add_row)
        add_group = QGroupBox("Add a user")
        add_group.setLayout(form)

        self.password_frame = QFrame()
        self.password_frame.setObjectName("oneTimePassword")
        self.password_frame.setFrameShape(QFrame.Shape.StyledPanel)
        self.password_frame.setStyleSheet(
            "#oneTimePassword { background: #eef6ee; border: 1px solid #2e7d32; }"
        )
        self.password_heading = QLabel()
        self.password_heading.setTextFormat(Qt.TextFormat.PlainText)
        self.password_heading.setWordWrap(True)
        self.password_label = QLabel()
        self.password_label.setObjectName("oneTimePasswordText")
        self.password_label.setAccessibleName("One-time password")
        self.password_label.setTextFormat(Qt.TextFormat.PlainText)
        self.password_label.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        self.password_label.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.password_label.setStyleSheet(
            "font-family: monospace; font-size: 15pt; font-weight: 600; padding: 2px 6px;"
        )
        password_hint = QLabel(
            "Give it to them in person now: it is not shown again. Select it to copy it."
        )
        password_layout = QVBoxLayout(self.password_frame)
        password_layout.addWidget(self.password_heading)
        password_layout.addWidget(self.password_label)
        password_layout.addWidget(password_hint)
        self.password_frame.hide()

        self.error_label = QLabel()
        self.error_label.setObjectName("userAdminProblem")
        self.error_label.setAccessibleName("Problem")
        self.error_label.setTextFormat(Qt.TextFormat.PlainText)
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet(PROBLEM_STYLE)
        self.error_label.hide()
        self.note_label = QLabel()
        self.note_label.setObjectName("userAdminNote")
        self.note_label.setAccessibleName("Done")
        self.note_label.setTextFormat(Qt.TextFormat.PlainText)
        self.note_label.setWordWrap(True)
        self.note_label.hide()

        self.close_button = form_button("C&lose", "Close user accounts")
        self.close_button.clicked.connect(self.reject)

        list_header = QHBoxLayout()
        list_header.addWidget(table_label)
        list_header.addStretch(1)
        list_header.addWidget(self.count_label)
        account_buttons = QHBoxLayout()
        for button in (self.disable_button, self.reset_button, self.refresh_button):
            account_buttons.addWidget(button)
        account_buttons.addStretch(1)
        bottom = QHBoxLayout()
        bottom.addStretch(1)
        bottom.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addLayout(list_header)
        layout.addWidget(self.table, 1)
        layout.addLayout(account_buttons)
        layout.addWidget(self.error_label)
        layout.addWidget(self.note_label)
        layout.addWidget(self.password_frame)
        layout.addWidget(add_group)
        layout.addLayout(bottom)

        chain: list[QWidget] = [
            self.table,
            self.disable_button,
            self.reset_button,
            self.refresh_button,
            self.password_label,
            self.username_edit,
            self.name_edit,
            *self.role_boxes.values(),
            self.add_button,
            self.close_button,
        ]
        for first, second in itertools.pairwise(chain):
            QWidget.setTabOrder(first, second)
        self._field_widgets: dict[str, QWidget] = {
            "User name": self.username_edit,
            "Name": self.name_edit,
            "Roles": self.role_boxes[Role.CALL_HANDLER],
        }
        self._busy = False
        selection = self.table.selectionModel()
        selection.selectionChanged.connect(self._update_buttons)
        self._update_buttons()
        self.table.setFocus(Qt.FocusReason.OtherFocusReason)

    # What the administrator sees ------------------------------------------------------------

    def selected_account(self) -> UserAccount | None:
        """The account selected in the list, if any."""
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        account: UserAccount = self.model.data(rows[0], AccountRole)
        return account

    def select_user(self, username: str) -> bool:
        """Select the row of ``username``; False when it is not listed."""
        row = self.model.row_of(username)
        if row is None:
            return False
        self.table.selectRow(row)
        self.table.scrollTo(self.model.index(row, 0))
        return True

    def chosen_roles(self) -> tuple[Role, ...]:
        """The roles ticked in the form, in SPEC order."""
        return tuple(role for role, box in self.role_boxes.items() if box.isChecked())

    def done(self, result: int) -> None:
        """Closing forgets any one-time password on show."""
        self._forget_password()
        super().done(result)

    # Behaviour (each returns what happened, so a test can await it) -------------------------

    async def refresh(self, select: str | None = None) -> bool:
        """Load the accounts again, keeping (or moving to) the selection; False on a problem."""
        keep = select
        if keep is None:
            selected = self.selected_account()
            keep = selected.username if selected else None
        try:
            accounts = await self._backend.run(_list_users, self._user)
        except KnownError as problem:
            self._show_problem(str(problem))
            return False
        self.model.set_accounts(accounts, self._clock())
        active = sum(1 for account in accounts if account.active)
        self.count_label.setText(
            f"{len(accounts)} account{'s' if len(accounts) != 1 else ''}, {active} active"
        )
        if keep is not None:
            self.select_user(keep)
        self._update_buttons()
        return True

    async def add_user(self) -> UserAccount | None:
        """Add the user typed in the form; shows their one-time password. None on a problem."""
        self._clear_messages()
        username = self.username_edit.text().strip()
        try:
            with self._working():
                account, password = await self._backend.run(
                    _add_user, self._user, username, self.name_edit.text(), self.chosen_roles()
                )
        except KnownError as problem:
            self._show_problem(str(problem), problem)
            return None
        self.username_edit.clear()
        self.name_edit.clear()
        for box in self.role_boxes.values():
            box.setChecked(False)
        roles = ", ".join(role.label for role in account.roles)
        self._show_note(f"Added {account.username} ({account.display_name}) as {roles}.")
        await self.refresh(select=account.username)
        self._show_password(account, password)
        return account

    async def disable_selected(self) -> UserAccount | None:
        """Disable the selected account after asking; None when not done."""
        account = self.selected_account()
        if account is None:
            return None
        question = (
            f"Disable {account.username} ({account.display_name})?\n\n"
            "They will no longer be able to log in. Their history stays."
        )
        if not await self.confirm("Disable user", question):
            return None
        self._clear_messages()
        try:
            with self._working():
                disabled = await self._backend.run(_disable_user, self._user, account.username)
        except KnownError as problem:
            self._show_problem(str(problem))
            return None
        self._show_note(f"Disabled {disabled.username}: they can no longer log in.")
        await self.refresh(select=disabled.username)
        return disabled

    async def reset_selected_password(self) -> str | None:
        """Give the selected account a new one-time password after asking; it, or None."""
        account = self.selected_account()
        if account is None:
            return None
        question = (
            f"Give {account.username} ({account.display_name}) a new one-time password?\n\n"
            "Their current password stops working, and a lock after failed log-ins is lifted."
        )
        if not await self.confirm("Reset password", question):
            return None
        self._clear_messages()
        try:
            with self._working():
                password = await self._backend.run(_reset_password, self._user, account.username)
        except KnownError as problem:
            self._show_problem(str(problem))
            return None
        self._show_note(f"Reset the password of {account.username}.")
        await self.refresh(select=account.username)
        self._show_password(account, password)
        return password

    # Slots ------------------------------------------------------------------------------------

    @async_slot()
    async def _on_refresh(self) -> None:
        self._clear_messages()
        await self.refresh()

    @async_slot()
    async def _on_add(self) -> None:
        await self.add_user()

    @async_slot()
    async def _on_disable(self) -> None:
        await self.disable_selected()

    @async_slot()
    async def _on_reset(self) -> None:
        await self.reset_selected_password()

    # Inner workings ---------------------------------------------------------------------------

    @contextmanager
    def _working(self) -> Iterator[None]:
        """The action buttons are disabled while a change is saved, so it is not sent twice."""
        self._busy = True
        self._update_buttons()
        try:
            yield
        finally:
            self._busy = False
            self._update_buttons()

    def _update_buttons(self) -> None:
        account = self.selected_account()
        self.add_button.setEnabled(not self._busy)
        self.refresh_button.setEnabled(not self._busy)
        self.disable_button.setEnabled(not self._busy and account is not None and account.active)
        self.reset_button.setEnabled(not self._busy and account is not None)

    def _show_password(self, account: UserAccount, password: str) -> None:
        self.password_heading.setText(
            f"One-time password for {account.username} ({account.display_name}):"
        )
        self.password_label.setText(password)
        self.password_frame.show()
        self.password_label.setFocus(Qt.FocusReason.OtherFocusReason)

    def _forget_password(self) -> None:
        self.password_label.clear()
        self.password_heading.clear()
        self.password_frame.hide()

    def _clear_messages(self) -> None:
        self._forget_password()
        self.error_label.clear()
        self.error_label.hide()
        self.note_label.clear()
        self.note_label.hide()

    def _show_note(self, message: str) -> None:
        self.note_label.setText(message)
        self.note_label.show()

    def _show_problem(self, message: str, problem: Exception | None = None) -> None:
        self.note_label.hide()
        self.error_label.setText(message)
        self.error_label.show()
        if isinstance(problem, InvalidInput) and problem.field in self._field_widgets:
            self._field_widgets[problem.field].setFocus(Qt.FocusReason.OtherFocusReason)
