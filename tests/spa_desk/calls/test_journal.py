"""The desk's own journal (SPEC 8): drafts and saves kept on disk while the database is away,
written once when it is back."""

from __future__ import annotations

import stat
import uuid
from datetime import timedelta
from pathlib import Path

from spa_desk.calls.draft import CallDraft, unfinished_calls
from spa_desk.calls.journal import DraftJournal, replay_journal
from spa_desk.database import Database
from spa_desk.vocabulary import ContactStatus, ResolutionMethod, Role
from tests.spa_desk.calls.helpers import (
    NOW,
    RULES,
    START,
    answered,
    contact_row,
    new_draft,
    signed_in,
)

SILENT = {"call_kind": "silent"}


def test_an_entry_is_kept_durably_and_privately(tmp_path: Path, database: Database) -> None:
    handler = signed_in(database, "handler", Role.CALL_HANDLER)
    journal = DraftJournal(tmp_path / "journal")
    draft = new_draft(notes="Daughter rang about her mother.")
    journal.keep(handler, draft, now=START)
    (entry,) = journal.entries(handler.id)
    assert entry.draft == draft and entry.user_id == handler.id and entry.save_at is None
    files = list((tmp_path / "journal").iterdir())
    assert [f.name for f in files] == [f"{draft.contact_id}.json"]  # no half-written copy left
    assert stat.S_IMODE(files[0].stat().st_mode) == 0o600
    assert journal.entries(uuid.UUID(int=1)) == []  # another handler's: none
    journal.keep(handler, draft, save_at=NOW)
    journal.keep(handler, draft.model_copy(update={"notes": "more"}))  # typing on after the save
    assert journal.entries()[0].save_at == NOW  # the waiting save is not forgotten
    journal.forget(draft.contact_id)
    assert journal.entries() == []


def test_a_damaged_entry_is_left_alone_not_fatal(tmp_path: Path) -> None:
    journal = DraftJournal(tmp_path)
    (tmp_path / "broken.json").write_bytes(b"\x00not json")
    assert journal.entries() == []


def test_a_kept_draft_reaches_the_database(tmp_path: Path, database: Database) -> None:
    handler = signed_in(database, "handler", Role.CALL_HANDLER)
    journal = DraftJournal(tmp_path)
    draft = new_draft(notes="Kept while the database was away.")
    journal.keep(handler, draft, now=START)
    outcome = replay_journal(database, handler, journal, RULES)
    assert (outcome.drafts, outcome.saved, outcome.refused) == (1, (), ())
    assert unfinished_calls(database, handler) == [draft]
    assert journal.entries() == []


def test_a_save_made_while_the_database_was_down_goes_through_once(
    tmp_path: Path, database: Database
) -> None:
    handler = signed_in(database, "handler", Role.CALL_HANDLER)
    journal = DraftJournal(tmp_path)
    draft = new_draft(answers=SILENT)
    journal.keep(handler, draft, save_at=NOW)
    outcome = replay_journal(database, handler, journal, RULES)
    assert len(outcome.saved) == 1 and outcome.refused == ()
    stored = contact_row(database, draft.contact_id)
    assert stored.status == ContactStatus.COMPLETE.value and stored.outcome == "non_data"
    assert stored.wrap_up_ended_at is not None
    assert stored.wrap_up_ended_at.replace(tzinfo=NOW.tzinfo) == NOW  # when the handler saved
    journal.keep(handler, draft, save_at=NOW + timedelta(minutes=5))  # the same save, again
    again = replay_journal(database, handler, journal, RULES)
    assert again.saved == () and journal.entries() == []  # saved once, not twice


def test_a_save_the_rules_refuse_comes_back_as_an_unfinished_call(
    tmp_path: Path, database: Database
) -> None:
    handler = signed_in(database, "practitioner", Role.PRACTITIONER)
    journal = DraftJournal(tmp_path)
    isolated: CallDraft = answered(new_draft(), isolation=True)  # no outcome chosen yet
    journal.keep(handler, isolated, save_at=NOW)
    outcome = replay_journal(database, handler, journal, RULES)
    (problem,) = outcome.refused
    assert problem[0] == isolated and "Outcome" in problem[1]
    assert unfinished_calls(database, handler) == [isolated]
    resolved = isolated.model_copy(
        update={"resolve": True, "resolution_method": ResolutionMethod.INFORMATION_ADVICE}
    )
    journal.keep(handler, resolved, save_at=NOW)
    assert len(replay_journal(database, handler, journal, RULES).saved) == 1
