"""The database goes away mid-call and nothing is lost (SPEC 8): the real PostgreSQL server is
stopped in the middle of a call, the handler types on, told in words in the call bar, the draft
is kept in the desk's journal on disk; the server comes back and the save goes through, once."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt

from spa_desk.calls.journal import JOURNAL_FOLDER
from spa_desk.database import Database
from spa_desk.vocabulary import ContactStatus
from tests.postgres_server import PostgresServer, postgres_server  # noqa: F401
from tests.ui.call_desk import LEVEL1_SELF, DeskFactory, referrals
from tests.ui.desk_helpers import press


def _journal(tmp_path: Path) -> list[dict[str, Any]]:
    folder = tmp_path / JOURNAL_FOLDER
    if not folder.is_dir():
        return []
    return [json.loads(path.read_text("utf-8")) for path in sorted(folder.glob("*.json"))]


def test_the_database_stops_mid_call_and_the_call_is_saved_when_it_is_back(
    desk_for: DeskFactory,
    postgres_server: PostgresServer,  # noqa: F811
    database: Database,
    tmp_path: Path,
) -> None:
    desk = desk_for("practitioner")
    call = desk.new_call()
    desk.screen({**LEVEL1_SELF, "abuse_or_neglect": "Y"}, until="in_danger_now")
    desk.find_and_open("Testperson")
    desk.qtbot.waitUntil(lambda: not call.keeper.is_offline, timeout=5_000)
    bar = call.screen.bar

    postgres_server.stop()
    desk.qtbot.keyClicks(call.screen.outcome.notes, "Neighbour heard shouting at night.")
    desk.qtbot.waitUntil(bar.database_label.isVisible, timeout=15_000)
    assert "database cannot be reached" in bar.database_label.text()
    assert "kept on this desk" in bar.database_label.text()
    desk.qtbot.waitUntil(lambda: bool(_journal(tmp_path)), timeout=5_000)
    (kept,) = _journal(tmp_path)
    assert kept["draft"]["notes"] == "Neighbour heard shouting at night."
    desk.screen({"personal_care_need": "Y"})  # the call goes on: screening to the end
    desk.qtbot.waitUntil(
        lambda: _journal(tmp_path)[0]["draft"]["answers"].get("personal_care_need") is True,
        timeout=10_000,
    )

    postgres_server.start()
    desk.qtbot.waitUntil(lambda: not bar.database_label.isVisible(), timeout=20_000)
    assert _journal(tmp_path) == []  # the database has the draft again: the journal is empty
    press(desk.qtbot, "S", modifier=Qt.KeyboardModifier.ControlModifier)
    desk.wait_saved()

    (contact,) = desk.stored()
    draft = call.draft
    assert contact.id == draft.contact_id
    assert contact.status == ContactStatus.COMPLETE.value
    assert contact.notes == "Neighbour heard shouting at night."
    assert contact.person_id == draft.person_id and contact.person_id is not None
    assert contact.consent_basis == "given_by_person"
    assert contact.facts["abuse_or_neglect"] is True
    assert contact.facts["personal_care_need"] is True
    assert contact.level1 == "stream" and contact.stream == "social_care"
    assert contact.outcome == "referred" and contact.resolved_at_first_contact is False
    assert ("safeguarding", "soon") in referrals(database, contact.id)
    assert ("adult_social_care", "soon") in referrals(database, contact.id)
    assert contact.answered_at is not None and contact.ended_at is not None
    assert contact.draft is None


def test_a_save_made_while_the_database_is_down_goes_through_once_when_it_is_back(
    desk_for: DeskFactory,
    postgres_server: PostgresServer,  # noqa: F811
    database: Database,
    tmp_path: Path,
) -> None:
    desk = desk_for("practitioner")
    call = desk.new_call()
    desk.screen({**LEVEL1_SELF, "abuse_or_neglect": "Y"}, until="in_danger_now")
    desk.find_and_open("Testperson")
    desk.screen({"personal_care_need": "Y"})
    desk.qtbot.keyClicks(call.screen.outcome.notes, "Carer rang back later.")
    desk.qtbot.waitUntil(lambda: call.draft.notes == "Carer rang back later.", timeout=5_000)

    postgres_server.stop()
    press(desk.qtbot, "S", modifier=Qt.KeyboardModifier.ControlModifier)
    desk.wait_saved()  # the desk is free for the next call
    status = desk.window.refresh_label.text()
    assert "database is out of reach" in status and "kept on this desk" in status
    (kept,) = _journal(tmp_path)
    assert kept["save_at"] is not None and kept["draft"]["notes"] == "Carer rang back later."

    postgres_server.start()
    desk.qtbot.waitUntil(lambda: _journal(tmp_path) == [], timeout=30_000)
    desk.qtbot.waitUntil(lambda: "saved now" in desk.window.refresh_label.text(), timeout=5_000)
    (contact,) = desk.stored()  # once, not twice
    assert contact.id == call.draft.contact_id
    assert contact.notes == "Carer rang back later."
    assert contact.outcome == "referred" and contact.stream == "social_care"
    assert ("safeguarding", "soon") in referrals(database, contact.id)
    assert contact.person_id == call.draft.person_id
    desk.qtbot.waitUntil(lambda: desk.window.shift_page.model.rowCount() == 1, timeout=10_000)
