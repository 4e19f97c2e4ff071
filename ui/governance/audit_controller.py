"""Searching and exporting the audit log, for roles that may read it (SPA managers, administrators):
the behaviour of the audit log dialog.

:class:`AuditController` drives a :class:`ui.governance.audit_view.AuditView`. A search names
local days (Europe/London, both included) and, if wanted, one user (by user name or by the name
the desk shows) and one person (by NHS number, found through
:func:`spa_desk.people.search.person_id_for_audit_as`, which gives the id and nothing else, so a
manager never opens the record); the newest entries show first. A filter that matches nobody
says so and shows no entries, never the last search's. Export writes every matching entry,
oldest first, as the CSV of :func:`spa_desk.governance.export.export_csv_as`. The services check
the permission themselves.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QDate, QModelIndex, QObject, Qt
from PySide6.QtWidgets import QLineEdit, QWidget

from spa_desk.errors import InvalidInput, KnownError
from spa_desk.identifiers import format_nhs_number, is_valid_nhs_number, normalise_nhs_number
from spa_desk.local_time import LONDON, Clock, utc_clock
from ui.governance.audit_model import EntryRole, entries_text, entry_text
from ui.kit.asyncio_qt import async_slot
from ui.kit.dialogs import ask_save_path

if TYPE_CHECKING:
    from spa_desk.database import Database
    from spa_desk.domain import CurrentUser
    from spa_desk.governance.search import AuditEntry
    from ui.governance.audit_view import AuditView
    from ui.kit.backend import DeskBackend

DEFAULT_DAYS = 7
NHS_FIELD = "NHS number"

ChooseExportPath = Callable[[str], Awaitable[Path | None]]
"""Asks where to save the export, given a suggested file name; None when the user cancels."""


@dataclass(frozen=True)
class AuditFilters:
    """What to look for: local days ``first`` to ``last`` inclusive, one user (user name or
    shown name, as typed), one person (by NHS number, ten digits, or by the id an entry shows)."""

    first: date
    last: date
    username: str | None = None
    person_id: uuid.UUID | None = None
    nhs_number: str | None = None


# Jobs for the database thread; the services load there, not on the GUI thread.
@dataclass(frozen=True)
class _Query:
    person_id: uuid.UUID | None
    user_id: uuid.UUID | None
    start: datetime
    end: datetime


def _query(database: Database, actor: CurrentUser, filters: AuditFilters) -> _Query:
    """The filters as the log is searched; InvalidInput naming the filter that matches nobody."""
    from spa_desk.governance.search import user_id_named_as
    from spa_desk.local_time import local_days_to_utc
    from spa_desk.people.search import person_id_for_audit_as

    start, end = local_days_to_utc(filters.first, filters.last)
    user_id = None
    if filters.username is not None:
        user_id = user_id_named_as(database, actor, filters.username)
    person_id = filters.person_id
    if filters.nhs_number is not None:
        person_id = person_id_for_audit_as(database, actor, filters.nhs_number)
        if person_id is None:
            raise InvalidInput(
                NHS_FIELD,
                f"no one on the desk has the NHS number {format_nhs_number(filters.nhs_number)}",
            )
    return _Query(person_id=person_id, user_id=user_id, start=start, end=end)


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
    """Write the CSV beside ``target`` first, so a failed export never leaves half a file; the
    export is itself recorded in the log."""
    from spa_desk.governance.export import export_csv_as, record_export

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
    record_export(
        database,
        actor,
        first=filters.first,
        last=filters.last,
        person_id=q.person_id,
        user_id=q.user_id,
        rows=count,
    )
    return count


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _day(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())


class AuditController(QObject):
    """Search the audit log by period, user and person; export what matches as CSV.

    The period starts as the last :data:`DEFAULT_DAYS` local days, today included.
    ``choose_export_path`` asks where to save (a file dialog; tests replace it). Problems show in
    words in the view's ``error_label``, just under the filters; the filters typed stay as they
    were and no entries show, so a table is only ever the answer to the filters on screen. Search
    pressed (or Enter) while a search runs searches again, with the filters as they are then,
    once that one is done. The entry chosen in the table is shown in full beneath it.
    """

    def __init__(
        self,
        view: AuditView,
        backend: DeskBackend,
        user: CurrentUser,
        *,
        clock: Clock = utc_clock,
    ) -> None:
        super().__init__(view)
        self.view = view
        self._backend = backend
        self._user = user
        self.limit = 1000
        """The most entries a search shows (export writes them all)."""
        self.choose_export_path: ChooseExportPath = self._ask_export_path
        self._searching = False
        self._search_again = False
        today = clock().astimezone(LONDON).date()
        view.from_edit.setDate(_qdate(today - timedelta(days=DEFAULT_DAYS - 1)))
        view.to_edit.setDate(_qdate(today))
        self._field_widgets: dict[str, QWidget] = {
            "From": view.from_edit,
            "To": view.to_edit,
            "User": view.user_edit,
            NHS_FIELD: view.person_edit,
        }
        view.search_button.clicked.connect(self._on_search)
        view.export_button.clicked.connect(self._on_export)
        view.table.selectionModel().currentRowChanged.connect(self._show_chosen)
        view.model.modelReset.connect(view.details_view.clear)

    def filters(self) -> AuditFilters:
        """The filters as typed; InvalidInput naming the field when one is wrong."""
        first, last = _day(self.view.from_edit.date()), _day(self.view.to_edit.date())
        if last < first:
            raise InvalidInput("To", f"{last:%d %b %Y} is before the first day, {first:%d %b %Y}")
        username = " ".join(self.view.user_edit.text().split()) or None
        person_text = self.view.person_edit.text().strip()
        person_id = nhs_number = None
        if person_text:
            try:  # the id an entry shows ("Person 1b4e28ba-...") is taken too
                person_id = uuid.UUID(person_text.removeprefix("Person").strip())
            except ValueError:
                nhs_number = normalise_nhs_number(person_text)
                if not is_valid_nhs_number(nhs_number):
                    raise InvalidInput(
                        NHS_FIELD,
                        f"{person_text!r} is not an NHS number: ten digits with a valid check "
                        "digit, like 943 476 5919",
                    ) from None
        return AuditFilters(
            first=first,
            last=last,
            username=username,
            person_id=person_id,
            nhs_number=nhs_number,
        )

    async def search(self) -> list[AuditEntry] | None:
        """Show the newest entries matching the filters; None (and a message) on a problem.

        Asked again while a search runs, it returns None at once and the running search is
        made again with the filters as they are by then, so no Enter is lost.
        """
        if self._searching:
            self._search_again = True
            return None
        self._searching = True
        try:
            while True:
                self._search_again = False
                entries = await self._search_once()
                if not self._search_again:
                    return entries
        finally:
            self._searching = False

    async def _search_once(self) -> list[AuditEntry] | None:
        self._clear_messages()
        self.view.summary_label.setText("Searching…")
        try:
            entries = await self._backend.run(_search, self._user, self.filters(), self.limit)
        except KnownError as problem:
            if self._search_again:  # the filters changed meanwhile: their answer comes next
                return None
            self.view.model.set_entries([])  # never the last search's answer under new filters
            self.view.summary_label.setText("No entries shown: see the problem above.")
            self._show_problem(problem)
            return None
        if self._search_again:
            return None
        self.view.model.set_entries(entries)
        count = len(entries)
        if count == 0:
            summary = "No entries match these filters."
        elif count >= self.limit:
            summary = f"The newest {entries_text(count)}: narrow the search, or export them all."
        else:
            summary = f"{entries_text(count)}, newest first."
        self.view.summary_label.setText(summary)
        if count:
            self.view.table.setCurrentIndex(self.view.model.index(0, 0))
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
        self.view.export_button.setEnabled(False)
        try:
            count = await self._backend.run(_export, self._user, filters, target)
        except KnownError as problem:
            self._show_problem(problem)
            return None
        finally:
            self.view.export_button.setEnabled(True)
        self.view.note_label.setText(
            f"Exported {count:,} entr{'ies' if count != 1 else 'y'} to {target}."
        )
        self.view.note_label.show()
        return target

    async def _ask_export_path(self, suggested: str) -> Path | None:
        return await ask_save_path(
            self.view, "Export audit entries as CSV", Path.home() / suggested, "csv", "CSV files"
        )

    @async_slot()
    async def _on_search(self) -> None:
        await self.search()

    @async_slot()
    async def _on_export(self) -> None:
        await self.export()

    def _clear_messages(self) -> None:
        self.view.error_label.clear()
        self.view.error_label.hide()
        self.view.note_label.clear()
        self.view.note_label.hide()

    def _show_problem(self, problem: Exception) -> None:
        self.view.error_label.setText(str(problem))
        self.view.error_label.show()
        if isinstance(problem, InvalidInput) and problem.field in self._field_widgets:
            field = self._field_widgets[problem.field]
            field.setFocus(Qt.FocusReason.OtherFocusReason)
            if isinstance(field, QLineEdit):
                field.selectAll()  # typing again replaces what matched nobody

    def _show_chosen(self, current: QModelIndex, _previous: QModelIndex) -> None:
        """The entry chosen in the table, in full, in the pane beneath it."""
        entry = current.data(EntryRole) if current.isValid() else None
        self.view.details_view.setPlainText(entry_text(entry) if entry is not None else "")
