"""What baresip's ``ctrl_tcp`` says, read into plain values, and its call events turned into the
desk's telephony events (:mod:`spa_desk.telephony.events`).

A message is one JSON object in a netstring: an event (``"event": true``, with ``type``,
``id`` = the SIP Call-ID, ``peeruri``, ``peerdisplayname``, ``accountaor``, ``param``) or a
response to a command (``"response": true``, ``ok``, ``data``, ``token``). Older baresip builds
name ``accountaor`` and ``peeruri`` ``account`` and ``peer``; both are read.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from spa_desk.identifiers import caller_number
from spa_desk.telephony.events import (
    CallAnswered,
    CallEnded,
    CallHeld,
    CallResumed,
    IncomingCall,
    TelephonyEvent,
)
from spa_desk.vocabulary import Line


class BaresipMessageError(ValueError):
    """A message from baresip that is not what ctrl_tcp sends."""


@dataclass(frozen=True)
class BaresipEvent:
    """An event: ``kind`` (CALL_INCOMING, CALL_ESTABLISHED, CALL_CLOSED, ...) and its call."""

    kind: str
    call_id: str | None = None
    peer_uri: str | None = None
    peer_name: str | None = None
    account: str | None = None
    direction: str | None = None
    param: str | None = None


@dataclass(frozen=True)
class BaresipResponse:
    """The answer to the command sent with ``token``."""

    ok: bool
    data: str = ""
    token: str | None = None


@dataclass(frozen=True)
class LineMap:
    """Which line a call came in on, from the number or account it was made to."""

    lines: dict[str, Line] = field(default_factory=dict)
    """Called number (or account user, or whole account address) to line."""
    default: Line = Line.GENERAL

    def line_for(self, account: str | None) -> Line:
        """The line of a call to ``account`` (a SIP address: sip:01632960100@pbx.example)."""
        if account:
            for key in (account, sip_user(account), caller_number(sip_user(account))):
                if key and key in self.lines:
                    return self.lines[key]
        return self.default


def _text(body: dict[str, Any], *names: str) -> str | None:
    for name in names:
        value = body.get(name)
        if isinstance(value, str) and value.strip():
            return value.strip()
    return None


def read_message(payload: bytes) -> BaresipEvent | BaresipResponse:
    """One ctrl_tcp message; BaresipMessageError, in words, when it is not one."""
    try:
        body = json.loads(payload.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise BaresipMessageError(f"a message that is not JSON ({error})") from None
    if not isinstance(body, dict):
        raise BaresipMessageError("a message that is not a JSON object")
    if body.get("event") is True:
        kind = _text(body, "type")
        if kind is None:
            raise BaresipMessageError("an event without a type")
        return BaresipEvent(
            kind=kind,
            call_id=_text(body, "id"),
            peer_uri=_text(body, "peeruri", "peer"),
            peer_name=_text(body, "peerdisplayname"),
            account=_text(body, "accountaor", "account"),
            direction=_text(body, "direction"),
            param=_text(body, "param"),
        )
    if body.get("response") is True:
        data = body.get("data")
        token = body.get("token")
        return BaresipResponse(
            ok=body.get("ok") is True,
            data=data if isinstance(data, str) else "",
            token=str(token) if token is not None else None,
        )
    raise BaresipMessageError("a message that is neither an event nor a response")


def sip_user(uri: str | None) -> str | None:
    """The user part of a SIP or tel URI (``sip:07700900123@host`` gives ``07700900123``);
    None for a URI without one."""
    if not uri:
        return None
    text = uri.strip().strip("<>")
    scheme = next((s for s in ("sips:", "sip:", "tel:") if text.lower().startswith(s)), "")
    text = text[len(scheme) :].split(";", 1)[0]
    if "@" in text:
        return text.split("@", 1)[0].strip() or None
    return None if scheme in ("sip:", "sips:") else (text.strip() or None)  # sip:host: no user


WITHHELD = frozenset({"anonymous", "unknown", "restricted", "private", "withheld", "unavailable"})
"""User parts a network sends for a number it will not give."""


def peer_number(uri: str | None) -> str | None:
    """The caller's number from their SIP address, None when withheld or not a number."""
    user = sip_user(uri)
    if user is None or user.lower() in WITHHELD:
        return None
    digits = user.replace("-", "").replace(" ", "").replace(".", "")
    if not digits.lstrip("+").isdigit():
        return None  # a name, not a number (sip:alice@example.org)
    return caller_number(user)


def telephony_event(event: BaresipEvent, at: datetime, lines: LineMap) -> TelephonyEvent | None:
    """The desk's event for a baresip call event; None for events the desk does not need."""
    if event.call_id is None:
        return None
    if event.kind == "CALL_INCOMING":
        return IncomingCall(
            call_ref=event.call_id,
            at=at,
            caller_number=peer_number(event.peer_uri),
            line=lines.line_for(event.account),
        )
    if event.kind == "CALL_ESTABLISHED":
        return CallAnswered(call_ref=event.call_id, at=at)
    if event.kind == "CALL_CLOSED":
        by_caller = "peer" in (event.param or "").lower()
        return CallEnded(call_ref=event.call_id, at=at, by_caller=by_caller)
    if event.kind in ("CALL_HOLD", "CALL_ONHOLD"):
        return CallHeld(call_ref=event.call_id, at=at)
    if event.kind in ("CALL_RESUME", "CALL_RESUMED"):
        return CallResumed(call_ref=event.call_id, at=at)
    return None
