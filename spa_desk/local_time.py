"""The SPA's local time zone: times are stored in UTC and shown in Europe/London."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")


Clock = Callable[[], datetime]
"""Where the desk gets the time from: the real clock in use, a fixed one in tests."""


def utc_clock() -> datetime:
    """The current time in UTC."""
    return datetime.now(UTC)


def local_days_to_utc(first: date, last: date) -> tuple[datetime, datetime]:
    """The UTC span from the start of local day ``first`` to the end of local day ``last``."""
    start = datetime.combine(first, time(0), tzinfo=LONDON)
    end = datetime.combine(last + timedelta(days=1), time(0), tzinfo=LONDON)
    return start.astimezone(UTC), end.astimezone(UTC)
