"""The new-person form shows every problem at once, each beside its own field, driven by keys.

One save shows them all; a problem goes as soon as its field is fixed; nothing typed is lost;
the keyboard lands on the first field with a problem; the NHS number is still checked as it is
typed; consent is chosen here as in the consent dialog, and stored and audited as chosen.
"""

from __future__ import annotations

import uuid

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget
from sqlalchemy import func, select

from db.models import AuditEvent, Consent, Person
from spa_desk.database import Database
from spa_desk.governance.search import _search as search
from tests.ui.call_desk import Desk, DeskFactory
from tests.ui.desk_helpers import press, top_level
from ui.call.controller import CallController
from ui.call.person_dialogs import NewPersonDialog


def _has_keyboard(widget: QWidget) -> bool:
    """True when the keyboard focus is inside ``widget``."""
    focus = QApplication.focusWidget()
    return focus is not None and widget.isAncestorOf(focus)


def _new_person_form(desk: Desk, call: CallController, search_text: str) -> NewPersonDialog:
    """F3, search, nobody found: Ctrl+N opens the form."""
    desk.keys(Qt.Key.Key_F3)
    desk.qtbot.keyClicks(call.screen.person.search_edit, search_text)
    desk.qtbot.waitUntil(lambda: "Nobody found" in call.screen.person.search_note.text())
    desk.qtbot.keyClick(call.screen, "N", Qt.KeyboardModifier.ControlModifier)
    desk.qtbot.waitUntil(lambda: top_level(NewPersonDialog)() is not None, timeout=5_000)
    form = top_level(NewPersonDialog)()
    assert isinstance(form, NewPersonDialog)
    desk.qtbot.waitUntil(lambda: _has_keyboard(form), timeout=5_000)
    return form


def _shown(form: NewPersonDialog) -> dict[str, str]:
    """The problems on screen, by field (consent's as ``consent`` and ``reason``)."""
    shown = {field: label.text() for field, label in form.problems.items() if label.isVisible()}
    if form.consent.problem.isVisible():
        shown["consent"] = form.consent.problem.text()
    if form.consent.reason_problem.isVisible():
        shown["reason"] = form.consent.reason_problem.text()
    return shown


def _people(database: Database) -> int:
    with database.sessions() as session:
        return session.scalar(select(func.count()).select_from(Person)) or 0


def _type(desk: Desk, text: str) -> None:
    """Type over what is selected where the keyboard is."""
    focus = QApplication.focusWidget()
    assert focus is not None
    desk.qtbot.keyClicks(focus, text)


def test_one_save_shows_every_problem_beside_its_field(
    desk_for: DeskFactory, people: dict[str, uuid.UUID]
) -> None:
    desk = desk_for("handler")
    call = desk.new_call()
    desk.keys("1", "3")  # a call about care, from an unpaid carer
    desk.qtbot.waitUntil(lambda: call.draft.answers.get("caller_type") == "carer")
    form = _new_person_form(desk, call, "Quenby, Rosalind")
    edits = form.edits
    assert edits["family_name"].text() == "Quenby" and edits["given_name"].text() == "Rosalind"
    assert form.consent.basis is None  # chosen, never assumed: here as in the dialog
    assert form.consent.hint.text().startswith(
        "Suggested: given by a representative (the caller is their carer)."
    )
    # The NHS number is still checked as it is typed.
    desk.qtbot.keyClicks(edits["nhs_number"], "999 000 0027")
    assert "check digit is wrong" in form.nhs_note.text()
    edits["nhs_number"].clear()
    desk.qtbot.keyClicks(edits["nhs_number"], "999 000 0018")
    assert "test number" in form.nhs_note.text()
    desk.qtbot.keyClicks(edits["date_of_birth"], "01/01/2090")
    desk.qtbot.keyClicks(edits["postcode"], "ZZ")
    desk.qtbot.keyClicks(edits["phone_primary"], "12345")
    people_before = _people(desk.database)

    # One Enter: every problem at once, each beside its own field.
    press(desk.qtbot, Qt.Key.Key_Return)
    desk.qtbot.waitUntil(lambda: len(_shown(form)) == 4, timeout=5_000)
    assert _shown(form) == {
        "date_of_birth": "This date is in the future",
        "postcode": "'ZZ' is not a UK postcode, such as ZY1 2AB",
        "phone_primary": "'12345' is not a UK phone number, such as 01632 960123",
        "consent": "Choose how consent was given (Alt+1, Alt+2 or Alt+3): nothing is recorded yet.",
    }
    assert form.problem.text() == "Not saved: 4 problems, each shown in red beside its field."
    assert edits["date_of_birth"].accessibleDescription() == (
        "Date of birth: this date is in the future"
    )
    # Nothing typed is lost, nothing is stored, and the keyboard is on the first problem.
    typed = {field: edit.text() for field, edit in edits.items() if edit.text()}
    assert typed == {
        "given_name": "Rosalind", "family_name": "Quenby", "date_of_birth": "01/01/2090",
        "nhs_number": "999 000 0018", "postcode": "ZZ", "phone_primary": "12345",
    }  # fmt: skip
    assert _people(desk.database) == people_before and call.person is None
    assert QApplication.focusWidget() is edits["date_of_birth"]
    assert edits["date_of_birth"].selectedText() == "01/01/2090"

    # A problem goes as soon as its field is fixed; the others stay.
    _type(desk, "02/05/1950")  # over the selected date
    assert "date_of_birth" not in _shown(form)
    assert form.problem.text() == "Not saved: 3 problems, each shown in red beside its field."
    edits["postcode"].setFocus()
    edits["postcode"].selectAll()
    _type(desk, "ZY4 2")  # not a postcode yet: its problem stays, in step with what is typed
    assert _shown(form)["postcode"] == "'ZY4 2' is not a UK postcode, such as ZY1 2AB"
    _type(desk, "QT")
    assert set(_shown(form)) == {"phone_primary", "consent"}
    press(desk.qtbot, "2", modifier=Qt.KeyboardModifier.AltModifier)  # as the hint suggests
    desk.qtbot.waitUntil(lambda: set(_shown(form)) == {"phone_primary"}, timeout=3_000)
    assert form.problem.text() == "Not saved: 1 problem, each shown in red beside its field."

    # The next save shows what is left, and the keyboard goes to it.
    press(desk.qtbot, Qt.Key.Key_Return)
    desk.qtbot.waitUntil(lambda: QApplication.focusWidget() is edits["phone_primary"])
    assert set(_shown(form)) == {"phone_primary"} and _people(desk.database) == people_before
    _type(desk, "01632 960321")
    assert _shown(form) == {} and form.problem.isHidden()
    press(desk.qtbot, Qt.Key.Key_Return)
    desk.qtbot.waitUntil(lambda: call.person is not None, timeout=5_000)
    assert "Rosalind QUENBY" in call.screen.person.record_label.text()
    assert "Test NHS number" in call.screen.person.record_label.text()
    with desk.database.sessions() as session:
        person = session.get(Person, call.draft.person_id or uuid.uuid4())
        assert person is not None
        assert (person.nhs_number, person.postcode, person.phone_primary) == (
            "9990000018", "ZY4 2QT", "01632960321"
        )  # fmt: skip
        assert str(person.date_of_birth) == "1950-05-02"
        consent = session.scalars(select(Consent).where(Consent.person_id == person.id)).one()
        assert (consent.basis, consent.reason) == ("given_by_representative", None)
        created = session.scalar(
            select(func.count())
            .select_from(AuditEvent)
            .where(AuditEvent.action == "person_created")
        )
    assert created == 1
    [entry] = search(desk.database, person_id=person.id)
    assert entry.details["basis"] == "given_by_representative"
    assert call.draft.consent_basis == "given_by_representative"


def test_a_lawful_basis_in_the_form_needs_its_reason(
    desk_for: DeskFactory, people: dict[str, uuid.UUID]
) -> None:
    desk = desk_for("practitioner")
    call = desk.new_call()
    form = _new_person_form(desk, call, "Quenby, Rosalind")
    assert form.consent.hint.text().startswith("Ask, then choose (Alt+1, Alt+2 or Alt+3)")
    press(desk.qtbot, "3", modifier=Qt.KeyboardModifier.AltModifier)
    desk.qtbot.waitUntil(lambda: QApplication.focusWidget() is form.consent.reason)
    press(desk.qtbot, Qt.Key.Key_Return)
    desk.qtbot.waitUntil(lambda: "reason" in _shown(form), timeout=5_000)
    assert _shown(form) == {
        "reason": "Say why the record is opened without consent (safeguarding, vital interests)"
    }
    assert QApplication.focusWidget() is form.consent.reason and call.person is None
    _type(desk, "Safeguarding: neighbour reports she is locked in")
    assert _shown(form) == {}
    press(desk.qtbot, Qt.Key.Key_Return)
    desk.qtbot.waitUntil(lambda: call.person is not None, timeout=5_000)
    with desk.database.sessions() as session:
        consent = session.scalars(
            select(Consent).where(Consent.person_id == call.draft.person_id)
        ).one()
        assert (consent.basis, consent.reason) == (
            "lawful_basis", "Safeguarding: neighbour reports she is locked in"
        )  # fmt: skip
    [entry] = search(desk.database, person_id=call.draft.person_id)
    assert (entry.action, entry.details["basis"]) == ("person_created", "lawful_basis")
