"""The Qt table model behind the shift's contact list."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QFont

from spa_desk.local_time import LONDON
from spa_desk.vocabulary import ContactStatus
from ui.kit.contact_text import is_pressing, outcome_text, route_column_text, stream_text
from ui.kit.row_table import ItemRole, RowTableModel

COLUMNS = ("Time", "Caller", "Stream", "Route", "Outcome", "Handler")
if TYPE_CHECKING:
    from spa_desk.domain import ContactSummary

ROUTE_COLUMN = 3
ContactRole = ItemRole
"""The data role that returns the row's ContactSummary."""


class ContactTableModel(RowTableModel["ContactSummary"]):
    """Contacts of one shift, newest first: time, caller type, stream, route (with ``Override``
    when the practitioner overrode the rules), outcome, handler."""

    def __init__(self) -> None:
        super().__init__(COLUMNS)
        self._italic = QFont()
        self._italic.setItalic(True)
        self._bold = QFont()
        self._bold.setBold(True)
        self._pressing_brush = QBrush(QColor("#a4001d"))

    @property
    def contacts(self) -> list[ContactSummary]:
        """The contacts shown, in row order."""
        return self.items

    def set_contacts(self, contacts: list[ContactSummary]) -> None:
        """Show ``contacts`` in place of what was there."""
        self.set_items(contacts)

    def row_of(self, contact_id: uuid.UUID) -> int | None:
        """The row of the contact with ``contact_id``; None when it is not shown."""
        return next((row for row, c in enumerate(self.items) if c.id == contact_id), None)

    def look(self, item: ContactSummary, column: int, role: int) -> Any:
        pressing = column == ROUTE_COLUMN and is_pressing(item)
        if role == Qt.ItemDataRole.FontRole:
            if item.status is ContactStatus.DRAFT:
                return self._italic
            return self._bold if pressing else None
        return self._pressing_brush if pressing else None

    def text(self, contact: ContactSummary, column: int) -> str | None:
        match column:
            case 0:
                return contact.started_at.astimezone(LONDON).strftime("%H:%M")
            case 1:
                return contact.caller_type.label
            case 2:
                return stream_text(contact)
            case 3:
                return route_column_text(contact)
            case 4:
                return outcome_text(contact)
            case 5:
                return contact.handler_name
        return None
