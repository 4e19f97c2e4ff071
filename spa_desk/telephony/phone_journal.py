"""The phone's journal (SPEC 8 and 12): nothing the phone said is lost when the database goes
away.

Each ring, answer and end the desk hears (and the contact saved for the call) is written to the
desk's own disk (``phone-journal/*.json`` in its data folder, as :mod:`spa_desk.durable` writes)
before it goes to the database, and removed once the database has it. A step the database could
not take (out of reach) is still on disk if the desk is closed, or the computer stops, before the
database is back; the next desk started on this computer writes it, in the order the phone said
it (:func:`replay_phone_journal`). So a caller who rang off unanswered during an outage still
reaches every desk's missed list for a call-back.

The files hold what the call log holds (the caller's number among it), for this user only, as
the call journal's drafts do.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import time
import uuid
from datetime import datetime
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, ValidationError

from spa_desk.database import Database
from spa_desk.durable import remove_durably, write_durably
from spa_desk.errors import DatabaseFailure, KnownError
from spa_desk.telephony.call_log import answered, ended, keep_ring, link_contact
from spa_desk.telephony.events import CallAnswered, CallEnded, IncomingCall, TelephonyEvent
from spa_desk.vocabulary import Line

PHONE_JOURNAL_FOLDER = "phone-journal"
"""The phone journal's folder in the desk's data directory."""


class PhoneStep(BaseModel):
    """One thing the phone said about a call, as the call log keeps it."""

    model_config = ConfigDict(frozen=True)

    kind: Literal["rang", "answered", "ended", "linked"]
    call_ref: str
    at: datetime
    caller_number: str | None = None
    line: Line = Line.GENERAL
    recording: str | None = None
    """The recording's file name, for an answered call that ended (see recordings)."""
    desk_user_id: uuid.UUID | None = None
    """Who was logged in at the desk it rang on (rings only)."""
    contact_id: uuid.UUID | None = None
    """The contact saved for the call (``linked`` only)."""

    @classmethod
    def of(
        cls, event: TelephonyEvent, desk_user_id: uuid.UUID | None, recording: str | None = None
    ) -> PhoneStep | None:
        """The step for ``event``; None for what the call log does not keep (hold, resume)."""
        if isinstance(event, IncomingCall):
            return cls(kind="rang", call_ref=event.call_ref, at=event.at,
                       caller_number=event.caller_number, line=event.line,
                       desk_user_id=desk_user_id)  # fmt: skip
        if isinstance(event, CallAnswered):
            return cls(kind="answered", call_ref=event.call_ref, at=event.at)
        if isinstance(event, CallEnded):
            return cls(kind="ended", call_ref=event.call_ref, at=event.at, recording=recording)
        return None


def write_step(database: Database, step: PhoneStep) -> None:
    """Write ``step`` to the call log. Writing one twice changes nothing (a ring is kept once;
    an answer, an end or a contact is only written to a call that has none yet)."""
    if step.kind == "rang":
        ring = IncomingCall(
            call_ref=step.call_ref, at=step.at, caller_number=step.caller_number, line=step.line
        )
        keep_ring(database, ring, step.desk_user_id)
    elif step.kind == "answered":
        answered(database, step.call_ref, step.at)
    elif step.kind == "ended":
        ended(database, step.call_ref, step.at, step.recording)
    else:
        assert step.contact_id is not None
        link_contact(database, step.call_ref, step.contact_id)


_order = itertools.count()


class PhoneJournal:
    """The phone's steps this desk keeps on its own disk until the database takes them."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def next_file(self) -> Path:
        """The file for the next step heard: its name keeps the order the steps were heard in,
        so it is asked for as the step is heard, and written (:meth:`write`) after."""
        return self.folder / f"{time.time_ns():020d}-{os.getpid()}-{next(_order):06d}.json"

    def write(self, target: Path, step: PhoneStep) -> Path:
        """Write ``step`` to ``target`` (from :meth:`next_file`), durably; ``target``. OSError
        if the disk cannot take it."""
        write_durably(target, step.model_dump_json())
        return target

    def keep(self, step: PhoneStep) -> Path:
        """Write ``step`` to the journal, durably, named in the order heard; its file. OSError
        if the disk cannot take it."""
        return self.write(self.next_file(), step)

    def forget(self, kept: Path) -> None:
        """The database has the step kept in ``kept``: remove it."""
        remove_durably(kept)

    def set_aside(self, kept: Path) -> None:
        """The database refused the step kept in ``kept`` (not for want of a connection): keep
        the file as ``*.refused`` for an administrator, out of the replay's way."""
        with contextlib.suppress(FileNotFoundError):  # another desk here has just done so
            kept.replace(kept.with_suffix(".refused"))

    def waiting(self) -> list[tuple[Path, PhoneStep]]:
        """The steps still on disk, oldest first (a damaged file is left where it is)."""
        if not self.folder.is_dir():
            return []
        found: list[tuple[Path, PhoneStep]] = []
        for path in sorted(self.folder.glob("*.json")):
            try:
                found.append((path, PhoneStep.model_validate_json(path.read_bytes())))
            except (OSError, ValidationError):
                continue
        return found


def replay_phone_journal(database: Database, journal: PhoneJournal) -> int:
    """Write the steps left in ``journal`` to the call log, oldest first, each removed once
    written; how many were written. DatabaseFailure (out of reach) stops it with the rest kept;
    a step the database refuses otherwise is set aside and the rest go on."""
    written = 0
    for path, step in journal.waiting():
        try:
            write_step(database, step)
        except DatabaseFailure:
            raise
        except KnownError:
            journal.set_aside(path)
            continue
        journal.forget(path)
        written += 1
    return written
