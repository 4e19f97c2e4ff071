"""Saving is seen, and a saved contact can be read: after Ctrl+S the status bar says what was
saved and when (and the list's refreshes leave it there); the shift list marks an override; Enter
on a contact opens it read-only, the person named only after consent is recorded."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel
from sqlalchemy import select

from db.models import Consent
from spa_desk.database import Database
from spa_desk.vocabulary import ConsentBasis
from tests.ui.call_desk import LEVEL1_SELF, Desk, DeskFactory, saved_one
from tests.ui.desk_helpers import press, top_level
from ui.call.person_dialogs import ConsentDialog
from ui.contact.consent import PURPOSE
from ui.contact.controller import NEEDS_CONSENT, NOT_ABOUT_A_PERSON, ContactViewController
from ui.shell.main_window import MainWindow


def _status(window: MainWindow) -> str:
    """Everything the status bar says."""
    return " | ".join(label.text() for label in window.statusBar().findChildren(QLabel))


def _reading(desk: Desk) -> ContactViewController:
    """Wait for Enter's contact to be open to read; its view's controller."""
    desk.qtbot.waitUntil(lambda: desk.session.contact is not None, timeout=5_000)
    viewer = desk.session.contact
    assert viewer is not None
    desk.qtbot.waitUntil(lambda: desk.window.pages.currentWidget() is viewer.view)
    desk.qtbot.waitUntil(lambda: viewer.detail is not None, timeout=10_000)
    return viewer


def test_a_save_says_what_was_saved_and_when_and_enter_reads_it(desk_for: DeskFactory) -> None:
    desk = desk_for("handler")
    desk.new_call()
    desk.keys("3")  # a wrong number
    desk.clock.advance(4 * 60)
    desk.save()
    desk.wait_saved()
    window, page = desk.window, desk.window.shift_page
    desk.qtbot.waitUntil(lambda: page.model.rowCount() == 1, timeout=10_000)
    desk.qtbot.waitUntil(lambda: window.refresh_label.text().startswith("Updated"))
    saved = "Saved at 14:04: the call of 14:00 · Non-data (wrong number) · Non-data call"
    assert saved in _status(window)
    # The list refreshes again (F5 here, every 30 s by itself): the save is still said.
    desk.clock.advance(30)
    press(desk.qtbot, Qt.Key.Key_F5)
    desk.qtbot.waitUntil(lambda: window.refresh_label.text() == "Updated at 14:04:30")
    assert saved in _status(window)

    # The cursor is on the contact just saved: Enter opens it to read.
    desk.qtbot.waitUntil(lambda: QApplication.focusWidget() is page.table, timeout=5_000)
    press(desk.qtbot, Qt.Key.Key_Return)
    viewer = _reading(desk)
    view = viewer.view
    assert view.title.text() == "Contact of 14:00, Tue 17 Nov 2026 (read only)"
    text = view.contact_text.toPlainText()
    assert "Non-data call: no person record (wrong number)" in text
    assert "Outcome\nNon-data call" in text and "Handler\nSam Okafor" in text
    assert view.person_note.text() == NOT_ABOUT_A_PERSON and not view.person_button.isVisible()
    press(desk.qtbot, Qt.Key.Key_Escape)
    desk.qtbot.waitUntil(lambda: window.pages.currentWidget() is page, timeout=5_000)
    assert desk.session.contact is None
    assert page.table.currentIndex().row() == 0


def test_a_saved_override_shows_in_the_list_and_reads_with_its_reason(
    desk_for: DeskFactory, database: Database
) -> None:
    desk = desk_for("practitioner")
    call = desk.new_call()
    desk.screen({**LEVEL1_SELF, "mobility_decline": "Y"})
    desk.find_and_open("Testperson")
    outcome = call.screen.outcome
    desk.qtbot.keyClick(call.screen, "O", Qt.KeyboardModifier.AltModifier)
    desk.qtbot.waitUntil(lambda: call.draft.override)
    vcs = next(r for r in outcome.override_rows if r.route.value == "vcs")
    vcs.check.setFocus()
    desk.keys(Qt.Key.Key_Space)
    vcs.urgency.setFocus()
    desk.qtbot.keyClicks(vcs.urgency, "routine")
    desk.qtbot.keyClicks(outcome.override_reason, "Lives alone; befriending agreed with her")
    contact = saved_one(desk)
    assert contact.overridden

    page = desk.window.shift_page
    desk.qtbot.waitUntil(lambda: page.model.rowCount() == 1, timeout=10_000)
    assert page.model.data(page.model.index(0, 3)) == (
        "Community therapy (soon), Voluntary and community sector (routine) · Override"
    )
    assert "· Override" in _status(desk.window)  # what was saved, said in the same words

    desk.qtbot.waitUntil(lambda: QApplication.focusWidget() is page.table, timeout=5_000)
    press(desk.qtbot, Qt.Key.Key_Return)
    view = _reading(desk).view
    text = view.contact_text.toPlainText()
    for line in (
        "Level 1\nA stream for level-2 screening",
        "Stream\nHealth",
        "Recommended\nCommunity therapy (soon)",
        "Routes (Override)\nCommunity therapy (soon), Voluntary and community sector (routine)",
        "Why overridden\nLives alone; befriending agreed with her",
        "Outcome\nReferred",
        "Referred to\nCommunity therapy (soon)",
        "Referred to\nVoluntary and community sector (routine)",
        "Consent on the call\ngiven by the person",
        "The rules used",
    ):
        assert line in text, line
    # The person is not named until consent is recorded, here too.
    assert "Ada" not in text and "TESTPERSON" not in text.upper()
    assert view.person_note.text() == NEEDS_CONSENT and not view.person_text.isVisible()
    with database.sessions() as session:
        before = len(session.scalars(select(Consent)).all())
    press(desk.qtbot, "O", modifier=Qt.KeyboardModifier.ControlModifier)
    desk.qtbot.waitUntil(lambda: top_level(ConsentDialog)() is not None, timeout=5_000)
    dialog = top_level(ConsentDialog)()
    assert isinstance(dialog, ConsentDialog)
    assert "the person this contact is about" in " ".join(
        label.text() for label in dialog.findChildren(QLabel)
    )
    desk.qtbot.keyClick(dialog, "1", Qt.KeyboardModifier.AltModifier)
    desk.qtbot.waitUntil(lambda: dialog.basis is ConsentBasis.GIVEN_BY_PERSON, timeout=3_000)
    desk.qtbot.keyClick(dialog, Qt.Key.Key_Return)
    desk.qtbot.waitUntil(view.person_text.isVisible, timeout=10_000)
    assert "Ada TESTPERSON" in view.person_text.toPlainText()
    with database.sessions() as session:
        purposes = [c.purpose for c in session.scalars(select(Consent)).all()]
    assert len(purposes) == before + 1 and purposes.count(PURPOSE) == 1

    press(desk.qtbot, Qt.Key.Key_Escape)
    desk.qtbot.waitUntil(lambda: desk.window.pages.currentWidget() is page, timeout=5_000)
