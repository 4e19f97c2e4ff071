"""The room at a glance for the SPA manager (SPEC 11): who is where, and each stream's queue
with its oldest waiting hand-off and how many are overdue; the call-backs that came to the
manager, which they can put back in the queue; the missed calls waiting for a call-back."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from pydantic import BaseModel, ConfigDict
from sqlalchemy import case, func, select

from db.models import DeskPresence, Handoff, PhoneCall, User
from spa_desk.database import Database
from spa_desk.domain import CurrentUser
from spa_desk.errors import KnownError
from spa_desk.governance.log import AuditAction, record
from spa_desk.live.events import LiveKind, announce
from spa_desk.permissions import Action, require
from spa_desk.telephony.call_log import MISSED_WITHIN, missed_since
from spa_desk.vocabulary import HandoffStatus, Presence, Stream

GONE_AFTER = timedelta(minutes=5)
"""A desk not heard from for this long (it crashed, or its network went) is left out."""


class DeskInRoom(BaseModel):
    """One member of staff at a desk."""

    model_config = ConfigDict(frozen=True)

    user_id: uuid.UUID
    name: str
    state: Presence
    since: datetime


class StreamQueue(BaseModel):
    """One stream's queue at a glance."""

    model_config = ConfigDict(frozen=True)

    stream: Stream
    waiting: int
    overdue: int
    oldest_since: datetime | None
    with_manager: int


class Room(BaseModel):
    """The room: desks by name, and every stream's queue."""

    model_config = ConfigDict(frozen=True)

    desks: tuple[DeskInRoom, ...]
    queues: tuple[StreamQueue, ...]
    missed_calls: int = 0
    """Callers who rang off before an answer (the last day) and are not yet called back."""


def room(database: Database, actor: CurrentUser, *, now: datetime | None = None) -> Room:
    """Who is where and each stream's queue (SPA managers)."""
    require(actor, Action.VIEW_ROOM)
    now = now or datetime.now(UTC)
    with database.sessions() as session:
        desks = session.execute(
            select(DeskPresence.user_id, User.display_name, DeskPresence.state, DeskPresence.since)
            .join(User, User.id == DeskPresence.user_id)
            .where(DeskPresence.seen_at >= now - GONE_AFTER)
            .order_by(User.display_name)
        ).all()
        counts = session.execute(
            select(
                Handoff.stream,
                Handoff.status,
                func.count(),
                func.min(Handoff.handed_at),
                func.sum(case((Handoff.due_at < now, 1), else_=0)),
            )
            .where(Handoff.status.in_([HandoffStatus.WAITING.value, HandoffStatus.ESCALATED.value]))
            .group_by(Handoff.stream, Handoff.status)
        ).all()
        missed = session.scalar(
            select(func.count()).select_from(PhoneCall).where(missed_since(now - MISSED_WITHIN))
        )
    waiting: dict[str, tuple[int, int, datetime | None]] = {}
    escalated: dict[str, int] = {}
    for stream, status, count, oldest, overdue in counts:
        if status == HandoffStatus.ESCALATED.value:
            escalated[stream] = int(count)
        else:
            waiting[stream] = (int(count), int(overdue or 0), oldest)
    return Room(
        missed_calls=int(missed or 0),
        desks=tuple(
            DeskInRoom(user_id=user_id, name=name, state=Presence(state), since=since)
            for user_id, name, state, since in desks
        ),
        queues=tuple(
            StreamQueue(
                stream=stream,
                waiting=waiting.get(stream.value, (0, 0, None))[0],
                overdue=waiting.get(stream.value, (0, 0, None))[1],
                oldest_since=waiting.get(stream.value, (0, 0, None))[2],
                with_manager=escalated.get(stream.value, 0),
            )
            for stream in Stream
        ),
    )


def back_to_queue(
    database: Database, actor: CurrentUser, handoff_id: uuid.UUID, *, now: datetime | None = None
) -> None:
    """The SPA manager puts a call-back that came to them back in its queue for more tries
    (its attempts so far are kept; three more unanswered bring it back)."""
    require(actor, Action.VIEW_ROOM)
    now = now or datetime.now(UTC)
    with database.sessions.begin() as session:
        row = session.get(Handoff, handoff_id)
        if row is None or row.status != HandoffStatus.ESCALATED.value:
            raise KnownError("Only a call-back that came to the SPA manager can be put back.")
        row.status = HandoffStatus.WAITING.value
        row.unanswered = 0
        record(
            session,
            action=AuditAction.HANDOFF_RELEASED,
            user_id=actor.id,
            entity_type="contact",
            entity_id=str(row.contact_id),
            details={"handoff": str(row.id), "by": "spa_manager"},
            at=now,
        )
        announce(session, LiveKind.CLAIM, row.id)
