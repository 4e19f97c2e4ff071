"""Netstrings as baresip's ctrl_tcp frames them: whole messages from pieces of any size, and a
broken stream named in words."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from spa_desk.telephony.netstring import NetstringError, NetstringReader, netstring


@given(st.lists(st.binary(max_size=300), max_size=8), st.data())
def test_messages_come_back_whole_however_the_bytes_are_cut(
    messages: list[bytes], data: st.DataObject
) -> None:
    stream = b"".join(netstring(m) for m in messages)
    cuts = sorted(data.draw(st.lists(st.integers(0, len(stream)), max_size=10)))
    reader = NetstringReader()
    got: list[bytes] = []
    for start, end in zip([0, *cuts], [*cuts, len(stream)], strict=True):
        got += reader.feed(stream[start:end])
    assert got == messages
    assert reader.pending == 0


def test_a_message_cut_off_is_pending() -> None:
    reader = NetstringReader()
    assert reader.feed(b'12:{"event":tr') == []
    assert reader.pending == len(b'12:{"event":tr')


@pytest.mark.parametrize(
    ("stream", "words"),
    [
        (b"abc:{},", "should be digits"),
        (b"x", "should start with its length"),
        (b"2x:{},", "should be digits"),
        (b"2:{}}", "should end with ','"),
        (b"02:{},", "leading zero"),
        (b"9999999:", "longer than"),
        (b"12345678901", "should start with its length"),
    ],
)
def test_what_is_not_a_netstring_is_named(stream: bytes, words: str) -> None:
    reader = NetstringReader()
    with pytest.raises(NetstringError, match=words):
        reader.feed(stream)
    assert reader.pending == 0  # forgotten: the next message's start cannot be found
