"""Announcements are sent after the commit, on the announcer's own connection (a save's commit
never waits while every listening desk is woken), in order, only when committed, again after the
announcer's connection was lost, and before the desk closes."""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator

import psycopg
import pytest
from sqlalchemy import text

from spa_desk.calls.save import prepare_saving
from spa_desk.database import Database, open_database
from spa_desk.live.announcer import APPLICATION_NAME, Announcer
from spa_desk.live.events import CHANNEL, LiveEvent, LiveKind, announce
from spa_desk.live.listener import conninfo
from spa_desk.vocabulary import Role
from tests.spa_desk.calls.helpers import RULES
from tests.spa_desk.handoff.test_handoff import _user


@pytest.fixture
def postgres(database: Database, database_url: str) -> Database:
    if not database_url.startswith("postgresql"):
        pytest.skip("LISTEN/NOTIFY is PostgreSQL's; on SQLite one desk works alone")
    return database


@pytest.fixture
def listener(postgres: Database) -> Iterator[psycopg.Connection[object]]:
    """Another desk's listening connection."""
    connection = psycopg.connect(conninfo(postgres.url), autocommit=True)
    connection.execute(f"LISTEN {CHANNEL}")
    yield connection
    connection.close()


def _heard(
    listener: psycopg.Connection[object], wanted: int, seconds: float = 5.0
) -> list[tuple[int, LiveEvent]]:
    """(the sender's server process, the event) of up to ``wanted`` announcements, waiting up to
    ``seconds``."""
    heard: list[tuple[int, LiveEvent]] = []
    deadline = time.monotonic() + seconds
    while len(heard) < wanted and time.monotonic() < deadline:
        for notice in listener.notifies(timeout=0.2, stop_after=wanted - len(heard)):
            event = LiveEvent.from_payload(notice.payload)
            assert event is not None
            heard.append((notice.pid, event))
    return heard


def _ids(count: int) -> list[str]:
    return [str(uuid.uuid4()) for _ in range(count)]


def test_announcements_leave_after_the_commit_on_the_announcers_own_connection(
    postgres: Database, listener: psycopg.Connection[object]
) -> None:
    ids = _ids(3)
    with postgres.sessions.begin() as session:
        saving_pid = session.execute(text("SELECT pg_backend_pid()")).scalar_one()
        for ident in ids:
            announce(session, LiveKind.CONTACT, ident)
        session.flush()
        assert _heard(listener, 1, seconds=0.5) == []  # nothing before the commit
    heard = _heard(listener, 3)
    assert [event.id for _, event in heard] == ids  # in the order announced
    senders = {pid for pid, _ in heard}
    assert saving_pid not in senders
    with postgres.engine.connect() as connection:
        name = connection.execute(
            text("SELECT application_name FROM pg_stat_activity WHERE pid = :pid"),
            {"pid": senders.pop()},
        ).scalar_one()
    assert name == APPLICATION_NAME


def test_a_rollback_drops_what_was_announced_and_the_next_commit_sends_only_its_own(
    postgres: Database, listener: psycopg.Connection[object]
) -> None:
    dropped, kept = _ids(1), _ids(1)
    with postgres.sessions() as session:
        announce(session, LiveKind.CLAIM, dropped[0])
        session.rollback()
        announce(session, LiveKind.CLAIM, kept[0])
        session.commit()
    assert [event.id for _, event in _heard(listener, 2, seconds=1.0)] == kept


def test_the_announcer_connects_again_after_its_connection_is_lost(
    postgres: Database, listener: psycopg.Connection[object]
) -> None:
    first, second = _ids(1), _ids(1)
    with postgres.sessions.begin() as session:
        announce(session, LiveKind.HANDOFF, first[0])
    assert [event.id for _, event in _heard(listener, 1)] == first
    with postgres.engine.begin() as connection:
        cut = connection.execute(
            text(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE application_name = :name AND datname = current_database()"
            ),
            {"name": APPLICATION_NAME},
        ).all()
    assert cut == [(True,)]
    began = time.monotonic()
    with postgres.sessions.begin() as session:
        announce(session, LiveKind.HANDOFF, second[0])
    assert [event.id for _, event in _heard(listener, 1)] == second
    # At once, not after the pause between attempts when the server is out of reach (0.5 s).
    assert time.monotonic() - began < 0.45


def test_closing_the_database_sends_what_is_waiting_first(
    postgres: Database, listener: psycopg.Connection[object]
) -> None:
    other = open_database(postgres.url)
    ids = _ids(20)
    for ident in ids:
        with other.sessions.begin() as session:
            announce(session, LiveKind.PRESENCE, ident)
    other.close()
    assert other.announcer is not None and other.announcer.sent == 20
    assert [event.id for _, event in _heard(listener, 20)] == ids


def test_a_server_out_of_reach_never_holds_the_desk_up() -> None:
    announcer = Announcer("postgresql+psycopg://postgres@127.0.0.1:9/none", close_wait=0.5)
    began = time.monotonic()
    announcer.send([LiveEvent(kind=LiveKind.CONTACT, id="1")])
    assert time.monotonic() - began < 0.1  # send never waits for the server
    announcer.close()
    assert time.monotonic() - began < 3.0
    assert announcer.sent == 0


def test_the_desk_connects_its_announcer_when_it_prepares_for_calls(postgres: Database) -> None:
    handler = _user(postgres, "handler", Role.CALL_HANDLER)

    def announcers() -> int:
        with postgres.engine.connect() as connection:
            return int(
                connection.execute(
                    text(
                        "SELECT count(*) FROM pg_stat_activity "
                        "WHERE application_name = :name AND datname = current_database()"
                    ),
                    {"name": APPLICATION_NAME},
                ).scalar_one()
            )

    assert announcers() == 0  # nothing announced yet: no connection
    prepare_saving(postgres, handler, RULES)
    deadline = time.monotonic() + 5.0
    while announcers() == 0 and time.monotonic() < deadline:
        time.sleep(0.02)
    assert announcers() == 1
    assert postgres.announcer is not None and postgres.announcer.sent == 0


def test_an_announcement_the_server_refuses_never_holds_up_the_next(
    postgres: Database, listener: psycopg.Connection[object]
) -> None:
    after = _ids(1)
    with postgres.sessions.begin() as session:
        announce(session, LiveKind.CONTACT, "x" * 9000)  # longer than a NOTIFY may carry
    with postgres.sessions.begin() as session:
        announce(session, LiveKind.CONTACT, after[0])
    assert [event.id for _, event in _heard(listener, 2, seconds=2.0)] == after
