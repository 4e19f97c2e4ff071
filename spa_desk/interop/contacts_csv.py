"""``spa-desk export contacts``: one CSV row per saved contact, columns as SPEC 10 fixes them.

No personal data leaves in the file: a person is named only by ``person_ref``, a pseudonym made
from the desk's random identifier of the person with the SPA's audit key (HMAC-SHA-256), so it is
the same in every export made with that key, and nobody without the key can tell which person a
reference stands for by trying ids.
"""

from __future__ import annotations

import csv
import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime
from typing import TextIO

from sqlalchemy import select

from db.models import Contact, User
from spa_desk.calls.draft import saved_talk_seconds, saved_wrap_up_seconds
from spa_desk.database import Database
from spa_desk.domain import route_choices
from spa_desk.governance.key import AuditKey
from spa_desk.governance.log import checked_audit_key
from spa_desk.local_time import local_days_to_utc
from spa_desk.vocabulary import ContactStatus, Route

CONTACT_COLUMNS = (
    "contact_id",
    "started_at",
    "ended_at",
    "caller_type",
    "line",
    "level1",
    "stream",
    "routes",
    "urgency",
    "outcome",
    "resolved_at_first_contact",
    "safeguarding",
    "override",
    "handler",
    "talk_seconds",
    "wrap_seconds",
    "person_ref",
)


def person_ref(person_id: uuid.UUID | None, key: AuditKey) -> str:
    """A pseudonymous reference for a person, stable for a given audit key: ``P`` and the first 12
    hex digits, upper case, of the key's HMAC-SHA-256 of ``b"spa-desk person "`` and the id's 16
    bytes. Never their NHS number or name; empty when the contact names nobody."""
    if person_id is None:
        return ""
    digest = key.mac(b"spa-desk person " + person_id.bytes)
    return f"P{digest[:12].upper()}"


def _iso(moment: datetime | None) -> str:
    if moment is None:
        return ""
    return moment.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def _optional(seconds: int | None) -> str:
    return "" if seconds is None else str(seconds)


def _flag(value: bool | None) -> str:
    return "true" if value else "false"


def contact_row(contact: Contact, handler: str, key: AuditKey) -> dict[str, str]:
    """The CSV row of one contact (``person_ref`` made with ``key``)."""
    routes = route_choices(contact.final_routes or contact.recommended_routes)
    urgencies = [choice.urgency for choice in routes if choice.urgency is not None]
    most_urgent = min(urgencies, key=lambda urgency: urgency.rank) if urgencies else None
    return {
        "contact_id": str(contact.id),
        "started_at": _iso(contact.started_at),
        "ended_at": _iso(contact.ended_at),
        "caller_type": contact.caller_type,
        "line": contact.line,
        "level1": contact.level1 or "",
        "stream": contact.stream or "",
        "routes": ";".join(choice.route.value for choice in routes),
        "urgency": most_urgent.value if most_urgent else "",
        "outcome": contact.outcome or "",
        "resolved_at_first_contact": _flag(contact.resolved_at_first_contact),
        "safeguarding": _flag(any(choice.route is Route.SAFEGUARDING for choice in routes)),
        "override": _flag(contact.overridden),
        "handler": handler,
        "talk_seconds": _optional(saved_talk_seconds(contact)),
        "wrap_seconds": _optional(saved_wrap_up_seconds(contact)),
        "person_ref": person_ref(contact.person_id, key),
    }


def iter_contact_rows(database: Database, first: date, last: date) -> Iterator[dict[str, str]]:
    """Rows for every saved contact started on local days ``first`` to ``last`` inclusive.

    ``person_ref`` is made with the audit key in force; AuditKeyProblem, in words, when it is not
    the key the audit log is kept with (the references would not match the SPA's other exports).
    """
    key = checked_audit_key(database)
    start, end = local_days_to_utc(first, last)
    query = (
        select(Contact, User.username)
        .join(User, Contact.handler_id == User.id)
        .where(
            Contact.started_at >= start,
            Contact.started_at < end,
            Contact.status == ContactStatus.COMPLETE.value,
        )
        .order_by(Contact.started_at, Contact.id)
        .execution_options(yield_per=2000)
    )
    with database.sessions() as session:
        for contact, username in session.execute(query):
            yield contact_row(contact, username, key)


def export_contacts(database: Database, first: date, last: date, out: TextIO) -> int:
    """Write the CSV of contacts on local days ``first`` to ``last`` to ``out``; the row count."""
    writer = csv.DictWriter(out, fieldnames=CONTACT_COLUMNS, lineterminator="\n")
    writer.writeheader()
    count = 0
    for row in iter_contact_rows(database, first, last):
        writer.writerow(row)
        count += 1
    return count
