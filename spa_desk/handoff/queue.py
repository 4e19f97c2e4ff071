"""Handing a call off, the streams' queues, claiming once, and call-back attempts (SPEC 11).

A hand-off keeps the whole call as its contact's draft (caller, person and consent, answers,
notes), so the practitioner who claims it carries on exactly where the handler left it, and one
call stays one contact. A claim is a compare-and-set on the hand-off's row (``UPDATE ... WHERE
status = 'waiting'``): the database lets exactly one of any number of desks pressing claim at
once change it, on PostgreSQL and SQLite alike; the others are told who has it.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any, cast

from pydantic import BaseModel, ConfigDict
from sqlalchemy import CursorResult, Update, func, select, update
from sqlalchemy.orm import Session, aliased

from db.models import CallbackAttempt, Contact, Handoff, User
from spa_desk.calls.draft import CallDraft, close_leg, contact_row_for, open_leg, write_draft
from spa_desk.calls.screening import screening
from spa_desk.database import Database
from spa_desk.domain import CurrentUser
from spa_desk.errors import InvalidInput, KnownError
from spa_desk.governance.log import AuditAction, record
from spa_desk.handoff.clock import due_at
from spa_desk.identifiers import clean_phone
from spa_desk.live.events import LiveKind, announce
from spa_desk.local_time import LONDON
from spa_desk.permissions import Action, allowed, require
from spa_desk.vocabulary import (
    OPEN_HANDOFF,
    AttemptResult,
    HandoffKind,
    HandoffStatus,
    Level1,
    Stream,
    Urgency,
)
from triage_rules import RuleSet

UNANSWERED_LIMIT = 3
"""Unanswered call-back attempts after which a hand-off goes to the SPA manager."""


class QueueItem(BaseModel):
    """A hand-off as a queue shows it: no personal data, only what the practitioner needs to
    choose which to take."""

    model_config = ConfigDict(frozen=True)

    id: uuid.UUID
    contact_id: uuid.UUID
    stream: Stream
    kind: HandoffKind
    urgency: Urgency | None
    reason: str
    status: HandoffStatus
    handed_at: datetime
    handed_by: str
    due_at: datetime
    attempts: int
    unanswered: int
    claimed_by: str | None
    claimed_at: datetime | None

    def overdue(self, now: datetime) -> bool:
        """Past its due time and not yet taken."""
        return self.status is not HandoffStatus.CLAIMED and now > self.due_at


class AlreadyClaimed(KnownError):
    """Another practitioner claimed the hand-off first (or it is gone)."""


def level1_urgency(ruleset: RuleSet, draft: CallDraft) -> Urgency | None:
    """The urgency the rules give the call so far (the most urgent route's), None while only
    the rule set's fallback speaks for it."""
    decision = screening(ruleset, draft).decision()
    if any(entry.rule == ruleset.fallback_id for entry in decision.trace):
        return None
    urgencies = [Urgency(route.urgency) for route in decision.routes if route.urgency]
    return min(urgencies, key=lambda u: u.rank) if urgencies else None


def hand_off(
    database: Database,
    actor: CurrentUser,
    draft: CallDraft,
    ruleset: RuleSet,
    kind: HandoffKind,
    *,
    now: datetime | None = None,
) -> QueueItem:
    """Pass the call to its stream's queue; the handler's desk is free at once.

    InvalidInput, in words, when the call has no stream yet or a call-back has no number to
    ring. The draft is kept as the contact's, the handler's leg of the call closed.
    """
    require(actor, Action.LOG_CONTACT)
    now = now or datetime.now(UTC)
    session_ = screening(ruleset, draft)
    decision = session_.decision()
    asking = session_.next_question()
    level1_done = asking is None or asking.level > 1
    if not level1_done or decision.level1 != Level1.STREAM.value or decision.stream is None:
        raise InvalidInput(
            "Hand-off", "only a call that has reached a stream at level 1 can go to a practitioner"
        )
    stream = Stream(decision.stream)
    number = draft.caller.phone.strip() or (draft.caller_number or "")
    if kind is HandoffKind.CALL_BACK:
        if not number:
            raise InvalidInput("Call-back number", "give a number to ring the caller back on")
        clean_phone("Call-back number", number)
    urgency = level1_urgency(ruleset, draft)
    reason = next(
        (entry.reason for entry in decision.trace if entry.rule in _stream_rules(ruleset)), ""
    )
    kept = close_leg(draft, actor, now)
    if kind is HandoffKind.CALL_BACK and kept.ended_at is None:
        kept = kept.model_copy(update={"ended_at": now})  # the caller hangs up
    kept = kept.model_copy(update={"handoff_id": None})
    with database.sessions.begin() as session:
        contact = contact_row_for(session, actor, draft, now)
        _close_claimed(session, contact.id, now)  # a practitioner passing it on
        write_draft(contact, kept, now)
        contact.stream = stream.value
        row = Handoff(
            contact_id=contact.id,
            stream=stream.value,
            kind=kind.value,
            urgency=urgency.value if urgency else None,
            reason=reason[:500],
            status=HandoffStatus.WAITING.value,
            handed_at=now,
            handed_by=actor.id,
            due_at=due_at(kind, urgency, now),
            attempts=0,
            unanswered=0,
        )
        session.add(row)
        session.flush()
        record(
            session,
            action=AuditAction.HANDOFF_MADE,
            user_id=actor.id,
            entity_type="contact",
            entity_id=str(contact.id),
            details={
                "handoff": str(row.id),
                "stream": stream.value,
                "kind": kind.value,
                "urgency": row.urgency or "",
            },
            at=now,
        )
        announce(session, LiveKind.HANDOFF, row.id)
        return _item(session, row)


def _stream_rules(ruleset: RuleSet) -> frozenset[str]:
    return frozenset(rule.id for rule in ruleset.stream_rules)


def _close_claimed(session: Session, contact_id: uuid.UUID, now: datetime) -> None:
    session.execute(
        update(Handoff)
        .where(Handoff.contact_id == contact_id, Handoff.status.in_(OPEN_HANDOFF))
        .values(status=HandoffStatus.DONE.value, closed_at=now)
    )


def queue(
    database: Database,
    actor: CurrentUser | None,
    *,
    streams: tuple[Stream, ...] | None = None,
    include_claimed: bool = False,
    include_escalated: bool = True,
) -> list[QueueItem]:
    """The hand-offs waiting and (unless ``include_escalated`` is False, as on a practitioner's
    desk) the call-backs that went to the SPA manager, most overdue first; ``streams`` narrows
    it to those streams. ``actor`` None is the command line."""
    if actor is not None and not (
        allowed(actor, Action.TRIAGE_LEVEL2) or allowed(actor, Action.VIEW_ROOM)
    ):
        require(actor, Action.TRIAGE_LEVEL2)
    statuses = [HandoffStatus.WAITING.value]
    if include_escalated:
        statuses.append(HandoffStatus.ESCALATED.value)
    if include_claimed:
        statuses.append(HandoffStatus.CLAIMED.value)
    with database.sessions() as session:
        query = select(Handoff).where(Handoff.status.in_(statuses))
        if streams is not None:
            query = query.where(Handoff.stream.in_([s.value for s in streams]))
        rows = session.scalars(query.order_by(Handoff.due_at, Handoff.handed_at)).all()
        return _items(session, list(rows))


def handoff(database: Database, handoff_id: uuid.UUID) -> QueueItem | None:
    """One hand-off as the queue shows it (None when there is no such hand-off)."""
    with database.sessions() as session:
        row = session.get(Handoff, handoff_id)
        return None if row is None else _item(session, row)


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
        record(
            session,
            action=AuditAction.HANDOFF_CLAIMED,
            user_id=actor.id,
            entity_type="contact",
            entity_id=str(row.contact_id),
            details={"handoff": str(row.id), "stream": row.stream, "kind": row.kind},
            at=now,
        )
        announce(session, LiveKind.CLAIM, row.id)
        return _item(session, row), draft


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
        record(
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
        session.flush()
        announce(session, LiveKind.CLAIM, row.id)
        return _item(session, row), draft


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
        record(
            session,
            action=AuditAction.HANDOFF_RELEASED,
            user_id=actor.id,
            entity_type="contact",
            entity_id=str(row.contact_id),
            details={"handoff": str(row.id)},
            at=now,
        )
        announce(session, LiveKind.CLAIM, row.id)


def _items(session: Session, rows: list[Handoff]) -> list[QueueItem]:
    if not rows:
        return []
    ids = {row.handed_by for row in rows} | {row.claimed_by for row in rows if row.claimed_by}
    names = {
        user_id: name
        for user_id, name in session.execute(
            select(User.id, User.display_name).where(User.id.in_(ids))
        )
    }
    return [_as_item(row, names) for row in rows]


def _item(session: Session, row: Handoff) -> QueueItem:
    return _items(session, [row])[0]


def _as_item(row: Handoff, names: dict[uuid.UUID, str]) -> QueueItem:
    return QueueItem(
        id=row.id,
        contact_id=row.contact_id,
        stream=Stream(row.stream),
        kind=HandoffKind(row.kind),
        urgency=Urgency(row.urgency) if row.urgency else None,
        reason=row.reason or "",
        status=HandoffStatus(row.status),
        handed_at=row.handed_at,
        handed_by=names.get(row.handed_by, "someone"),
        due_at=row.due_at,
        attempts=row.attempts,
        unanswered=row.unanswered,
        claimed_by=names.get(row.claimed_by) if row.claimed_by else None,
        claimed_at=row.claimed_at,
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


def waiting_count(database: Database) -> int:
    """How many hand-offs wait in every queue (for the room and the status bar)."""
    with database.sessions() as session:
        return int(
            session.scalar(
                select(func.count())
                .select_from(Handoff)
                .where(Handoff.status == HandoffStatus.WAITING.value)
            )
            or 0
        )
