"""baresip's ctrl_tcp messages read (new and old field names), numbers in odd formats, and call
events turned into the desk's telephony events."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from spa_desk.telephony.baresip_messages import (
    BaresipEvent,
    BaresipMessageError,
    BaresipResponse,
    LineMap,
    peer_number,
    read_message,
    sip_user,
    telephony_event,
)
from spa_desk.telephony.events import CallAnswered, CallEnded, CallHeld, IncomingCall
from spa_desk.vocabulary import Line

AT = datetime(2026, 11, 30, 14, 0, tzinfo=UTC)

# As baresip 1.0.0 sends it on this machine (RECIPES.md).
INCOMING = {
    "event": True,
    "type": "CALL_INCOMING",
    "class": "call",
    "accountaor": "sip:desk@127.0.0.1:5070",
    "direction": "incoming",
    "peeruri": "sip:07700900123@127.0.0.1:5080",
    "peerdisplayname": "Jane Caller",
    "id": "f46f80b3465a5ffb",
    "param": "sip:07700900123@127.0.0.1:5080",
}


def _read(body: dict[str, object]) -> BaresipEvent | BaresipResponse:
    return read_message(json.dumps(body).encode())


def test_an_incoming_call_is_read_with_new_and_old_field_names() -> None:
    new = _read(INCOMING)
    old_body = {k: v for k, v in INCOMING.items() if k not in ("accountaor", "peeruri")}
    old = _read({**old_body, "account": "sip:desk@127.0.0.1:5070", "peer": INCOMING["peeruri"]})
    assert new == old
    assert isinstance(new, BaresipEvent)
    assert new.kind == "CALL_INCOMING" and new.call_id == "f46f80b3465a5ffb"
    assert new.account == "sip:desk@127.0.0.1:5070"


def test_a_response_keeps_its_token() -> None:
    response = _read({"response": True, "ok": True, "data": "done\n", "token": "7"})
    assert response == BaresipResponse(ok=True, data="done\n", token="7")
    assert _read({"response": True, "ok": False, "token": 8}) == BaresipResponse(
        ok=False, token="8"
    )


@pytest.mark.parametrize(
    ("payload", "words"),
    [
        (b"{not json", "not JSON"),
        (b"\xff\xfe", "not JSON"),
        (b"[1, 2]", "not a JSON object"),
        (b'{"event": true}', "without a type"),
        (b'{"hello": "there"}', "neither an event nor a response"),
    ],
)
def test_what_is_not_a_baresip_message_is_named(payload: bytes, words: str) -> None:
    with pytest.raises(BaresipMessageError, match=words):
        read_message(payload)


@pytest.mark.parametrize(
    ("uri", "user", "number"),
    [
        ("sip:07700900123@127.0.0.1:5080", "07700900123", "07700900123"),
        ("<sip:+447700900123@pbx.example;user=phone>", "+447700900123", "07700900123"),
        ("sip:+44%207700%20900123@x", "+44%207700%20900123", None),
        ("tel:+44-1632-960123", "+44-1632-960123", "01632960123"),
        ("sips:01632960001@trunk.example", "01632960001", "01632960001"),
        ("sip:anonymous@anonymous.invalid", "anonymous", None),
        ("sip:Restricted@pbx", "Restricted", None),
        ("sip:alice@example.org", "alice", None),
        ("sip:pbx.example", None, None),
        ("", None, None),
        (None, None, None),
        ("sip:0033123456789@pbx", "0033123456789", "0033123456789"),
    ],
)
def test_numbers_in_odd_formats(uri: str | None, user: str | None, number: str | None) -> None:
    assert sip_user(uri) == user
    assert peer_number(uri) == number


def test_call_events_become_the_desks_and_the_line_comes_from_the_number_called() -> None:
    lines = LineMap(lines={"01632960100": Line.MENTAL_HEALTH, "desk": Line.GENERAL})
    event = _read({**INCOMING, "accountaor": "sip:01632960100@pbx.example"})
    assert isinstance(event, BaresipEvent)
    incoming = telephony_event(event, AT, lines)
    assert incoming == IncomingCall(
        call_ref="f46f80b3465a5ffb", at=AT, caller_number="07700900123", line=Line.MENTAL_HEALTH
    )
    unknown_line = BaresipEvent(kind="CALL_INCOMING", call_id="c2", account="sip:other@pbx")
    made = telephony_event(unknown_line, AT, lines)
    assert isinstance(made, IncomingCall) and made.line == Line.GENERAL
    assert made.caller_number is None
    assert telephony_event(BaresipEvent("CALL_ESTABLISHED", "c2"), AT, lines) == CallAnswered(
        call_ref="c2", at=AT
    )
    peer = BaresipEvent("CALL_CLOSED", "c2", param="Connection reset by peer")
    own = BaresipEvent("CALL_CLOSED", "c2", param="Connection reset by user")
    assert telephony_event(peer, AT, lines) == CallEnded(call_ref="c2", at=AT, by_caller=True)
    assert telephony_event(own, AT, lines) == CallEnded(call_ref="c2", at=AT, by_caller=False)
    assert telephony_event(BaresipEvent("CALL_HOLD", "c2"), AT, lines) == CallHeld(
        call_ref="c2", at=AT
    )
    # Events the desk does not need, and events about no call, change nothing.
    for kind in ("CALL_RTCP", "CALL_LOCAL_SDP", "REGISTER_OK", "SOMETHING_NEW"):
        assert telephony_event(BaresipEvent(kind, "c2"), AT, lines) is None
    assert telephony_event(BaresipEvent("CALL_INCOMING"), AT, lines) is None
