"""Netstrings (``<length>:<bytes>,``), the framing of baresip's ``ctrl_tcp`` interface.

:class:`NetstringReader` takes bytes as they arrive from a socket, in pieces of any size, and
gives back each whole message; what a broken peer sends (a length that is not digits, a missing
comma, an absurd length) raises :class:`NetstringError` with the problem in words. A message cut
off by the connection closing shows as :attr:`NetstringReader.pending`.
"""

from __future__ import annotations

MAX_LENGTH = 1_000_000
"""Longest message accepted: baresip's largest (a call list) is a few kilobytes."""
_MAX_DIGITS = len(str(MAX_LENGTH))


class NetstringError(ValueError):
    """The bytes are not a netstring; the reader cannot find the next message after this."""


def netstring(payload: bytes) -> bytes:
    """``payload`` framed as a netstring."""
    return str(len(payload)).encode("ascii") + b":" + payload + b","


class NetstringReader:
    """Splits a byte stream into netstring payloads."""

    def __init__(self, max_length: int = MAX_LENGTH) -> None:
        self._buffer = bytearray()
        self._max_length = max_length

    @property
    def pending(self) -> int:
        """Bytes held of a message not yet complete (at the end of a stream: one cut off)."""
        return len(self._buffer)

    def feed(self, data: bytes) -> list[bytes]:
        """Take ``data``; every message now complete, in order. Raises NetstringError (and
        forgets what it held) at the first thing that is not a netstring."""
        self._buffer.extend(data)
        messages: list[bytes] = []
        while self._buffer:
            colon = self._buffer.find(b":", 0, _MAX_DIGITS + 1)
            if colon < 0:
                head = bytes(self._buffer[: _MAX_DIGITS + 1])
                if len(self._buffer) > _MAX_DIGITS or not head.isdigit():
                    self._fail(f"a message should start with its length and ':', not {head!r}")
                break  # the length is still arriving
            digits = bytes(self._buffer[:colon])
            if not digits.isdigit():
                self._fail(f"a message's length should be digits, not {digits!r}")
            if len(digits) > 1 and digits.startswith(b"0"):
                self._fail(f"a message's length has a leading zero: {digits!r}")
            length = int(digits)
            if length > self._max_length:
                self._fail(f"a message of {length:,} bytes is longer than {self._max_length:,}")
            end = colon + 1 + length
            if len(self._buffer) <= end:
                break  # the rest of the message (and its comma) is still arriving
            if self._buffer[end] != ord(","):
                found = bytes(self._buffer[end : end + 1])
                self._fail(f"a message of {length} bytes should end with ',', not {found!r}")
            messages.append(bytes(self._buffer[colon + 1 : end]))
            del self._buffer[: end + 1]
        return messages

    def _fail(self, problem: str) -> None:
        self._buffer.clear()
        raise NetstringError(problem)
