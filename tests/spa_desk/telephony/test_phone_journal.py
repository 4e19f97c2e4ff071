"""The phone's journal (SPEC 8 and 12): what the phone said is kept on the desk's disk, in the
order said, until the database has it; written again it changes nothing; a damaged file is left
alone; the journal's files are the desk user's only."""

from __future__ import annotations

import stat
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from db.models import PhoneCall
from spa_desk.database import Database
from spa_desk.errors import DatabaseFailure, KnownError
from spa_desk.telephony import phone_journal
from spa_desk.telephony.events import CallAnswered, CallEnded, CallHeld, IncomingCall
from spa_desk.telephony.phone_journal import (
    PhoneJournal,
    PhoneStep,
    replay_phone_journal,
    write_step,
)
from spa_desk.vocabulary import Line
from tests.factories import add_contact, add_user

RING = datetime(2026, 11, 17, 14, 0, tzinfo=UTC)


def _steps(desk_user: uuid.UUID | None) -> list[PhoneStep]:
    events = [
        IncomingCall(call_ref="p1", at=RING, caller_number="07700900123", line=Line.HEALTH),
        CallAnswered(call_ref="p1", at=RING + timedelta(seconds=8)),
        CallHeld(call_ref="p1", at=RING + timedelta(seconds=20)),
        CallEnded(call_ref="p1", at=RING + timedelta(seconds=95)),
    ]
    steps = [PhoneStep.of(event, desk_user, recording="p1.wav") for event in events]
    return [step for step in steps if step is not None]


def _rows(database: Database) -> list[PhoneCall]:
    with database.sessions() as session:
        return list(session.scalars(select(PhoneCall)).all())


def test_steps_left_on_disk_are_written_in_order_once(database: Database, tmp_path: Path) -> None:
    handler = add_user(database, "handler", "pw-long-enough-1", roles=("call_handler",))
    journal = PhoneJournal(tmp_path / "phone-journal")
    steps = _steps(handler)
    assert [step.kind for step in steps] == ["rang", "answered", "ended"]  # no hold kept
    kept = [journal.keep(step) for step in steps]
    assert [path for path, _step in journal.waiting()] == kept  # in the order heard
    mode = stat.S_IMODE(kept[0].stat().st_mode)
    assert mode == 0o600 and stat.S_IMODE(kept[0].parent.stat().st_mode) == 0o700

    assert replay_phone_journal(database, journal) == 3
    assert journal.waiting() == []
    [row] = _rows(database)
    assert (row.call_ref, row.caller_number, row.line) == ("p1", "07700900123", "health")
    assert row.desk_user_id == handler and row.recording == "p1.wav"
    assert row.answered_at is not None and row.ended_at is not None
    assert (row.ended_at.replace(tzinfo=UTC) - RING).total_seconds() == 95

    # The database took them but the files stayed (the desk stopped before it could tidy):
    # written again, nothing changes.
    for step in steps:
        journal.keep(step)
    assert replay_phone_journal(database, journal) == 3
    [again] = _rows(database)
    assert again.id == row.id and again.ended_at == row.ended_at


def test_an_outage_keeps_the_rest_in_order(
    database: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    journal = PhoneJournal(tmp_path / "phone-journal")
    for step in _steps(None):
        journal.keep(step)
    real = phone_journal.write_step
    written: list[str] = []

    def out_after_the_ring(database: Database, step: PhoneStep) -> None:
        if written:
            raise DatabaseFailure("Cannot connect to the database server.")
        real(database, step)
        written.append(step.kind)

    monkeypatch.setattr(phone_journal, "write_step", out_after_the_ring)
    with pytest.raises(DatabaseFailure):
        replay_phone_journal(database, journal)
    assert [step.kind for _path, step in journal.waiting()] == ["answered", "ended"]
    monkeypatch.setattr(phone_journal, "write_step", real)
    assert replay_phone_journal(database, journal) == 2
    [row] = _rows(database)
    assert row.answered_at is not None and row.ended_at is not None


def test_a_damaged_file_is_left_alone(database: Database, tmp_path: Path) -> None:
    journal = PhoneJournal(tmp_path / "phone-journal")
    [ring, *_rest] = _steps(None)
    journal.keep(ring)
    damaged = journal.folder / "00000000000000000000-000000.json"
    damaged.write_text('{"kind": "rang", "call_ref": ', encoding="utf-8")
    assert replay_phone_journal(database, journal) == 1
    assert damaged.exists() and journal.waiting() == []
    assert len(_rows(database)) == 1


def test_a_contact_saved_for_the_call_is_linked_once(database: Database, tmp_path: Path) -> None:
    [ring, *_rest] = _steps(None)
    write_step(database, ring)
    handler = add_user(database, "handler", "pw-long-enough-1", roles=("call_handler",))
    contact, other = (add_contact(database, handler, RING + timedelta(minutes=m)) for m in (0, 9))
    link = PhoneStep(kind="linked", call_ref="p1", at=RING, contact_id=contact)
    write_step(database, link)
    write_step(database, link.model_copy(update={"contact_id": other}))  # not twice
    [row] = _rows(database)
    assert row.contact_id == contact


def test_a_step_the_database_refuses_is_set_aside_and_the_rest_go_on(
    database: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    journal = PhoneJournal(tmp_path / "phone-journal")
    kept = [journal.keep(step) for step in _steps(None)]
    real = phone_journal.write_step

    def refuse_the_answer(database: Database, step: PhoneStep) -> None:
        if step.kind == "answered":
            raise KnownError("That call cannot be changed.")
        real(database, step)

    monkeypatch.setattr(phone_journal, "write_step", refuse_the_answer)
    assert replay_phone_journal(database, journal) == 2
    assert journal.waiting() == []  # not tried again at every start
    assert kept[1].with_suffix(".refused").exists()  # kept for an administrator
    [row] = _rows(database)
    assert row.answered_at is None and row.ended_at is not None
