"""Live across desks (issue 12 item 4) on a real PostgreSQL server: a hand-off, a claim and a
saved contact are heard by another desk's listener within a second, ids only; a rolled-back
change is never heard; a listener whose connection is cut says so, listens again and asks for
everything to be read again."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Coroutine
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

import pytest
from sqlalchemy import text

from spa_desk.database import Database
from spa_desk.handoff.claims import claim
from spa_desk.handoff.queue import hand_off
from spa_desk.live.events import CHANNEL, LiveEvent, LiveKind, announce
from spa_desk.live.listener import ListenerState, LiveListener
from spa_desk.vocabulary import HandoffKind, Role
from tests.spa_desk.calls.helpers import RULES
from tests.spa_desk.handoff.test_handoff import CLAIMED, HANDED, _user, fall_call

T = TypeVar("T")


@pytest.fixture
def postgres(database: Database, database_url: str) -> Database:
    if not database_url.startswith("postgresql"):
        pytest.skip("LISTEN/NOTIFY is PostgreSQL's; on SQLite one desk works alone")
    return database


async def _heard(
    database: Database, act: Callable[[], Any], wanted: int, seconds: float = 5.0
) -> tuple[list[tuple[float, LiveEvent]], list[ListenerState], LiveListener]:
    """Start a listener, run ``act`` in a worker thread once it listens, and collect what it
    hears (with the time after ``act`` finished) until ``wanted`` events or ``seconds``."""
    events: list[tuple[float, LiveEvent]] = []
    states: list[ListenerState] = []
    done_at: list[float] = []
    listener = LiveListener(
        database.url,
        lambda event: events.append((time.monotonic(), event)),
        states.append,
        check_every=0.5,
    )
    task = asyncio.ensure_future(listener.run())
    while not states:
        await asyncio.sleep(0.01)
    await asyncio.to_thread(act)
    done_at.append(time.monotonic())
    deadline = time.monotonic() + seconds
    while len(events) < wanted and time.monotonic() < deadline:
        await asyncio.sleep(0.01)
    listener.stop()
    task.cancel()
    await asyncio.gather(task, return_exceptions=True)
    return [(at - done_at[0], event) for at, event in events], states, listener


def _run(job: Coroutine[Any, Any, T]) -> T:
    """Run ``job`` on an event loop of its own, in a thread of its own (a desk test in the same
    run may have left its Qt loop as this thread's)."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, job).result()


def test_hand_offs_claims_and_saves_are_heard_within_a_second(postgres: Database) -> None:
    handler = _user(postgres, "handler", Role.CALL_HANDLER)
    practitioner = _user(postgres, "nurse", Role.PRACTITIONER)
    draft = fall_call(postgres, handler)
    made: list[str] = []

    def act() -> None:
        item = hand_off(postgres, handler, draft, RULES, HandoffKind.WARM, now=HANDED)
        claim(postgres, practitioner, item.id, now=CLAIMED)
        made.append(str(item.id))

    events, states, _ = _run(_heard(postgres, act, 2))
    assert states[0].listening
    assert [event for _, event in events] == [
        LiveEvent(kind=LiveKind.HANDOFF, id=made[0]),
        LiveEvent(kind=LiveKind.CLAIM, id=made[0]),
    ]
    assert all(after < 1.0 for after, _ in events)


def test_a_change_rolled_back_is_never_heard(postgres: Database) -> None:
    def act() -> None:
        with postgres.sessions() as session:
            announce(session, LiveKind.CONTACT, "11111111-2222-3333-4444-555555555555")
            session.rollback()

    events, _, _ = _run(_heard(postgres, act, 1, seconds=1.0))
    assert events == []


def test_a_lost_connection_is_said_and_the_listener_listens_again(postgres: Database) -> None:
    def cut() -> None:
        with postgres.engine.begin() as connection:
            cut_off = connection.execute(
                text(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE query LIKE :listen AND pid <> pg_backend_pid()"
                ),
                {"listen": f"%LISTEN {CHANNEL}%"},
            ).all()
        assert cut_off, "the listener's connection was not found"

    events, states, listener = _run(_heard(postgres, cut, 1, seconds=10.0))
    assert [state.listening for state in states] == [True, False, True]
    assert "paused" in states[1].words
    assert [event.kind for _, event in events] == [LiveKind.RESYNC]
    assert listener.listens == 2


def test_payloads_from_a_newer_desk_are_ignored() -> None:
    assert LiveEvent.from_payload('{"kind": "telepathy", "id": "x"}') is None
    assert LiveEvent.from_payload("not json") is None
    assert LiveEvent.from_payload('{"kind":"contact","id":"7"}') == LiveEvent(
        kind=LiveKind.CONTACT, id="7"
    )
