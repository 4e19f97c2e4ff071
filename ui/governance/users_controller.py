"""User administration for administrators: the behaviour of the user accounts dialog.

:class:`UserAdminController` drives a :class:`ui.governance.users_view.UserAdminView`: listing
the accounts, adding one, disabling one, new passwords. Every change goes through
:mod:`spa_desk.access.users` on the database thread, which checks the administrator's permission
and audits it. A new or reset password is a one-time password, shown once in a selectable label
for the administrator to hand over, and gone with the next action or when the dialog closes.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QDialog, QMessageBox, QWidget

from spa_desk.errors import InvalidInput, KnownError
from spa_desk.local_time import Clock, utc_clock
from spa_desk.vocabulary import Role, Stream
from ui.governance.users_model import AccountRole
from ui.kit.asyncio_qt import async_slot
from ui.kit.dialogs import run_dialog

if TYPE_CHECKING:
    from spa_desk.access.users import UserAccount
    from spa_desk.database import Database
    from spa_desk.domain import CurrentUser
    from ui.governance.users_view import UserAdminView
    from ui.kit.backend import DeskBackend

Confirm = Callable[[str, str], Awaitable[bool]]
"""Asks a yes/no question (title, question); True for yes."""


# Jobs for the database thread; the services load there, not on the GUI thread.
def _list_users(database: Database, actor: CurrentUser) -> list[UserAccount]:
    from spa_desk.access.users import list_users

    return list_users(database, actor)


def _add_user(
    database: Database,
    actor: CurrentUser,
    username: str,
    name: str,
    roles: tuple[Role, ...],
    *,
    streams: tuple[Stream, ...] = (),
) -> tuple[UserAccount, str]:
    from spa_desk.access.users import add_user

    # no password: a one-time one
    return add_user(database, actor, username, name, roles, streams=streams)


def _set_streams(
    database: Database, actor: CurrentUser, username: str, streams: tuple[Stream, ...]
) -> UserAccount:
    from spa_desk.access.users import set_streams

    return set_streams(database, actor, username, streams)


def _disable_user(database: Database, actor: CurrentUser, username: str) -> UserAccount:
    from spa_desk.access.users import disable_user

    return disable_user(database, actor, username)


def _reset_password(database: Database, actor: CurrentUser, username: str) -> str:
    from spa_desk.access.users import reset_password

    return reset_password(database, actor, username)


async def ask_yes_no(parent: QWidget, title: str, question: str) -> bool:
    """Ask ``question`` in a message box (No is the default); True when the answer is Yes."""
    yes, no = QMessageBox.StandardButton.Yes, QMessageBox.StandardButton.No
    box = QMessageBox(QMessageBox.Icon.Question, title, question, yes | no, parent)
    box.setDefaultButton(no)
    await run_dialog(box)
    return box.standardButton(box.clickedButton()) == yes


class UserAdminController(QObject):
    """The accounts in ``view``, with adding a user, disabling one and resetting a password.

    ``confirm`` asks before disabling or resetting (a message box; tests replace it).
    Problems from the services show in words in the view's ``error_label``; nothing typed is lost.
    """

    def __init__(
        self,
        view: UserAdminView,
        backend: DeskBackend,
        user: CurrentUser,
        *,
        clock: Clock = utc_clock,
    ) -> None:
        super().__init__(view)
        self.view = view
        self._backend = backend
        self._user = user
        self._clock = clock
        self.confirm: Confirm = lambda title, question: ask_yes_no(view, title, question)
        self._field_widgets: dict[str, QWidget] = {
            "User name": view.username_edit,
            "Name": view.name_edit,
            "Roles": view.role_boxes[Role.CALL_HANDLER],
        }
        self._busy = False
        view.disable_button.clicked.connect(self._on_disable)
        view.reset_button.clicked.connect(self._on_reset)
        view.refresh_button.clicked.connect(self._on_refresh)
        view.add_button.clicked.connect(self._on_add)
        view.streams_button.clicked.connect(self._on_streams)
        view.table.selectionModel().selectionChanged.connect(self._update_buttons)
        view.finished.connect(self._forget_password)  # closing forgets a one-time password
        self._update_buttons()

    # What the administrator sees ------------------------------------------------------------

    def selected_account(self) -> UserAccount | None:
        """The account selected in the list, if any."""
        rows = self.view.table.selectionModel().selectedRows()
        if not rows:
            return None
        account: UserAccount = self.view.model.data(rows[0], AccountRole)
        return account

    def select_user(self, username: str) -> bool:
        """Select the row of ``username``; False when it is not listed."""
        row = self.view.model.row_of(username)
        if row is None:
            return False
        self.view.table.selectRow(row)
        self.view.table.scrollTo(self.view.model.index(row, 0))
        return True

    def chosen_roles(self) -> tuple[Role, ...]:
        """The roles ticked in the form, in SPEC order."""
        return tuple(role for role, box in self.view.role_boxes.items() if box.isChecked())

    def chosen_streams(self) -> tuple[Stream, ...]:
        """The streams ticked in the form for a new practitioner (none: every stream)."""
        if Role.PRACTITIONER not in self.chosen_roles():
            return ()
        return tuple(s for s, box in self.view.stream_boxes.items() if box.isChecked())

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
        self.view.model.set_accounts(accounts, self._clock())
        active = sum(1 for account in accounts if account.active)
        self.view.count_label.setText(
            f"{len(accounts)} account{'s' if len(accounts) != 1 else ''}, {active} active"
        )
        if keep is not None:
            self.select_user(keep)
        self._update_buttons()
        return True

    async def add_user(self) -> UserAccount | None:
        """Add the user typed in the form; shows their one-time password. None on a problem."""
        self._clear_messages()
        view = self.view
        username = view.username_edit.text().strip()
        try:
            with self._working():
                account, password = await self._backend.run(
                    _add_user,
                    self._user,
                    username,
                    view.name_edit.text(),
                    self.chosen_roles(),
                    streams=self.chosen_streams(),
                )
        except KnownError as problem:
            self._show_problem(str(problem), problem)
            return None
        view.username_edit.clear()
        view.name_edit.clear()
        for box in (*view.role_boxes.values(), *view.stream_boxes.values()):
            box.setChecked(False)
        roles = ", ".join(role.label for role in account.roles)
        self._show_note(f"Added {account.username} ({account.display_name}) as {roles}.")
        await self.refresh(select=account.username)
        self._show_password(account, password)
        return account

    async def set_selected_streams(self) -> UserAccount | None:
        """Str&eams…: the streams the selected practitioner works, chosen in a dialog."""
        from ui.governance.users_view import StreamsDialog

        account = self.selected_account()
        if account is None or Role.PRACTITIONER not in account.roles:
            return None
        self._clear_messages()
        dialog = StreamsDialog(account.display_name, account.streams, parent=self.view)
        if await run_dialog(dialog) != QDialog.DialogCode.Accepted.value:
            return None
        try:
            with self._working():
                changed = await self._backend.run(
                    _set_streams, self._user, account.username, dialog.chosen()
                )
        except KnownError as problem:
            self._show_problem(str(problem), problem)
            return None
        works = ", ".join(stream.label.lower() for stream in changed.streams)
        self._show_note(f"{changed.display_name} works: {works}.")
        await self.refresh(select=changed.username)
        return changed

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
    async def _on_streams(self) -> None:
        await self.set_selected_streams()

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
        self.view.add_button.setEnabled(not self._busy)
        self.view.refresh_button.setEnabled(not self._busy)
        self.view.disable_button.setEnabled(
            not self._busy and account is not None and account.active
        )
        self.view.reset_button.setEnabled(not self._busy and account is not None)
        self.view.streams_button.setEnabled(
            not self._busy and account is not None and Role.PRACTITIONER in account.roles
        )

    def _show_password(self, account: UserAccount, password: str) -> None:
        self.view.password_heading.setText(
            f"One-time password for {account.username} ({account.display_name}):"
        )
        self.view.password_label.setText(password)
        self.view.password_frame.show()
        self.view.password_label.setFocus(Qt.FocusReason.OtherFocusReason)

    def _forget_password(self) -> None:
        self.view.password_label.clear()
        self.view.password_heading.clear()
        self.view.password_frame.hide()

    def _clear_messages(self) -> None:
        self._forget_password()
        self.view.error_label.clear()
        self.view.error_label.hide()
        self.view.note_label.clear()
        self.view.note_label.hide()

    def _show_note(self, message: str) -> None:
        self.view.note_label.setText(message)
        self.view.note_label.show()

    def _show_problem(self, message: str, problem: Exception | None = None) -> None:
        self.view.note_label.hide()
        self.view.error_label.setText(message)
        self.view.error_label.show()
        if isinstance(problem, InvalidInput) and problem.field in self._field_widgets:
            self._field_widgets[problem.field].setFocus(Qt.FocusReason.OtherFocusReason)
