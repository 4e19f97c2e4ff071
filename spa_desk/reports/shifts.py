"""Shifts: named spans of local (Europe/London) time, turned into UTC instants.

A night shift belongs to the date it starts on, and a shift across a clock change is as long as the
clocks say (SPEC 10).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict

from spa_desk.local_time import LONDON
from spa_desk.settings import DEFAULT_SHIFTS, ShiftDefinition


class Shift(BaseModel):
    """One occurrence of a shift: its name, the local date it starts on and its UTC span."""

    model_config = ConfigDict(frozen=True)

    name: str
    date: date
    start_utc: datetime
    end_utc: datetime

    @property
    def title(self) -> str:
        """For example ``Early shift, Mon 23 Nov 2026, 07:00-15:00``."""
        start = self.start_utc.astimezone(LONDON)
        end = self.end_utc.astimezone(LONDON)
        return f"{self.name.capitalize()} shift, {self.date:%a %d %b %Y}, {start:%H:%M}-{end:%H:%M}"


def shift_on(day: date, definition: ShiftDefinition, zone: ZoneInfo = LONDON) -> Shift:
    """The occurrence of ``definition`` that starts on local date ``day``."""
    end_day = day if definition.end > definition.start else day + timedelta(days=1)
    start = datetime.combine(day, definition.start, tzinfo=zone)
    end = datetime.combine(end_day, definition.end, tzinfo=zone)
    return Shift(
        name=definition.name,
        date=day,
        start_utc=start.astimezone(UTC),
        end_utc=end.astimezone(UTC),
    )


def shift_at(
    instant: datetime,
    definitions: tuple[ShiftDefinition, ...] = DEFAULT_SHIFTS,
    zone: ZoneInfo = LONDON,
) -> Shift:
    """The shift that ``instant`` (timezone-aware) falls in."""
    local_day = instant.astimezone(zone).date()
    for day in (local_day - timedelta(days=1), local_day):
        for definition in definitions:
            shift = shift_on(day, definition, zone)
            if shift.start_utc <= instant < shift.end_utc:
                return shift
    raise ValueError(f"the shift definitions leave {instant.isoformat()} uncovered")


def adjacent_shift(
    shift: Shift,
    step: int,
    definitions: tuple[ShiftDefinition, ...] = DEFAULT_SHIFTS,
    zone: ZoneInfo = LONDON,
) -> Shift:
    """The shift ``step`` shifts after (positive) or before (negative) ``shift``."""
    current = shift
    for _ in range(abs(step)):
        probe = current.end_utc if step > 0 else current.start_utc - timedelta(seconds=1)
        current = shift_at(probe, definitions, zone)
    return current
