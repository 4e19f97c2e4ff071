"""The Qt table model of the user accounts dialog: one account a row, and how a lock reads.

:class:`UserTableModel` lists accounts by user name (user name, name, roles, whether active,
whether locked); a disabled account shows in grey italics. :func:`locked_text` says until when
an account is locked after failed log-ins, in local time.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QFont

from spa_desk.local_time import LONDON, utc_clock
from ui.kit.row_table import ItemRole, RowTableModel

if TYPE_CHECKING:
    from spa_desk.access.users import UserAccount

USER_COLUMNS = ("User name", "Name", "Roles", "Active", "Locked")
AccountRole = ItemRole
"""The data role that returns the row's UserAccount."""


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
                roles = ", ".join(role.label for role in account.roles)
                if account.streams:
                    streams = ", ".join(stream.label.lower() for stream in account.streams)
                    roles += f" ({streams})"
                return roles
            case 3:
                return "Yes" if account.active else "No (disabled)"
            case 4:
                return locked_text(account, self._now)
        return None
