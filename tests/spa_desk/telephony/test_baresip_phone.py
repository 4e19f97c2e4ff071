"""The baresip adapter against real softphones on loopback (SPEC 12): a call rings with the
caller's number and line, is answered from the desk, and ends when the caller hangs up, recorded;
a call hung up before an answer ends unanswered; baresip that stops is started again and
reconnected, and given up in words when it keeps stopping; a broken control stream is named and
reconnected; no baresip or a taken port is said in words."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Coroutine
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, TypeVar

import pytest

from spa_desk.telephony.baresip import BaresipControl, PhoneState, PhoneUnavailable, close_quietly
from spa_desk.telephony.baresip_messages import LineMap
from spa_desk.telephony.events import (
    CallAnswered,
    CallEnded,
    IncomingCall,
    TelephonyEvent,
    TelephonyFeed,
)
from spa_desk.telephony.netstring import netstring
from spa_desk.telephony.softphone import (
    SPARE_PORTS,
    Softphone,
    SoftphoneConfig,
    SoftphoneUnavailable,
    sip_ports_taken,
    spare_ports,
)
from spa_desk.vocabulary import Line
from tests.phones import (
    CALLER_NUMBER,
    both_running,
    control,
    free_port,
    make_phones,
    needs_baresip,
)

T = TypeVar("T")


def _run(job: Coroutine[Any, Any, T]) -> T:
    """Run ``job`` on an event loop of its own, in a thread of its own."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, job).result(timeout=120)


E = TypeVar("E", bound=TelephonyEvent)


async def _until(events: list[TelephonyEvent], kind: type[E], seconds: float = 10) -> E:
    for _ in range(int(seconds * 50)):
        found = [e for e in events if isinstance(e, kind)]
        if found:
            return found[-1]
        await asyncio.sleep(0.02)
    raise AssertionError(f"no {kind.__name__} within {seconds} s; heard {events}")


@needs_baresip
def test_a_call_rings_is_answered_and_the_caller_hangs_up(tmp_path: Path) -> None:
    phones = make_phones(tmp_path)

    async def call() -> list[TelephonyEvent]:
        feed = TelephonyFeed()
        heard: list[TelephonyEvent] = []
        feed.subscribe(heard.append)
        desk = control(phones.desk, feed)
        desk.lines = LineMap(lines={"desk": Line.MENTAL_HEALTH})
        caller = control(phones.caller)
        async with both_running(phones, desk, caller):
            await caller.dial(phones.desk_uri)
            ring = await _until(heard, IncomingCall)
            await asyncio.sleep(0.3)  # it rings a moment
            await desk.answer()
            await _until(heard, CallAnswered)
            await asyncio.sleep(2.0)  # they talk
            await caller.hang_up()
            await _until(heard, CallEnded)
            assert ring.call_ref == heard[-1].call_ref
        return heard

    heard = _run(call())
    assert [type(e) for e in heard] == [IncomingCall, CallAnswered, CallEnded]
    ring, answered, ended = heard
    assert isinstance(ring, IncomingCall) and isinstance(ended, CallEnded)
    assert ring.caller_number == CALLER_NUMBER and ring.line == Line.MENTAL_HEALTH
    assert ended.by_caller
    assert 0.2 < (answered.at - ring.at).total_seconds() < 3  # ringing time
    assert 1.5 < (ended.at - answered.at).total_seconds() < 5  # talk time
    # sndfile recorded the call: what the desk heard and what it sent.
    assert len(list(phones.recordings.glob("dump-*-dec.wav"))) == 1
    assert len(list(phones.recordings.glob("dump-*-enc.wav"))) == 1


@needs_baresip
def test_a_call_hung_up_before_an_answer_ends_unanswered(tmp_path: Path) -> None:
    phones = make_phones(tmp_path)

    async def call() -> list[TelephonyEvent]:
        feed = TelephonyFeed()
        heard: list[TelephonyEvent] = []
        feed.subscribe(heard.append)
        desk, caller = control(phones.desk, feed), control(phones.caller)
        async with both_running(phones, desk, caller):
            await caller.dial(phones.desk_uri)
            await _until(heard, IncomingCall)
            await asyncio.sleep(0.5)
            await caller.hang_up()
            await _until(heard, CallEnded)
        return heard

    heard = _run(call())
    assert [type(e) for e in heard] == [IncomingCall, CallEnded]
    assert not list(phones.recordings.glob("*.wav"))  # nothing answered, nothing recorded


@needs_baresip
def test_baresip_that_stops_mid_shift_is_started_again_and_reconnected(tmp_path: Path) -> None:
    phones = make_phones(tmp_path)

    async def shift() -> tuple[list[PhoneState], list[TelephonyEvent], list[str]]:
        states: list[PhoneState] = []
        feed = TelephonyFeed()
        heard: list[TelephonyEvent] = []
        feed.subscribe(heard.append)
        desk = control(phones.desk, feed)
        desk.on_state = lambda state, _words: states.append(state)
        caller = control(phones.caller)
        said: list[str] = []
        async with both_running(phones, desk, caller):
            keeping = asyncio.ensure_future(phones.desk.keep_running(said.append))
            process, before = phones.desk.process, len(states)
            assert process is not None
            process.kill()  # baresip dies
            await process.wait()
            for _ in range(500):  # the desk notices, starts it again and reconnects
                gone = PhoneState.DISCONNECTED in states[before:]
                if said and gone and desk.state is PhoneState.CONNECTED:
                    break
                await asyncio.sleep(0.02)
            await caller.dial(phones.desk_uri)
            await _until(heard, IncomingCall)
            assert not keeping.done()  # still watching
        await asyncio.wait_for(keeping, 5)  # and done once the desk stopped its phone
        return states, heard, said

    states, heard, said = _run(shift())
    # (It may try once before baresip listens.) Connected, gone, connected again.
    changes = [s for i, s in enumerate(states) if i == 0 or s is not states[i - 1]]
    assert changes[-3:] == [PhoneState.CONNECTED, PhoneState.DISCONNECTED, PhoneState.CONNECTED]
    assert said == ["The softphone stopped (baresip ended with code -9): starting it again."]
    assert any(isinstance(e, IncomingCall) for e in heard)


@needs_baresip
def test_baresip_that_keeps_stopping_is_given_up_in_words(tmp_path: Path) -> None:
    phones = make_phones(tmp_path)

    async def shift() -> list[str]:
        said: list[str] = []
        await phones.desk.start()
        try:
            keeping = asyncio.ensure_future(phones.desk.keep_running(said.append, tries=3))
            for _ in range(3):
                process = phones.desk.process
                assert process is not None
                await asyncio.sleep(0.3)
                process.kill()
                for _ in range(250):
                    if phones.desk.process is not process:
                        break
                    await asyncio.sleep(0.02)
            await asyncio.wait_for(keeping, 10)
        finally:
            await phones.desk.stop()
        return said

    said = _run(shift())
    again = "The softphone stopped (baresip ended with code -9): starting it again."
    assert said[:2] == [again, again]
    assert said[2].startswith("The softphone keeps stopping (baresip ended with code -9, 3 times")
    assert "the desk works without a phone" in said[2] and len(said) == 3
    assert phones.desk.process is None  # not started a fourth time


def test_a_broken_control_stream_is_named_and_reconnected() -> None:
    """A fake ctrl_tcp: a message that is not JSON, an unknown event and a truncated netstring
    on the first connection; a good incoming call on the second."""
    connections: list[int] = []
    incoming = b'{"event":true,"type":"CALL_INCOMING","id":"c9","peeruri":"sip:01632960001@x"}'

    async def serve(_reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        connections.append(1)
        if len(connections) == 1:
            writer.write(netstring(b"not json"))
            writer.write(netstring(b'{"event":true,"type":"SOMETHING_NEW","id":"c8"}'))
            writer.write(b"12:{}}}")  # twelve bytes promised, then the stream ends
        else:
            writer.write(netstring(incoming))
        await writer.drain()
        writer.close()

    async def watch() -> tuple[BaresipControl, list[TelephonyEvent], list[str]]:
        server = await asyncio.start_server(serve, "127.0.0.1", 0)
        port = server.sockets[0].getsockname()[1]
        feed = TelephonyFeed()
        heard: list[TelephonyEvent] = []
        feed.subscribe(heard.append)
        said: list[str] = []
        desk = BaresipControl("127.0.0.1", port, feed, retry_seconds=0.05,
                              on_state=lambda _state, words: said.append(words))  # fmt: skip
        task = asyncio.ensure_future(desk.run())
        try:
            await _until(heard, IncomingCall)
        finally:
            await close_quietly(task, desk)
            server.close()
            await server.wait_closed()
        return desk, heard, said

    desk, heard, said = _run(watch())
    assert [type(e) for e in heard] == [IncomingCall]
    assert desk.problems[0].startswith("a message that is not JSON")
    assert "cut off after" in desk.problems[1]
    assert any("went away" in words for words in said)


def test_commands_without_a_phone_are_refused_in_words() -> None:
    async def ask() -> str:
        desk = BaresipControl("127.0.0.1", free_port(), TelephonyFeed())
        with pytest.raises(PhoneUnavailable) as refused:
            await desk.answer()
        return str(refused.value)

    assert _run(ask()) == "There is no phone connected to this desk."


def test_no_baresip_or_a_taken_port_is_said_in_words(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = SoftphoneConfig(folder=tmp_path / "desk", account="<sip:desk@127.0.0.1:5070>",
                             control_port=free_port())  # fmt: skip
    monkeypatch.setenv("PATH", str(tmp_path / "nowhere"))
    with pytest.raises(SoftphoneUnavailable, match="baresip is not installed"):
        _run(Softphone(config).start())
    monkeypatch.undo()
    if not needs_baresip.args[0]:
        with socket.socket() as taken:
            taken.bind(("127.0.0.1", config.control_port))
            taken.listen()
            with pytest.raises(SoftphoneUnavailable, match=f"Port {config.control_port}"):
                _run(Softphone(config).start())


@needs_baresip
def test_a_sip_port_taken_on_tcp_or_the_next_port_is_said_in_words(tmp_path: Path) -> None:
    """baresip listens on UDP and TCP at its SIP port and on TCP at the next one: a program on
    any of them stops it (exit 98), so each is checked before it starts."""
    port = spare_ports(3)
    assert sip_ports_taken("127.0.0.1", port) == []
    for taken_port in (port, port + 1):
        config = SoftphoneConfig(
            folder=tmp_path / "desk",
            account="<sip:desk@127.0.0.1>",
            sip_listen=f"127.0.0.1:{port}",
            control_port=port + 2,
        )
        with socket.socket() as taken:
            taken.bind(("127.0.0.1", taken_port))
            taken.listen()
            assert sip_ports_taken("127.0.0.1", port) == [f"TCP {taken_port}"]
            with pytest.raises(SoftphoneUnavailable, match=f"The SIP address 127.0.0.1:{port}"):
                _run(Softphone(config).start())
    assert port in SPARE_PORTS and port + 1 < 20000  # clear of outgoing connections and RTP
