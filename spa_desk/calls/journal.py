"""Nothing lost when the database goes away (SPEC 8): the desk's own journal of calls.

While the database cannot be reached, a call's draft is written to a file of its own in the
desk's data folder (``journal/CONTACT_ID.json``, readable by the desk's user only, fsync'd and
renamed into place so a power cut leaves the old copy or the new, never half of one). The file
holds the draft and nothing more: who the handler was and, when the handler saved while the
database was down, the moment they did. When the database is back, :func:`replay_journal` writes
each entry (the draft, or the save, once) and removes its file.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from pathlib import Path

from pydantic import BaseModel, ConfigDict, ValidationError

from spa_desk.calls.draft import CallDraft, save_draft, stored_status
from spa_desk.calls.save import SavedCall, save_call
from spa_desk.database import Database
from spa_desk.domain import CurrentUser
from spa_desk.durable import remove_durably, write_durably
from spa_desk.errors import DatabaseFailure, KnownError
from spa_desk.vocabulary import ContactStatus
from triage_rules import RuleSet

JOURNAL_FOLDER = "journal"
"""The journal's folder in the desk's data directory."""


class JournalEntry(BaseModel):
    """One call kept on the desk: its draft, its handler, and a save waiting for the database."""

    model_config = ConfigDict(frozen=True)

    draft: CallDraft
    user_id: uuid.UUID
    kept_at: datetime
    save_at: datetime | None = None
    """When the handler saved the call while the database was down (the end of wrap-up)."""


class DraftJournal:
    """The calls this desk keeps on its own disk until the database takes them."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def _path(self, contact_id: uuid.UUID) -> Path:
        return self.folder / f"{contact_id}.json"

    def keep(
        self,
        user: CurrentUser,
        draft: CallDraft,
        *,
        save_at: datetime | None = None,
        now: datetime | None = None,
    ) -> None:
        """Write ``draft`` (and a waiting save) to the journal, durably; OSError if the disk
        cannot take it. A save already waiting for this call is kept waiting."""
        earlier = self.entry(draft.contact_id)
        if save_at is None and earlier is not None:
            save_at = earlier.save_at
        entry = JournalEntry(
            draft=draft, user_id=user.id, kept_at=now or datetime.now(UTC), save_at=save_at
        )
        write_durably(self._path(draft.contact_id), entry.model_dump_json())

    def entry(self, contact_id: uuid.UUID) -> JournalEntry | None:
        """The journal's entry for a call, if it has one (a damaged file counts as none)."""
        return _read(self._path(contact_id))

    def entries(self, user_id: uuid.UUID | None = None) -> list[JournalEntry]:
        """Every entry (of one handler, when given), oldest call first."""
        if not self.folder.is_dir():
            return []
        found = [_read(path) for path in sorted(self.folder.glob("*.json"))]
        kept = [e for e in found if e is not None and (user_id is None or e.user_id == user_id)]
        return sorted(kept, key=lambda entry: entry.draft.started_at)

    def forget(self, contact_id: uuid.UUID) -> None:
        """The database has the call now: remove its entry."""
        remove_durably(self._path(contact_id))


def _read(path: Path) -> JournalEntry | None:
    try:
        return JournalEntry.model_validate_json(path.read_bytes())
    except (OSError, ValidationError):
        return None


class Replayed(BaseModel):
    """What :func:`replay_journal` did: calls saved, drafts written, and saves refused in words
    (their drafts are in the database now, offered back as unfinished calls)."""

    model_config = ConfigDict(frozen=True)

    saved: tuple[SavedCall, ...] = ()
    drafts: int = 0
    refused: tuple[tuple[CallDraft, str], ...] = ()


def replay_journal(
    database: Database,
    actor: CurrentUser,
    journal: DraftJournal,
    ruleset: RuleSet,
    *,
    skip: uuid.UUID | None = None,
) -> Replayed:
    """Write the actor's journal entries to the database, oldest first, each exactly once.

    A waiting save runs as it would have then (its wrap-up ends when the handler saved). A call
    the database already holds complete (the connection dropped after the commit) is only
    removed from the journal. ``skip`` leaves one call alone (the one still on screen, whose
    own draft keeper writes it). The database's errors come out as they are (the desk runs this
    through ``spa_desk.database.run_job``); what was written before one stays written.
    """
    saved: list[SavedCall] = []
    refused: list[tuple[CallDraft, str]] = []
    drafts = 0
    for entry in journal.entries(actor.id):
        draft = entry.draft
        if draft.contact_id == skip:
            continue
        if stored_status(database, draft.contact_id) is ContactStatus.COMPLETE:
            journal.forget(draft.contact_id)
            continue
        if entry.save_at is None:
            save_draft(database, actor, draft, now=entry.kept_at)
            drafts += 1
        else:
            try:
                saved.append(save_call(database, actor, draft, ruleset, now=entry.save_at))
            except DatabaseFailure:
                raise  # still out of reach: the entry stays
            except KnownError as problem:
                save_draft(database, actor, draft, now=entry.kept_at)
                refused.append((draft, str(problem)))
        journal.forget(draft.contact_id)
    return Replayed(saved=tuple(saved), drafts=drafts, refused=tuple(refused))
