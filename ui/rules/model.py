"""The Rules screen's tables: the rule sets kept, and contacts a new rule file would decide
differently."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont

from spa_desk.local_time import LONDON
from ui.kit.row_table import RowTableModel

if TYPE_CHECKING:
    from spa_desk.rules.in_force import RuleSetInfo
    from spa_desk.rules.preview import DecidedDifferently

KEPT_COLUMNS = ("Rule set", "Version", "In force from", "Added by", "SHA-256")
EXAMPLE_COLUMNS = ("Contact started", "With the rules in force", "With the new rules")


def _when(moment: Any) -> str:
    return moment.astimezone(LONDON).strftime("%d %b %Y %H:%M") if moment else "never"


class KeptRulesModel(RowTableModel["RuleSetInfo"]):
    """The rule sets put in force so far, newest first; the one in force in bold."""

    def __init__(self) -> None:
        super().__init__(KEPT_COLUMNS)
        self._bold = QFont()
        self._bold.setBold(True)

    def text(self, item: RuleSetInfo, column: int) -> str | None:
        values = (
            f"{item.title} ({item.ruleset_id}){'  — in force' if item.in_force else ''}",
            item.version,
            _when(item.in_force_from),
            item.added_by or "",
            item.sha256[:12],
        )
        return values[column]

    def look(self, item: RuleSetInfo, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.FontRole and item.in_force:
            return self._bold
        return None


class ExamplesModel(RowTableModel["DecidedDifferently"]):
    """A few contacts the new rules would decide differently, before and after."""

    def __init__(self) -> None:
        super().__init__(EXAMPLE_COLUMNS)

    def text(self, item: DecidedDifferently, column: int) -> str | None:
        return (_when(item.started_at), item.before, item.after)[column]
