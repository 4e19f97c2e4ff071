"""Searching and exporting the audit log, for roles that may read it (SPA managers, administrators).

A search names local days (Europe/London, both included) and, if wanted, one user and one person's
record; the newest entries show first. Export writes every matching entry, oldest first, as the
CSV of :func:`spa_desk.governance.export.export_csv`. The services check the permission themselves.
"""

from __future__ import annotations

import itertools
import json
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDateEdit,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from spa_desk.errors import InvalidInput, KnownError
from spa_desk.local_time import LONDON, Clock, utc_clock
from ui.kit.asyncio_qt import async_slot
from ui.kit.dialogs import form_button, run_dialog
from ui.kit.row_table import ItemRole, RowTableModel

if TYPE_CHECKING:
    from spa_desk.database import Database
    from spa_desk.domain import CurrentUser
    from spa_desk.governance.search import AuditEntry
    from ui.kit.backend import DeskBackend

AUDIT_COLUMNS = ("Time", "User", "Action", "Entity", "Details")
EntryRole = ItemRole
"""The data role that returns the row's AuditEntry."""
DEFAULT_DAYS = 7
PROBLEM_STYLE = "color: #b00020; font-weight: 600;"

ChooseExportPath = Callable[[str], Awaitable[Path | None]]
"""Asks where to save the export, given a suggested file name; None when the user cancels."""

_ACTION_WORDS = {
    "login_succeeded": "Logged in",
    "login_failed": "Log-in failed",
    "account_locked": "Account locked",
    "person_viewed": "Record opened",
    "person_changed": "Record changed",
    "contact_saved": "Contact saved",
    "override_made": "Screening overridden",
    "report_signed": "Report signed",
    "ruleset_changed": "Rule set changed",
    "user_changed": "Account changed",
    "audit_exported": "Audit log exported",
}


@dataclass(frozen=True)
class AuditFilters:
    """What to look for: local days ``first`` to ``last`` inclusive, one user, one person."""

    first: date
    last: date
    username: str | None = None
    person_id: uuid.UUID | None = None


# Jobs for the database thread; the services load there, not on the GUI thread.
@dataclass(frozen=True)
class _Query:
    person_id: uuid.UUID | None
    user_id: uuid.UUID | None
    start: datetime
    end: datetime


def _query(database: Database, actor: CurrentUser, filters: AuditFilters) -> _Query:
    from spa_desk.governance.search import user_id_named_as
    from spa_desk.local_time import local_days_to_utc

    start, end = local_days_to_utc(filters.first, filters.last)
    user_id = None
    if filters.username is not None:
        user_id = user_id_named_as(database, actor, filters.username)
    return _Query(person_id=filters.person_id, user_id=user_id, start=start, end=end)


def _search(
    database: Database, actor: CurrentUser, filters: AuditFilters, limit: int
) -> list[AuditEntry]:
    from spa_desk.governance.search import search_as

    q = _query(database, actor, filters)
    return search_as(
        database,
        actor,
        person_id=q.person_id,
        user_id=q.user_id,
        start=q.start,
        end=q.end,
        limit=limit,
    )


def _export(database: Database, actor: CurrentUser, filters: AuditFilters, target: Path) -> int:
    """Write the CSV beside ``target`` first, so a failed export never leaves half a file."""
    from spa_desk.governance.export import export_csv_as

    q = _query(database, actor, filters)
    temporary = target.with_name(target.name + ".part")
    try:
        with temporary.open("w", encoding="utf-8", newline="") as out:
            count = export_csv_as(
                database,
                actor,
                out,
                person_id=q.person_id,
                user_id=q.user_id,
                start=q.start,
                end=q.end,
            )
        temporary.replace(target)
    except OSError as error:
        raise KnownError(f"Cannot write {target}: {error.strerror}.") from None
    finally:
        temporary.unlink(missing_ok=True)
    return count


def entries_text(count: int) -> str:
    """``1 entry``, ``1,204 entries``."""
    return f"{count:,} entr{'y' if count == 1 else 'ies'}"


def action_text(action: str) -> str:
    """An audit action in words (an action this desk does not know is shown as it is stored)."""
    return _ACTION_WORDS.get(action, action.replace("_", " ").capitalize())


def details_text(details: dict[str, Any]) -> str:
    """The details of an entry on one line: ``change: added · roles: call_handler``."""
    parts = []
    for key in sorted(details):
        value = details[key]
        if value is None or value == "":
            continue
        if isinstance(value, list):
            shown = ", ".join(str(item) for item in value)
        elif isinstance(value, dict):
            shown = json.dumps(value, sort_keys=True)
        else:
            shown = str(value)
        parts.append(f"{key}: {shown}")
    return " · ".join(parts)


class AuditTableModel(RowTableModel["AuditEntry"]):
    """Audit entries, newest first: local time, user, action, what it was about, details."""

    def __init__(self) -> None:
        super().__init__(AUDIT_COLUMNS)

    @property
    def entries(self) -> list[AuditEntry]:
        """The entries shown, in row order."""
        return self.items

    def set_entries(self, entries: list[AuditEntry]) -> None:
        """Show ``entries`` in place of what was there."""
        self.set_items(entries)

    def text(self, entry: AuditEntry, column: int) -> str | None:
        match column:
            case 0:
                return entry.occurred_at.astimezone(LONDON).strftime("%a %d %b %Y %H:%M:%S")
            case 1:
                return entry.username or "—"
            case 2:
                return action_text(entry.action)
            case 3:
                if entry.entity_type is None:
                    return ""
                return f"{entry.entity_type.capitalize()} {entry.entity_id or ''}".strip()
            case 4:
                return details_text(entry.details)
        return None


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _day(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())


class AuditDialog(QDialog):
    """Search the audit log by period, user and person; export what matches as CSV.

    ``choose_export_path`` asks where to save (a file dialog; tests replace it). Problems show in
    words in ``error_label``; the filters typed stay as they were.
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
        self.limit = 1000
        """The most entries a search shows (export writes them all)."""
        self.choose_export_path: ChooseExportPath = self._ask_export_path
        self.setWindowTitle("SPA Desk - audit log")
        self.setObjectName("auditDialog")
        self.resize(1180, 660)

        today = clock().astimezone(LONDON).date()
        self.from_edit = self._date_edit(today - timedelta(days=DEFAULT_DAYS - 1), "From")
        self.to_edit = self._date_edit(today, "To")
        self.user_edit = QLineEdit()
        self.user_edit.setAccessibleName("User name to search for")
        self.user_edit.setPlaceholderText("any user")
        self.user_edit.setClearButtonEnabled(True)
        self.person_edit = QLineEdit()
        self.person_edit.setAccessibleName("Person id to search for")
        self.person_edit.setPlaceholderText("any person (the id the desk shows)")
        self.person_edit.setClearButtonEnabled(True)
        self.person_edit.setMinimumWidth(300)
        self.search_button = form_button("&Search", "Search the audit log")
        self.search_button.setDefault(True)  # Enter in any filter searches
        self.search_button.clicked.connect(self._on_search)

        filters = QHBoxLayout()
        for text, edit in (
            ("&From", self.from_edit),
            ("&To", self.to_edit),
            ("&User", self.user_edit),
            ("&Person id", self.person_edit),
        ):
            label = QLabel(text)
            label.setBuddy(edit)
            if filters.count():
                filters.addSpacing(14)
            filters.addWidget(label)
            filters.addWidget(edit, 1 if isinstance(edit, QLineEdit) else 0)
        filters.addSpacing(14)
        filters.addWidget(self.search_button)
        hint = QLabel(
            "Days are local (Europe/London), both included. Leave User or Person id empty to "
            "include everyone."
        )
        hint.setStyleSheet("color: #555;")
        hint.setWordWrap(True)

        self.model = AuditTableModel()
        self.table = QTableView()
        self.table.setObjectName("auditEntries")
        self.table.setAccessibleName("Audit entries found")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setTabKeyNavigation(False)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        table_label = QLabel("Entr&ies")
        table_label.setStyleSheet("font-weight: 600;")
        table_label.setBuddy(self.table)
        self.summary_label = QLabel("Not searched yet.")
        self.summary_label.setObjectName("auditSummary")
        self.summary_label.setAccessibleName("Search result")
        self.summary_label.setStyleSheet("color: #555;")

        self.error_label = QLabel()
        self.error_label.setObjectName("auditProblem")
        self.error_label.setAccessibleName("Problem")
        self.error_label.setTextFormat(Qt.TextFormat.PlainText)
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet(PROBLEM_STYLE)
        self.error_label.hide()
        self.note_label = QLabel()
        self.note_label.setObjectName("auditNote")
        self.note_label.setAccessibleName("Done")
        self.note_label.setTextFormat(Qt.TextFormat.PlainText)
        self.note_label.setWordWrap(True)
        self.note_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.note_label.hide()

        self.export_button = form_button("&Export CSV…", "Export the matching entries as CSV")
        self.export_button.clicked.connect(self._on_export)
        self.close_button = form_button("C&lose", "Close the audit log")
        self.close_button.clicked.connect(self.reject)

        table_header = QHBoxLayout()
        table_header.addWidget(table_label)
        table_header.addStretch(1)
        table_header.addWidget(self.summary_label)
        bottom = QHBoxLayout()
        bottom.addWidget(self.export_button)
        export_hint = QLabel("every matching entry, oldest first, times in UTC")
        export_hint.setStyleSheet("color: #555;")
        bottom.addWidget(export_hint)
        bottom.addStretch(1)
        bottom.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(hint)
        layout.addLayout(table_header)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.error_label)
        layout.addWidget(self.note_label)
        layout.addLayout(bottom)

        chain: list[QWidget] = [
            self.from_edit,
            self.to_edit,
            self.user_edit,
            self.person_edit,
            self.search_button,
            self.table,
            self.export_button,
            self.close_button,
        ]
        for first, second in itertools.pairwise(chain):
            QWidget.setTabOrder(first, second)
        self._field_widgets: dict[str, QWidget] = {
            "From": self.from_edit,
            "To": self.to_edit,
            "User": self.user_edit,
            "Person id": self.person_edit,
        }
        self.from_edit.setFocus(Qt.FocusReason.OtherFocusReason)

    def _date_edit(self, day: date, name: str) -> QDateEdit:
        edit = QDateEdit(_qdate(day))
        edit.setCalendarPopup(True)
        edit.setDisplayFormat("ddd d MMM yyyy")
        edit.setAccessibleName(f"{name} (local day)")
        return edit

    def filters(self) -> AuditFilters:
        """The filters as typed; InvalidInput naming the field when one is wrong."""
        first, last = _day(self.from_edit.date()), _day(self.to_edit.date())
        if last < first:
            raise InvalidInput("To", f"{last:%d %b %Y} is before the first day, {first:%d %b %Y}")
        username = self.user_edit.text().strip().lower() or None
        person_text = self.person_edit.text().strip()
        person_id = None
        if person_text:
            try:
                person_id = uuid.UUID(person_text)
            except ValueError:
                raise InvalidInput(
                    "Person id",
                    f"{person_text!r} is not a person id: give the id the desk shows, like "
                    "1b4e28ba-2fa1-11d2-883f-0016d3cca427",
                ) from None
        return AuditFilters(first=first, last=last, username=username, person_id=person_id)

    async def search(self) -> list[AuditEntry] | None:
        """Show the newest entries matching the filters; None (and a message) on a problem."""
        self._clear_messages()
        self.search_button.setEnabled(False)
        try:
            entries = await self._backend.run(_search, self._user, self.filters(), self.limit)
        except KnownError as problem:
            self._show_problem(problem)
            return None
        finally:
            self.search_button.setEnabled(True)
        self.model.set_entries(entries)
        count = len(entries)
        if count == 0:
            summary = "No entries match these filters."
        elif count >= self.limit:
            summary = f"The newest {entries_text(count)}: narrow the search, or export them all."
        else:
            summary = f"{entries_text(count)}, newest first."
        self.summary_label.setText(summary)
        return entries

    async def export(self) -> Path | None:
        """Ask where, then write every entry matching the filters as CSV; the file, or None."""
        self._clear_messages()
        try:
            filters = self.filters()
        except InvalidInput as problem:
            self._show_problem(problem)
            return None
        target = await self.choose_export_path(
            f"audit-{filters.first.isoformat()}-to-{filters.last.isoformat()}.csv"
        )
        if target is None:
            return None
        self.export_button.setEnabled(False)
        try:
            count = await self._backend.run(_export, self._user, filters, target)
        except KnownError as problem:
            self._show_problem(problem)
            return None
        finally:
            self.export_button.setEnabled(True)
        self.note_label.setText(
            f"Exported {count:,} entr{'ies' if count != 1 else 'y'} to {target}."
        )
        self.note_label.show()
        return target

    async def _ask_export_path(self, suggested: str) -> Path | None:
        chooser = QFileDialog(self, "Export audit entries as CSV", str(Path.home() / suggested))
        chooser.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        chooser.setNameFilter("CSV files (*.csv)")
        chooser.setDefaultSuffix("csv")
        if await run_dialog(chooser) != QDialog.DialogCode.Accepted.value:
            return None
        files = chooser.selectedFiles()
        return Path(files[0]) if files else None

    @async_slot()
    async def _on_search(self) -> None:
        await self.search()

    @async_slot()
    async def _on_export(self) -> None:
        await self.export()

    def _clear_messages(self) -> None:
        self.error_label.clear()
        self.error_label.hide()
        self.note_label.clear()
        self.note_label.hide()

    def _show_problem(self, problem: Exception) -> None:
        self.error_label.setText(str(problem))
        self.error_label.show()
        if isinstance(problem, InvalidInput) and problem.field in self._field_widgets:
            self._field_widgets[problem.field].setFocus(Qt.FocusReason.OtherFocusReason)
