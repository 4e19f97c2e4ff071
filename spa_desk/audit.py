"""The tamper-evident audit log (SPEC 8): who logged in, opened or changed what, and when.

Every entry is appended with :func:`record` inside the transaction of the action it records, so
the entry and the action are saved together or not at all. Entries form a hash chain: each holds
the SHA-256 of its own contents and the hash of the entry before it, so :func:`verify` finds an
entry that was changed, deleted or inserted by someone writing to the database directly.

No personal data goes into the log. Callers pass identifiers and the NAMES of fields, never their
values: "what changed" on a person's record is the list of changed field names, not the old and
new name, NHS number, phone number, address or date of birth. An event about a person's record is
recorded with ``entity_type="person"`` and ``entity_id=str(person.id)``, which is what
:func:`search` looks for when asked about a person.
"""

from __future__ import annotations

import csv
import hashlib
import json
import re
import uuid
from collections import OrderedDict
from collections.abc import Iterator, Mapping, Sequence
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any, TextIO

from pydantic import BaseModel, ConfigDict
from sqlalchemy import ColumnElement, Row, Select, exc, false, select, text, update
from sqlalchemy.orm import Session

from db.models import AuditEvent, User
from spa_desk.database import Database
from spa_desk.domain import CurrentUser
from spa_desk.errors import InvalidInput
from spa_desk.permissions import Action, require

GENESIS_HASH = "0" * 64
"""The ``prev_hash`` of the first entry: there is no entry before it."""

PERSON_ENTITY = "person"
"""The ``entity_type`` of events about a person's record."""

ADVISORY_LOCK_KEY = 0x5350_4144_4175_6474  # "SPADAudt": one lock for the whole audit log
"""The PostgreSQL advisory lock that lets one desk at a time append to the log."""

_BATCH = 1000
_RECENT = 256  # hashes remembered while verifying, to tell an insertion from a change
_MOVE_SEARCH = 1000  # how far an entry may have been moved and still be recognised

_AROUND = r"(?<![0-9A-Za-z+])", r"(?![0-9A-Za-z])"
_NHS_NUMBER = re.compile(_AROUND[0] + r"\d{3}[ -]?\d{3}[ -]?\d{4}" + _AROUND[1])
_UK_PHONE = re.compile(
    _AROUND[0] + r"(?:\+44[ ]?(?:\(0\)[ ]?)?|0)(?:[ ()-]{0,2}\d){9,10}" + _AROUND[1]
)

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


class AuditEntry(BaseModel):
    """One audit entry as managers see it, with the user name of who did it (if anyone).

    ``action`` holds an :class:`AuditAction` value; it is kept as text so that a desk can still
    read entries written by a newer desk that knows more actions.
    """

    model_config = ConfigDict(frozen=True)

    id: uuid.UUID
    position: int
    occurred_at: datetime
    user_id: uuid.UUID | None
    username: str | None
    action: str
    entity_type: str | None
    entity_id: str | None
    details: dict[str, Any]
    prev_hash: str
    hash: str


class AuditVerification(BaseModel):
    """The outcome of :func:`verify`.

    ``entries`` is how many entries were checked: all of them when the log is intact, those up to
    the problem otherwise. ``first_bad_position`` and ``problem`` name the first bad entry.
    """

    model_config = ConfigDict(frozen=True)

    ok: bool
    entries: int
    first_bad_position: int | None = None
    problem: str | None = None


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
    if _NHS_NUMBER.search(value) or _UK_PHONE.search(value):
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


class _Chain:
    """The state of a walk along the chain in position order, for :func:`verify`."""

    def __init__(self) -> None:
        self.checked = 0
        self.last_position = 0
        self.last_hash = GENESIS_HASH
        self.recent: OrderedDict[str, int] = OrderedDict()  # hash -> position, newest last

    def accept(self, position: int, entry_hash_: str) -> None:
        self.checked += 1
        self.last_position = position
        self.last_hash = entry_hash_
        self.recent[entry_hash_] = position
        if len(self.recent) > _RECENT:
            self.recent.popitem(last=False)


def _hash_of(row: Row[Any], position: int) -> str:
    return entry_hash(
        id=row.id,
        position=position,
        occurred_at=row.occurred_at,
        user_id=row.user_id,
        action=row.action,
        entity_type=row.entity_type,
        entity_id=row.entity_id,
        details=row.details,
        prev_hash=row.prev_hash,
    )


def _changed_entry_problem(row: Row[Any], chain: _Chain) -> tuple[int, str]:
    """Why an entry's hash does not match its contents: changed, or moved by an insertion."""
    position = row.position
    followed = chain.recent.get(row.prev_hash)
    if followed is not None and followed < position - 1 and _hash_of(row, followed + 1) == row.hash:
        inserted = followed + 1
        return inserted, (
            f"entry {inserted} was inserted or the entries after it were re-written (the entry "
            f"now at {position} was recorded as entry {inserted}, following entry {followed})"
        )
    for distance in range(1, _MOVE_SEARCH + 1):
        for original in (position + distance, position - distance):
            if original > 0 and _hash_of(row, original) == row.hash:
                return position, (
                    f"entry {position} was moved, deleted or swapped (the entry now at "
                    f"{position} was recorded as entry {original})"
                )
    return position, f"entry {position} was changed (its hash does not match its contents)"


def _entry_problem(row: Row[Any], chain: _Chain) -> tuple[int, str] | None:
    """The first bad position and what is wrong there, or None when ``row`` extends the chain."""
    position: int = row.position
    expected = chain.last_position + 1
    if position < expected:
        return position, f"entry {position} was inserted before entry 1 (positions start at 1)"
    if position > expected:
        if expected == 1:
            return 1, f"entry 1 is missing (the log starts at entry {position})"
        return expected, (
            f"entry {expected} is missing (positions jump from {expected - 1} to {position})"
        )
    if _hash_of(row, position) != row.hash:
        return _changed_entry_problem(row, chain)
    if row.prev_hash != chain.last_hash:
        if position == 1:
            return 1, "entry 1 does not start the chain (its prev_hash is not all zeros)"
        followed = chain.recent.get(row.prev_hash)
        if followed is not None and followed < position - 1:
            return followed + 1, (
                f"entry {followed + 1} was inserted or the entries after it were re-written "
                f"(entry {position} follows entry {followed})"
            )
        return position, (
            f"entry {position} does not follow entry {position - 1} (its prev_hash is not entry "
            f"{position - 1}'s hash): one of them was re-written"
        )
    return None


def verify(database: Database) -> AuditVerification:
    """Walk the whole chain in position order and report the first bad entry, if any.

    Changing any field of any entry, deleting any entry but the last, and inserting an entry
    anywhere before the last are detected. What a chain alone cannot show: that the LAST entry
    was deleted, or that entries were added at the end, or everything from some entry on was
    re-written, by someone who recomputes the hashes. Catching those needs the head of the chain
    anchored outside the database (a later change). Reads in batches: constant memory.
    """
    query = select(
        AuditEvent.id,
        AuditEvent.position,
        AuditEvent.occurred_at,
        AuditEvent.user_id,
        AuditEvent.action,
        AuditEvent.entity_type,
        AuditEvent.entity_id,
        AuditEvent.details,
        AuditEvent.prev_hash,
        AuditEvent.hash,
    ).order_by(AuditEvent.position)
    chain = _Chain()
    with database.engine.connect() as connection:
        rows = connection.execution_options(yield_per=_BATCH).execute(query)
        try:  # closing early releases PostgreSQL's server-side cursor
            for row in rows:
                problem = _entry_problem(row, chain)
                if problem is not None:
                    return AuditVerification(
                        ok=False,
                        entries=chain.checked,
                        first_bad_position=problem[0],
                        problem=problem[1],
                    )
                chain.accept(row.position, row.hash)
        except (ValueError, TypeError, exc.StatementError) as error:
            bad = chain.last_position + 1
            return AuditVerification(
                ok=False,
                entries=chain.checked,
                first_bad_position=bad,
                problem=f"entry {bad} was changed: it cannot be read ({type(error).__name__})",
            )
        finally:
            rows.close()
    return AuditVerification(ok=True, entries=chain.checked)


def _filters(
    person_id: uuid.UUID | None,
    user_id: uuid.UUID | None,
    start: datetime | None,
    end: datetime | None,
) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if person_id is not None:
        conditions.append(AuditEvent.entity_type == PERSON_ENTITY)
        conditions.append(AuditEvent.entity_id == str(person_id))
    if user_id is not None:
        conditions.append(AuditEvent.user_id == user_id)
    if start is not None:
        conditions.append(AuditEvent.occurred_at >= start)
    if end is not None:
        conditions.append(AuditEvent.occurred_at < end)
    return conditions


def _entries_query(
    person_id: uuid.UUID | None,
    user_id: uuid.UUID | None,
    start: datetime | None,
    end: datetime | None,
) -> Select[AuditEvent, str]:
    return (
        select(AuditEvent, User.username)
        .outerjoin(User, AuditEvent.user_id == User.id)
        .where(*_filters(person_id, user_id, start, end))
    )


def _entry(event: AuditEvent, username: str | None) -> AuditEntry:
    return AuditEntry(
        id=event.id,
        position=event.position,
        occurred_at=event.occurred_at,
        user_id=event.user_id,
        username=username,
        action=event.action,
        entity_type=event.entity_type,
        entity_id=event.entity_id,
        details=dict(event.details),
        prev_hash=event.prev_hash,
        hash=event.hash,
    )


def search(
    database: Database,
    *,
    person_id: uuid.UUID | None = None,
    user_id: uuid.UUID | None = None,
    start: datetime | None = None,
    end: datetime | None = None,
    limit: int = 1000,
) -> list[AuditEntry]:
    """Entries about a person's record, by a user, and/or from ``start`` to before ``end``.

    Newest first (by time, then by position), at most ``limit`` of them.
    """
    query = (
        _entries_query(person_id, user_id, start, end)
        .order_by(AuditEvent.occurred_at.desc(), AuditEvent.position.desc())
        .limit(limit)
    )
    with database.sessions() as session:
        return [_entry(event, username) for event, username in session.execute(query)]


EXPORT_COLUMNS = (
    "position",
    "occurred_at",
    "username",
    "action",
    "entity_type",
    "entity_id",
    "details",
    "hash",
)


def _iter_entries(database: Database, **filters: Any) -> Iterator[AuditEntry]:
    query = (
        _entries_query(**filters).order_by(AuditEvent.position).execution_options(yield_per=_BATCH)
    )
    with database.sessions() as session:
        result = session.execute(query)
        try:  # closed even when the caller stops early, releasing a server-side cursor
            for event, username in result:
                yield _entry(event, username)
        finally:
            result.close()


def export_csv(
    database: Database,
    out: TextIO,
    *,
    person_id: uuid.UUID | None = None,
    user_id: uuid.UUID | None = None,
    start: datetime | None = None,
    end: datetime | None = None,
) -> int:
    """Write the entries :func:`search` would find as CSV, oldest first, all of them; the count."""
    writer = csv.DictWriter(out, fieldnames=EXPORT_COLUMNS, lineterminator="\n")
    writer.writeheader()
    count = 0
    entries = _iter_entries(database, person_id=person_id, user_id=user_id, start=start, end=end)
    for entry in entries:
        writer.writerow(
            {
                "position": entry.position,
                "occurred_at": entry.occurred_at.astimezone(UTC)
                .isoformat(timespec="seconds")
                .replace("+00:00", "Z"),
                "username": entry.username or "",
                "action": entry.action,
                "entity_type": entry.entity_type or "",
                "entity_id": entry.entity_id or "",
                "details": json.dumps(entry.details, sort_keys=True),
                "hash": entry.hash,
            }
        )
        count += 1
    return count


def search_as(
    database: Database,
    actor: CurrentUser,
    *,
    person_id: uuid.UUID | None = None,
    user_id: uuid.UUID | None = None,
    start: datetime | None = None,
    end: datetime | None = None,
    limit: int = 1000,
) -> list[AuditEntry]:
    """:func:`search` for a member of staff: only roles that may read the audit log."""
    require(actor, Action.VIEW_AUDIT)
    return search(database, person_id=person_id, user_id=user_id, start=start, end=end, limit=limit)


def user_id_named_as(database: Database, actor: CurrentUser, username: str) -> uuid.UUID:
    """The id of the user named ``username``, to search the log by user (audit readers only).

    InvalidInput naming the User field when there is no such user.
    """
    require(actor, Action.VIEW_AUDIT)
    with database.sessions() as session:
        found = session.execute(select(User.id).where(User.username == username)).scalar()
    if found is None:
        raise InvalidInput("User", f"there is no user named {username!r}")
    return found


def export_csv_as(
    database: Database,
    actor: CurrentUser,
    out: TextIO,
    *,
    person_id: uuid.UUID | None = None,
    user_id: uuid.UUID | None = None,
    start: datetime | None = None,
    end: datetime | None = None,
) -> int:
    """:func:`export_csv` for a member of staff: only roles that may read the audit log."""
    require(actor, Action.VIEW_AUDIT)
    return export_csv(database, out, person_id=person_id, user_id=user_id, start=start, end=end)
