"""The baresip adapter (SPEC 12): a client of baresip's ``ctrl_tcp`` on the desk's asyncio loop.

It reads baresip's events and publishes the desk's telephony events on a
:class:`~spa_desk.telephony.events.TelephonyFeed` (incoming call with the caller's number and
the line, answered, held, resumed, ended, each at the moment it was heard), and sends the
desk's commands (answer, hang up, hold, resume, dial). When baresip is not there, or goes away,
it says so through ``on_state`` and connects again every ``retry_seconds``: the desk works on
without a phone meanwhile. Nothing here blocks: every wait is an ``await`` on the loop.

A message that is not a netstring cannot be stepped over (the next one's start is lost): the
connection is dropped and made again. A message that is a netstring but not one of baresip's is
reported and skipped; events the desk does not need are ignored.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import logging
from collections.abc import Callable
from datetime import UTC, datetime
from enum import StrEnum

from spa_desk.errors import KnownError
from spa_desk.telephony.baresip_messages import (
    BaresipEvent,
    BaresipMessageError,
    BaresipResponse,
    LineMap,
    read_message,
    telephony_event,
)
from spa_desk.telephony.events import TelephonyFeed
from spa_desk.telephony.netstring import NetstringError, NetstringReader, netstring

log = logging.getLogger(__name__)

COMMAND_SECONDS = 5.0
"""How long a command waits for baresip's response."""


class PhoneState(StrEnum):
    """Whether the desk has its phone."""

    CONNECTED = "connected"
    DISCONNECTED = "disconnected"


class PhoneUnavailable(KnownError):
    """A command for the phone could not be given: no softphone, or it did not answer."""


StateListener = Callable[[PhoneState, str], None]
"""Told the phone's state and, in words, why (never personal data)."""


class BaresipControl:
    """The desk's connection to one baresip's ctrl_tcp."""

    def __init__(
        self,
        host: str,
        port: int,
        feed: TelephonyFeed,
        lines: LineMap | None = None,
        *,
        on_state: StateListener | None = None,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        retry_seconds: float = 1.0,
    ) -> None:
        self.host, self.port = host, port
        self.feed = feed
        self.lines = lines or LineMap()
        self.on_state = on_state
        self.clock = clock
        self.retry_seconds = retry_seconds
        self.state = PhoneState.DISCONNECTED
        self._words = ""
        self.problems: list[str] = []
        """What baresip sent that could not be read, in words (the newest last)."""
        self._writer: asyncio.StreamWriter | None = None
        self._waiting: dict[str, asyncio.Future[BaresipResponse]] = {}
        self._tokens = itertools.count(1)
        self._stopping = False
        self._connected = asyncio.Event()

    # The connection ---------------------------------------------------------------------------

    async def run(self) -> None:
        """Connect, read events until the connection goes, and connect again, until stopped."""
        while not self._stopping:
            try:
                reader, writer = await asyncio.open_connection(self.host, self.port)
            except OSError as error:
                why = f" ({error.strerror})" if error.strerror else ""
                self._set_state(
                    PhoneState.DISCONNECTED,
                    f"No phone: the softphone at {self.host}:{self.port} does not answer{why}. "
                    "Trying again.",
                )
                await self._pause()
                continue
            self._writer = writer
            self._connected.set()
            self._set_state(PhoneState.CONNECTED, f"Phone connected ({self.host}:{self.port}).")
            why = await self._read(reader)
            self._drop(writer)
            if not self._stopping:
                gone = f"The phone went away: {why} Reconnecting."
                self._set_state(PhoneState.DISCONNECTED, gone)
                await self._pause()

    async def wait_connected(self, timeout: float) -> bool:
        """True once connected (within ``timeout`` seconds)."""
        try:
            await asyncio.wait_for(self._connected.wait(), timeout)
        except TimeoutError:
            return False
        return True

    def stop(self) -> None:
        """Stop reading and connecting; commands waiting are told the phone is gone."""
        self._stopping = True
        if self._writer is not None:
            self._drop(self._writer)

    async def _pause(self) -> None:
        if not self._stopping:
            await asyncio.sleep(self.retry_seconds)

    def _drop(self, writer: asyncio.StreamWriter) -> None:
        if self._writer is writer:
            self._writer = None
            self._connected.clear()
        writer.close()
        for future in self._waiting.values():
            if not future.done():
                future.set_exception(PhoneUnavailable("The phone went away before it answered."))
        self._waiting.clear()

    def _set_state(self, state: PhoneState, words: str) -> None:
        """Tell ``on_state``, once for each new state or reason (not at every retry)."""
        changed = state != self.state
        if not changed and words == self._words:
            return
        self.state, self._words = state, words
        if changed:
            log.info("telephony: %s", state.value)
        if self.on_state is not None:
            self.on_state(state, words)

    async def _read(self, reader: asyncio.StreamReader) -> str:
        """Read until the connection ends; why it ended, in words."""
        frames = NetstringReader()
        while not self._stopping:
            try:
                data = await reader.read(65536)
            except OSError as error:
                return f"the connection failed ({error.strerror or error})."
            if not data:
                if frames.pending:
                    self._problem(f"its last message was cut off after {frames.pending} bytes")
                return "the softphone closed the connection."
            try:
                payloads = frames.feed(data)
            except NetstringError as error:
                self._problem(str(error))
                return "it sent something that is not a ctrl_tcp message."
            for payload in payloads:
                self._take(payload)
        return "stopped."

    def _problem(self, words: str) -> None:
        self.problems.append(words)
        del self.problems[:-20]
        log.warning("telephony: baresip sent %s", words)

    def _take(self, payload: bytes) -> None:
        try:
            message = read_message(payload)
        except BaresipMessageError as error:
            self._problem(str(error))
            return
        if isinstance(message, BaresipResponse):
            future = self._waiting.pop(message.token or "", None)
            if future is not None and not future.done():
                future.set_result(message)
            return
        self._event(message)

    def _event(self, event: BaresipEvent) -> None:
        happened = telephony_event(event, self.clock(), self.lines)
        if happened is not None:
            self.feed.publish(happened)

    # Commands ---------------------------------------------------------------------------------

    async def command(self, name: str, params: str = "") -> BaresipResponse:
        """Send ``name`` with ``params``; baresip's response. PhoneUnavailable when there is no
        connection or no response within COMMAND_SECONDS."""
        writer = self._writer
        if writer is None:
            raise PhoneUnavailable("There is no phone connected to this desk.")
        token = str(next(self._tokens))
        future: asyncio.Future[BaresipResponse] = asyncio.get_running_loop().create_future()
        self._waiting[token] = future
        body = json.dumps({"command": name, "params": params, "token": token})
        try:
            writer.write(netstring(body.encode("utf-8")))
            await writer.drain()
            return await asyncio.wait_for(future, COMMAND_SECONDS)
        except (OSError, ConnectionError) as error:
            raise PhoneUnavailable(f"The phone could not be reached ({error}).") from None
        except TimeoutError:
            raise PhoneUnavailable("The phone did not answer the desk in time.") from None
        finally:
            self._waiting.pop(token, None)

    async def answer(self) -> None:
        """Pick up the ringing call."""
        await self._checked("accept")

    async def hang_up(self) -> None:
        """End the call."""
        await self._checked("hangup")

    async def hold(self, on: bool = True) -> None:
        """Put the caller on hold (``on``: they stop hearing the desk) or take them off it.

        Done with baresip's ``mute``, which keeps the caller's sound coming: baresip 1.0's SIP
        hold (``hold``, ``resume``) never brings the caller's sound back after a resume. ``mute``
        toggles and says which it did, so it is given again if the first left it the wrong way.
        """
        for _ in range(2):
            response = await self.command("mute")
            if not response.ok:
                words = response.data.strip() or "no reason given"
                raise PhoneUnavailable(f"The phone refused to hold the call: {words}.")
            muted = "un-muted" not in response.data and "muted" in response.data
            if muted == on:
                return
        raise PhoneUnavailable("The phone did not say the call is on hold.")

    async def resume(self) -> None:
        """Take the caller off hold."""
        await self.hold(False)

    async def dial(self, uri: str) -> None:
        """Call ``uri`` (a SIP address, or a number the account's server can route)."""
        await self._checked("dial", uri)

    async def _checked(self, name: str, params: str = "") -> None:
        response = await self.command(name, params)
        if not response.ok:
            words = response.data.strip() or "no reason given"
            raise PhoneUnavailable(f"The phone refused to {name}: {words}.")


async def close_quietly(task: asyncio.Task[None] | None, control: BaresipControl | None) -> None:
    """Stop ``control`` and wait for its reading ``task`` to end."""
    if control is not None:
        control.stop()
    if task is not None:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
