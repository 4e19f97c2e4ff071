"""What a telephony adapter tells the desk: a call rings (with the caller's number and the line
they chose), is answered, and ends (SPEC 2 step 1).

An adapter for a real telephone system (a SIP client, a CTI link) turns its own events into these
and hands them to :meth:`TelephonyFeed.publish`; the desk subscribes. Nothing here knows Qt, so
an adapter can run without the desktop and be tested on its own.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import datetime

from pydantic import BaseModel, ConfigDict, field_validator

from spa_desk.identifiers import caller_number
from spa_desk.vocabulary import Line


class TelephonyEvent(BaseModel):
    """Something that happened to one call on the telephone system, identified by ``call_ref``."""

    model_config = ConfigDict(frozen=True)

    call_ref: str
    at: datetime

    @field_validator("at")
    @classmethod
    def _aware(cls, value: datetime) -> datetime:
        if value.tzinfo is None:
            raise ValueError("a telephony time needs its time zone")
        return value


class IncomingCall(TelephonyEvent):
    """A call is ringing: who is calling (when the network says) and on which line or queue."""

    caller_number: str | None = None
    line: Line = Line.GENERAL

    @field_validator("caller_number")
    @classmethod
    def _digits(cls, value: str | None) -> str | None:
        return caller_number(value)


class CallAnswered(TelephonyEvent):
    """The call handler picked the call up: the call timer starts."""


class CallEnded(TelephonyEvent):
    """The caller or the handler hung up: talk time ends and wrap-up time begins."""

    by_caller: bool = False
    """The caller hung up (before an answer: an abandoned call)."""


class CallHeld(TelephonyEvent):
    """The handler put the caller on hold."""


class CallResumed(TelephonyEvent):
    """The handler took the caller off hold."""


Listener = Callable[[TelephonyEvent], None]


class TelephonyFeed:
    """Where an adapter publishes events and the desk listens.

    ``publish`` may be called from any thread (an adapter usually has its own); listeners are
    called on that thread, so a desk listener must hand the event over to its own thread.
    """

    def __init__(self) -> None:
        self._listeners: list[Listener] = []
        self._lock = threading.Lock()

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        """Call ``listener`` with every event from now on; returns a function to stop."""
        with self._lock:
            self._listeners.append(listener)

        def unsubscribe() -> None:
            with self._lock:
                if listener in self._listeners:
                    self._listeners.remove(listener)

        return unsubscribe

    def publish(self, event: TelephonyEvent) -> None:
        """Tell every listener about ``event``."""
        with self._lock:
            listeners = list(self._listeners)
        for listener in listeners:
            listener(event)
