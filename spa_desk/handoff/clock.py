"""The urgency clock of a hand-off (SPEC 11): when it is due, and how that reads on a desk.

Warm hand-offs (the caller holds) are due within 15 minutes. Call-backs are due by the urgency
level 1 recommended: urgent within 4 hours, soon within 2 working days, routine within 2 weeks,
and within 1 hour while there is no urgency yet. An emergency is never left to ring back later
than a warm call would be.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from spa_desk.local_time import LONDON
from spa_desk.vocabulary import HandoffKind, Urgency

WARM_DUE = timedelta(minutes=15)
NO_URGENCY_DUE = timedelta(hours=1)
CALL_BACK_DUE: dict[Urgency, timedelta] = {
    Urgency.EMERGENCY: WARM_DUE,
    Urgency.URGENT: timedelta(hours=4),
    Urgency.ROUTINE: timedelta(weeks=2),
}
SOON_WORKING_DAYS = 2


def due_at(kind: HandoffKind, urgency: Urgency | None, handed_at: datetime) -> datetime:
    """When a hand-off made at ``handed_at`` is due."""
    if kind is HandoffKind.WARM:
        return handed_at + WARM_DUE
    if urgency is None:
        return handed_at + NO_URGENCY_DUE
    if urgency is Urgency.SOON:
        return add_working_days(handed_at, SOON_WORKING_DAYS)
    return handed_at + CALL_BACK_DUE[urgency]


def add_working_days(start: datetime, days: int) -> datetime:
    """``days`` working days (Monday to Friday, London time) after ``start``, at the same local
    clock time; a start at the weekend counts from the Monday after."""
    local = start.astimezone(LONDON)
    while local.weekday() >= 5:  # a weekend start counts from Monday's same time
        local = _next_day(local)
    added = 0
    while added < days:
        local = _next_day(local)
        if local.weekday() < 5:
            added += 1
    return local.astimezone(start.tzinfo)


def _next_day(local: datetime) -> datetime:
    """The same wall-clock time a day later (23 or 25 hours across a clock change)."""
    following = (local.replace(tzinfo=None) + timedelta(days=1)).replace(tzinfo=LONDON)
    return following.astimezone(LONDON)


def clock_words(due: datetime, now: datetime) -> str:
    """The clock as a desk shows it: ``due in 12:05``, ``due in 3 h 40 min``, ``due in 2 days``,
    or ``overdue 4:10`` (minutes and seconds under an hour)."""
    left = due - now
    if left.total_seconds() < 0:
        return f"overdue {span_words(-left)}"
    return f"due in {span_words(left)}"


def span_words(span: timedelta) -> str:
    """A stretch of time as the desk writes it: ``4:12`` under an hour, ``3 h 05 min`` under two
    days, ``3 days`` after (a negative span counts as none)."""
    seconds = max(0, int(span.total_seconds()))
    if seconds < 3600:
        return f"{seconds // 60}:{seconds % 60:02d}"
    if seconds < 48 * 3600:
        return f"{seconds // 3600} h {seconds % 3600 // 60:02d} min"
    return f"{seconds // 86400} days"
