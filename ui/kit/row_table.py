"""A read-only table model of one row per item, for the desk's lists (contacts, accounts, audit).

A subclass names its columns, says what each cell shows (:meth:`RowTableModel.text`) and, if it
likes, how a row looks (:meth:`RowTableModel.look`); the rest (counts, header, bounds, the role
that gives back the item) is here once.
"""

from __future__ import annotations

from typing import Any, Generic, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

AnyIndex = QModelIndex | QPersistentModelIndex
ItemRole = Qt.ItemDataRole.UserRole + 1
"""The data role that returns the row's item itself."""

T = TypeVar("T")


class RowTableModel(QAbstractTableModel, Generic[T]):
    """Items shown one a row, under ``columns``."""

    def __init__(self, columns: tuple[str, ...]) -> None:
        super().__init__()
        self._columns = columns
        self._items: list[T] = []

    @property
    def items(self) -> list[T]:
        """The items shown, in row order."""
        return list(self._items)

    def set_items(self, items: list[T]) -> None:
        """Show ``items`` in place of what was there."""
        self.beginResetModel()
        self._items = list(items)
        self.endResetModel()

    def text(self, item: T, column: int) -> str | None:
        """What the cell of ``item`` in ``column`` shows (each table says; empty here)."""
        return None

    def look(self, item: T, column: int, role: int) -> Any:
        """The font or colour of a cell for ``role`` (FontRole, ForegroundRole); None: plain."""
        return None

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._items)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._columns)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._items):
            return None
        item = self._items[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self.text(item, index.column())
        if role == ItemRole:
            return item
        if role in (Qt.ItemDataRole.FontRole, Qt.ItemDataRole.ForegroundRole):
            return self.look(item, index.column(), role)
        return None

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            role == Qt.ItemDataRole.DisplayRole
            and orientation == Qt.Orientation.Horizontal
            and 0 <= section < len(self._columns)
        ):
            return self._columns[section]
        return None
