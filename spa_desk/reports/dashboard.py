"""The manager's dashboard (SPEC 6): the current shift's figures so far and the queues.

The figures are the shift report's own (:func:`spa_desk.reports.period.period_figures` for the
shift's span, as they stand now); the queues are the room's (:func:`spa_desk.room.room.room`),
shown to those who may see the room.
"""

from __future__ import annotations

from datetime import UTC, datetime

from pydantic import BaseModel, ConfigDict

from spa_desk.database import Database
from spa_desk.domain import CurrentUser
from spa_desk.permissions import Action, allowed, require
from spa_desk.reports.figures import PeriodFigures
from spa_desk.reports.period import period_figures
from spa_desk.reports.shifts import Shift, shift_at
from spa_desk.room.room import StreamQueue, room
from spa_desk.settings import Settings


class Dashboard(BaseModel):
    """The current shift at a glance, as read at ``read_at``."""

    model_config = ConfigDict(frozen=True)

    shift: Shift
    figures: PeriodFigures
    queues: tuple[StreamQueue, ...] | None
    """Each stream's hand-off queue; None for someone who may not see the room."""
    read_at: datetime


def dashboard(
    database: Database,
    actor: CurrentUser,
    settings: Settings,
    *,
    now: datetime | None = None,
    shift: Shift | None = None,
) -> Dashboard:
    """The shift in progress at ``now`` (or ``shift``) so far, and the queues now."""
    require(actor, Action.VIEW_REPORTS)
    now = now or datetime.now(UTC)
    shift = shift or shift_at(now, settings.shifts)
    figures = period_figures(
        database,
        actor,
        shift.start_utc,
        shift.end_utc,
        as_of=now,
        sustained_days=settings.sustained_fcr_days,
        service_level_seconds=settings.service_level_seconds,
    )
    queues = room(database, actor, now=now).queues if allowed(actor, Action.VIEW_ROOM) else None
    return Dashboard(shift=shift, figures=figures, queues=queues, read_at=now)
