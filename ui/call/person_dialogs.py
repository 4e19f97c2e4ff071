"""Consent before a record opens (SPEC 2 step 3), and the new-person form with its checks in
words (NHS number check digit, UK postcode, date of birth not in the future, phone number).

The form checks as the handler types; the service checks again on save and its words are shown
beside the form, which keeps everything typed.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date, datetime
from typing import Any

from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from spa_desk.errors import InvalidInput, KnownError
from spa_desk.identifiers import is_test_nhs_number, is_valid_nhs_number, normalise_nhs_number
from spa_desk.vocabulary import ConsentBasis
from ui.kit.asyncio_qt import async_slot

CONSENT_LABELS = {
    ConsentBasis.GIVEN_BY_PERSON: "&1  Consent given by the person",
    ConsentBasis.GIVEN_BY_REPRESENTATIVE: "&2  Consent given by an authorised representative",
    ConsentBasis.LAWFUL_BASIS: "&3  No consent: lawful basis (safeguarding, vital interests)",
}
DATE_FORMATS = ("%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d")


class ConsentDialog(QDialog):
    """Ask for the consent basis (and, without consent, the reason) before a record opens."""

    def __init__(self, person_words: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Consent to open the record")
        self.setObjectName("consentDialog")
        intro = QLabel(
            f"Before opening the record of <b>{person_words}</b>, record consent. "
            "Ask: <i>“Are you happy for us to look at your record and share it with the "
            "services that can help?”</i>"
        )
        intro.setWordWrap(True)
        self.picker = ConsentPicker(mnemonics=True)
        self.radios = self.picker.radios
        self.reason_edit = self.picker.reason
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.picker)
        self.problem = QLabel()
        self.problem.setStyleSheet("color: #b00020; font-weight: 600;")
        self.problem.hide()
        layout.addWidget(self.problem)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText("&Open the record")
        buttons.accepted.connect(self._check)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.radios[ConsentBasis.GIVEN_BY_PERSON].setFocus()

    @property
    def basis(self) -> ConsentBasis:
        """The basis chosen."""
        return self.picker.basis

    def _check(self) -> None:
        if self.basis is ConsentBasis.LAWFUL_BASIS and not self.reason_edit.text().strip():
            self.problem.setText("Reason: say why the record is opened without consent.")
            self.problem.show()
            self.reason_edit.setFocus()
            return
        self.accept()


def parse_date(text: str) -> date | None:
    """A date typed as 12/03/1941 (or 12-03-1941, 1941-03-12); None when it is not one."""
    for pattern in DATE_FORMATS:
        try:
            return datetime.strptime(text.strip(), pattern).date()
        except ValueError:
            continue
    return None


def nhs_number_note(text: str) -> tuple[str, bool]:
    """Words about an NHS number as typed, and whether it is acceptable."""
    number = normalise_nhs_number(text)
    if not number:
        return "", True
    if len(number) != 10 or not number.isdigit():
        return "An NHS number has 10 digits.", False
    if not is_valid_nhs_number(number):
        return "The check digit is wrong: check each digit with the caller.", False
    if is_test_nhs_number(number):
        return "A test number (999 range): accepted, marked as a test record.", True
    return "Valid NHS number.", True


CreatePerson = Callable[[dict[str, Any]], Awaitable[object]]


class NewPersonDialog(QDialog):
    """The new-person form; ``create`` stores the person (with consent) or raises in words."""

    FIELDS = (
        ("given_name", "&Given name", "Given name"),
        ("family_name", "&Family name", "Family name"),
        ("date_of_birth", "&Date of birth", "dd/mm/yyyy"),
        ("nhs_number", "&NHS number", "10 digits, if known"),
        ("address_line1", "&Address", "House and street"),
        ("town", "&Town", "Town"),
        ("postcode", "&Postcode", "such as ZY1 2AB"),
        ("phone_primary", "P&hone", "such as 01632 960123"),
        ("gp_practice", "G&P practice", "GP practice"),
    )

    def __init__(
        self, create: CreatePerson, prefill: dict[str, str], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("New person")
        self.setObjectName("newPersonDialog")
        self._create = create
        self.created: object | None = None
        self.edits: dict[str, QLineEdit] = {}
        form = QFormLayout()
        for field, label, hint in self.FIELDS:
            edit = QLineEdit(prefill.get(field, ""))
            edit.setObjectName(field)
            edit.setAccessibleName(label.replace("&", ""))
            edit.setPlaceholderText(hint)
            self.edits[field] = edit
            form.addRow(label + ":", edit)
            if field == "nhs_number":  # the check, as typed, right under the number
                self.nhs_note = QLabel()
                self.nhs_note.setObjectName("nhsNote")
                self.nhs_note.setWordWrap(True)
                form.addRow("", self.nhs_note)
        self.edits["nhs_number"].textChanged.connect(self._nhs_changed)
        self._nhs_changed(self.edits["nhs_number"].text())
        consent_label = QLabel("Consent:")
        self.consent = ConsentPicker()
        self.problem = QLabel()
        self.problem.setObjectName("newPersonProblem")
        self.problem.setAccessibleName("Problem with the form")
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet("color: #b00020; font-weight: 600;")
        self.problem.hide()
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Save).setText("&Save person")
        buttons.accepted.connect(self._save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(consent_label)
        layout.addWidget(self.consent)
        layout.addWidget(self.problem)
        layout.addWidget(buttons)
        first_empty = next(
            (edit for edit in self.edits.values() if not edit.text()), self.edits["given_name"]
        )
        first_empty.setFocus()

    def _nhs_changed(self, text: str) -> None:
        note, ok = nhs_number_note(text)
        self.nhs_note.setText(note)
        self.nhs_note.setStyleSheet("color: #1b5e20;" if ok else "color: #b00020;")

    def values(self) -> dict[str, Any]:
        """The form as the service takes it; InvalidInput for a date that is not a date."""
        values: dict[str, Any] = {f: e.text().strip() or None for f, e in self.edits.items()}
        typed = values["date_of_birth"]
        if typed:
            born = parse_date(typed)
            if born is None:
                raise InvalidInput("Date of birth", f"{typed!r} is not a date: type dd/mm/yyyy")
            values["date_of_birth"] = born
        return values

    def show_problem(self, error: KnownError) -> None:
        """The service's words; the field named gets the focus."""
        self.problem.setText(str(error))
        self.problem.show()
        if isinstance(error, InvalidInput):
            for field, edit in self.edits.items():
                if error.field.lower() == field.replace("_", " ") or error.field.lower() == (
                    dict((f, lbl.replace("&", "")) for f, lbl, _ in self.FIELDS)[field].lower()
                ):
                    edit.setFocus()
                    edit.selectAll()

    @async_slot()
    async def _save(self) -> None:
        try:
            self.created = await self._create(self.values())
        except KnownError as error:
            self.show_problem(error)
            return
        self.accept()


class ConsentPicker(QWidget):
    """The three consent bases as radio buttons, with the reason for a lawful basis.

    With ``mnemonics`` (a dialog of its own) Alt+1, Alt+2 and Alt+3 pick a basis.
    """

    def __init__(self, parent: QWidget | None = None, *, mnemonics: bool = False) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.group = QButtonGroup(self)
        self.radios: dict[ConsentBasis, QRadioButton] = {}
        for basis, label in CONSENT_LABELS.items():
            radio = QRadioButton(label if mnemonics else label.replace("&", ""))
            radio.setAccessibleName(label.replace("&", "")[3:])
            self.group.addButton(radio)
            self.radios[basis] = radio
            layout.addWidget(radio)
        self.radios[ConsentBasis.GIVEN_BY_PERSON].setChecked(True)
        self.reason = QLineEdit()
        self.reason.setObjectName("consentReason")
        self.reason.setAccessibleName("Reason for a lawful basis without consent")
        self.reason.setPlaceholderText("Why, without consent (needed for a lawful basis)")
        layout.addWidget(self.reason)

    @property
    def basis(self) -> ConsentBasis:
        """The basis chosen."""
        return next(basis for basis, radio in self.radios.items() if radio.isChecked())
