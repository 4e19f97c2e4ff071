"""The tamper-evident audit log (SPEC 8): who logged in, opened or changed what, and when.

Every entry is appended with :func:`record` inside the transaction of the action it records, so
the entry and the action are saved together or not at all. Entries form a hash chain: each holds
the hash of the entry before it and its own hash, an HMAC-SHA-256 with the audit key kept outside
the database (:mod:`spa_desk.governance.chain`, :mod:`spa_desk.governance.key`), so
:func:`spa_desk.governance.verify.verify` finds an entry that was changed, deleted or inserted by
someone writing to the database directly, who cannot recompute the chain without the key. The
database itself refuses to change or delete an entry (triggers of revision 0005): the log only
grows.

No personal data goes into the log. Callers pass identifiers and the NAMES of fields, never their
values: "what changed" on a person's record is the list of changed field names, not the old and
new name, NHS number, phone number, address or date of birth. An event about a person's record is
recorded with ``entity_type="person"`` and ``entity_id=str(person.id)``, which is what
:func:`spa_desk.governance.search.search_as` looks for when asked about a person.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any, cast

from sqlalchemy import Table, false, insert, select, text, update
from sqlalchemy.orm import Session

from db.models import AuditEvent
from spa_desk.database import Database
from spa_desk.governance.chain import GENESIS_HASH, HashScheme, entry_hash
from spa_desk.governance.key import AuditKey, AuditKeyProblem, audit_key, where_the_key_goes
from spa_desk.identifiers import looks_like_nhs_or_phone_number

__all__ = [
    "ADVISORY_LOCK_KEY",
    "GENESIS_HASH",
    "PERSON_ENTITY",
    "AuditAction",
    "checked_audit_key",
    "record",
]


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
    HANDOFF_MADE = "handoff_made"
    HANDOFF_CLAIMED = "handoff_claimed"
    HANDOFF_RELEASED = "handoff_released"
    CALLBACK_ATTEMPTED = "callback_attempted"
    CALLS_ANONYMISED = "calls_anonymised"
    RECORDING_PLAYED = "recording_played"


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


def _newest_under_lock(session: Session) -> tuple[int, str, str | None] | None:
    """Make this transaction the only one appending to the log until it ends, and read the
    newest entry (None when the log is empty) once no other can append.

    PostgreSQL: a transaction-level advisory lock, released by the caller's commit or rollback,
    taken and followed by the read in one round trip by ``audit_newest_locked`` (revision 0012:
    a function's statements each take their own snapshot, so its read sees every entry
    committed while it waited for the lock).
    SQLite: the database write lock. A zero-row UPDATE makes SQLite take it now (waiting for
    other writers up to the busy timeout) instead of at the INSERT; without it the read of the
    last entry could run before another desk's append commits, and both would claim the same
    position. An UPDATE that matches no row changes nothing and fires no trigger. If the caller
    has already written in this transaction, SQLite holds the lock already and this is a no-op.
    The unique ``position`` is the last guard either way.
    """
    if session.get_bind().dialect.name == "postgresql":
        row = session.execute(_NEWEST_LOCKED, {"key": ADVISORY_LOCK_KEY}).first()
    else:
        session.execute(_SQLITE_WRITE_LOCK)
        row = session.execute(_NEWEST).first()
    return None if row is None else (row[0], row[1], row[2])


# Built once: a statement built at each append costs every desk's save its Python.
_NEWEST_LOCKED = text('SELECT "position", hash, key_id FROM audit_newest_locked(:key)').columns(
    AuditEvent.position, AuditEvent.hash, AuditEvent.key_id
)
_SQLITE_WRITE_LOCK = (
    update(AuditEvent)
    .where(false())
    .values(position=AuditEvent.position)
    .execution_options(synchronize_session=False)
)
_NEWEST = (
    select(AuditEvent.position, AuditEvent.hash, AuditEvent.key_id)
    .order_by(AuditEvent.position.desc())
    .limit(1)
)
_APPEND = insert(cast(Table, AuditEvent.__table__))
"""The entry written as it is, not through the session's unit of work: its Python is paid by
every audited action."""


def record(
    session: Session,
    *,
    action: AuditAction,
    user_id: uuid.UUID | None,
    entity_type: str | None = None,
    entity_id: str | None = None,
    details: Mapping[str, Any] | None = None,
    at: datetime | None = None,
    key: AuditKey | None = None,
) -> uuid.UUID:
    """Append one entry to the audit log in the caller's transaction (the caller commits); its id.

    ``details`` holds ids, codes, counts and field names only (for a change, the list of the
    fields changed, never their values). Values that look like an NHS number or a UK phone
    number, floats and naive times are refused with ValueError. The entry is keyed with ``key``,
    by default the audit key in force (made on first need); AuditKeyProblem, in words, when the
    log is kept with another key: entries keyed with two keys could never be checked together.
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
    key = key or audit_key()

    session.flush()  # what the caller added goes first (an entry may refer to it)
    last = _newest_under_lock(session)
    _refuse_another_key(key, None if last is None else last[2])
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
    session.execute(
        _APPEND,
        {
            **fields,
            "hash": entry_hash(key, **fields),
            "hash_scheme": HashScheme.HMAC_SHA256.value,
            "key_id": key.key_id,
        },
    )
    return entry_id


def _refuse_another_key(key: AuditKey, newest_key_id: str | None) -> None:
    """AuditKeyProblem when the newest entry was keyed with another key than ``key``."""
    if newest_key_id is not None and newest_key_id != key.key_id:
        raise AuditKeyProblem(
            f"Nothing can be recorded in the audit log: this desk's audit key (key id "
            f"{key.key_id}) is not the key the audit log is kept with (key id {newest_key_id}). "
            f"Give this desk the SPA's audit key ({where_the_key_goes()}), then start it again."
        )


def checked_audit_key(database: Database) -> AuditKey:
    """The audit key in force (made on first need), refused in words when the log is kept with
    another: for what else the key makes, such as the contacts export's ``person_ref``, which
    must match the SPA's other desks."""
    key = audit_key()
    with database.sessions() as session:
        newest = session.execute(
            select(AuditEvent.key_id).order_by(AuditEvent.position.desc()).limit(1)
        ).scalar()
    _refuse_another_key(key, newest)
    return key
