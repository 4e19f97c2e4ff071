"""Shifts in Europe/London: night shifts belong to the day they start; clock changes count."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from spa_desk.reports.shifts import adjacent_shift, shift_at, shift_on
from spa_desk.settings import DEFAULT_SHIFTS

EARLY, LATE, NIGHT = DEFAULT_SHIFTS


def test_winter_early_shift_is_seven_to_three_utc() -> None:
    shift = shift_on(date(2026, 1, 12), EARLY)
    assert shift.start_utc == datetime(2026, 1, 12, 7, tzinfo=UTC)
    assert shift.end_utc == datetime(2026, 1, 12, 15, tzinfo=UTC)


def test_summer_shift_is_an_hour_earlier_in_utc() -> None:
    shift = shift_on(date(2026, 7, 12), EARLY)
    assert shift.start_utc == datetime(2026, 7, 12, 6, tzinfo=UTC)


def test_night_shift_across_october_change_lasts_nine_hours() -> None:
    shift = shift_on(date(2026, 10, 24), NIGHT)
    assert shift.end_utc - shift.start_utc == timedelta(hours=9)


def test_night_shift_across_march_change_lasts_seven_hours() -> None:
    shift = shift_on(date(2026, 3, 28), NIGHT)
    assert shift.end_utc - shift.start_utc == timedelta(hours=7)


def test_small_hours_belong_to_the_night_shift_of_the_day_before() -> None:
    shift = shift_at(datetime(2026, 1, 13, 3, 30, tzinfo=UTC))
    assert (shift.name, shift.date) == ("night", date(2026, 1, 12))


def test_every_instant_of_a_week_has_exactly_one_shift() -> None:
    moment = datetime(2026, 10, 20, tzinfo=UTC)
    while moment < datetime(2026, 10, 28, tzinfo=UTC):
        shift = shift_at(moment)
        assert shift.start_utc <= moment < shift.end_utc
        moment += timedelta(minutes=20)


def test_adjacent_shifts_walk_early_late_night() -> None:
    early = shift_on(date(2026, 2, 2), EARLY)
    late = adjacent_shift(early, 1)
    night = adjacent_shift(early, 2)
    assert (late.name, night.name, night.date) == ("late", "night", date(2026, 2, 2))
    assert adjacent_shift(night, -2) == early
    assert adjacent_shift(early, -1).name == "night"
    assert adjacent_shift(early, -1).date == date(2026, 2, 1)
