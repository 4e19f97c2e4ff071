"""Handing a call off and the streams' queues (SPEC 11); claiming is :mod:`.claims`.

A hand-off keeps the whole call as its contact's draft (caller, person and consent, answers,
notes), so the practitioner who claims it carries on exactly where the handler left it, and one
call stays one contact.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from pydantic import BaseModel, ConfigDict
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from db.models import Handoff, User
from spa_desk.calls.draft import CallDraft, close_leg, contact_row_for, write_draft
from spa_desk.calls.screening import screening
from spa_desk.database import Database
from spa_desk.domain import CurrentUser
from spa_desk.errors import InvalidInput
from spa_desk.governance.log import AuditAction, record
from spa_desk.handoff.clock import due_at
from spa_desk.identifiers import clean_phone
from spa_desk.live.events import LiveKind, announce
from spa_desk.permissions import Action, allowed, require
from spa_desk.vocabulary import (
    OPEN_HANDOFF,
    HandoffKind,
    HandoffStatus,
    Level1,
    Stream,
    Urgency,
)
from triage_rules import RuleSet


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
        item = queue_item(session, row)
        announce(session, LiveKind.HANDOFF, row.id)
        # The audit entry last: the log is one desk's at a time from here until the commit.
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
        return item


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
        return queue_items(session, list(rows))


def queue_items(session: Session, rows: list[Handoff]) -> list[QueueItem]:
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


def queue_item(session: Session, row: Handoff) -> QueueItem:
    return queue_items(session, [row])[0]


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
