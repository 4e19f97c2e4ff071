"""Claiming a hand-off once, a call-back's attempts, and putting a claim back (SPEC 11).

A claim is a compare-and-set on the hand-off's row (``UPDATE ... WHERE status = 'waiting'``):
the database lets exactly one of any number of desks pressing claim at once change it, on
PostgreSQL and SQLite alike, and the row count says who won; the others are told who has it.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any, cast

from sqlalchemy import CursorResult, Update, select, update
from sqlalchemy.orm import Session, aliased

from db.models import CallbackAttempt, Contact, Handoff, User
from spa_desk.calls.draft import CallDraft, open_leg
from spa_desk.database import Database
from spa_desk.domain import CurrentUser
from spa_desk.errors import KnownError
from spa_desk.governance.log import AuditAction, record
from spa_desk.handoff.queue import QueueItem, queue_item
from spa_desk.live.events import LiveKind, announce
from spa_desk.local_time import LONDON
from spa_desk.permissions import Action, require
from spa_desk.vocabulary import AttemptResult, HandoffKind, HandoffStatus, Stream

UNANSWERED_LIMIT = 3
"""Unanswered call-back attempts after which a hand-off goes to the SPA manager."""


class AlreadyClaimed(KnownError):
    """Another practitioner claimed the hand-off first (or it is gone)."""


def claim(
    database: Database, actor: CurrentUser, handoff_id: uuid.UUID, *, now: datetime | None = None
) -> tuple[QueueItem, CallDraft]:
    """Take a hand-off; exactly one desk gets it however many press claim at once.

    AlreadyClaimed says who has it. A warm hand-off's call opens on the claimant's desk with a
    new leg begun now; a call-back's is for ringing the caller (:func:`record_attempt`).
    """
    require(actor, Action.TRIAGE_LEVEL2)
    now = now or datetime.now(UTC)
    with database.sessions.begin() as session:
        row = session.get(Handoff, handoff_id)
        if row is None:
            raise AlreadyClaimed("That hand-off is no longer in the queue.")
        if Stream(row.stream) not in actor.streams:
            raise KnownError(
                f"This hand-off is for the {Stream(row.stream).label.lower()} stream, "
                "which you do not work."
            )
        taken = _changed(
            session,
            update(Handoff)
            .where(Handoff.id == handoff_id, Handoff.status == HandoffStatus.WAITING.value)
            .values(status=HandoffStatus.CLAIMED.value, claimed_by=actor.id, claimed_at=now),
        )
        session.refresh(row)
        if taken != 1:
            raise AlreadyClaimed(_who_has(session, row))
        contact = session.get(Contact, row.contact_id)
        assert contact is not None and contact.draft is not None
        draft = CallDraft.model_validate(contact.draft).model_copy(update={"handoff_id": row.id})
        if row.kind == HandoffKind.WARM.value:
            draft = open_leg(draft, now)
        contact.draft = draft.model_dump(mode="json")
        contact.updated_at = now
        item = queue_item(session, row)
        announce(session, LiveKind.CLAIM, row.id)
        # The audit entry last: the log is one desk's at a time from here until the commit.
        record(
            session,
            action=AuditAction.HANDOFF_CLAIMED,
            user_id=actor.id,
            entity_type="contact",
            entity_id=str(row.contact_id),
            details={"handoff": str(row.id), "stream": row.stream, "kind": row.kind},
            at=now,
        )
        return item, draft


def _changed(session: Session, statement: Update) -> int:
    """Run a compare-and-set UPDATE; how many rows it changed (0: the condition no longer held)."""
    result = session.execute(statement.execution_options(synchronize_session=False))
    return int(cast(CursorResult[Any], result).rowcount)


def _who_has(session: Session, row: Handoff) -> str:
    """Why a claim of ``row`` did not take, in words: who has it, or where it went."""
    if row.status == HandoffStatus.DONE.value:
        return "That hand-off has already been dealt with."
    if row.status == HandoffStatus.ESCALATED.value:
        return "That call-back has gone to the SPA manager."
    if row.claimed_by is None:
        return "That hand-off could not be claimed just now: try again."
    name = session.scalar(select(User.display_name).where(User.id == row.claimed_by))
    at = row.claimed_at.astimezone(LONDON).strftime("%H:%M:%S") if row.claimed_at else ""
    return f"{name} claimed it first, at {at}."


def record_attempt(
    database: Database,
    actor: CurrentUser,
    handoff_id: uuid.UUID,
    result: AttemptResult,
    *,
    now: datetime | None = None,
) -> tuple[QueueItem, CallDraft | None]:
    """One try at ringing a call-back's caller, by the practitioner who claimed it.

    Reached: the call opens on their desk with a new leg begun now (the draft is returned).
    No answer or a message left: it goes back to the queue, and after the third unanswered
    attempt to the SPA manager (no draft returned).
    """
    require(actor, Action.TRIAGE_LEVEL2)
    now = now or datetime.now(UTC)
    with database.sessions.begin() as session:
        row = session.get(Handoff, handoff_id)
        if row is None or row.kind != HandoffKind.CALL_BACK.value:
            raise KnownError("Only a call-back has attempts to record.")
        if row.status != HandoffStatus.CLAIMED.value or row.claimed_by != actor.id:
            raise KnownError("Claim the call-back before recording an attempt.")
        session.add(
            CallbackAttempt(
                handoff_id=row.id,
                contact_id=row.contact_id,
                by_user=actor.id,
                at=now,
                result=result.value,
            )
        )
        row.attempts += 1
        draft: CallDraft | None = None
        contact = session.get(Contact, row.contact_id)
        assert contact is not None and contact.draft is not None
        if result is AttemptResult.REACHED:
            draft = open_leg(CallDraft.model_validate(contact.draft), now).model_copy(
                update={"handoff_id": row.id, "ended_at": None}
            )
            contact.draft = draft.model_dump(mode="json")
            contact.updated_at = now
        else:
            row.unanswered += 1
            row.claimed_by = None
            row.claimed_at = None
            row.status = (
                HandoffStatus.ESCALATED.value
                if row.unanswered >= UNANSWERED_LIMIT
                else HandoffStatus.WAITING.value
            )
        session.flush()
        item = queue_item(session, row)
        announce(session, LiveKind.CLAIM, row.id)
        record(  # last: see claim
            session,
            action=AuditAction.CALLBACK_ATTEMPTED,
            user_id=actor.id,
            entity_type="contact",
            entity_id=str(row.contact_id),
            details={
                "handoff": str(row.id),
                "result": result.value,
                "attempt": row.attempts,
                "escalated": row.status == HandoffStatus.ESCALATED.value,
            },
            at=now,
        )
        return item, draft


def release(
    database: Database, actor: CurrentUser, handoff_id: uuid.UUID, *, now: datetime | None = None
) -> None:
    """Put a claimed hand-off back in its queue untouched (claimed by mistake)."""
    require(actor, Action.TRIAGE_LEVEL2)
    now = now or datetime.now(UTC)
    with database.sessions.begin() as session:
        released = _changed(
            session,
            update(Handoff)
            .where(
                Handoff.id == handoff_id,
                Handoff.status == HandoffStatus.CLAIMED.value,
                Handoff.claimed_by == actor.id,
            )
            .values(status=HandoffStatus.WAITING.value, claimed_by=None, claimed_at=None),
        )
        if released != 1:
            raise KnownError("Only a hand-off you have claimed can be put back.")
        row = session.get(Handoff, handoff_id)
        assert row is not None
        announce(session, LiveKind.CLAIM, row.id)
        record(  # last: see claim
            session,
            action=AuditAction.HANDOFF_RELEASED,
            user_id=actor.id,
            entity_type="contact",
            entity_id=str(row.contact_id),
            details={"handoff": str(row.id)},
            at=now,
        )


def attempts_of(database: Database, handoff_id: uuid.UUID) -> list[tuple[datetime, str, str]]:
    """A call-back's attempts so far: (when, by whom, result), oldest first."""
    by = aliased(User)
    with database.sessions() as session:
        rows = session.execute(
            select(CallbackAttempt.at, by.display_name, CallbackAttempt.result)
            .join(by, by.id == CallbackAttempt.by_user)
            .where(CallbackAttempt.handoff_id == handoff_id)
            .order_by(CallbackAttempt.at)
        )
        return [(at, name, result) for at, name, result in rows]
