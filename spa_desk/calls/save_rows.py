"""The rows a save writes (SPEC 2 step 8), sent to PostgreSQL as one statement.

A save writes the contact and, with it, its caller, its legs, its referrals and service gaps,
and closes the practitioner's hand-off. Each of those was a statement of its own, a round trip
to the server; with many desks on two cores each round trip is a moment the saving desk waits to
be given the processor again, so a save's slowest times grew with every statement. On
PostgreSQL they go as one: the contact's UPDATE with the other writes as data-modifying
``WITH`` parts (the foreign keys between them are checked at the statement's end), their rows
given as arrays and unnested, so that the statement is the same for every save, whatever its
count of legs, referrals or gaps (none, for a call that has none), and is put together once a
desk. SQLite has no such ``WITH``, and its statements cost no round trip: there they run one
after another, each table's rows in one. Either way they are written as they are, not through
the session's unit of work, whose Python every desk's save paid.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import Table, bindparam, func, insert, select, update
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Session
from sqlalchemy.sql.dml import Insert, Update

from db.models import Caller, Contact, ContactLeg, Handoff, Referral, ServiceGap
from spa_desk.errors import KnownError
from spa_desk.vocabulary import HandoffStatus

CONTACT_COLUMNS = (
    "answered_at",
    "ended_at",
    "wrap_up_ended_at",
    "wrap_up_seconds",
    "talk_seconds",
    "line",
    "call_kind",
    "caller_type",
    "caller_number",
    "caller_id",
    "person_id",
    "consent_basis",
    "consent_reason",
    "level1",
    "stream",
    "facts",
    "ruleset_id",
    "ruleset_version",
    "ruleset_sha256",
    "recommended_routes",
    "final_routes",
    "overridden",
    "override_reason",
    "outcome",
    "resolved_at_first_contact",
    "resolution_method",
    "signposted_service_id",
    "notes",
    "status",
    "draft",
    "updated_at",
    "handler_id",
)
"""Every column a save sets on the contact, changed or not: one statement for every save."""

_CALLER = ("id", "caller_type", "professional_role", "name", "relationship", "organisation",
           "job_title", "phone", "created_at")  # fmt: skip
_LEG = ("id", "contact_id", "position", "user_id", "started_at", "ended_at", "talk_seconds")
_REFERRAL = ("id", "contact_id", "person_id", "route", "urgency", "status", "made_at", "made_by")
_GAP = ("id", "contact_id", "need", "service_requested", "reason", "age_band", "area",
        "recorded_at")  # fmt: skip


@dataclass(frozen=True)
class SaveRows:
    """What one save writes: the contact's columns (:data:`CONTACT_COLUMNS`, every one) over the
    version it was read at, and the rows that go with it, each as its columns' values."""

    contact_id: uuid.UUID
    version: int
    contact: dict[str, Any]
    caller: dict[str, Any] | None
    legs: tuple[dict[str, Any], ...]
    referrals: tuple[dict[str, Any], ...]
    gaps: tuple[dict[str, Any], ...]
    handoff_closed_by: uuid.UUID | None
    """The practitioner whose claimed hand-off this save closes (None: no hand-off)."""


def write_rows(session: Session, rows: SaveRows) -> None:
    """Write ``rows`` in ``session``'s transaction (the caller commits). KnownError when the
    contact was saved, or changed, by another save since it was read: nothing is written then."""
    contact = {"saved_contact": rows.contact_id, "read_version": rows.version}
    contact.update({f"contact_{name}": rows.contact[name] for name in CONTACT_COLUMNS})
    many = {
        "caller": (rows.caller,) if rows.caller is not None else (),
        "leg": rows.legs,
        "referral": rows.referrals,
        "gap": rows.gaps,
    }
    if session.get_bind().dialect.name == "postgresql":
        parameters: dict[str, Any] = {**contact, "closer": rows.handoff_closed_by}
        for prefix, (_, columns) in _ROWS.items():
            for name in columns:
                parameters[f"{prefix}_{name}"] = [row[name] for row in many[prefix]]
        matched = session.execute(_POSTGRESQL_SAVE, parameters).rowcount  # type: ignore[attr-defined]
    else:
        if rows.caller is not None:  # first: the contact names it
            session.execute(_INSERTS["caller"], rows.caller)
        matched = session.execute(_CONTACT_UPDATE, contact).rowcount  # type: ignore[attr-defined]
        for prefix in ("leg", "referral", "gap"):
            if many[prefix]:
                session.execute(_INSERTS[prefix], list(many[prefix]))
        if rows.handoff_closed_by is not None:
            session.execute(
                _CLOSE_HANDOFF,
                {
                    "saved_contact": rows.contact_id,
                    "closer": rows.handoff_closed_by,
                    "contact_updated_at": rows.contact["updated_at"],
                },
            )
    if matched != 1:
        raise KnownError("This call has already been saved; it cannot be changed here.")


def _table(model: Any) -> Table:
    return cast(Table, model.__table__)


_ROWS: dict[str, tuple[Table, tuple[str, ...]]] = {
    "caller": (_table(Caller), _CALLER),
    "leg": (_table(ContactLeg), _LEG),
    "referral": (_table(Referral), _REFERRAL),
    "gap": (_table(ServiceGap), _GAP),
}
_CONTACTS = _table(Contact)
_HANDOFFS = _table(Handoff)

_CONTACT_UPDATE: Update = (
    update(_CONTACTS)
    .where(
        _CONTACTS.c.id == bindparam("saved_contact", type_=_CONTACTS.c.id.type),
        _CONTACTS.c.version == bindparam("read_version", type_=_CONTACTS.c.version.type),
    )
    .values(
        version=bindparam("read_version", type_=_CONTACTS.c.version.type) + 1,
        **{
            name: bindparam(f"contact_{name}", type_=_CONTACTS.c[name].type)
            for name in CONTACT_COLUMNS
        },
    )
)
"""The contact's columns over the version the save read (changed meanwhile: no row matched)."""

_CLOSE_HANDOFF: Update = (
    update(_HANDOFFS)
    .where(
        _HANDOFFS.c.contact_id == bindparam("saved_contact", type_=_HANDOFFS.c.contact_id.type),
        _HANDOFFS.c.status == HandoffStatus.CLAIMED.value,
        _HANDOFFS.c.claimed_by == bindparam("closer", type_=_HANDOFFS.c.claimed_by.type),
    )
    .values(
        status=HandoffStatus.DONE.value,
        closed_at=bindparam("contact_updated_at", type_=_HANDOFFS.c.closed_at.type),
    )
)
"""The practitioner's claimed hand-off closed by their save (no ``closer``: none matches)."""

_INSERTS: dict[str, Insert] = {prefix: insert(table) for prefix, (table, _) in _ROWS.items()}
"""SQLite: each table's rows, given as they are (one statement, any number of rows)."""


def _unnested(prefix: str) -> Insert:
    """PostgreSQL: the rows of one table given as one array a column, unnested side by side."""
    table, columns = _ROWS[prefix]
    arrays = [
        func.unnest(
            bindparam(f"{prefix}_{name}", type_=ARRAY(table.c[name].type)),
            type_=table.c[name].type,
        )
        for name in columns
    ]
    return insert(table).from_select(list(columns), select(*arrays))


def _postgresql_save() -> Update:
    one = _CONTACT_UPDATE
    parts = [*(_unnested(prefix) for prefix in _ROWS), _CLOSE_HANDOFF]
    for number, part in enumerate(parts):
        one = one.add_cte(part.cte(f"save_{number}"))
    return one


_POSTGRESQL_SAVE = _postgresql_save()
"""Every save's one statement on PostgreSQL, the same for all: built once, compiled once."""
