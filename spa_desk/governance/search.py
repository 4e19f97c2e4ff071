"""Searching the audit log: entries about a person's record, by a user, over a period,
for the roles that may read it.

Only the permission-checked functions (``*_as``) are public; the readers behind them are this
package's own (:mod:`spa_desk.governance.export` reads through :func:`_iter_entries`).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict
from sqlalchemy import ColumnElement, Select, select

from db.models import AuditEvent, User
from spa_desk.database import Database
from spa_desk.domain import CurrentUser
from spa_desk.errors import InvalidInput
from spa_desk.governance.log import PERSON_ENTITY
from spa_desk.permissions import Action, require


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


_READ_BATCH = 1000


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


def _search(
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
    """Entries about a person's record, by a user, and/or from ``start`` to before ``end``, for a
    member of staff whose roles may read the audit log (PermissionDenied otherwise).

    Newest first (by time, then by position), at most ``limit`` of them.
    """
    require(actor, Action.VIEW_AUDIT)
    return _search(
        database, person_id=person_id, user_id=user_id, start=start, end=end, limit=limit
    )


def _folded(name: str) -> str:
    """A name as staff may type it: case and runs of spaces do not matter."""
    return " ".join(name.split()).casefold()


def _users_named(database: Database, name: str) -> list[tuple[uuid.UUID, str]]:
    """The users whose user name, or else whose name as the desk shows it, is ``name`` (case
    and spacing aside), as (id, user name). Staff are few, so they are compared here, not in SQL,
    where each database folds case its own way."""
    wanted = _folded(name)
    if not wanted:
        return []
    with database.sessions() as session:
        users = session.execute(select(User.id, User.username, User.display_name)).all()
    by_username = [(u.id, u.username) for u in users if _folded(u.username) == wanted]
    if by_username:
        return by_username
    return sorted(
        ((u.id, u.username) for u in users if _folded(u.display_name) == wanted),
        key=lambda user: user[1],
    )


def user_id_named_as(database: Database, actor: CurrentUser, name: str) -> uuid.UUID:
    """The id of the user whose user name (``sam``) or shown name (``Sam Okafor``) is ``name``,
    to search the log by user (audit readers only).

    InvalidInput naming the User field when no user has that name, or when several are shown
    by it (the user name then tells them apart).
    """
    require(actor, Action.VIEW_AUDIT)
    found = _users_named(database, name)
    shown = " ".join(name.split())
    if not found:
        raise InvalidInput("User", f"there is no user named {shown!r}")
    if len(found) > 1:
        usernames = ", ".join(username for _id, username in found)
        raise InvalidInput(
            "User", f"{len(found)} users are shown as {shown!r} ({usernames}): give the user name"
        )
    return found[0][0]


def _iter_entries(
    database: Database,
    *,
    person_id: uuid.UUID | None = None,
    user_id: uuid.UUID | None = None,
    start: datetime | None = None,
    end: datetime | None = None,
) -> Iterator[AuditEntry]:
    """Every entry :func:`search_as` would find, oldest first, read in batches (for export)."""
    query = (
        _entries_query(person_id, user_id, start, end)
        .order_by(AuditEvent.position)
        .execution_options(yield_per=_READ_BATCH)
    )
    with database.sessions() as session:
        result = session.execute(query)
        try:  # closed even when the caller stops early, releasing a server-side cursor
            for event, username in result:
                yield _entry(event, username)
        finally:
            result.close()
