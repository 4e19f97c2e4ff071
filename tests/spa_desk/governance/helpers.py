"""Shared by the audit log tests: a log of fictional entries, reading its rows back, the documented
hash algorithm and tampering with the table directly.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select, text

from db.models import AuditEvent
from spa_desk.database import Database
from spa_desk.governance.log import AuditAction, record
from tests.factories import add_user

START = datetime(2026, 5, 4, 8, 0, tzinfo=UTC)
ENTRIES = 50
ACTIONS = (
    AuditAction.LOGIN_SUCCEEDED,
    AuditAction.PERSON_VIEWED,
    AuditAction.PERSON_CHANGED,
    AuditAction.CONTACT_SAVED,
)


@dataclass(frozen=True)
class Log:
    """A log of ENTRIES entries made by two fictional users about one fictional person."""

    ada: uuid.UUID
    ben: uuid.UUID
    person: uuid.UUID


def add_entry(database: Database, action: AuditAction, user: uuid.UUID | None, **kw: Any) -> None:
    """Append one entry in its own transaction."""
    with database.sessions.begin() as session:
        record(session, action=action, user_id=user, **kw)


def fill_log(database: Database, entries: int = ENTRIES) -> Log:
    """Append ``entries`` entries a minute apart from START; who and what they were about."""
    log = Log(
        ada=add_user(database, "ada.handler", "correct horse 1"),
        ben=add_user(database, "ben.manager", "correct horse 2", roles=("spa_manager",)),
        person=uuid.UUID("6f1c1d8e-0000-4000-8000-000000000001"),
    )
    for index in range(entries):
        action = ACTIONS[index % len(ACTIONS)]
        about_person = action in (AuditAction.PERSON_VIEWED, AuditAction.PERSON_CHANGED)
        add_entry(
            database,
            action,
            log.ada if index % 3 else log.ben,
            entity_type="person" if about_person else None,
            entity_id=str(log.person) if about_person else None,
            details={"fields": ["postcode", "phone_primary"]} if about_person else {"n": index},
            at=START + timedelta(minutes=index, microseconds=index),
        )
    return log


def all_rows(database: Database) -> list[AuditEvent]:
    """Every stored entry, in position order."""
    with database.sessions() as session:
        return list(session.execute(select(AuditEvent).order_by(AuditEvent.position)).scalars())


def row_at(database: Database, position: int) -> AuditEvent:
    """The stored entry at ``position``."""
    with database.sessions() as session:
        return session.execute(
            select(AuditEvent).where(AuditEvent.position == position)
        ).scalar_one()


def attacker_hash(fields: dict[str, Any]) -> str:
    """The entry hash computed from the documented algorithm, as an attacker (or auditor) would."""
    payload = dict(fields)
    payload["id"] = str(fields["id"])
    payload["user_id"] = None if fields["user_id"] is None else str(fields["user_id"])
    payload["occurred_at"] = (
        fields["occurred_at"].astimezone(UTC).isoformat(timespec="microseconds")
    )
    canonical = json.dumps(payload, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def fields_of(event: AuditEvent) -> dict[str, Any]:
    """The fields of an entry that its hash covers."""
    return {
        "id": event.id,
        "position": event.position,
        "occurred_at": event.occurred_at,
        "user_id": event.user_id,
        "action": event.action,
        "entity_type": event.entity_type,
        "entity_id": event.entity_id,
        "details": event.details,
        "prev_hash": event.prev_hash,
    }


def run_sql(database: Database, *statements: str, **params: Any) -> None:
    """Tamper with the table directly, as someone with the database password could."""
    with database.engine.begin() as connection:
        for statement in statements:
            connection.execute(text(statement), params)
