"""The services directory as the desk reads it: the active services, for signposting."""

from __future__ import annotations

import uuid

from pydantic import BaseModel, ConfigDict
from sqlalchemy import select

from db.models import Service
from spa_desk.database import Database
from spa_desk.domain import CurrentUser
from spa_desk.permissions import Action, require
from spa_desk.vocabulary import (
    Route,
)


class ServiceEntry(BaseModel):
    """A service in the directory, for signposting."""

    model_config = ConfigDict(frozen=True)

    id: uuid.UUID
    name: str
    route: Route


def list_services(database: Database, actor: CurrentUser) -> list[ServiceEntry]:
    """The active services of the directory, by route and name, for signposting."""
    require(actor, Action.LOG_CONTACT)
    with database.sessions() as session:
        rows = session.execute(
            select(Service.id, Service.name, Service.route)
            .where(Service.active.is_(True))
            .order_by(Service.route, Service.name)
        ).all()
    return [ServiceEntry(id=row.id, name=row.name, route=Route(row.route)) for row in rows]
