"""Words for numbers and times, the same in every report PDF.

Percentages (:func:`percent`), seconds as ``m:ss`` (:func:`minutes_seconds`), a count with its
noun (:func:`count_words`) and local times, Europe/London (:func:`local_clock`,
:func:`local_moment`).
"""

from __future__ import annotations

from datetime import date, datetime

from spa_desk.local_time import LONDON

DASH = "-"
"""What a figure that has no value (a median of nothing, no reference) shows."""


def percent(value: float | None) -> str:
    """A fraction as a percentage: ``73%``, ``44.5%`` (one decimal only where it is not whole),
    ``-`` for no value."""
    if value is None:
        return DASH
    tenths = round(value * 1000)
    return f"{tenths // 10}%" if tenths % 10 == 0 else f"{tenths / 10:.1f}%"


def minutes_seconds(value: float | None) -> str:
    """Seconds as ``m:ss`` (``h:mm:ss`` from an hour), ``-`` for no value."""
    if value is None:
        return DASH
    whole = round(value)
    hours, rest = divmod(whole, 3600)
    minutes, seconds = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{seconds:02d}" if hours else f"{minutes}:{seconds:02d}"


def count_words(count: int, one: str, many: str | None = None) -> str:
    """``1 contact``, ``3 contacts``."""
    return f"{count} {one if count == 1 else (many or one + 's')}"


def share(count: int, whole: int) -> float | None:
    """``count`` as a fraction of ``whole``; None when the whole is nothing."""
    return count / whole if whole else None


def local_clock(moment: datetime) -> str:
    """The local (Europe/London) time of day, ``14:05``, with the zone (``01:30 BST``) when the
    clocks show that time twice that night."""
    local = moment.astimezone(LONDON)
    naive = local.replace(tzinfo=None)
    earlier = naive.replace(tzinfo=LONDON, fold=0).utcoffset()
    later = naive.replace(tzinfo=LONDON, fold=1).utcoffset()
    text = f"{local:%H:%M}"
    return f"{text} {local.tzname()}" if earlier != later else text


def local_moment(moment: datetime) -> str:
    """A local date and time with its zone: ``16:42 GMT, Mon 30 Nov 2026``."""
    local = moment.astimezone(LONDON)
    return f"{local:%H:%M} {local.tzname()}, {local:%a} {local.day} {local:%b %Y}"


def day_words(day: date) -> str:
    """A date as people write it: ``Thu 1 Oct 2026``."""
    return f"{day:%a} {day.day} {day:%b %Y}"


def period_words(first: date, last: date) -> str:
    """A period of local days: ``Thu 1 Oct 2026 to Sat 31 Oct 2026`` (one day alone when
    ``first`` is ``last``)."""
    if first == last:
        return day_words(first)
    return f"{day_words(first)} to {day_words(last)}"
