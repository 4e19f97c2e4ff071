"""What a telephony adapter tells the desk (SPEC 2 step 1): events with aware times and a cleaned
caller number, published to every listener until it stops listening."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta, timezone

import pytest
from pydantic import ValidationError

from spa_desk.telephony.events import (
    CallAnswered,
    CallEnded,
    IncomingCall,
    TelephonyEvent,
    TelephonyFeed,
)
from spa_desk.vocabulary import Line

RING = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)


def test_listeners_hear_every_event_until_they_stop() -> None:
    feed = TelephonyFeed()
    first: list[TelephonyEvent] = []
    second: list[TelephonyEvent] = []
    stop_first = feed.subscribe(first.append)
    feed.subscribe(second.append)

    ring = IncomingCall(call_ref="c1", at=RING, caller_number="07700 900123", line=Line.HEALTH)
    answered = CallAnswered(call_ref="c1", at=RING + timedelta(seconds=9))
    feed.publish(ring)
    feed.publish(answered)
    stop_first()
    stop_first()  # stopping twice is harmless
    ended = CallEnded(call_ref="c1", at=RING + timedelta(minutes=4))
    feed.publish(ended)

    assert first == [ring, answered]
    assert second == [ring, answered, ended]
    assert [type(e) for e in second] == [IncomingCall, CallAnswered, CallEnded]


def test_publishing_with_no_listener_does_nothing() -> None:
    TelephonyFeed().publish(CallEnded(call_ref="c1", at=RING))


def test_a_listener_may_stop_while_an_event_is_delivered() -> None:
    feed = TelephonyFeed()
    heard: list[str] = []
    stops: list[object] = []

    def once(event: TelephonyEvent) -> None:
        heard.append(f"once:{event.call_ref}")
        stop = stops[0]
        assert callable(stop)
        stop()

    stops.append(feed.subscribe(once))
    feed.subscribe(lambda event: heard.append(f"always:{event.call_ref}"))
    feed.publish(CallAnswered(call_ref="a", at=RING))
    feed.publish(CallAnswered(call_ref="b", at=RING))
    assert heard == ["once:a", "always:a", "always:b"]


def test_events_from_an_adapter_thread_reach_the_listener() -> None:
    feed = TelephonyFeed()
    heard: list[str] = []
    lock = threading.Lock()

    def listen(event: TelephonyEvent) -> None:
        with lock:
            heard.append(event.call_ref)

    def adapter(n: int) -> None:
        for i in range(50):
            feed.publish(CallEnded(call_ref=f"t{n}-{i}", at=RING))

    feed.subscribe(listen)
    threads = [threading.Thread(target=adapter, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(heard) == sorted(f"t{n}-{i}" for n in range(4) for i in range(50))


@pytest.mark.parametrize("event_type", [IncomingCall, CallAnswered, CallEnded])
def test_naive_times_are_refused(event_type: type[TelephonyEvent]) -> None:
    with pytest.raises(ValidationError, match="a telephony time needs its time zone"):
        event_type(call_ref="c1", at=datetime(2026, 3, 2, 10, 0))


def test_aware_times_keep_their_instant() -> None:
    summer = timezone(timedelta(hours=1))
    event = CallAnswered(call_ref="c1", at=datetime(2026, 6, 1, 11, 0, tzinfo=summer))
    assert event.at == datetime(2026, 6, 1, 10, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("number", "cleaned"),
    [
        ("07700 900123", "07700900123"),
        ("(01632) 960-001", "01632960001"),
        ("+44 7700 900 123", "07700900123"),  # one form for UK numbers, as records keep them
        ("+44 (0)1632 960001", "01632960001"),
        ("+1 212-555-0100", "+12125550100"),  # not a UK number: kept as sent
        ("\t07700\n900123 ", "07700900123"),
        ("", None),
        (" - ", None),
        (None, None),
    ],
)
def test_caller_number_is_cleaned(number: str | None, cleaned: str | None) -> None:
    call = IncomingCall(call_ref="c1", at=RING, caller_number=number)
    assert call.caller_number == cleaned
    assert call.line is Line.GENERAL


def test_events_are_frozen_and_lines_checked() -> None:
    call = IncomingCall(call_ref="c1", at=RING, line=Line.MENTAL_HEALTH)
    with pytest.raises(ValidationError):
        call.call_ref = "c2"  # type: ignore[misc]
    with pytest.raises(ValidationError, match="line"):
        IncomingCall(call_ref="c1", at=RING, line="no_such_line")
    assert IncomingCall(call_ref="c1", at=RING, line="social_care").line is Line.SOCIAL_CARE
