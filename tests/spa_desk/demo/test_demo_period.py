"""The demo period's arithmetic, without a database: which local days, and up to which instant.

Without ``--start`` the data is the N calendar months that end now; with ``--start`` it is N
calendar months from that day, stopping at now when that comes first. Every day of a non-leap year
(2026) and a leap year (2028) is tried, at every hour of the day, clock changes included.
"""

from __future__ import annotations

import calendar
import random
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta

import pytest

from spa_desk.cli.demo_data import default_demo_start
from spa_desk.demo.generator import DRAFT_MARGIN, DRAFT_WINDOW, draft_positions
from spa_desk.demo.volume import (
    call_start_times,
    demo_period,
    first_day_back,
    local_midnight,
    months_end,
)
from spa_desk.local_time import LONDON
from spa_desk.reports.shifts import shift_at, shift_on
from spa_desk.settings import DEFAULT_SHIFTS

YEARS = (2026, 2028)
MONTHS = tuple(range(1, 14))
CLOCK_CHANGES = (date(2026, 3, 29), date(2026, 10, 25), date(2028, 3, 26), date(2028, 10, 29))


def days_of(year: int) -> Iterator[date]:
    day = date(year, 1, 1)
    while day.year == year:
        yield day
        day += timedelta(days=1)


def instants_in(day: date) -> Iterator[datetime]:
    """Every whole UTC hour of local ``day`` (23, 24 or 25 of them), a few minutes past each,
    and the day's first and last second."""
    begin, end = local_midnight(day), local_midnight(day + timedelta(days=1))
    yield begin
    at = begin
    while at < end:
        yield at + timedelta(minutes=17, seconds=42)
        at += timedelta(hours=1)
    yield end - timedelta(seconds=1)


def month_shifted(day: date, months: int) -> tuple[int, int]:
    index = day.year * 12 + day.month - 1 + months
    return index // 12, index % 12 + 1


def test_thirty_november_three_months_back_is_31_august_up_to_now() -> None:
    """The reported case: on 30 November the data ran 31 August to 29 November (the desk's
    current shift was empty) because a month on from 31 August was taken as 30 November."""
    now = datetime(2026, 11, 30, 10, 15, tzinfo=UTC)
    assert default_demo_start(3, date(2026, 11, 30)) == date(2026, 8, 31)
    assert months_end(date(2026, 8, 31), 3) == date(2026, 12, 1)
    period = demo_period(3, now)
    assert (period.start, period.end, period.stop, period.up_to_now) == (
        date(2026, 8, 31), date(2026, 12, 1), now, True,
    )  # fmt: skip
    assert demo_period(3, now, start=date(2026, 8, 31)) == period
    assert demo_period(1, now).start == date(2026, 10, 31)


@pytest.mark.parametrize(
    ("today", "months", "first"),
    [
        (date(2026, 11, 30), 3, date(2026, 8, 31)),
        (date(2026, 11, 30), 1, date(2026, 10, 31)),
        (date(2026, 3, 31), 1, date(2026, 3, 1)),  # a month back from the 31st is 28 February
        (date(2026, 12, 31), 1, date(2026, 12, 1)),
        (date(2026, 12, 31), 12, date(2026, 1, 1)),
        (date(2027, 1, 1), 1, date(2026, 12, 2)),
        (date(2028, 2, 29), 1, date(2028, 1, 30)),
        (date(2028, 2, 29), 12, date(2027, 3, 1)),
        (date(2029, 2, 28), 12, date(2028, 2, 29)),
        (date(2026, 3, 29), 1, date(2026, 3, 1)),  # spring clock change
        (date(2026, 10, 25), 3, date(2026, 7, 26)),  # autumn clock change
    ],
)
def test_first_day_back(today: date, months: int, first: date) -> None:
    assert first_day_back(today, months) == first == default_demo_start(months, today)
    assert months_end(first, months) > today


@pytest.mark.parametrize(
    ("start", "months", "end"),
    [
        (date(2026, 2, 1), 1, date(2026, 3, 1)),
        (date(2026, 1, 31), 1, date(2026, 3, 1)),  # 31 January to 28 February
        (date(2028, 1, 31), 1, date(2028, 3, 1)),  # 31 January to 29 February
        (date(2028, 1, 29), 1, date(2028, 2, 29)),
        (date(2026, 8, 31), 3, date(2026, 12, 1)),
        (date(2026, 3, 31), 1, date(2026, 5, 1)),
        (date(2028, 2, 29), 12, date(2029, 3, 1)),
        (date(2026, 12, 31), 1, date(2027, 1, 31)),
        (date(2026, 11, 15), 2, date(2027, 1, 15)),
    ],
)
def test_months_end(start: date, months: int, end: date) -> None:
    assert months_end(start, months) == end


@pytest.mark.parametrize("year", YEARS)
def test_without_start_the_period_is_the_months_that_end_now_on_every_day(year: int) -> None:
    for today in days_of(year):
        for months in MONTHS:
            first = first_day_back(today, months)
            before = first - timedelta(days=1)  # the same date `months` months back, or clipped
            assert month_shifted(today, -months) == (before.year, before.month), (today, months)
            last_of_month = calendar.monthrange(before.year, before.month)[1]
            assert before.day == today.day or before.day == last_of_month < today.day
            assert 28 * months <= (today - first).days + 1 <= 31 * months
            assert months_end(first, months) > today, (today, months)  # today is in the period
        noon = datetime(today.year, today.month, today.day, 12, tzinfo=LONDON)
        assert demo_period(3, noon).start <= demo_period(3, noon + timedelta(days=1)).start


@pytest.mark.parametrize("year", YEARS)
def test_without_start_the_data_stops_now_and_takes_in_todays_shifts(year: int) -> None:
    for today in days_of(year):
        shift_starts = [shift_on(today, d).start_utc for d in DEFAULT_SHIFTS]
        for now in instants_in(today):
            current = shift_at(now).start_utc
            so_far = [current, *(at for at in shift_starts if at <= now)]  # today's shifts so far
            for months in (1, 3, 12):
                period = demo_period(months, now)
                assert period.stop == now and period.up_to_now, (now, months)
                assert period.start < today < period.end
                assert local_midnight(period.start) <= min(so_far) and current <= now
                assert demo_period(months, now, start=period.start) == period


@pytest.mark.parametrize("year", YEARS)
def test_with_start_the_period_is_calendar_months_stopping_at_now(year: int) -> None:
    for start in days_of(year):
        begin = local_midnight(start)
        for months in MONTHS:
            end = months_end(start, months)
            end_year, end_month = month_shifted(start, months)
            if (end.year, end.month) == (end_year, end_month):
                assert end.day == start.day
            else:
                assert end.day == 1 and month_shifted(end, -1) == (end_year, end_month)
                assert start.day > calendar.monthrange(end_year, end_month)[1]
            after = demo_period(months, local_midnight(end) + timedelta(days=40), start=start)
            assert (after.start, after.end, after.stop, after.up_to_now) == (
                start, end, local_midnight(end), False,
            )  # fmt: skip
        inside = begin + timedelta(days=3, hours=5)
        during = demo_period(1, inside, start=start)
        assert (during.stop, during.up_to_now) == (inside, True)
        if start.day == 1:
            assert months_end(start, 1) == date(*month_shifted(start, 1), 1)


@pytest.mark.parametrize("day", CLOCK_CHANGES, ids=str)
def test_clock_change_days(day: date) -> None:
    hours = (local_midnight(day + timedelta(days=1)) - local_midnight(day)).total_seconds() / 3600
    assert hours == (23 if day.month == 3 else 25)
    for now in instants_in(day):
        period = demo_period(1, now)
        assert period.stop == now and period.start == first_day_back(day, 1)
        days = (day - timedelta(days=1), day + timedelta(days=1))
        times = call_start_times(random.Random(now.timestamp()), *days, now)
        assert times and times[-1] < now
        today_calls = [t for t in times if t >= local_midnight(day)]
        assert {t.astimezone(LONDON).date() for t in today_calls} <= {day}


@pytest.mark.parametrize("year", YEARS)
def test_every_day_ends_with_calls_up_to_now_and_one_to_three_open_drafts(year: int) -> None:
    """The last calls of a demo period that ends now, at an awkward minute of each day: the
    newest call started minutes before now and one to three of the newest are left as drafts."""
    rng = random.Random(year)
    for today in days_of(year):
        minute = rng.randrange(24 * 60)
        now = local_midnight(today) + timedelta(minutes=minute, seconds=rng.randrange(60))
        yesterday = today - timedelta(days=1)
        times = call_start_times(random.Random(minute), yesterday, today + timedelta(days=2), now)
        assert times[-1] < now
        drafts = draft_positions(random.Random(today.toordinal()), times, now)
        assert 1 <= len(drafts) <= 3, now
        newest = max(drafts)
        assert times[newest] < now - DRAFT_MARGIN
        assert all(at >= now - DRAFT_MARGIN for at in times[newest + 1 :])  # still ringing
        assert sorted(drafts) == list(range(min(drafts), newest + 1))  # the newest calls
        assert all(times[i] >= now - DRAFT_WINDOW for i in drafts)


def test_no_drafts_when_no_call_is_recent() -> None:
    now = datetime(2026, 6, 1, 12, tzinfo=UTC)
    old = [now - timedelta(hours=7), now - timedelta(hours=6, seconds=1)]
    assert draft_positions(random.Random(1), old, now) == set()
    assert draft_positions(random.Random(1), [], now) == set()
    just_rung = [now - timedelta(minutes=2), now - timedelta(seconds=30)]
    assert draft_positions(random.Random(1), just_rung, now) == set()
