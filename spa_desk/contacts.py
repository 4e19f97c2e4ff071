"""Reading contacts for the desk's lists: the contacts of a span of time, newest first."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import DBAPIError

from db.engine import translate_error
from db.models import Contact, User
from spa_desk.database import Database
from spa_desk.domain import ContactSummary, CurrentUser, RouteChoice
from spa_desk.permissions import Action, require_any
from spa_desk.vocabulary import (
    CallerType,
    CallKind,
    ContactStatus,
    Level1,
    Outcome,
    Stream,
)


def route_choices(stored: list[dict[str, Any]] | None) -> tuple[RouteChoice, ...]:
    """Routes as stored in a contact's JSON column, validated."""
    return tuple(RouteChoice.model_validate(item) for item in stored or [])


def contacts_between(
    database: Database, actor: CurrentUser, start: datetime, end: datetime
) -> list[ContactSummary]:
    """Contacts started in [start, end), newest first, for staff who log calls or view reports.

    PermissionDenied for other roles; DatabaseProblem when the database fails.
    """
    require_any(actor, Action.LOG_CONTACT, Action.VIEW_REPORTS)
    query = (
        select(Contact, User.display_name)
        .join(User, Contact.handler_id == User.id)
        .where(Contact.started_at >= start, Contact.started_at < end)
        .order_by(Contact.started_at.desc())
    )
    try:
        with database.sessions() as session:
            rows = session.execute(query).all()
    except DBAPIError as error:
        raise translate_error(error, database.url) from None
    return [contact_summary(contact, handler_name) for contact, handler_name in rows]


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
    )
