"""Domain models the desk shows: plain pydantic, no SQLAlchemy, so the GUI can import them cheaply.

Services build these from database rows (:func:`contact_summary` for a contact, shared by the
shift list, a person's previous contacts and the save); widgets only ever see these.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import TYPE_CHECKING, Any

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

if TYPE_CHECKING:
    from db.models import Contact

_ROLE_PRECEDENCE = tuple(Role)


class CurrentUser(BaseModel):
    """The member of staff logged in at this desk, with every role they hold."""

    model_config = ConfigDict(frozen=True)

    id: uuid.UUID
    username: str
    display_name: str
    roles: tuple[Role, ...]
    streams: tuple[Stream, ...] = ()
    """The level-2 streams a practitioner works (SPEC 11); none for other roles."""

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
    overridden: bool = False
    """True when the practitioner overrode the rules' recommendation (the routes are theirs)."""


def route_choices(stored: list[dict[str, Any]] | None) -> tuple[RouteChoice, ...]:
    """Routes as stored in a contact's JSON column, validated."""
    return tuple(RouteChoice.model_validate(item) for item in stored or [])


def contact_summary(contact: Contact, handler_name: str) -> ContactSummary:
    """The list line of one stored contact."""
    return ContactSummary(
        id=contact.id,
        started_at=contact.started_at,
        caller_type=CallerType(contact.caller_type),
        call_kind=CallKind(contact.call_kind),
        level1=Level1(contact.level1) if contact.level1 else None,
        stream=Stream(contact.stream) if contact.stream else None,
        routes=route_choices(contact.final_routes or contact.recommended_routes),
        outcome=Outcome(contact.outcome) if contact.outcome else None,
        handler_name=handler_name,
        status=ContactStatus(contact.status),
        overridden=bool(contact.overridden),
    )
