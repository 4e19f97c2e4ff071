"""The announcements desks hear (SPEC 11): what changed and its id, nothing else."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError
from sqlalchemy import event as orm_event
from sqlalchemy.orm import Session, SessionTransaction

CHANNEL = "spa_desk_live"
"""The PostgreSQL channel every desk listens on."""


class LiveKind(StrEnum):
    """What changed."""

    HANDOFF = "handoff"
    """A call was handed off to a queue (the id is the hand-off's)."""
    CLAIM = "claim"
    """A hand-off was claimed, put back, tried or sent to the SPA manager (the hand-off's id)."""
    CONTACT = "contact"
    """A contact was saved (the contact's id)."""
    PRESENCE = "presence"
    """A desk's presence changed (the user's id)."""
    RESYNC = "resync"
    """Not sent by any desk: the listener says it was away and everything must be read again."""


class LiveEvent(BaseModel):
    """One announcement: its kind and the id of what changed."""

    model_config = ConfigDict(frozen=True)

    kind: LiveKind
    id: str = ""

    def payload(self) -> str:
        """The NOTIFY payload: a small JSON object (ids only)."""
        return json.dumps({"kind": self.kind.value, "id": self.id}, separators=(",", ":"))

    @classmethod
    def from_payload(cls, payload: str) -> LiveEvent | None:
        """The event a payload carries; None for one this desk does not understand (a newer
        desk's, say), which is ignored."""
        try:
            return cls.model_validate_json(payload)
        except ValidationError:
            return None


SENDER = "spa_desk.live.sender"
"""The key in a session's ``info`` of what sends its announcements once it has committed (the
database's :class:`~spa_desk.live.announcer.Announcer`; see :func:`spa_desk.database.connect`)."""
_COMMITTED = "spa_desk.live.on_commit"
"""The key in a session's ``info`` of the announcements waiting for its commit."""


def announce(session: Session, kind: LiveKind, ident: object) -> None:
    """Tell every desk, once ``session``'s transaction commits, that ``kind`` changed for
    ``ident``; a rollback drops it. On SQLite nobody else is listening: nothing is sent.

    The database's announcer sends it after the commit (see :mod:`spa_desk.live.announcer`:
    the commit does not wait while every desk is woken); every session of a PostgreSQL
    :class:`~spa_desk.database.Database` has it."""
    bind = session.get_bind()
    if bind.dialect.name != "postgresql":
        return
    if SENDER not in session.info:
        raise RuntimeError("announce() needs a session of spa_desk.database.connect's sessions")
    session.connection()  # in the transaction (begun if need be), so that a rollback drops it
    session.info.setdefault(_COMMITTED, []).append(LiveEvent(kind=kind, id=str(ident)))


@orm_event.listens_for(Session, "after_commit")
def _send_committed(session: Session) -> None:
    events: list[LiveEvent] | None = session.info.pop(_COMMITTED, None)
    if events:
        send: Callable[[Sequence[LiveEvent]], Any] = session.info[SENDER]
        send(events)


@orm_event.listens_for(Session, "after_transaction_end")
def _drop_uncommitted(session: Session, transaction: SessionTransaction) -> None:
    if transaction.parent is None:  # the session's own transaction, not a savepoint in it
        session.info.pop(_COMMITTED, None)
