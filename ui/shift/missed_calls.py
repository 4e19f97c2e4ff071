"""The missed calls (SPEC 12): calls hung up before an answer, on the shift page for a call-back,
newest first, each with when it rang, for how long, the number and the people it matches.
**F11** calls the chosen one back on the desk's phone (a real outgoing call) and takes it off
the list for every desk."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QGroupBox, QLabel, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from spa_desk.local_time import LONDON

if TYPE_CHECKING:
    from spa_desk.telephony.call_log import MissedCall

CALL_BACK_KEY = "F11"


def missed_words(call: MissedCall) -> str:
    """One missed call in a line: when, how long it rang, the number and who it may be."""
    when = call.rang_at.astimezone(LONDON).strftime("%a %d %b %H:%M")
    number = call.caller_number or "number withheld"
    line = call.line.replace("_", " ")
    who = "; ".join(person.name for person in call.people) or "nobody on record"
    return f"{when} · {number} · {line} line · rang {call.rang_seconds} s · {who}"


class MissedCallsPanel(QGroupBox):
    """The list, hidden while it is empty.

    Signals:
        call_back(object): the handler chose to call back this MissedCall.
    """

    call_back = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Missed calls", parent)
        self.setObjectName("missedCalls")
        self.calls: list[MissedCall] = []
        self.list = QListWidget()
        self.list.setObjectName("missedList")
        self.list.setAccessibleName("Missed calls")
        self.list.setMaximumHeight(110)
        hint = QLabel(f"{CALL_BACK_KEY} calls the chosen one back")
        hint.setStyleSheet("color: #555;")
        layout = QVBoxLayout(self)
        layout.addWidget(self.list)
        layout.addWidget(hint)
        self.list.itemActivated.connect(lambda _item: self.choose())
        self.setVisible(False)

    def show_calls(self, calls: list[MissedCall]) -> None:
        """Show ``calls`` (newest first), the newest chosen; the chosen one stays chosen when
        the list has not grown."""
        chosen = self.chosen if len(calls) <= len(self.calls) else None
        self.calls = calls
        self.list.clear()
        for call in calls:
            item = QListWidgetItem(missed_words(call))
            item.setData(Qt.ItemDataRole.UserRole, str(call.id))
            self.list.addItem(item)
        self.setTitle(f"Missed calls ({len(calls)})")
        self.setVisible(bool(calls))
        ids = [call.id for call in calls]
        self.list.setCurrentRow(ids.index(chosen.id) if chosen and chosen.id in ids else 0)

    @property
    def chosen(self) -> MissedCall | None:
        """The missed call chosen in the list."""
        row = self.list.currentRow()
        return self.calls[row] if 0 <= row < len(self.calls) else None

    def choose(self) -> None:
        """Call back the chosen missed call."""
        if self.chosen is not None:
            self.call_back.emit(self.chosen)
