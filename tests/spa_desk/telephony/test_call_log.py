"""The phone's calls kept (SPEC 12): rings, answers and ends; the missed list with the people a
number matches, taken once by a call-back; the telephone figures counted in the database and in
the shift's figures; recordings named after their call, their headers made right, old ones
deleted."""

from __future__ import annotations

import os
import wave
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from spa_desk.database import Database
from spa_desk.domain import CurrentUser
from spa_desk.reports.period import period_figures
from spa_desk.reports.phone_figures import phone_figures
from spa_desk.telephony import call_log
from spa_desk.telephony.events import IncomingCall
from spa_desk.telephony.recordings import (
    delete_old_recordings,
    keep_recording,
    recording_files,
    repair_wav_header,
)
from spa_desk.vocabulary import Line, Role
from tests.factories import add_person, add_user

RING = datetime(2026, 11, 17, 14, 0, tzinfo=UTC)


def _user(database: Database, name: str, role: Role) -> CurrentUser:
    user_id = add_user(database, name, "pw-long-enough-1", roles=(role.value,), display_name=name)
    return CurrentUser(id=user_id, username=name, display_name=name.title(), roles=(role,))


def _ring(database: Database, ref: str, after: int, number: str | None = "07700900123") -> None:
    handler = _user(database, f"h{ref}", Role.CALL_HANDLER)
    call_log.rang(database, handler, IncomingCall(
        call_ref=ref, at=RING + timedelta(seconds=after), caller_number=number, line=Line.HEALTH
    ))  # fmt: skip


def test_rings_answers_ends_and_the_figures_they_make(database: Database) -> None:
    add_person(database, phone_primary="07700900123")
    # Four calls, known by construction: answered after 5 s and after 30 s, abandoned after
    # 12 s (a number on record), and one still ringing when the figures are read.
    for ref, after in (("a", 0), ("b", 60), ("c", 120), ("d", 180)):
        _ring(database, ref, after)
    call_log.answered(database, "a", RING + timedelta(seconds=5))
    call_log.ended(database, "a", RING + timedelta(seconds=200), "rec-a")
    call_log.answered(database, "b", RING + timedelta(seconds=90))
    call_log.ended(database, "b", RING + timedelta(seconds=300))
    call_log.ended(database, "c", RING + timedelta(seconds=132))
    figures = phone_figures(database, RING, RING + timedelta(hours=1), 20)
    assert (figures.offered, figures.answered, figures.abandoned) == (4, 2, 1)
    assert figures.average_answer_seconds == 17.5
    assert figures.within_service_level == 1 and figures.service_level == 0.25
    # The shift's figures count the abandoned call as offered (it left no contact).
    shift = period_figures(database, None, RING - timedelta(hours=7), RING + timedelta(hours=1))
    assert (shift.offered, shift.abandoned) == (shift.contacts + shift.drafts_open + 1, 1)

    sam = _user(database, "sam", Role.CALL_HANDLER)
    [missed] = call_log.missed_calls(database, sam, RING - timedelta(days=1))
    assert missed.rang_seconds == 12 and missed.caller_number == "07700900123"
    assert [p.name for p in missed.people] == ["TESTPERSON, Ada"]
    other = _user(database, "kim", Role.CALL_HANDLER)
    assert call_log.called_back(database, sam, missed.id, RING + timedelta(minutes=5))
    assert not call_log.called_back(database, other, missed.id, RING + timedelta(minutes=5))
    assert call_log.missed_calls(database, sam, RING - timedelta(days=1)) == []


def _wav(path: Path, seconds: float, *, sizes_written: bool) -> None:
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(8000)
        out.writeframes(b"\x01\x00" * int(8000 * seconds))
    if not sizes_written:  # as sndfile leaves it while the file is still open
        data = bytearray(path.read_bytes())
        data[4:8] = (36).to_bytes(4, "little")
        data[40:44] = (0).to_bytes(4, "little")
        path.write_bytes(bytes(data))


def test_a_recording_is_named_after_its_call_and_its_header_made_right(tmp_path: Path) -> None:
    _wav(tmp_path / "dump-2026-11-17-14-00-05-dec.wav", 2.5, sizes_written=False)
    _wav(tmp_path / "dump-2026-11-17-14-00-05-enc.wav", 2.5, sizes_written=False)
    name = keep_recording(tmp_path, "call-id-1", RING)
    assert name is not None and name.startswith("20261117-140000-")
    heard, sent = recording_files(tmp_path, name)
    for side in (heard, sent):
        with wave.open(str(side)) as sound:
            assert sound.getnframes() == 20_000
    assert repair_wav_header(heard) == 2.5
    assert keep_recording(tmp_path, "call-id-2", RING) is None  # no new pair: none to keep
    (tmp_path / "not-a-wav.wav").write_bytes(b"ID3 not a wave at all")
    assert repair_wav_header(tmp_path / "not-a-wav.wav") == 0.0


def test_old_recordings_are_deleted_after_the_retention_days(tmp_path: Path) -> None:
    old, new = tmp_path / "old-caller.wav", tmp_path / "new-caller.wav"
    for path in (old, new):
        _wav(path, 0.1, sizes_written=True)
    now = datetime(2026, 11, 30, tzinfo=UTC).timestamp()
    os.utime(old, (now - 91 * 86_400, now - 91 * 86_400))
    os.utime(new, (now - 89 * 86_400, now - 89 * 86_400))
    assert delete_old_recordings(tmp_path, 90, now=now) == 1
    assert sorted(p.name for p in tmp_path.glob("*.wav")) == ["new-caller.wav"]
    assert delete_old_recordings(tmp_path / "none", 90) == 0


def test_a_manager_plays_a_recording_and_every_playback_is_audited(
    database: Database, tmp_path: Path
) -> None:
    from sqlalchemy import select

    from db.models import AuditEvent
    from spa_desk.errors import KnownError
    from spa_desk.permissions import PermissionDenied
    from tests.factories import add_contact

    handler = _user(database, "sam", Role.CALL_HANDLER)
    manager = _user(database, "mo", Role.SPA_MANAGER)
    contact = add_contact(database, handler.id, RING)
    _ring(database, "r1", 0)
    _wav(tmp_path / "dump-2026-11-17-14-00-05-dec.wav", 2.0, sizes_written=False)
    _wav(tmp_path / "dump-2026-11-17-14-00-05-enc.wav", 1.5, sizes_written=False)
    name = keep_recording(tmp_path, "r1", RING)
    call_log.answered(database, "r1", RING + timedelta(seconds=3))
    call_log.ended(database, "r1", RING + timedelta(seconds=5), name)
    call_log.link_contact(database, "r1", contact)

    assert call_log.has_recording(database, manager, contact)
    assert not call_log.has_recording(database, handler, contact)  # not theirs to play
    with pytest.raises(PermissionDenied):
        call_log.play_recording(database, handler, contact, tmp_path)
    for _ in range(2):
        played = call_log.play_recording(database, manager, contact, tmp_path)
        assert played.seconds == 2.0 and played.path.name.endswith("-both.wav")
    with database.sessions() as session:
        audited = session.scalars(
            select(AuditEvent).where(AuditEvent.action == "recording_played")
        ).all()
    assert [(e.user_id, e.entity_id) for e in audited] == [(manager.id, str(contact))] * 2
    for path in tmp_path.glob("*.wav"):
        path.unlink()  # deleted after the retention days
    with pytest.raises(KnownError, match="has been deleted"):
        call_log.play_recording(database, manager, contact, tmp_path)
