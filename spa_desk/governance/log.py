"""The tamper-evident audit log (SPEC 8): who logged in, opened or changed what, and when.

Every entry is appended with :func:`record` inside the transaction of the action it records, so
the entry and the action are saved together or not at all. Entries form a hash chain: each holds
the SHA-256 of its own contents and the hash of the entry before it, so
:func:`spa_desk.governance.verify.verify` finds an entry that was changed, deleted or inserted by
someone writing to the database directly.

No personal data goes into the log. Callers pass identifiers and the NAMES of fields, never their
values: "what changed" on a person's record is the list of changed field names, not the old and
new name, NHS number, phone number, address or date of birth. An event about a person's record is
recorded with ``entity_type="person"`` and ``entity_id=str(person.id)``, which is what
:func:`spa_desk.governance.search.search` looks for when asked about a person.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import false, select, text, update
from sqlalchemy.orm import Session

from db.models import AuditEvent
from spa_desk.identifiers import looks_like_nhs_or_phone_number

GENESIS_HASH = "0" * 64
"""The ``prev_hash`` of the first entry: there is no entry before it."""


PERSON_ENTITY = "person"
"""The ``entity_type`` of events about a person's record."""


ADVISORY_LOCK_KEY = 0x5350_4144_4175_6474  # "SPADAudt": one lock for the whole audit log
"""The PostgreSQL advisory lock that lets one desk at a time append to the log."""


_MAX_LENGTHS = {"action": 64, "entity_type": 32, "entity_id": 64}


class AuditAction(StrEnum):
    """What an audit entry records."""

    LOGIN_SUCCEEDED = "login_succeeded"
    LOGIN_FAILED = "login_failed"
    ACCOUNT_LOCKED = "account_locked"
    PERSON_VIEWED = "person_viewed"
    PERSON_CHANGED = "person_changed"
    PERSON_CREATED = "person_created"
    CONTACT_SAVED = "contact_saved"
    OVERRIDE_MADE = "override_made"
    REPORT_SIGNED = "report_signed"
    RULESET_CHANGED = "ruleset_changed"
    USER_CHANGED = "user_changed"
    AUDIT_EXPORTED = "audit_exported"


def entry_hash(
    *,
    id: uuid.UUID,
    position: int,
    occurred_at: datetime,
    user_id: uuid.UUID | None,
    action: str,
    entity_type: str | None,
    entity_id: str | None,
    details: Any,
    prev_hash: str,
) -> str:
    """The SHA-256 (hex) of an entry: over every field but the hash, serialised canonically.

    The serialisation is ``json.dumps(..., sort_keys=True, separators=(",", ":"))`` of an object
    with the fields by name; UUIDs as their canonical text, ``occurred_at`` as ISO 8601 in UTC
    with microseconds. Anyone can recompute it from a copy of the table.
    """
    payload = {
        "id": str(id),
        "position": position,
        "occurred_at": occurred_at.astimezone(UTC).isoformat(timespec="microseconds"),
        "user_id": None if user_id is None else str(user_id),
        "action": action,
        "entity_type": entity_type,
        "entity_id": entity_id,
        "details": details,
        "prev_hash": prev_hash,
    }
    canonical = json.dumps(payload, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _refuse_personal_data(where: str, value: str) -> None:
    if looks_like_nhs_or_phone_number(value):
        raise ValueError(
            f"audit {where} looks like an NHS or phone number; the audit log holds ids and "
            "field names only, never personal data"
        )


def _clean_details(value: Any, where: str = "details") -> Any:
    """A JSON-ready copy of ``value``, refusing what could be personal data or not round-trip."""
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, str | int):
        _refuse_personal_data(where, str(value))
        return str(value) if isinstance(value, str) else int(value)
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, Mapping):
        cleaned: dict[str, Any] = {}
        for key, item in value.items():
            if not isinstance(key, str):
                raise ValueError(f"audit {where} keys must be text, not {key!r}")
            _refuse_personal_data(f"{where} key", key)
            cleaned[key] = _clean_details(item, f"{where}[{key!r}]")
        return cleaned
    if isinstance(value, Sequence) and not isinstance(value, bytes | bytearray):
        return [_clean_details(item, where) for item in value]
    # Floats are refused too: PostgreSQL's JSONB may give them back written differently,
    # which would break the entry's hash. Counts are whole numbers; ids are text.
    raise ValueError(
        f"audit {where} must hold text, whole numbers, true/false, ids, lists or mappings, "
        f"not {type(value).__name__}"
    )


def _take_append_lock(session: Session) -> None:
    """Make this transaction the only one appending to the log until it ends.

    PostgreSQL: a transaction-level advisory lock, released by the caller's commit or rollback.
    SQLite: the database write lock. A zero-row UPDATE makes SQLite take it now (waiting for
    other writers up to the busy timeout) instead of at the INSERT; without it the read of the
    last entry could run before another desk's append commits, and both would claim the same
    position. An UPDATE that matches no row changes nothing and fires no trigger. If the caller
    has already written in this transaction, SQLite holds the lock already and this is a no-op.
    The unique ``position`` is the last guard either way.
    """
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": ADVISORY_LOCK_KEY})
    else:
        session.execute(
            update(AuditEvent)
            .where(false())
            .values(position=AuditEvent.position)
            .execution_options(synchronize_session=False)
        )


def record(
    session: Session,
    *,
    action: AuditAction,
    user_id: uuid.UUID | None,
    entity_type: str | None = None,
    entity_id: str | None = None,
    details: Mapping[str, Any] | None = None,
    at: datetime | None = None,
) -> uuid.UUID:
    """Append one entry to the audit log in the caller's transaction (the caller commits); its id.

    ``details`` holds ids, codes, counts and field names only (for a change, the list of the
    fields changed, never their values). Values that look like an NHS number or a UK phone
    number, floats and naive times are refused with ValueError.
    """
    if at is not None and at.tzinfo is None:
        raise ValueError("audit time must be timezone-aware")
    occurred_at = (at or datetime.now(UTC)).astimezone(UTC)
    action_value = AuditAction(action).value
    for name, value in (("entity_type", entity_type), ("entity_id", entity_id)):
        if value is not None:
            if len(value) > _MAX_LENGTHS[name]:
                raise ValueError(f"audit {name} is longer than {_MAX_LENGTHS[name]} characters")
            _refuse_personal_data(name, value)
    cleaned: dict[str, Any] = _clean_details(dict(details or {}))

    _take_append_lock(session)
    last = session.execute(
        select(AuditEvent.position, AuditEvent.hash).order_by(AuditEvent.position.desc()).limit(1)
    ).first()
    position, prev_hash = (1, GENESIS_HASH) if last is None else (last[0] + 1, last[1])
    entry_id = uuid.uuid4()
    fields: dict[str, Any] = {
        "id": entry_id,
        "position": position,
        "occurred_at": occurred_at,
        "user_id": user_id,
        "action": action_value,
        "entity_type": entity_type,
        "entity_id": entity_id,
        "details": cleaned,
        "prev_hash": prev_hash,
    }
    session.add(AuditEvent(**fields, hash=entry_hash(**fields)))
    session.flush()
    return entry_id
