"""The announcements desks hear (SPEC 11): what changed and its id, nothing else."""

from __future__ import annotations

import json
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, ValidationError
from sqlalchemy import text
from sqlalchemy.orm import Session

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


def announce(session: Session, kind: LiveKind, ident: object) -> None:
    """Tell every desk, when ``session``'s transaction commits, that ``kind`` changed for
    ``ident``. On SQLite nobody else is listening: nothing is sent."""
    bind = session.get_bind()
    if bind.dialect.name != "postgresql":
        return
    event = LiveEvent(kind=kind, id=str(ident))
    session.execute(_NOTIFY, {"channel": CHANNEL, "payload": event.payload()})


_NOTIFY = text("SELECT pg_notify(:channel, :payload)")
"""Built once: every desk's save sends it."""
