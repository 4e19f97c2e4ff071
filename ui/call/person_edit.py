"""Changing the record of the person opened on the call (Ctrl+E), never over another desk's
change: when someone changed the record after it was opened, the save is refused with what
changed and by whom, what was typed stays in the form, each field the other desk changed shows
the value now on the record beside it (a field left alone here takes their value), and the
handler merges and saves again (SPEC 8)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date
from functools import partial
from typing import Any

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from spa_desk.errors import KnownError
from spa_desk.identifiers import format_nhs_number
from spa_desk.people.records import ChangedMeanwhile, InvalidPerson, PersonRecord
from ui.call.person_dialogs import NewPersonDialog, problem_label, sentence
from ui.kit.asyncio_qt import async_slot

SavePerson = Callable[[dict[str, Any], PersonRecord], Awaitable[PersonRecord]]
"""Stores the changes typed against the record as the form last showed it."""


def shown(field: str, value: Any) -> str:
    """A record's value as the form shows it."""
    if value is None:
        return ""
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    if field == "nhs_number":
        return format_nhs_number(str(value))
    return str(value)


class EditPersonDialog(QDialog):
    """The person's record, to change and save."""

    FIELDS = NewPersonDialog.FIELDS

    def __init__(
        self, record: PersonRecord, save: SavePerson, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Change the person's record")
        self.setObjectName("editPersonDialog")
        self.record = record
        self._save_person = save
        self.saved: PersonRecord | None = None
        self.edits: dict[str, QLineEdit] = {}
        self.problems: dict[str, QLabel] = {}
        self.theirs: dict[str, QLabel] = {}
        self.form = QFormLayout()
        for field, label, hint in self.FIELDS:
            edit = QLineEdit(shown(field, getattr(record, field)))
            edit.setObjectName(field)
            edit.setAccessibleName(label.replace("&", ""))
            edit.setPlaceholderText(hint)
            self.edits[field] = edit
            self.form.addRow(label + ":", edit)
            theirs = QLabel()
            theirs.setObjectName(f"{field}Theirs")
            theirs.setWordWrap(True)
            theirs.setStyleSheet("color: #8a5a00; font-weight: 600;")
            self.theirs[field] = theirs
            self.form.addRow("", theirs)
            self.form.setRowVisible(theirs, False)
            problem = problem_label(f"{field}Problem", f"Problem with {label.replace('&', '')}")
            self.problems[field] = problem
            self.form.addRow("", problem)
            self.form.setRowVisible(problem, False)
            edit.textEdited.connect(partial(self._clear_problem, field))
        self.problem = problem_label("editPersonProblem", "Why the record was not saved")
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.save_button = buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setText("&Save record")
        buttons.accepted.connect(self._save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.problem)
        layout.addWidget(buttons)
        self.edits["given_name"].setFocus()

    def changes(self) -> dict[str, Any]:
        """The fields typed differently from the record as the form last showed it."""
        return {
            field: edit.text().strip() or None
            for field, edit in self.edits.items()
            if edit.text().strip() != shown(field, getattr(self.record, field))
        }

    def _clear_problem(self, field: str, _text: str) -> None:
        self.problems[field].setText("")
        self.form.setRowVisible(self.problems[field], False)

    def show_problem(self, error: KnownError) -> None:
        """Each field's problem beside it; another desk's change beside each field it touched
        (what was typed stays), and the form now measured against the record as it is."""
        problems = error.problems if isinstance(error, InvalidPerson) else {}
        for field, label in self.problems.items():
            problem = problems.get(field)
            label.setText(sentence(problem.problem) if problem else "")
            self.form.setRowVisible(label, problem is not None)
        if isinstance(error, ChangedMeanwhile):
            typed = {field: edit.text() for field, edit in self.edits.items()}
            before, self.record = self.record, error.current
            for field, label in self.theirs.items():
                was = shown(field, getattr(before, field))
                now = shown(field, getattr(error.current, field))
                moved = now != was
                words = f"Now on the record: {now or '(empty)'} ({error.by})"
                label.setText(words if moved else "")
                self.form.setRowVisible(label, moved)
                # What was typed is kept; a field left alone takes the other desk's change.
                self.edits[field].setText(typed[field] if typed[field].strip() != was else now)
        self.problem.setText(str(error) if not problems else "Not saved: see each field.")
        self.problem.show()
        first = next((f for f in self.edits if f in problems or self.theirs[f].text()), None)
        if first is not None:
            self.edits[first].setFocus()

    @async_slot()
    async def _save(self) -> None:
        changes = self.changes()
        if not changes:
            self.accept()
            return
        self.save_button.setEnabled(False)
        try:
            self.saved = await self._save_person(changes, self.record)
        except KnownError as error:
            self.show_problem(error)
            return
        finally:
            self.save_button.setEnabled(True)
        self.accept()
