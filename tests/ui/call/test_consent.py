"""Consent is chosen, never assumed: the real desk, driven by keys, down to the audit row.

No basis is selected when the consent dialog comes up; the one likely from who is calling is
marked, not chosen; Enter with nothing chosen records nothing and says what to choose; a lawful
basis does not go on without a reason; the consent row and the audit entry hold exactly what the
handler chose; and a call carried on after a restart reopens on the consent recorded on it.
"""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget
from sqlalchemy import select

from db.models import Consent
from spa_desk.access.login import authenticate
from spa_desk.calls.draft import CallDraft, save_draft
from spa_desk.database import Database
from spa_desk.governance.search import AuditEntry
from spa_desk.governance.search import _search as search
from spa_desk.people.consent import ConsentGiven
from spa_desk.people.records import open_person
from spa_desk.vocabulary import ConsentBasis
from tests.ui.call_desk import NOW, PASSWORD, Desk, DeskFactory
from tests.ui.desk_helpers import press, top_level
from ui.call.controller import CallController
from ui.call.person_dialogs import ConsentDialog

CALLER_KEYS = {"self": "1", "family": "2", "carer": "3", "professional": "4"}
Consents = list[tuple[str, str | None, str | None]]


def _has_keyboard(widget: QWidget) -> bool:
    """True when the keyboard focus is inside ``widget``."""
    focus = QApplication.focusWidget()
    return focus is not None and widget.isAncestorOf(focus)


def _call_from(desk: Desk, caller_type: str) -> CallController:
    """F2; a call about someone's care (1); who is calling, by its number."""
    call = desk.new_call()
    desk.keys("1", CALLER_KEYS[caller_type])
    desk.qtbot.waitUntil(lambda: call.draft.answers.get("caller_type") == caller_type)
    return call


def _dialog() -> ConsentDialog | None:
    found = top_level(ConsentDialog)()
    assert found is None or isinstance(found, ConsentDialog)
    return found


def _keyboard_in(desk: Desk, dialog: ConsentDialog) -> None:
    desk.qtbot.waitUntil(lambda: _has_keyboard(dialog), timeout=5_000)


def _ask_consent(desk: Desk, call: CallController) -> ConsentDialog:
    """F3, type the search, Down, Enter: the consent dialog, with the keyboard in it."""
    desk.keys(Qt.Key.Key_F3)
    desk.qtbot.keyClicks(call.screen.person.search_edit, "Testperson")
    desk.qtbot.waitUntil(lambda: bool(call.matches), timeout=5_000)
    desk.keys(Qt.Key.Key_Down, Qt.Key.Key_Return)
    desk.qtbot.waitUntil(lambda: _dialog() is not None, timeout=5_000)
    dialog = _dialog()
    assert dialog is not None
    _keyboard_in(desk, dialog)
    return dialog


def _consents(database: Database, person_id: uuid.UUID) -> Consents:
    with database.sessions() as session:
        rows = session.scalars(
            select(Consent).where(Consent.person_id == person_id).order_by(Consent.recorded_at)
        ).all()
        return [(row.basis, row.reason, row.purpose) for row in rows]


def _audit(database: Database, person_id: uuid.UUID) -> list[AuditEntry]:
    return search(database, person_id=person_id)


def _nothing_recorded(desk: Desk, call: CallController, person_id: uuid.UUID) -> None:
    assert _consents(desk.database, person_id) == []
    assert _audit(desk.database, person_id) == []
    assert call.person is None and call.draft.consent_basis is None
    assert "TESTPERSON" not in call.screen.person.record_label.text()


def test_nothing_is_chosen_until_the_handler_chooses(
    desk_for: DeskFactory, people: dict[str, uuid.UUID]
) -> None:
    desk = desk_for("practitioner")
    call = _call_from(desk, "family")  # a daughter rings about her mother
    dialog = _ask_consent(desk, call)
    picker = dialog.picker
    assert dialog.basis is None
    assert not any(radio.isChecked() for radio in picker.radios.values())
    # The likely basis is suggested from the caller: marked, not chosen.
    assert picker.hint.text().startswith(
        "Suggested: given by a representative (the caller is a family member)."
    )
    assert "press 1, 2 or 3" in picker.hint.text()
    marked = [b for b, radio in picker.radios.items() if "suggested" in radio.text()]
    assert marked == [ConsentBasis.GIVEN_BY_REPRESENTATIVE]
    assert picker.radios[ConsentBasis.GIVEN_BY_REPRESENTATIVE].font().bold()
    assert "(suggested)" in picker.radios[ConsentBasis.GIVEN_BY_REPRESENTATIVE].accessibleName()
    assert not picker.reason.isEnabled()  # a reason belongs to a lawful basis only

    # Enter with nothing chosen records nothing and says, in words, what to choose.
    desk.keys(Qt.Key.Key_Return)
    desk.qtbot.waitUntil(lambda: not picker.problem.isHidden(), timeout=3_000)
    assert picker.problem.text() == (
        "Choose how consent was given (press 1, 2 or 3): nothing is recorded yet."
    )
    assert dialog.isVisible()
    _nothing_recorded(desk, call, people["ada"])

    # 3, a lawful basis, takes the keyboard to the reason; without one it does not go on.
    desk.keys("3")
    assert dialog.basis is ConsentBasis.LAWFUL_BASIS and picker.problem.isHidden()
    desk.qtbot.waitUntil(lambda: QApplication.focusWidget() is picker.reason, timeout=3_000)
    desk.keys(Qt.Key.Key_Return)
    desk.qtbot.waitUntil(lambda: not picker.reason_problem.isHidden(), timeout=3_000)
    assert picker.reason_problem.text() == (
        "Say why the record is opened without consent (safeguarding, vital interests)"
    )
    assert QApplication.focusWidget() is picker.reason and dialog.isVisible()
    _nothing_recorded(desk, call, people["ada"])

    # The handler asks, and the daughter has authority: Alt+2 from the reason box.
    press(desk.qtbot, "2", modifier=Qt.KeyboardModifier.AltModifier)
    desk.qtbot.waitUntil(lambda: dialog.basis is ConsentBasis.GIVEN_BY_REPRESENTATIVE)
    assert not picker.reason.isEnabled() and picker.reason_problem.isHidden()
    desk.keys(Qt.Key.Key_Return)
    desk.qtbot.waitUntil(lambda: call.person is not None, timeout=5_000)
    assert "Ada TESTPERSON" in call.screen.person.record_label.text()
    assert call.draft.consent_basis is ConsentBasis.GIVEN_BY_REPRESENTATIVE
    assert _consents(desk.database, people["ada"]) == [
        ("given_by_representative", None, "Screening this call")
    ]
    [entry] = _audit(desk.database, people["ada"])
    assert (entry.action, entry.username) == ("person_viewed", "practitioner")
    assert entry.details == {
        "basis": "given_by_representative",
        "contact_id": str(call.draft.contact_id),
    }


@pytest.mark.parametrize(
    ("caller", "hint", "keys", "reason", "basis"),
    [
        ("self", "Suggested: given by the person (the caller is the person themself).",
         ("1",), None, "given_by_person"),
        ("carer", "Suggested: given by a representative (the caller is their carer).",
         ("Alt+2",), None, "given_by_representative"),
        ("family", "Suggested: given by a representative (the caller is a family member).",
         ("1",), None, "given_by_person"),  # the mother came to the phone: not the suggestion
        ("professional", "Ask, then choose (press 1, 2 or 3)",
         ("3",), "Police at the door, 2 officers: vital interests", "lawful_basis"),
    ],
    ids=["person", "representative", "not-the-suggestion", "lawful-basis"],
)  # fmt: skip
def test_each_basis_is_stored_and_audited_exactly_as_chosen(
    desk_for: DeskFactory,
    people: dict[str, uuid.UUID],
    caller: str,
    hint: str,
    keys: tuple[str, ...],
    reason: str | None,
    basis: str,
) -> None:
    desk = desk_for("practitioner")
    call = _call_from(desk, caller)
    dialog = _ask_consent(desk, call)
    assert dialog.basis is None and dialog.picker.hint.text().startswith(hint)
    for key in keys:
        if key.startswith("Alt+"):
            press(desk.qtbot, key[-1], modifier=Qt.KeyboardModifier.AltModifier)
        else:
            desk.keys(key)
    desk.qtbot.waitUntil(lambda: dialog.basis is ConsentBasis(basis), timeout=3_000)
    if reason is not None:
        desk.keys(Qt.Key.Key_Return)  # no reason yet: refused, nothing recorded
        desk.qtbot.waitUntil(lambda: not dialog.picker.reason_problem.isHidden())
        _nothing_recorded(desk, call, people["ada"])
        desk.qtbot.keyClicks(QApplication.focusWidget(), reason)
        assert dialog.picker.reason.text() == reason and dialog.basis is ConsentBasis(basis)
    desk.keys(Qt.Key.Key_Return)
    desk.qtbot.waitUntil(lambda: call.person is not None, timeout=5_000)
    assert call.draft.consent_basis is ConsentBasis(basis)
    assert _consents(desk.database, people["ada"]) == [(basis, reason, "Screening this call")]
    [entry] = _audit(desk.database, people["ada"])
    assert entry.action == "person_viewed"
    assert entry.details == {"basis": basis, "contact_id": str(call.draft.contact_id)}


def _unfinished_call(
    database: Database, person_id: uuid.UUID, draft_basis: ConsentBasis | None
) -> CallDraft:
    """A practitioner's call left unfinished with the person's record open on it."""
    user = authenticate(database, "practitioner", PASSWORD)
    start = NOW - timedelta(minutes=5)
    answers = {"call_kind": "data", "caller_type": "professional", "professional_role": "police"}
    draft = CallDraft(started_at=start, answered_at=start, answers=answers)
    save_draft(database, user, draft, now=start)
    draft = draft.model_copy(update={"person_id": person_id, "consent_basis": draft_basis})
    save_draft(database, user, draft, now=start)
    return draft


def _carry_on(desk_for: DeskFactory) -> Desk:
    """Log in; Enter on the offer of the unfinished call (carry on, the default)."""
    desk = desk_for("practitioner")
    desk.qtbot.waitUntil(lambda: top_level(QMessageBox)() is not None, timeout=10_000)
    offer = top_level(QMessageBox)()
    assert isinstance(offer, QMessageBox) and "was not saved" in offer.text()
    desk.qtbot.keyClick(offer, Qt.Key.Key_Return)
    desk.qtbot.waitUntil(lambda: desk.session.call is not None, timeout=10_000)
    return desk


@pytest.mark.parametrize(
    "draft_basis", [ConsentBasis.LAWFUL_BASIS, None], ids=["basis-in-draft", "basis-lost"]
)
def test_a_call_carried_on_reopens_on_the_consent_recorded_on_it(
    desk_for: DeskFactory,
    database: Database,
    people: dict[str, uuid.UUID],
    draft_basis: ConsentBasis | None,
) -> None:
    ada = people["ada"]
    draft = _unfinished_call(database, ada, draft_basis)
    user = authenticate(database, "practitioner", PASSWORD)
    police = ConsentGiven(
        basis=ConsentBasis.LAWFUL_BASIS, purpose="Screening this call", reason="Police: vital"
    )
    open_person(database, user, ada, police, contact_id=draft.contact_id, now=NOW)
    desk = _carry_on(desk_for)
    call = desk.call
    desk.qtbot.waitUntil(lambda: call.person is not None, timeout=10_000)
    assert _dialog() is None  # consent was recorded on this call: nothing to ask again
    assert call.draft.consent_basis is ConsentBasis.LAWFUL_BASIS
    again = "Carrying on the same call after the desk restarted"
    assert _consents(desk.database, ada) == [
        ("lawful_basis", "Police: vital", "Screening this call"),
        ("lawful_basis", "Police: vital", again),
    ]
    latest = _audit(desk.database, ada)[0]
    assert latest.action == "person_viewed"
    assert latest.details == {"basis": "lawful_basis", "contact_id": str(draft.contact_id)}


def test_a_call_carried_on_with_no_consent_recorded_asks_for_it(
    desk_for: DeskFactory, database: Database, people: dict[str, uuid.UUID]
) -> None:
    ada = people["ada"]
    draft = _unfinished_call(database, ada, ConsentBasis.GIVEN_BY_PERSON)
    desk = _carry_on(desk_for)
    call = desk.call
    desk.qtbot.waitUntil(lambda: _dialog() is not None, timeout=10_000)
    dialog = _dialog()
    assert dialog is not None and dialog.basis is None
    assert _consents(desk.database, ada) == [] and call.person is None
    _keyboard_in(desk, dialog)
    desk.keys("2", Qt.Key.Key_Return)
    desk.qtbot.waitUntil(lambda: call.person is not None, timeout=10_000)
    assert call.draft.consent_basis is ConsentBasis.GIVEN_BY_REPRESENTATIVE
    assert [basis for basis, _, _ in _consents(desk.database, ada)] == ["given_by_representative"]
    [entry] = _audit(desk.database, ada)
    assert entry.details == {
        "basis": "given_by_representative",
        "contact_id": str(draft.contact_id),
    }
