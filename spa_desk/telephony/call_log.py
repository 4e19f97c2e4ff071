"""The phone's calls kept (SPEC 12): each ring from the telephone system, its answer and end, its
contact once saved, and the missed calls (hung up before an answer) waiting for a call-back,
with the people their number matches. The telephone figures of a period are counted from
these rows by :mod:`spa_desk.reports.phone_figures`.

Every function takes the acting user and checks the permission itself.
"""

from __future__ import annotations

import uuid
import wave
from datetime import datetime, timedelta
from pathlib import Path

from pydantic import BaseModel, ConfigDict
from sqlalchemy import ColumnElement, and_, select, update

from db.models import PhoneCall
from spa_desk.database import Database
from spa_desk.domain import CurrentUser
from spa_desk.errors import KnownError
from spa_desk.governance.log import AuditAction, record
from spa_desk.people.search import PersonMatch, search_people
from spa_desk.permissions import Action, allowed, require
from spa_desk.telephony.events import IncomingCall
from spa_desk.telephony.recordings import both_sides


def rang(database: Database, actor: CurrentUser | None, call: IncomingCall) -> uuid.UUID:
    """Keep a call that rang on the desk of ``actor`` (None: a desk nobody is logged in at)."""
    if actor is not None:
        require(actor, Action.LOG_CONTACT)
    return keep_ring(database, call, actor.id if actor is not None else None)


def keep_ring(database: Database, call: IncomingCall, desk_user_id: uuid.UUID | None) -> uuid.UUID:
    """Keep a ring heard on the desk of ``desk_user_id``; the row's id. A ring kept already (the
    same call and time: written again from the desk's phone journal after the connection
    dropped at the commit) is not kept twice."""
    with database.sessions.begin() as session:
        kept = session.scalar(
            select(PhoneCall.id).where(
                PhoneCall.call_ref == call.call_ref, PhoneCall.rang_at == call.at
            )
        )
        if kept is not None:
            return kept
        row = PhoneCall(
            call_ref=call.call_ref,
            rang_at=call.at,
            caller_number=call.caller_number,
            line=call.line.value,
            desk_user_id=desk_user_id,
        )
        session.add(row)
        session.flush()
        return row.id


def _open_call(call_ref: str) -> ColumnElement[bool]:
    return and_(PhoneCall.call_ref == call_ref, PhoneCall.ended_at.is_(None))


def answered(database: Database, call_ref: str, at: datetime) -> None:
    """The call ``call_ref`` was answered at ``at``."""
    with database.sessions.begin() as session:
        session.execute(
            update(PhoneCall)
            .where(_open_call(call_ref), PhoneCall.answered_at.is_(None))
            .values(answered_at=at)
        )


def ended(database: Database, call_ref: str, at: datetime, recording: str | None = None) -> None:
    """The call ``call_ref`` ended at ``at`` (with its recording's file name, if one was made)."""
    with database.sessions.begin() as session:
        session.execute(
            update(PhoneCall).where(_open_call(call_ref)).values(ended_at=at, recording=recording)
        )


def link_contact(database: Database, call_ref: str, contact_id: uuid.UUID) -> None:
    """The contact saved for the call ``call_ref``."""
    with database.sessions.begin() as session:
        session.execute(
            update(PhoneCall)
            .where(PhoneCall.call_ref == call_ref, PhoneCall.contact_id.is_(None))
            .values(contact_id=contact_id)
        )


class MissedCall(BaseModel):
    """A call hung up before an answer, waiting for a call-back."""

    model_config = ConfigDict(frozen=True)

    id: uuid.UUID
    rang_at: datetime
    rang_seconds: int
    """How long it rang before the caller gave up."""
    caller_number: str | None
    line: str
    people: tuple[PersonMatch, ...] = ()
    """The people the number matches (only for roles that may see people)."""


MISSED_WITHIN = timedelta(days=1)
"""How far back the missed list looks (on every desk, and in the SPA manager's room)."""


def missed_since(since: datetime) -> ColumnElement[bool]:
    """A missed call: rang since ``since``, hung up before an answer, not yet called back. The
    one definition the missed list and the room both ask."""
    return and_(
        PhoneCall.rang_at >= since,
        PhoneCall.answered_at.is_(None),
        PhoneCall.ended_at.is_not(None),
        PhoneCall.called_back_at.is_(None),
    )


def missed_calls(database: Database, actor: CurrentUser, since: datetime) -> list[MissedCall]:
    """Calls since ``since`` hung up before an answer and not yet called back, newest first."""
    require(actor, Action.LOG_CONTACT)
    with database.sessions() as session:
        rows = session.scalars(
            select(PhoneCall).where(missed_since(since)).order_by(PhoneCall.rang_at.desc())
        ).all()
    found: list[MissedCall] = []
    may_see = allowed(actor, Action.VIEW_PERSON)
    for row in rows:
        people: tuple[PersonMatch, ...] = ()
        if may_see and row.caller_number:
            people = search_people(database, actor, row.caller_number, limit=5).people
        assert row.ended_at is not None
        found.append(
            MissedCall(
                id=row.id,
                rang_at=row.rang_at,
                rang_seconds=int((row.ended_at - row.rang_at).total_seconds()),
                caller_number=row.caller_number,
                line=row.line,
                people=people,
            )
        )
    return found


def called_back(database: Database, actor: CurrentUser, call_id: uuid.UUID, at: datetime) -> bool:
    """Mark the missed call ``call_id`` called back by ``actor``; False when someone already
    had (the compare-and-set keeps two desks from both taking it)."""
    require(actor, Action.LOG_CONTACT)
    with database.sessions.begin() as session:
        done = session.execute(
            update(PhoneCall)
            .where(PhoneCall.id == call_id, PhoneCall.called_back_at.is_(None))
            .values(called_back_at=at, called_back_by=actor.id)
        )
        return bool(done.rowcount)  # type: ignore[attr-defined]


class Recording(BaseModel):
    """A contact's call recording, ready to play: both sides mixed in one WAV."""

    model_config = ConfigDict(frozen=True)

    path: Path
    seconds: float


def has_recording(database: Database, actor: CurrentUser, contact_id: uuid.UUID) -> bool:
    """Whether the contact's call was recorded (for those who may play recordings)."""
    if not allowed(actor, Action.PLAY_RECORDING):
        return False
    with database.sessions() as session:
        found = session.scalar(
            select(PhoneCall.recording).where(
                PhoneCall.contact_id == contact_id, PhoneCall.recording.is_not(None)
            )
        )
    return found is not None


def play_recording(
    database: Database, actor: CurrentUser, contact_id: uuid.UUID, folder: Path
) -> Recording:
    """The contact's recording for ``actor`` to play, the playback audited (SPEC 12); words
    when there is none or its files have been deleted after the retention days."""
    require(actor, Action.PLAY_RECORDING)
    with database.sessions() as session:
        name = session.scalar(
            select(PhoneCall.recording).where(
                PhoneCall.contact_id == contact_id, PhoneCall.recording.is_not(None)
            )
        )
    if name is None:
        raise KnownError("This contact's call was not recorded.")
    mixed = both_sides(folder, name)
    if mixed is None:
        raise KnownError(
            "This call's recording has been deleted (recordings are kept for a set number of "
            "days) or is not on this machine."
        )
    with wave.open(str(mixed), "rb") as sound:
        seconds = sound.getnframes() / sound.getframerate()
    with database.sessions() as session, session.begin():
        record(
            session,
            action=AuditAction.RECORDING_PLAYED,
            user_id=actor.id,
            entity_type="contact",
            entity_id=str(contact_id),
        )
    return Recording(path=mixed, seconds=seconds)
