"""When demo calls arrive: the reference volume with the shape of a real SPA's week.

About 12,000 calls a month, 24 hours a day: peaks mid-morning and mid-afternoon, a trough in the
small hours, quieter weekends and a Monday surge. The expected count for each hour is the hour of
day's weight times the weekday's weight, scaled so the period's total is right; the actual count is
drawn from a Poisson distribution and the calls are spread evenly through the hour. Hours are real
hours of local (Europe/London) time, so a day with a clock change has 23 or 25 of them.

The period is whole local days, [start, end), cut short at now: demo data holds nothing from the
future. Without a chosen start it is the ``months`` calendar months that end now (today so far
included); from a chosen start it is ``months`` calendar months from that day.
"""

from __future__ import annotations

import math
import random
from datetime import UTC, date, datetime, timedelta
from typing import NamedTuple

from spa_desk.local_time import LONDON

CONTACTS_PER_MONTH = 12_000
DAYS_PER_MONTH = 30.44

HOUR_WEIGHTS = (
    0.35, 0.25, 0.2, 0.15, 0.15, 0.2, 0.35, 0.6, 1.2, 1.9, 2.0, 1.9,
    1.4, 1.7, 1.8, 1.7, 1.3, 1.0, 0.8, 0.7, 0.6, 0.55, 0.5, 0.4,
)  # fmt: skip
"""Relative demand by local hour of day: peaks 09-12 and 13-16, trough 03-05."""

WEEKDAY_WEIGHTS = (1.25, 1.0, 1.0, 1.0, 1.0, 0.55, 0.55)
"""Relative demand by weekday, Monday first: Monday surge, weekends at 55%."""

_HOUR = timedelta(hours=1)


def add_months(day: date, months: int) -> date:
    """``day`` moved on by whole calendar months (the 31st becomes the month's last day)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable: every month has at least 28 days")  # pragma: no cover


def months_end(start: date, months: int) -> date:
    """The day after ``months`` calendar months from ``start``: the same day of the month that many
    months on or, when that month is too short for it, the first day of the month after.

    So a month from 31 January runs to 28 (or 29) February inclusive, three months from 31 August
    to 30 November inclusive: the short month's last day is never lost.
    """
    month_index = start.month - 1 + months
    year, month = start.year + month_index // 12, month_index % 12 + 1
    try:
        return date(year, month, start.day)
    except ValueError:
        return date(year + month // 12, month % 12 + 1, 1)


def first_day_back(today: date, months: int) -> date:
    """The first day of the ``months`` calendar months that end with ``today``: the day after the
    same date that many months back (after that month's last day when it is shorter).

    Three months that end on 30 November begin on 31 August; a month that ends on 31 March begins
    on 1 March. The period from this day by :func:`months_end` always takes in ``today``.
    """
    return add_months(today, -months) + timedelta(days=1)


class DemoPeriod(NamedTuple):
    """Local days [start, end) of demo data, and the UTC instant the data stops at: the start of
    ``end``, or now when that is sooner (``up_to_now``, the current shift so far filled)."""

    start: date
    end: date
    stop: datetime
    up_to_now: bool


def demo_period(months: int, now: datetime, start: date | None = None) -> DemoPeriod:
    """``months`` calendar months from local ``start`` (default: the months that end now), up to
    ``now`` at the latest. ``now`` must be timezone-aware."""
    first = first_day_back(now.astimezone(LONDON).date(), months) if start is None else start
    end = months_end(first, months)
    end_at = local_midnight(end)
    return DemoPeriod(start=first, end=end, stop=min(end_at, now), up_to_now=now < end_at)


def local_midnight(day: date) -> datetime:
    """The UTC instant at which local date ``day`` begins in Europe/London."""
    return datetime(day.year, day.month, day.day, tzinfo=LONDON).astimezone(UTC)


def expected_calls_by_hour(
    start: date, end: date, per_month: int = CONTACTS_PER_MONTH
) -> list[tuple[datetime, float]]:
    """Each UTC hour of the local dates [start, end) with its expected number of calls, about
    ``per_month`` a month (the reference SPA's volume by default)."""
    first, last = local_midnight(start), local_midnight(end)
    hours: list[tuple[datetime, float]] = []
    at = first
    while at < last:
        local = at.astimezone(LONDON)
        hours.append((at, HOUR_WEIGHTS[local.hour] * WEEKDAY_WEIGHTS[local.weekday()]))
        at += _HOUR
    total_weight = sum(weight for _, weight in hours)
    target = per_month * (end - start).days / DAYS_PER_MONTH
    scale = target / total_weight if total_weight else 0.0
    return [(at, weight * scale) for at, weight in hours]


def poisson(rng: random.Random, mean: float) -> int:
    """A Poisson-distributed count with the given mean (inversion; fine for hourly means)."""
    threshold = rng.random()
    term = math.exp(-mean)
    cumulative, count = term, 0
    while cumulative < threshold and count < 10_000:
        count += 1
        term *= mean / count
        cumulative += term
    return count


def call_start_times(
    rng: random.Random,
    start: date,
    end: date,
    now: datetime,
    per_month: int = CONTACTS_PER_MONTH,
) -> list[datetime]:
    """The start time of every call in local dates [start, end), in order, none at or after now,
    about ``per_month`` a month."""
    times: list[datetime] = []
    for hour_start, mean in expected_calls_by_hour(start, end, per_month):
        if hour_start >= now:
            break
        count = poisson(rng, mean)
        offsets = sorted(rng.randrange(3600) for _ in range(count))
        times.extend(at for at in (hour_start + timedelta(seconds=s) for s in offsets) if at < now)
    return times
