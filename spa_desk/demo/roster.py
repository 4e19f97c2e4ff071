"""Which demo call handlers are on duty: a few per shift, rotating, 24 hours a day.

Shifts are the default ones (early 07-15, late 15-23, night 23-07, local time; a night belongs to
the date it starts on). Weekday shifts are staffed more heavily than weekend ones, and the
``handler`` login works every weekday early shift, so whoever logs in as it sees their own calls.
"""

from __future__ import annotations

import random
import uuid
from datetime import date, datetime, timedelta

STAFFING = {"early": (4, 3), "late": (3, 2), "night": (2, 2)}
"""Handlers on duty per shift: (weekday, weekend)."""


def shift_of(local: datetime) -> tuple[date, str]:
    """The (start date, shift name) a local time falls in, for the default shifts."""
    if 7 <= local.hour < 15:
        return local.date(), "early"
    if 15 <= local.hour < 23:
        return local.date(), "late"
    if local.hour >= 23:
        return local.date(), "night"
    return local.date() - timedelta(days=1), "night"


class Roster:
    """The call handlers on duty in each shift, drawn when a shift is first needed."""

    def __init__(self, rng: random.Random, handler_ids: list[uuid.UUID]) -> None:
        if len(handler_ids) < 5:
            raise ValueError("a 24/7 roster needs at least five call handlers")
        self._rng = rng
        self._main, self._others = handler_ids[0], handler_ids[1:]
        self._shifts: dict[tuple[date, str], list[uuid.UUID]] = {}

    def on_duty(self, local: datetime) -> list[uuid.UUID]:
        """The handlers working at local time ``local``."""
        key = shift_of(local)
        team = self._shifts.get(key)
        if team is None:
            day, name = key
            weekday = day.weekday() < 5
            size = STAFFING[name][0 if weekday else 1]
            if weekday and name == "early":
                team = [self._main, *self._rng.sample(self._others, size - 1)]
            else:
                team = self._rng.sample(self._others, size)
            self._shifts[key] = team
        return team
