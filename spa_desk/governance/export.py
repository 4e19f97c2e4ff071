"""Exporting the audit log as CSV, oldest first, with the filters of a search, for the roles
that may read it; and recording in the log that it was exported."""

from __future__ import annotations

import csv
import json
import uuid
from datetime import UTC, date, datetime
from typing import TextIO

from spa_desk.database import Database
from spa_desk.domain import CurrentUser
from spa_desk.governance.log import AuditAction, record
from spa_desk.governance.search import _iter_entries
from spa_desk.permissions import Action, require

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


def _export_csv(
    database: Database,
    out: TextIO,
    *,
    person_id: uuid.UUID | None = None,
    user_id: uuid.UUID | None = None,
    start: datetime | None = None,
    end: datetime | None = None,
) -> int:
    """Write the entries a search would find as CSV, oldest first, all of them; the count. The
    caller checks the permission (:func:`export_csv_as`)."""
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
    """Write the entries :func:`spa_desk.governance.search.search_as` would find as CSV, oldest
    first, all of them, for a member of staff whose roles may read the audit log
    (PermissionDenied otherwise); the count."""
    require(actor, Action.VIEW_AUDIT)
    return _export_csv(database, out, person_id=person_id, user_id=user_id, start=start, end=end)


def record_export(
    database: Database,
    actor: CurrentUser,
    *,
    first: date,
    last: date,
    person_id: uuid.UUID | None,
    user_id: uuid.UUID | None,
    rows: int,
) -> None:
    """Record in the log itself that ``actor`` exported its entries of local days ``first`` to
    ``last`` (with these filters, ``rows`` of them)."""
    require(actor, Action.VIEW_AUDIT)
    with database.sessions.begin() as session:
        record(
            session,
            action=AuditAction.AUDIT_EXPORTED,
            user_id=actor.id,
            details={
                "from": first.isoformat(),
                "to": last.isoformat(),
                "person_id": None if person_id is None else str(person_id),
                "user_id": None if user_id is None else str(user_id),
                "rows": rows,
            },
        )
