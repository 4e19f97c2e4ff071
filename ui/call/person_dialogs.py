"""Consent before a record opens (SPEC 2 step 3), and the new-person form with its checks.

Consent is chosen, never assumed: no basis is selected until the handler picks one, the likely
one (from who is calling) is only marked, and Enter with nothing chosen records nothing. The
form checks the NHS number as it is typed; on save the service checks every field and each
problem shows at once beside its field, goes when the field is fixed, and nothing typed is lost.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date
from functools import partial
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
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
from spa_desk.people.consent import (
    CONSENT,
    REASON,
    ConsentGiven,
    ConsentSuggestion,
    consent_problems,
)
from spa_desk.people.records import InvalidPerson, nhs_number_note, person_problems
from spa_desk.vocabulary import ConsentBasis
from ui.kit.asyncio_qt import async_slot

CONSENT_LABELS = {
    ConsentBasis.GIVEN_BY_PERSON: "&1  Consent given by the person",
    ConsentBasis.GIVEN_BY_REPRESENTATIVE: "&2  Consent given by an authorised representative",
    ConsentBasis.LAWFUL_BASIS: "&3  No consent: lawful basis (safeguarding, vital interests)",
}
PROBLEM_STYLE = "color: #b00020; font-weight: 600;"


def problem_label(name: str, accessible_name: str) -> QLabel:
    """A small red label for one problem, hidden until there is one."""
    label = QLabel()
    label.setObjectName(name)
    label.setAccessibleName(accessible_name)
    label.setWordWrap(True)
    label.setStyleSheet(PROBLEM_STYLE)
    label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)  # under the field
    label.hide()
    return label


def fit_height(dialog: QDialog, layout: QVBoxLayout) -> None:
    """Fit ``dialog`` to the height its contents need at its width: Qt does not, for wrapped
    text that appears or grows once the dialog is shown."""
    if dialog.isVisible():
        dialog.resize(dialog.width(), layout.totalHeightForWidth(dialog.width()))


def sentence(text: str) -> str:
    """``text`` with a capital letter, as a line of its own beside a field."""
    return text[:1].upper() + text[1:]


class ConsentPicker(QWidget):
    """The three consent bases, none chosen until the handler chooses, the one likely from who
    is calling marked, and the reason a lawful basis needs (enabled once it is chosen).

    Alt+1, Alt+2 and Alt+3 choose a basis; Alt+R goes to the reason.

    Signals:
        chosen(object): the handler chose a basis (a ConsentBasis).
    """

    chosen = Signal(object)

    def __init__(
        self,
        suggestion: ConsentSuggestion | None = None,
        parent: QWidget | None = None,
        *,
        keys: str = "Alt+1, Alt+2 or Alt+3",
    ) -> None:
        super().__init__(parent)
        self.suggestion = suggestion
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        choose = f"Ask, then choose ({keys}): nothing is chosen for you."
        self.hint = QLabel(f"{suggestion.words}. {choose}" if suggestion else choose)
        self.hint.setObjectName("consentHint")
        self.hint.setWordWrap(True)
        layout.addWidget(self.hint)
        self.group = QButtonGroup(self)
        self.radios: dict[ConsentBasis, QRadioButton] = {}
        for basis, label in CONSENT_LABELS.items():
            radio = QRadioButton(label)
            radio.setAccessibleName(label.replace("&", "")[3:])
            if suggestion is not None and basis is suggestion.basis:
                radio.setText(f"{label}   ◂ suggested")
                radio.setAccessibleName(f"{radio.accessibleName()} (suggested)")
                font = radio.font()
                font.setBold(True)
                radio.setFont(font)
            self.group.addButton(radio)
            self.radios[basis] = radio
            layout.addWidget(radio)
        self.problem = problem_label("consentProblem", "Problem with consent")
        layout.addWidget(self.problem)
        reason_row = QFormLayout()
        self.reason = QLineEdit()
        self.reason.setObjectName("consentReason")
        self.reason.setAccessibleName("Reason for a lawful basis without consent")
        self.reason.setPlaceholderText("Why, without consent (needed for a lawful basis)")
        self.reason.setEnabled(False)
        reason_row.addRow("&Reason:", self.reason)
        layout.addLayout(reason_row)
        self.reason_problem = problem_label("reasonProblem", "Problem with the reason")
        layout.addWidget(self.reason_problem)
        self.group.buttonToggled.connect(self._toggled)
        self.reason.textEdited.connect(self.reason_problem.hide)

    @property
    def basis(self) -> ConsentBasis | None:
        """The basis the handler chose; None until they choose one."""
        return next((b for b, radio in self.radios.items() if radio.isChecked()), None)

    def consent(self, purpose: str) -> ConsentGiven | None:
        """The consent as chosen (a reason only with a lawful basis); None when none is."""
        basis = self.basis
        if basis is None:
            return None
        lawful = basis is ConsentBasis.LAWFUL_BASIS
        reason = self.reason.text().strip() if lawful else ""
        return ConsentGiven(basis=basis, purpose=purpose, reason=reason or None)

    def choose(self, basis: ConsentBasis) -> None:
        """Choose ``basis``, as its key does."""
        self.radios[basis].setFocus()
        self.radios[basis].setChecked(True)

    def focus_choice(self) -> None:
        """The keyboard goes to the basis chosen, else the one suggested, else the first."""
        basis = self.basis or (self.suggestion.basis if self.suggestion else None)
        self.radios[basis or ConsentBasis.GIVEN_BY_PERSON].setFocus()

    def show_problems(self, problems: dict[str, InvalidInput], keys: str) -> None:
        """Consent's problems beside the choice and the reason (none: both cleared)."""
        choice = problems.get(CONSENT)
        self.problem.setText(f"Choose how consent was given ({keys}): nothing is recorded yet.")
        self.problem.setVisible(choice is not None)
        reason = problems.get(REASON)
        self.reason_problem.setText(sentence(reason.problem) if reason else "")
        self.reason_problem.setVisible(reason is not None)

    def focus_problem(self) -> None:
        """The keyboard goes to the first of consent's problems shown."""
        if not self.problem.isHidden():
            self.focus_choice()
        elif not self.reason_problem.isHidden():
            self.reason.setFocus()

    def _toggled(self, button: QRadioButton, checked: bool) -> None:
        if not checked:
            return
        basis = next(b for b, radio in self.radios.items() if radio is button)
        lawful = basis is ConsentBasis.LAWFUL_BASIS
        self.problem.hide()
        self.reason.setEnabled(lawful)
        if lawful:
            self.reason.setFocus()
        else:
            self.reason_problem.hide()
        self.chosen.emit(basis)


class ConsentDialog(QDialog):
    """Ask for the consent basis (and, without consent, the reason) before a record opens.

    1, 2 and 3 (or Alt+1, Alt+2 and Alt+3) choose; Enter opens the record once a basis is
    chosen and, for a lawful basis, a reason typed.
    """

    KEYS = "press 1, 2 or 3"

    def __init__(
        self,
        person_words: str,
        purpose: str,
        suggestion: ConsentSuggestion | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Consent to open the record")
        self.setObjectName("consentDialog")
        self.purpose = purpose
        intro = QLabel(
            f"Before opening the record of <b>{person_words}</b>, record consent. "
            "Ask: <i>“Are you happy for us to look at your record and share it with the "
            "services that can help?”</i>"
        )
        intro.setWordWrap(True)
        self.picker = ConsentPicker(suggestion, keys=self.KEYS)
        self.main_layout = layout = QVBoxLayout(self)
        self.picker.chosen.connect(lambda _basis: fit_height(self, layout))
        layout.addWidget(intro)
        layout.addWidget(self.picker)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("&Open the record")
        buttons.accepted.connect(self._check)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        for number, basis in enumerate(CONSENT_LABELS, start=1):
            key = QShortcut(QKeySequence(str(number)), self)  # a line edit keeps its digits
            key.activated.connect(partial(self.picker.choose, basis))
        self.picker.focus_choice()

    @property
    def basis(self) -> ConsentBasis | None:
        """The basis chosen; None until the handler chooses one."""
        return self.picker.basis

    @property
    def consent(self) -> ConsentGiven | None:
        """The consent as chosen; None until a basis is."""
        return self.picker.consent(self.purpose)

    def _check(self) -> None:
        problems = consent_problems(self.consent)
        if problems:
            self.picker.show_problems(problems, self.KEYS)
            self.picker.focus_problem()
            fit_height(self, self.main_layout)
            return
        self.accept()


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
        ("gp_practice", "GP practi&ce", "GP practice"),
    )
    KEYS = "Alt+1, Alt+2 or Alt+3"

    def __init__(
        self,
        create: CreatePerson,
        prefill: dict[str, str],
        today: date,
        suggestion: ConsentSuggestion | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("New person")
        self.setObjectName("newPersonDialog")
        self._create = create
        self.today = today
        self.created: object | None = None
        self._counting = False
        self.edits: dict[str, QLineEdit] = {}
        self.problems: dict[str, QLabel] = {}
        self.form = QFormLayout()
        for field, label, hint in self.FIELDS:
            edit = QLineEdit(prefill.get(field, ""))
            edit.setObjectName(field)
            edit.setAccessibleName(label.replace("&", ""))
            edit.setPlaceholderText(hint)
            self.edits[field] = edit
            self.form.addRow(label + ":", edit)
            if field == "nhs_number":  # the check, as typed, right under the number
                self.nhs_note = QLabel()
                self.nhs_note.setObjectName("nhsNote")
                self.nhs_note.setWordWrap(True)
                self.form.addRow("", self.nhs_note)
            problem = problem_label(f"{field}Problem", f"Problem with {label.replace('&', '')}")
            self.problems[field] = problem
            self.form.addRow("", problem)
            self.form.setRowVisible(problem, False)
            edit.textChanged.connect(partial(self._field_changed, field))
        self._nhs_changed(self.edits["nhs_number"].text())
        consent_label = QLabel("Consent:")
        self.consent = ConsentPicker(suggestion, keys=self.KEYS)
        self.consent.chosen.connect(lambda _basis: self._problems_changed())
        self.consent.reason.textEdited.connect(self._problems_changed)
        self.problem = problem_label("newPersonProblem", "Problem with the form")
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.save_button = buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setText("&Save person")
        buttons.accepted.connect(self._save)
        buttons.rejected.connect(self.reject)
        self.main_layout = layout = QVBoxLayout(self)
        layout.addLayout(self.form)
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
        self.form.setRowVisible(self.nhs_note, bool(note))  # no blank line under an empty number

    def values(self) -> dict[str, Any]:
        """The form as the service takes it (a field left empty is None)."""
        return {field: edit.text().strip() or None for field, edit in self.edits.items()}

    def _show_field_problem(self, field: str, problem: InvalidInput | None) -> None:
        label = self.problems[field]
        label.setText(sentence(problem.problem) if problem else "")
        self.edits[field].setAccessibleDescription(str(problem) if problem else "")
        self.form.setRowVisible(label, problem is not None)

    def _field_changed(self, field: str, text: str) -> None:
        """Typing in a field: the NHS number's live check; a problem shown goes once fixed."""
        if field == "nhs_number":
            self._nhs_changed(text)
            self._show_field_problem(field, None)  # the live check speaks for it now
        elif self.problems[field].text():
            found = person_problems({field: text}, self.today, whole_record=False)
            self._show_field_problem(field, found.get(field))
        self._problems_changed()

    def _problems_changed(self) -> None:
        """How many problems are left, below the form; the form fitted to what it shows."""
        picker = self.consent
        labels = (*self.problems.values(), picker.problem, picker.reason_problem)
        shown = sum(not label.isHidden() for label in labels)
        several = f"{shown} problems" if shown > 1 else "1 problem"
        if self._counting:  # a problem naming no field stays until the next save
            self.problem.setText(f"Not saved: {several}, each shown in red beside its field.")
            self.problem.setVisible(shown > 0)
        fit_height(self, self.main_layout)

    def show_problem(self, error: KnownError) -> None:
        """Every problem the service found beside its field (one naming no field below the
        form); the keyboard goes to the first field with a problem."""
        problems = error.problems if isinstance(error, InvalidPerson) else {}
        for field in self.edits:
            self._show_field_problem(field, problems.get(field))
        self.consent.show_problems(problems, self.KEYS)
        known = set(self.edits) | {CONSENT, REASON}
        elsewhere = [str(problem) for key, problem in problems.items() if key not in known]
        self._counting = bool(problems) and not elsewhere
        self.problem.setText(str(error) if not problems else "; ".join(elsewhere))
        self.problem.show()
        first = next((field for field in self.edits if field in problems), None)
        if first is not None:
            self.edits[first].setFocus()
            self.edits[first].selectAll()
        else:
            self.consent.focus_problem()
        self._problems_changed()

    @async_slot()
    async def _save(self) -> None:
        self.save_button.setEnabled(False)
        try:
            self.created = await self._create(self.values())
        except KnownError as error:
            self.show_problem(error)
            return
        finally:
            self.save_button.setEnabled(True)
        self.accept()
