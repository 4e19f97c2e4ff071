"""The rows a save writes (SPEC 2 step 8), sent to PostgreSQL as one statement.

A save writes the contact and, with it, its caller, its legs, its referrals and service gaps,
and closes the practitioner's hand-off. Each of those was a statement of its own, a round trip
to the server; with many desks on two cores each round trip is a moment the saving desk waits to
be given the processor again, so a save's slowest times grew with every statement. On
PostgreSQL they go as one: the contact's UPDATE with the other writes as data-modifying
``WITH`` parts (the foreign keys between them are checked at the statement's end). SQLite has no
such ``WITH``, and its statements cost no round trip: there they run one after another, the same
statements. Either way they are written as they are, not through the session's unit of work,
whose Python every desk's save paid.

The statements are built once for each shape of save (how many legs, referrals and gaps, a
caller or not, a hand-off to close or not); a statement built at each save costs its Python.
"""

from __future__ import annotations

import functools
import uuid
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import Table, bindparam, insert, update
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
    shape = _Shape(
        caller=rows.caller is not None,
        legs=len(rows.legs),
        referrals=len(rows.referrals),
        gaps=len(rows.gaps),
        close=rows.handoff_closed_by is not None,
    )
    parameters = _parameters(rows)
    if session.get_bind().dialect.name == "postgresql":
        matched = session.execute(_as_one(shape), parameters).rowcount  # type: ignore[attr-defined]
    else:
        matched = 0
        for statement, names in _statements(shape):
            # Only its own parameters: the names given are part of what its compiled form is
            # kept under, so a save of another shape finds it put together already.
            result = session.execute(statement, {name: parameters[name] for name in names})
            if statement.table is _CONTACTS:
                matched = result.rowcount  # type: ignore[attr-defined]
    if matched != 1:
        raise KnownError("This call has already been saved; it cannot be changed here.")


@dataclass(frozen=True)
class _Shape:
    caller: bool
    legs: int
    referrals: int
    gaps: int
    close: bool


_CONTACTS = cast(Table, Contact.__table__)


def _bound(table: Table, columns: tuple[str, ...], prefix: str) -> dict[str, Any]:
    return {name: bindparam(f"{prefix}{name}", type_=table.c[name].type) for name in columns}


def _named(statement: Insert | Update) -> tuple[Insert | Update, tuple[str, ...]]:
    """``statement`` with the names of the parameters a save gives it (not its constants)."""
    binds = statement.compile().binds
    return statement, tuple(name for name, bind in binds.items() if bind.required)


@functools.cache
def _statements(shape: _Shape) -> tuple[tuple[Insert | Update, tuple[str, ...]], ...]:
    """The save's statements in the order SQLite runs them (the caller before the contact that
    names it), the contact's UPDATE among them."""
    statements: list[Insert | Update] = []
    if shape.caller:
        callers = cast(Table, Caller.__table__)
        statements.append(insert(callers).values(_bound(callers, _CALLER, "caller_")))
    statements.append(
        update(_CONTACTS)
        .where(
            _CONTACTS.c.id == bindparam("saved_contact", type_=_CONTACTS.c.id.type),
            _CONTACTS.c.version == bindparam("read_version", type_=_CONTACTS.c.version.type),
        )
        .values(
            version=bindparam("read_version", type_=_CONTACTS.c.version.type) + 1,
            **_bound(_CONTACTS, CONTACT_COLUMNS, "contact_"),
        )
    )
    for count, model, columns, prefix in (
        (shape.legs, ContactLeg, _LEG, "leg"),
        (shape.referrals, Referral, _REFERRAL, "referral"),
        (shape.gaps, ServiceGap, _GAP, "gap"),
    ):
        table = cast(Table, model.__table__)
        for index in range(count):  # a row a statement: a many-row VALUES is never cached
            statements.append(insert(table).values(_bound(table, columns, f"{prefix}{index}_")))
    if shape.close:
        handoffs = cast(Table, Handoff.__table__)
        statements.append(
            update(handoffs)
            .where(
                handoffs.c.contact_id
                == bindparam("saved_contact", type_=handoffs.c.contact_id.type),
                handoffs.c.status == HandoffStatus.CLAIMED.value,
                handoffs.c.claimed_by == bindparam("closer", type_=handoffs.c.claimed_by.type),
            )
            .values(
                status=HandoffStatus.DONE.value,
                closed_at=bindparam("contact_updated_at", type_=handoffs.c.closed_at.type),
            )
        )
    return tuple(_named(statement) for statement in statements)


@functools.cache
def _as_one(shape: _Shape) -> Update:
    """The save as one PostgreSQL statement: the contact's UPDATE, the rest ``WITH`` it."""
    statements = [statement for statement, _ in _statements(shape)]
    contact = next(s for s in statements if isinstance(s, Update) and s.table is _CONTACTS)
    one = contact
    for number, statement in enumerate([s for s in statements if s is not contact]):
        one = one.add_cte(statement.cte(f"save_{number}"))
    return one


def _parameters(rows: SaveRows) -> dict[str, Any]:
    """Every statement's parameters by name, as :func:`_bound` names them."""
    parameters: dict[str, Any] = {"saved_contact": rows.contact_id, "read_version": rows.version}
    parameters.update({f"contact_{name}": rows.contact[name] for name in CONTACT_COLUMNS})
    if rows.caller is not None:
        parameters.update({f"caller_{name}": rows.caller[name] for name in _CALLER})
    for many, columns, prefix in (
        (rows.legs, _LEG, "leg"),
        (rows.referrals, _REFERRAL, "referral"),
        (rows.gaps, _GAP, "gap"),
    ):
        for index, row in enumerate(many):
            parameters.update({f"{prefix}{index}_{name}": row[name] for name in columns})
    if rows.handoff_closed_by is not None:
        parameters["closer"] = rows.handoff_closed_by
    return parameters
