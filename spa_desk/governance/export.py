"""Exporting the audit log as CSV, oldest first, with the filters of a search."""

from __future__ import annotations

import csv
import json
import uuid
from datetime import UTC, date, datetime
from typing import TextIO

from spa_desk.database import Database
from spa_desk.domain import CurrentUser
from spa_desk.governance.log import AuditAction, record
from spa_desk.governance.search import iter_entries
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


def export_csv(
    database: Database,
    out: TextIO,
    *,
    person_id: uuid.UUID | None = None,
    user_id: uuid.UUID | None = None,
    start: datetime | None = None,
    end: datetime | None = None,
) -> int:
    """Write the entries a search would find (:func:`spa_desk.governance.search.search`) as
    CSV, oldest first, all of them; the count."""
    writer = csv.DictWriter(out, fieldnames=EXPORT_COLUMNS, lineterminator="\n")
    writer.writeheader()
    count = 0
    entries = iter_entries(database, person_id=person_id, user_id=user_id, start=start, end=end)
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
    """:func:`export_csv` for a member of staff: only roles that may read the audit log."""
    require(actor, Action.VIEW_AUDIT)
    return export_csv(database, out, person_id=person_id, user_id=user_id, start=start, end=end)


def record_export(
    database: Database,
    *,
    first: date,
    last: date,
    person_id: uuid.UUID | None,
    user_id: uuid.UUID | None,
    rows: int,
) -> None:
    """Record in the log itself that entries of local days ``first`` to ``last`` were exported."""
    with database.sessions.begin() as session:
        record(
            session,
            action=AuditAction.AUDIT_EXPORTED,
            user_id=None,
            details={
                "from": first.isoformat(),
                "to": last.isoformat(),
                "person_id": None if person_id is None else str(person_id),
                "user_id": None if user_id is None else str(user_id),
                "rows": rows,
            },
        )
