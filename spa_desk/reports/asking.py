"""What every report asks before it counts: may this person read reports, which span of local
days in UTC, and who is named as producing it; and how a long report tells its progress."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

from spa_desk.domain import CurrentUser
from spa_desk.local_time import local_days_to_utc
from spa_desk.permissions import Action, require

Progress = Callable[[int, int], None]
"""Told (steps done, steps in all) as a long report goes; may raise to cancel it."""


def may_read_reports(actor: CurrentUser | None) -> None:
    """PermissionDenied unless ``actor`` may view reports; None is the command line, run by
    whoever may read the database."""
    if actor is not None:
        require(actor, Action.VIEW_REPORTS)


def local_period(first: date, last: date) -> tuple[datetime, datetime]:
    """The UTC span of local days ``first`` to ``last``; ValueError when it ends first."""
    if last < first:
        raise ValueError("the period ends before it begins")
    return local_days_to_utc(first, last)


def producer(actor: CurrentUser | None, produced_by: str | None) -> str:
    """Who a report names as producing it."""
    return produced_by or (actor.display_name if actor else "the command line")
