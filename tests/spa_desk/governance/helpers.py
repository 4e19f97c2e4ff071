"""Shared by the audit log tests: a log of fictional entries, reading its rows back, the documented
hash algorithms (plain, and keyed with the test's audit key) and tampering with the table directly,
as someone with the table owner's rights would.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, select, text

from db.models import AuditEvent
from spa_desk.database import Database
from spa_desk.governance.log import AuditAction, record
from tests.factories import add_user

TEST_KEY = bytes(range(100, 132))
"""The audit key every governance test runs with (its conftest sets SPA_DESK_AUDIT_KEY to it)."""

OTHER_KEY = bytes(range(200, 232))
"""Another SPA's audit key."""

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


def _canonical(fields: dict[str, Any]) -> bytes:
    payload = dict(fields)
    payload["id"] = str(fields["id"])
    payload["user_id"] = None if fields["user_id"] is None else str(fields["user_id"])
    payload["occurred_at"] = (
        fields["occurred_at"].astimezone(UTC).isoformat(timespec="microseconds")
    )
    return json.dumps(payload, sort_keys=True, separators=(",", ":")).encode()


def attacker_hash(fields: dict[str, Any]) -> str:
    """The plain SHA-256 of an entry, as entries before revision 0005 were hashed: anyone with a
    copy of the table can compute it (documented algorithm, so an attacker or auditor would)."""
    return hashlib.sha256(_canonical(fields)).hexdigest()


def key_id(secret: bytes = TEST_KEY) -> str:
    """The documented key id of an audit key: the first 16 hex digits of its HMAC of a label."""
    return hmac.new(secret, b"spa-desk audit key id", hashlib.sha256).hexdigest()[:16]


def keyed_hash(fields: dict[str, Any], secret: bytes = TEST_KEY) -> str:
    """The HMAC-SHA-256 of an entry with the audit key, by the documented algorithm: the plain
    payload plus the scheme and the key id. Only someone holding the key can compute it."""
    payload = fields | {"hash_scheme": "hmac-sha256", "key_id": key_id(secret)}
    return hmac.new(secret, _canonical(payload), hashlib.sha256).hexdigest()


def fields_of(event: AuditEvent) -> dict[str, Any]:
    """The fields of an entry that every scheme's hash covers."""
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


@contextmanager
def triggers_off(connection: Connection) -> Iterator[None]:
    """Switch the audit table's append-only triggers off for a while and on again, as the table's
    owner can (SQLite: drop and re-create them; PostgreSQL: disable and enable them)."""
    if connection.dialect.name == "postgresql":
        connection.execute(text("ALTER TABLE audit_events DISABLE TRIGGER USER"))
        yield
        connection.execute(text("ALTER TABLE audit_events ENABLE TRIGGER USER"))
        return
    found = connection.execute(
        text(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' "
            "AND tbl_name = 'audit_events'"
        )
    ).all()
    for name, _sql in found:
        connection.execute(text(f'DROP TRIGGER "{name}"'))
    yield
    for _name, sql in found:
        connection.execute(text(sql))


def tamper(database: Database, *statements: str, **params: Any) -> None:
    """Change the table directly, as someone with the table owner's rights could: the triggers
    switched off first, and on again after."""
    with database.engine.begin() as connection, triggers_off(connection):
        for statement in statements:
            connection.execute(text(statement), params)
