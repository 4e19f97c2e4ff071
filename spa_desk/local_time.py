"""The SPA's local time zone: times are stored in UTC and shown in Europe/London."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")


Clock = Callable[[], datetime]
"""Where the desk gets the time from: the real clock in use, a fixed one in tests."""


def utc_clock() -> datetime:
    """The current time in UTC."""
    return datetime.now(UTC)
