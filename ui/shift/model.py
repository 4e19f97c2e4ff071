"""The Qt table model behind the shift's contact list."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QFont

from spa_desk.local_time import LONDON
from spa_desk.vocabulary import ContactStatus, Level1, Outcome, Urgency
from ui.kit.row_table import ItemRole, RowTableModel

COLUMNS = ("Time", "Caller", "Stream", "Route", "Outcome", "Handler")
_OUTCOME_WORDS = {
    Outcome.RESOLVED: "Resolved at first contact",
    Outcome.REFERRED: "Referred",
    Outcome.NON_DATA: "Non-data call",
    Outcome.EMERGENCY: "Emergency (999)",
}
_LEVEL1_WORDS = {
    Level1.NON_DATA: "Non-data",
    Level1.EMERGENCY: "Emergency",
    Level1.INFORMATION: "Information",
}
if TYPE_CHECKING:
    from spa_desk.domain import ContactSummary

ROUTE_COLUMN = 3
_PRESSING = (Urgency.EMERGENCY, Urgency.URGENT)
ContactRole = ItemRole
"""The data role that returns the row's ContactSummary."""


def stream_text(contact: ContactSummary) -> str:
    """The stream in words, or what level 1 decided when there is no stream."""
    if contact.stream is not None:
        return contact.stream.label
    if contact.level1 is Level1.NON_DATA:
        return f"Non-data ({contact.call_kind.value.replace('_', ' ')})"
    if contact.level1 is not None:
        return _LEVEL1_WORDS[contact.level1]
    return ""


def routes_text(contact: ContactSummary) -> str:
    """Routes with their urgency, in the order the rules gave them."""
    parts = []
    for choice in contact.routes:
        urgency = f" ({choice.urgency.value})" if choice.urgency is not None else ""
        parts.append(f"{choice.route.label}{urgency}")
    return ", ".join(parts)


def is_pressing(contact: ContactSummary) -> bool:
    """True when any route is emergency or urgent: those rows must catch the eye."""
    return any(choice.urgency in _PRESSING for choice in contact.routes)


def outcome_text(contact: ContactSummary) -> str:
    """The outcome in words; a draft says it is still open."""
    if contact.status is ContactStatus.DRAFT:
        return "Open (draft)"
    return _OUTCOME_WORDS[contact.outcome] if contact.outcome else ""


def contact_line(contact: ContactSummary) -> str:
    """One line about a contact: when, what, where it went, how it ended and who took it."""
    when = contact.started_at.astimezone(LONDON).strftime("%d %b %Y %H:%M")
    routes, outcome = routes_text(contact), outcome_text(contact)
    parts = [when, stream_text(contact), routes, "" if outcome == routes else outcome]
    return " · ".join(part for part in parts if part) + f" ({contact.handler_name})"


class ContactTableModel(RowTableModel["ContactSummary"]):
    """Contacts of one shift, newest first: time, caller type, stream, route, outcome, handler."""

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
                return routes_text(contact)
            case 4:
                return outcome_text(contact)
            case 5:
                return contact.handler_name
        return None
