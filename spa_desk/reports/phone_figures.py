"""The telephone figures of a period (SPEC 6, 12), counted in the database from the phone's
calls (:class:`db.models.PhoneCall`): offered (every call that rang), answered, abandoned (hung
up before an answer), the average speed of answer (mean ringing time of the answered calls) and
the service level (the share of offered calls answered within the site's seconds)."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict
from sqlalchemy import Integer, case, cast, func, select

from db.models import PhoneCall
from spa_desk.database import Database
from spa_desk.reports.sql import seconds_between


class PhoneFigures(BaseModel):
    """The telephone's figures for one period."""

    model_config = ConfigDict(frozen=True)

    offered: int
    answered: int
    abandoned: int
    """Hung up before an answer, leaving no contact."""
    average_answer_seconds: float | None
    """Mean ringing time of the answered calls; None when none was answered."""
    within_service_level: int
    """Answered within the service level's seconds."""

    @property
    def service_level(self) -> float | None:
        """Share of offered calls answered within the service level (None with no calls)."""
        return self.within_service_level / self.offered if self.offered else None


def phone_figures(
    database: Database, start: datetime, end: datetime, service_level_seconds: int
) -> PhoneFigures:
    """The figures of the calls that rang from ``start`` to before ``end``."""
    with database.sessions() as session:
        dialect = session.get_bind().dialect.name
        wait = seconds_between(dialect, PhoneCall.rang_at, PhoneCall.answered_at)
        answered = PhoneCall.answered_at.is_not(None)
        # A call the handler had begun before the caller hung up is kept as a contact, and
        # counted there as answered; abandoned are those that left nothing.
        abandoned = (
            PhoneCall.answered_at.is_(None)
            & PhoneCall.ended_at.is_not(None)
            & PhoneCall.contact_id.is_(None)
        )
        row = session.execute(
            select(
                func.count(),
                func.count(PhoneCall.answered_at),
                func.sum(cast(case((abandoned, 1), else_=0), Integer)),
                func.avg(case((answered, wait))),
                func.sum(case((answered & (wait <= service_level_seconds), 1), else_=0)),
            ).where(PhoneCall.rang_at >= start, PhoneCall.rang_at < end)
        ).one()
    offered, answered_count, abandoned_count, average, within = row
    return PhoneFigures(
        offered=int(offered),
        answered=int(answered_count),
        abandoned=int(abandoned_count or 0),
        average_answer_seconds=float(average) if average is not None else None,
        within_service_level=int(within or 0),
    )
