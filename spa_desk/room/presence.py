"""Each desk says where it is: available, on a call, in wrap-up or away (SPEC 11). The desk
works it out from the call on screen (and its user can say away); it is written only when it
changes, and announced to the other desks."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import delete

from db.models import DeskPresence
from spa_desk.database import Database
from spa_desk.domain import CurrentUser
from spa_desk.live.events import LiveKind, announce
from spa_desk.vocabulary import Presence


def presence_of(*, call_open: bool, call_ended: bool, away: bool, locked: bool) -> Presence:
    """Where a desk is, from what is on it: a call in progress or in wrap-up comes first (a
    caller is waiting or the record is being finished), then away (said, or the desk locked)."""
    if call_open:
        return Presence.WRAP_UP if call_ended else Presence.ON_CALL
    if away or locked:
        return Presence.AWAY
    return Presence.AVAILABLE


def set_presence(
    database: Database, actor: CurrentUser, state: Presence, *, now: datetime | None = None
) -> None:
    """Say where ``actor``'s desk is now (kept from ``now`` until it changes)."""
    now = now or datetime.now(UTC)
    with database.sessions.begin() as session:
        row = session.get(DeskPresence, actor.id)
        if row is None:
            session.add(DeskPresence(user_id=actor.id, state=state.value, since=now, seen_at=now))
        else:
            if row.state != state.value:
                row.state = state.value
                row.since = now
            row.seen_at = now
        announce(session, LiveKind.PRESENCE, actor.id)


def leave(database: Database, actor: CurrentUser) -> None:
    """``actor`` logged out or closed the desk: they are no longer in the room."""
    with database.sessions.begin() as session:
        session.execute(delete(DeskPresence).where(DeskPresence.user_id == actor.id))
        announce(session, LiveKind.PRESENCE, actor.id)
