"""Domain models the desk shows: plain pydantic, no SQLAlchemy, so the GUI can import them cheaply.

Services build these from database rows; widgets only ever see these.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import BaseModel, ConfigDict

from spa_desk.vocabulary import (
    CallerType,
    CallKind,
    ContactStatus,
    Level1,
    Outcome,
    Role,
    Route,
    Stream,
    Urgency,
)

_ROLE_PRECEDENCE = tuple(Role)


class CurrentUser(BaseModel):
    """The member of staff logged in at this desk, with every role they hold."""

    model_config = ConfigDict(frozen=True)

    id: uuid.UUID
    username: str
    display_name: str
    roles: tuple[Role, ...]

    @property
    def main_role(self) -> Role:
        """The first role, in SPEC order, that the user holds."""
        return min(self.roles, key=_ROLE_PRECEDENCE.index)

    @property
    def roles_label(self) -> str:
        """Every role in words, for example ``Call handler, Trainer``."""
        ordered = sorted(self.roles, key=_ROLE_PRECEDENCE.index)
        return ", ".join(role.label for role in ordered)


class RouteChoice(BaseModel):
    """A route with its urgency (None for ``resolved``)."""

    model_config = ConfigDict(frozen=True)

    route: Route
    urgency: Urgency | None = None


class ContactSummary(BaseModel):
    """One line of a contact list: enough to see what happened, no personal data."""

    model_config = ConfigDict(frozen=True)

    id: uuid.UUID
    started_at: datetime
    caller_type: CallerType
    call_kind: CallKind
    level1: Level1 | None
    stream: Stream | None
    routes: tuple[RouteChoice, ...]
    outcome: Outcome | None
    handler_name: str
    status: ContactStatus
