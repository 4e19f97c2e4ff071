"""The level-2 hand-off (issue 12, SPEC 11) through the services, on SQLite and PostgreSQL: a
handler hands off warm or as a call-back, a practitioner of the stream claims it once and saves
the same contact with both legs; call-back attempts, three unanswered ones to the SPA manager;
the audit rows; and a claim race of 20 desks, 50 times over, claimed exactly once each time."""

from __future__ import annotations

import threading
import uuid
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import func, select

from db.models import AuditEvent, CallbackAttempt, Contact, ContactLeg, Handoff
from spa_desk.access.login import authenticate
from spa_desk.calls.draft import CallDraft, CallerDetails, save_draft, unfinished_calls
from spa_desk.calls.save import save_call
from spa_desk.calls.screening import screening, with_answer
from spa_desk.database import Database, open_database
from spa_desk.domain import CurrentUser
from spa_desk.errors import InvalidInput, KnownError
from spa_desk.handoff.claims import AlreadyClaimed, claim, record_attempt, release
from spa_desk.handoff.clock import add_working_days, due_at
from spa_desk.handoff.queue import hand_off, queue
from spa_desk.vocabulary import (
    AttemptResult,
    HandoffKind,
    HandoffStatus,
    Role,
    Stream,
    Urgency,
)
from tests.factories import add_user
from tests.spa_desk.calls.helpers import ANSWERED, RULES, START, answered, opened_for_call

HANDED = START + timedelta(minutes=4)
CLAIMED = HANDED + timedelta(minutes=2)
SAVED = CLAIMED + timedelta(minutes=9)


def _user(
    database: Database, name: str, role: Role, streams: tuple[str, ...] | None = None
) -> CurrentUser:
    add_user(
        database,
        name,
        "pass phrase 1",
        roles=(role.value,),
        display_name=name.title(),
        streams=streams,
    )
    return authenticate(database, name, "pass phrase 1")


def to_level2(draft: CallDraft, ticked: set[str], **script: Any) -> CallDraft:
    """Answer level 1 as a handler would (``script``, the boxes ``ticked``, no to the rest)."""
    given = {"call_kind": "data", "caller_type": "family", **script}
    while (asked := screening(RULES, draft).next_question()) is not None and asked.level == 1:
        fact = asked.question.fact
        value: Any
        if asked.question.is_checklist:
            value = sorted(ticked & {box.fact.name for box in asked.boxes})
        else:
            value = given.get(fact.name, fact.empty)
            value = sorted(value) if isinstance(value, frozenset) else value
        draft = draft.model_copy(update={"answers": with_answer(RULES, draft, fact.name, value)})
    return draft


def fall_call(database: Database, handler: Any, **person: Any) -> CallDraft:
    """A daughter rings about her mother's fall: level 1 done, the health stream next."""
    draft = CallDraft(
        started_at=START,
        answered_at=ANSWERED,
        caller_number="07700900123",
        caller=CallerDetails(name="Jo Tester", relationship="daughter", phone="07700900123"),
        notes="Fell in the kitchen on Sunday.",
    )
    draft = opened_for_call(database, handler, draft, **person)
    draft = to_level2(draft, {"fall_recent"})
    assert screening(RULES, draft).decision().stream == "health"
    save_draft(database, handler, draft, now=HANDED)
    return draft


def test_a_warm_hand_off_is_claimed_and_saved_as_one_contact_with_both_legs(
    database: Database,
) -> None:
    handler = _user(database, "handler", Role.CALL_HANDLER)
    practitioner = _user(database, "nurse", Role.PRACTITIONER, ("health",))
    mental_health = _user(database, "mhp", Role.PRACTITIONER, ("mental_health",))
    draft = fall_call(database, handler)

    item = hand_off(database, handler, draft, RULES, HandoffKind.WARM, now=HANDED)
    assert item.stream is Stream.HEALTH and item.kind is HandoffKind.WARM
    assert item.due_at == HANDED + timedelta(minutes=15)
    assert item.handed_by == "Handler" and item.reason
    assert unfinished_calls(database, handler) == []  # the handler's desk is free
    with pytest.raises(KnownError, match="handed off"):
        save_draft(database, handler, draft, now=HANDED)  # a late autosave cannot overwrite it
    assert [i.id for i in queue(database, practitioner, streams=practitioner.streams)] == [item.id]
    assert queue(database, mental_health, streams=mental_health.streams) == []
    with pytest.raises(KnownError, match="do not work"):
        claim(database, mental_health, item.id, now=CLAIMED)

    claimed, carried = claim(database, practitioner, item.id, now=CLAIMED)
    assert claimed.status is HandoffStatus.CLAIMED and claimed.claimed_by == "Nurse"
    assert carried.contact_id == draft.contact_id and carried.answers == draft.answers
    assert carried.caller == draft.caller and carried.notes == draft.notes
    assert carried.person_id == draft.person_id and carried.handoff_id == item.id
    assert [c.contact_id for c in unfinished_calls(database, practitioner)] == [draft.contact_id]
    with pytest.raises(AlreadyClaimed, match="Nurse claimed it first"):
        claim(database, _user(database, "nurse2", Role.PRACTITIONER), item.id, now=CLAIMED)
    noted = carried.model_copy(update={"notes": "Practitioner's note"})
    save_draft(database, practitioner, noted, now=CLAIMED + timedelta(seconds=1))  # autosaved
    with database.sessions() as session:
        kept = session.get(Contact, draft.contact_id)
        assert kept is not None and kept.draft is not None
        assert kept.draft["notes"] == "Practitioner's note"
        assert kept.handler_id == handler.id  # the practitioner's autosave keeps the handler
    with pytest.raises(KnownError, match="only the one who claimed it"):
        save_draft(database, handler, draft, now=CLAIMED + timedelta(seconds=2))

    finished = answered(carried).model_copy(
        update={"ended_at": SAVED - timedelta(minutes=1), "resolve": False}
    )
    saved = save_call(database, practitioner, finished, RULES, now=SAVED)
    assert saved.talk_seconds == (HANDED - ANSWERED).seconds + (SAVED - CLAIMED).seconds - 60
    with database.sessions() as session:
        contacts = session.scalars(select(Contact)).all()
        assert len(contacts) == 1 and contacts[0].status == "complete"
        assert contacts[0].handler_id == handler.id  # who took the call stays the handler
        legs = session.scalars(select(ContactLeg).order_by(ContactLeg.position)).all()
        assert [(leg.user_id, leg.talk_seconds) for leg in legs] == [
            (handler.id, (HANDED - ANSWERED).seconds),
            (practitioner.id, (SAVED - CLAIMED).seconds - 60),
        ]
        assert session.scalar(select(Handoff.status)) == "done"
        actions = session.scalars(select(AuditEvent.action).order_by(AuditEvent.position)).all()
    assert actions.count("handoff_made") == 1 and actions.count("handoff_claimed") == 1
    assert unfinished_calls(database, practitioner) == []


def test_a_call_back_is_tried_until_reached_and_keeps_every_attempt(database: Database) -> None:
    handler = _user(database, "handler", Role.CALL_HANDLER)
    practitioner = _user(database, "nurse", Role.PRACTITIONER)
    draft = fall_call(database, handler)
    item = hand_off(database, handler, draft, RULES, HandoffKind.CALL_BACK, now=HANDED)
    assert item.kind is HandoffKind.CALL_BACK
    assert item.due_at == due_at(HandoffKind.CALL_BACK, item.urgency, HANDED)

    at = CLAIMED
    for attempt, result in enumerate((AttemptResult.NO_ANSWER, AttemptResult.MESSAGE_LEFT), 1):
        claim(database, practitioner, item.id, now=at)
        after, opened = record_attempt(database, practitioner, item.id, result, now=at)
        assert opened is None and after.status is HandoffStatus.WAITING
        assert after.attempts == attempt == after.unanswered
        at += timedelta(minutes=20)
    claim(database, practitioner, item.id, now=at)
    after, opened = record_attempt(database, practitioner, item.id, AttemptResult.REACHED, now=at)
    assert opened is not None and opened.ended_at is None and opened.leg_started_at == at
    assert after.attempts == 3 and after.status is HandoffStatus.CLAIMED

    finished = answered(opened).model_copy(
        update={"ended_at": at + timedelta(minutes=5), "resolve": False}
    )
    saved = save_call(database, practitioner, finished, RULES, now=at + timedelta(minutes=7))
    assert saved.talk_seconds == (HANDED - ANSWERED).seconds + 300
    with database.sessions() as session:
        results = session.scalars(select(CallbackAttempt.result).order_by(CallbackAttempt.at))
        assert list(results) == ["no_answer", "message_left", "reached"]
        assert session.scalar(select(func.count()).select_from(Contact)) == 1
        actions = list(session.scalars(select(AuditEvent.action)))
    assert actions.count("callback_attempted") == 3


def test_three_unanswered_attempts_go_to_the_spa_manager(database: Database) -> None:
    handler = _user(database, "handler", Role.CALL_HANDLER)
    practitioner = _user(database, "nurse", Role.PRACTITIONER)
    manager = _user(database, "boss", Role.SPA_MANAGER)
    item = hand_off(
        database,
        handler,
        fall_call(database, handler),
        RULES,
        HandoffKind.CALL_BACK,
        now=HANDED,
    )
    for _ in range(3):
        claim(database, practitioner, item.id, now=CLAIMED)
        after, _ = record_attempt(
            database, practitioner, item.id, AttemptResult.NO_ANSWER, now=CLAIMED
        )
    assert after.status is HandoffStatus.ESCALATED
    with pytest.raises(AlreadyClaimed, match="SPA manager"):
        claim(database, practitioner, item.id, now=CLAIMED)
    assert [i.status for i in queue(database, manager)] == [HandoffStatus.ESCALATED]


def test_a_claim_put_back_is_waiting_again(database: Database) -> None:
    handler = _user(database, "handler", Role.CALL_HANDLER)
    practitioner = _user(database, "nurse", Role.PRACTITIONER)
    item = hand_off(
        database,
        handler,
        fall_call(database, handler),
        RULES,
        HandoffKind.CALL_BACK,
        now=HANDED,
    )
    claim(database, practitioner, item.id, now=CLAIMED)
    release(database, practitioner, item.id, now=CLAIMED)
    assert [i.status for i in queue(database, practitioner)] == [HandoffStatus.WAITING]


def test_hand_off_refusals_are_in_words(database: Database) -> None:
    handler = _user(database, "handler", Role.CALL_HANDLER)
    fresh = CallDraft(started_at=START, answered_at=ANSWERED)
    with pytest.raises(InvalidInput, match="reached a stream") as error:
        hand_off(database, handler, fresh, RULES, HandoffKind.WARM, now=HANDED)
    assert error.value.field == "Hand-off"
    draft = fall_call(database, handler).model_copy(
        update={"caller": CallerDetails(name="Jo"), "caller_number": None}
    )
    with pytest.raises(InvalidInput, match="number to ring") as error:
        hand_off(database, handler, draft, RULES, HandoffKind.CALL_BACK, now=HANDED)
    assert error.value.field == "Call-back number"
    with database.sessions() as session:
        assert session.scalar(select(func.count()).select_from(Handoff)) == 0


def test_the_urgency_clock() -> None:
    monday = START  # 10:00 UTC on Monday 2 March 2026
    assert due_at(HandoffKind.WARM, Urgency.ROUTINE, monday) == monday + timedelta(minutes=15)
    assert due_at(HandoffKind.CALL_BACK, None, monday) == monday + timedelta(hours=1)
    assert due_at(HandoffKind.CALL_BACK, Urgency.URGENT, monday) == monday + timedelta(hours=4)
    assert due_at(HandoffKind.CALL_BACK, Urgency.ROUTINE, monday) == monday + timedelta(weeks=2)
    assert due_at(HandoffKind.CALL_BACK, Urgency.SOON, monday) == monday + timedelta(days=2)
    friday = monday + timedelta(days=4)
    assert add_working_days(friday, 2) == friday + timedelta(days=4)  # Tuesday
    saturday = monday + timedelta(days=5)
    assert add_working_days(saturday, 2) == monday + timedelta(days=9)  # Wednesday 10:00


def _race(
    engines: list[Database], desks: list[CurrentUser], handoff_id: uuid.UUID
) -> tuple[list[str], list[str]]:
    """Every desk presses claim at the same moment, each on its own connection: who got it,
    and what the others were told."""
    gate = threading.Barrier(len(desks))
    winners: list[str] = []
    refused: list[str] = []

    def press(index: int) -> None:
        gate.wait()
        try:
            claim(engines[index], desks[index], handoff_id, now=CLAIMED)
            winners.append(desks[index].username)
        except AlreadyClaimed as error:
            refused.append(str(error))

    threads = [threading.Thread(target=press, args=(i,)) for i in range(len(desks))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return winners, refused


def test_twenty_desks_claiming_at_once_get_each_hand_off_exactly_once(
    database: Database, database_url: str
) -> None:
    if not database_url.startswith("postgresql"):
        pytest.skip("twenty desks each with their own connection is a PostgreSQL matter")
    handler = _user(database, "handler", Role.CALL_HANDLER)
    desks = [_user(database, f"prac{n}", Role.PRACTITIONER) for n in range(20)]
    draft = fall_call(database, handler)
    engines = [open_database(database_url) for _ in desks]
    try:
        for round_ in range(50):
            contact = draft.model_copy(update={"contact_id": uuid.uuid4()})
            save_draft(database, handler, contact, now=HANDED)
            item = hand_off(database, handler, contact, RULES, HandoffKind.WARM, now=HANDED)
            winners, refused = _race(engines, desks, item.id)
            assert len(winners) == 1, f"round {round_}: {winners}"
            assert len(refused) == len(desks) - 1
            assert all("claimed it first" in words for words in refused)
    finally:
        for engine in engines:
            engine.close()
    with database.sessions() as session:
        claims = session.scalar(
            select(func.count())
            .select_from(AuditEvent)
            .where(AuditEvent.action == "handoff_claimed")
        )
    assert claims == 50
