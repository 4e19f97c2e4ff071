"""Builders of fictional rows for tests (NHS numbers in the 999 range, drama phone numbers)."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any

from db.models import Contact, Person, User, UserRole, UserStream
from spa_desk.access.passwords import hash_password
from spa_desk.database import Database
from spa_desk.vocabulary import Stream


def add_user(
    database: Database,
    username: str,
    password: str,
    roles: tuple[str, ...] = ("call_handler",),
    display_name: str = "Test Handler",
    active: bool = True,
    streams: tuple[str, ...] | None = None,
) -> uuid.UUID:
    """Insert a user with these roles (a practitioner works ``streams``, every stream unless
    told); its id."""
    if streams is None:
        streams = tuple(s.value for s in Stream) if "practitioner" in roles else ()
    with database.sessions.begin() as session:
        user = User(
            username=username,
            display_name=display_name,
            password_hash=hash_password(password),
            active=active,
            roles=[UserRole(role=role) for role in roles],
            streams=[UserStream(stream=stream) for stream in streams],
        )
        session.add(user)
        session.flush()
        return user.id


def add_person(database: Database, **fields: Any) -> uuid.UUID:
    """Insert a fictional person; its id."""
    values: dict[str, Any] = {
        "nhs_number": "9990000026",
        "given_name": "Ada",
        "family_name": "Testperson",
        "postcode": "ZY1 1AA",
        "phone_primary": "07700900001",
    }
    values.update(fields)
    with database.sessions.begin() as session:
        person = Person(**values)
        session.add(person)
        session.flush()
        return person.id


def add_contact(
    database: Database, handler_id: uuid.UUID, started_at: datetime, **fields: Any
) -> uuid.UUID:
    """Insert a complete contact started at ``started_at``; its id."""
    values: dict[str, Any] = {
        "answered_at": started_at + timedelta(seconds=10),
        "ended_at": started_at + timedelta(minutes=6, seconds=10),
        "wrap_up_ended_at": started_at + timedelta(minutes=8, seconds=10),
        "line": "general",
        "call_kind": "data",
        "caller_type": "self",
        "level1": "stream",
        "stream": "social_care",
        "final_routes": [{"route": "vcs", "urgency": "routine"}],
        "recommended_routes": [{"route": "vcs", "urgency": "routine"}],
        "outcome": "resolved",
        "resolved_at_first_contact": True,
        "status": "complete",
    }
    values.update(fields)
    with database.sessions.begin() as session:
        contact = Contact(started_at=started_at, handler_id=handler_id, **values)
        session.add(contact)
        session.flush()
        return contact.id
