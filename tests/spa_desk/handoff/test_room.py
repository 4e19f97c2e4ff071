"""Presence and the room (issue 12 item 5): each desk's state follows its call, away when said
or locked; the SPA manager sees who is where and each stream's queue with its oldest waiting and
overdue hand-offs, and can put a call-back that came to them back in the queue, and the missed
calls waiting for a call-back. Other roles may not see the room."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from spa_desk.database import Database
from spa_desk.handoff.claims import claim, record_attempt
from spa_desk.handoff.queue import hand_off, queue
from spa_desk.permissions import PermissionDenied
from spa_desk.room.presence import leave, presence_of, set_presence
from spa_desk.room.room import GONE_AFTER, back_to_queue, room
from spa_desk.telephony import call_log
from spa_desk.telephony.events import IncomingCall
from spa_desk.vocabulary import AttemptResult, HandoffKind, HandoffStatus, Presence, Role, Stream
from tests.spa_desk.calls.helpers import RULES
from tests.spa_desk.handoff.test_handoff import CLAIMED, HANDED, _user, fall_call


def test_presence_follows_the_call_and_away() -> None:
    assert presence_of(call_open=False, call_ended=False, away=False, locked=False) is (
        Presence.AVAILABLE
    )
    assert presence_of(call_open=True, call_ended=False, away=True, locked=False) is (
        Presence.ON_CALL
    )
    assert presence_of(call_open=True, call_ended=True, away=False, locked=True) is (
        Presence.WRAP_UP
    )
    assert presence_of(call_open=False, call_ended=False, away=False, locked=True) is (
        Presence.AWAY
    )


def test_the_manager_sees_who_is_where_and_the_queues(database: Database) -> None:
    handler = _user(database, "handler", Role.CALL_HANDLER)
    nurse = _user(database, "nurse", Role.PRACTITIONER)
    manager = _user(database, "boss", Role.SPA_MANAGER)
    set_presence(database, handler, Presence.ON_CALL, now=HANDED - timedelta(minutes=3))
    set_presence(database, handler, Presence.ON_CALL, now=HANDED)  # unchanged: since stays
    set_presence(database, nurse, Presence.AWAY, now=HANDED)
    warm = hand_off(
        database, handler, fall_call(database, handler), RULES, HandoffKind.WARM, now=HANDED
    )
    back = hand_off(
        database, handler, fall_call(database, handler, nhs_number=None), RULES,
        HandoffKind.CALL_BACK, now=HANDED + timedelta(minutes=1),
    )  # fmt: skip
    later = HANDED + timedelta(minutes=20)  # the warm one is overdue, the call-back is not
    set_presence(database, handler, Presence.ON_CALL, now=later - timedelta(minutes=1))
    set_presence(database, nurse, Presence.AWAY, now=later - timedelta(minutes=1))
    seen = room(database, manager, now=later)
    assert [(d.name, d.state, d.since) for d in seen.desks] == [
        ("Handler", Presence.ON_CALL, HANDED - timedelta(minutes=3)),
        ("Nurse", Presence.AWAY, HANDED),
    ]
    health = next(q for q in seen.queues if q.stream is Stream.HEALTH)
    assert (health.waiting, health.overdue, health.oldest_since) == (2, 1, HANDED)
    assert [q.stream for q in seen.queues] == list(Stream)
    for _ in range(3):
        claim(database, nurse, back.id, now=later)
        record_attempt(database, nurse, back.id, AttemptResult.NO_ANSWER, now=later)
    health = next(q for q in room(database, manager, now=later).queues if q.stream is Stream.HEALTH)
    assert (health.waiting, health.with_manager) == (1, 1)
    back_to_queue(database, manager, back.id, now=later)
    statuses = {item.id: item.status for item in queue(database, nurse)}
    assert statuses == {warm.id: HandoffStatus.WAITING, back.id: HandoffStatus.WAITING}
    leave(database, handler)
    gone = room(database, manager, now=later + GONE_AFTER)
    assert [d.name for d in gone.desks] == []  # one left, the other not heard from since


def test_only_the_spa_manager_sees_the_room(database: Database) -> None:
    for role in (Role.CALL_HANDLER, Role.PRACTITIONER, Role.TRAINER, Role.ADMINISTRATOR):
        with pytest.raises(PermissionDenied):
            room(database, _user(database, role.value.replace("_", ""), role), now=CLAIMED)
    trainer = _user(database, "trainer2", Role.TRAINER)
    with pytest.raises(PermissionDenied):
        queue(database, trainer)  # a trainer sees no live record (SPEC 7)


def test_the_room_counts_the_missed_calls_waiting_for_a_call_back(database: Database) -> None:
    handler = _user(database, "handler", Role.CALL_HANDLER)
    manager = _user(database, "boss", Role.SPA_MANAGER)

    def ring(ref: str, at: datetime, *, answered: bool = False) -> None:
        call_log.rang(database, handler, IncomingCall(call_ref=ref, at=at,
                                                      caller_number="07700900123"))  # fmt: skip
        if answered:
            call_log.answered(database, ref, at + timedelta(seconds=5))
        call_log.ended(database, ref, at + timedelta(seconds=40))

    ring("gave-up-1", HANDED)
    ring("gave-up-2", HANDED + timedelta(minutes=2))
    ring("answered", HANDED + timedelta(minutes=3), answered=True)
    ring("yesterday", HANDED - call_log.MISSED_WITHIN - timedelta(minutes=1))
    later = HANDED + timedelta(minutes=10)
    assert room(database, manager, now=later).missed_calls == 2
    [first, *_] = call_log.missed_calls(database, handler, later - call_log.MISSED_WITHIN)
    assert call_log.called_back(database, handler, first.id, later)
    assert room(database, manager, now=later).missed_calls == 1  # the same list as the desks'
