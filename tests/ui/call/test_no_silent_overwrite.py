"""No silent overwrites (issue 12 item 6) on two real desk windows: both open Ada's record on
their calls; the first changes her phone and town and saves; the second, who typed a new
address, is refused with what changed and by whom, keeps what they typed, sees the record's new
values beside the fields, and saves the merge with one more Save."""

from __future__ import annotations

from functools import partial

from PySide6.QtCore import Qt

from db.models import Person
from tests.ui.call_desk import Desk, DeskFactory
from tests.ui.desk_helpers import press, top_level
from tests.ui.queue.test_handoff_desks import _front, _settled
from ui.call.person_edit import EditPersonDialog


def _edit(desk: Desk, changes: dict[str, str]) -> EditPersonDialog:
    """Ctrl+E on the call with the record open; type ``changes`` into their fields; Save."""
    _front(desk)
    press(desk.qtbot, "E", modifier=Qt.KeyboardModifier.ControlModifier)
    desk.qtbot.waitUntil(lambda: top_level(EditPersonDialog)() is not None, timeout=5_000)
    dialog = top_level(EditPersonDialog)()
    assert isinstance(dialog, EditPersonDialog)
    for field, text in changes.items():
        edit = dialog.edits[field]
        edit.setFocus()
        edit.selectAll()
        desk.qtbot.keyClicks(edit, text)
    desk.qtbot.keyClick(dialog.save_button, Qt.Key.Key_Space)
    return dialog


def _closed(dialog: EditPersonDialog) -> bool:
    return not dialog.isVisible()


def test_a_second_desk_is_refused_with_what_changed_and_by_whom_and_merges(
    desk_for: DeskFactory,
) -> None:
    first = desk_for("handler")
    first.qtbot.waitUntil(partial(_settled, first), timeout=10_000)
    second = desk_for("practitioner")
    second.qtbot.waitUntil(partial(_settled, second), timeout=10_000)
    for desk in (first, second):
        _front(desk)
        desk.new_call()
        desk.find_and_open("Testperson")

    saved = _edit(first, {"phone_primary": "01632 960111", "town": "Saltmarsh"})
    first.qtbot.waitUntil(partial(_closed, saved), timeout=5_000)

    refused = _edit(second, {"address_line1": "3 Heron Row"})
    second.qtbot.waitUntil(lambda: bool(refused.problem.text()), timeout=5_000)
    words = refused.problem.text()
    assert words.startswith("Sam Okafor changed this record at 14:00, after you opened it")
    assert "(Town, Phone). Nothing was saved, and what you typed is kept" in words
    assert refused.isVisible() and refused.edits["address_line1"].text() == "3 Heron Row"
    assert refused.theirs["town"].text() == "Now on the record: Saltmarsh (Sam Okafor)"
    assert refused.theirs["phone_primary"].text().startswith("Now on the record: 01632960111")
    assert not refused.theirs["address_line1"].isVisible()
    with second.database.sessions() as session:
        ada = session.query(Person).one()
        assert (ada.address_line1, ada.town) != ("3 Heron Row", None)
        assert ada.town == "Saltmarsh"

    second.qtbot.keyClick(refused.save_button, Qt.Key.Key_Space)  # saved over what is there now
    second.qtbot.waitUntil(partial(_closed, refused), timeout=5_000)
    with second.database.sessions() as session:
        ada = session.query(Person).one()
        assert (ada.address_line1, ada.town, ada.phone_primary) == (
            "3 Heron Row", "Saltmarsh", "01632960111",
        )  # fmt: skip
    second.qtbot.waitUntil(
        lambda: "3 Heron Row" in second.call.screen.person.record_label.text(), timeout=5_000
    )
