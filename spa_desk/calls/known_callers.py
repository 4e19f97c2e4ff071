"""Professional callers a number belongs to (SPEC 12's screen pop): when a call rings, the
professionals who have rung from that number before, each with their last contact, so the
handler never retypes what the desk already knows."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict
from sqlalchemy import func, select

from db.models import Caller, Contact
from spa_desk.database import Database
from spa_desk.domain import CurrentUser
from spa_desk.identifiers import caller_number
from spa_desk.permissions import Action, require
from spa_desk.vocabulary import CallerType

LIMIT = 3


class KnownCaller(BaseModel):
    """A professional who has rung from the number, as last taken down."""

    model_config = ConfigDict(frozen=True)

    professional_role: str | None
    name: str
    organisation: str
    job_title: str
    phone: str
    last_contact_at: datetime


def known_callers(database: Database, actor: CurrentUser, number: str) -> list[KnownCaller]:
    """The professionals who rang from ``number`` before, the most recent first."""
    require(actor, Action.LOG_CONTACT)
    wanted = caller_number(number)
    if not wanted:
        return []
    last = func.max(Contact.started_at)
    query = (
        select(
            Caller.professional_role,
            Caller.name,
            Caller.organisation,
            Caller.job_title,
            last,
        )
        .join(Contact, Contact.caller_id == Caller.id)
        .where(Caller.phone == wanted, Caller.caller_type == CallerType.PROFESSIONAL.value)
        .group_by(Caller.professional_role, Caller.name, Caller.organisation, Caller.job_title)
        .order_by(last.desc())
        .limit(LIMIT)
    )
    with database.sessions() as session:
        rows = session.execute(query).all()
    return [
        KnownCaller(
            professional_role=role,
            name=name or "",
            organisation=organisation or "",
            job_title=job or "",
            phone=wanted,
            last_contact_at=at,
        )
        for role, name, organisation, job, at in rows
    ]
