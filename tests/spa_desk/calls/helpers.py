"""Shared by the call tests: the fixed call times and rules, drafts, and reading back what a save
stored.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import event, func, select

from db.models import AuditEvent, Caller, Consent, Contact, Person, Referral, ServiceGap
from spa_desk.access.login import authenticate
from spa_desk.calls.draft import CallDraft, CallerDetails, save_draft
from spa_desk.calls.screening import screening
from spa_desk.database import Database
from spa_desk.domain import CurrentUser, RouteChoice
from spa_desk.people.consent import ConsentGiven
from spa_desk.people.records import open_person
from spa_desk.vocabulary import ConsentBasis, Role, Route, Urgency
from tests.factories import add_person, add_user
from triage_rules import default_ruleset

RULES = default_ruleset()
START = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)  # a Monday morning: in hours
ANSWERED = START + timedelta(seconds=12)
ENDED = START + timedelta(minutes=6, seconds=12)
NOW = START + timedelta(minutes=8, seconds=42)
CONSENT = ConsentGiven(basis=ConsentBasis.GIVEN_BY_PERSON, purpose="Screening a call")


def signed_in(database: Database, name: str, role: Role) -> CurrentUser:
    """A new user with this one role, logged in."""
    add_user(database, name, "pass phrase 1", roles=(role.value,), display_name=name.title())
    return authenticate(database, name, "pass phrase 1")


def new_draft(**fields: Any) -> CallDraft:
    """A draft of a call rung, answered and ended at the fixed times, with ``fields``."""
    values: dict[str, Any] = {"started_at": START, "answered_at": ANSWERED, "ended_at": ENDED}
    values.update(fields)
    return CallDraft(**values)


def answered(draft: CallDraft, **answers: Any) -> CallDraft:
    """``draft`` with ``answers`` given and every other question still asked answered "no"."""
    given = {"call_kind": "data", **draft.answers, **answers}
    while True:
        current = draft.model_copy(update={"answers": dict(given)})
        pending = screening(RULES, current).next_question()
        if pending is None:
            return current
        if pending.question.is_checklist:  # unticked boxes: no
            for box in pending.boxes:
                given.setdefault(box.fact.name, False)
            continue
        fact = pending.question.fact
        empty = fact.empty
        given[fact.name] = sorted(empty) if isinstance(empty, frozenset) else empty


def route_rows(*pairs: tuple[str, str | None]) -> list[dict[str, Any]]:
    """Routes as a contact stores them."""
    return [{"route": route, "urgency": urgency} for route, urgency in pairs]


def choices(*pairs: tuple[Route, Urgency | None]) -> tuple[RouteChoice, ...]:
    """Routes as the screen chooses them."""
    return tuple(RouteChoice(route=route, urgency=urgency) for route, urgency in pairs)


def contact_row(database: Database, contact_id: uuid.UUID) -> Contact:
    """The stored contact."""
    with database.sessions() as session:
        contact = session.get(Contact, contact_id)
        assert contact is not None
        return contact


def referral_rows(database: Database, contact_id: uuid.UUID) -> list[tuple[str, str | None]]:
    """The contact's stored referrals as (route, urgency), sorted."""
    with database.sessions() as session:
        rows = session.execute(
            select(Referral.route, Referral.urgency).where(Referral.contact_id == contact_id)
        ).all()
    return sorted((row.route, row.urgency) for row in rows)


def opened_for_call(
    database: Database,
    actor: CurrentUser,
    draft: CallDraft,
    consent: ConsentGiven = CONSENT,
    **person: Any,
) -> CallDraft:
    """Keep ``draft``, open a new person's record on it with consent; the draft with the person."""
    person_id = add_person(database, **person)
    save_draft(database, actor, draft, now=START)
    open_person(database, actor, person_id, consent, contact_id=draft.contact_id, now=START)
    with_person = draft.model_copy(update={"person_id": person_id, "consent_basis": consent.basis})
    save_draft(database, actor, with_person, now=START)
    return with_person


def snapshot(database: Database) -> dict[str, Any]:
    """Everything a save may write: row counts and each contact's state."""
    tables = (Contact, Referral, ServiceGap, Caller, Consent, AuditEvent, Person)
    with database.sessions() as session:
        counts = {
            table.__tablename__: session.scalar(select(func.count()).select_from(table))
            for table in tables
        }
        contacts = session.execute(
            select(
                Contact.id,
                Contact.status,
                Contact.version,
                Contact.outcome,
                Contact.handler_id,
                Contact.draft,
            ).order_by(Contact.id)
        ).all()
    return {"counts": counts, "contacts": [tuple(row) for row in contacts]}


def information_call() -> CallDraft:
    """A daughter rings for information only: a data call the handler closes at level 1."""
    caller = CallerDetails(name="Ann Example", relationship="daughter", phone="07700900456")
    return answered(new_draft(caller=caller), caller_type="family", information_only=True)


@contextmanager
def _recorded(database: Database, kept: Callable[[str, Any], str | None]) -> Iterator[list[str]]:
    """What ``kept`` makes of each statement sent meanwhile (None: not kept)."""
    sent: list[str] = []

    def keep(_c: Any, _cur: Any, statement: str, _p: Any, context: Any, _many: Any) -> None:
        words = kept(statement, context)
        if words is not None:
            sent.append(words)

    event.listen(database.engine, "before_cursor_execute", keep)
    try:
        yield sent
    finally:
        event.remove(database.engine, "before_cursor_execute", keep)


def compiled(database: Database) -> AbstractContextManager[list[str]]:
    """The statements sent meanwhile that were put together for the first time."""

    def first_time(statement: str, context: Any) -> str | None:
        if context is not None and context.cache_hit is context.dialect.CACHE_MISS:
            return statement.split("(", maxsplit=1)[0][:60]
        return None

    return _recorded(database, first_time)


def statements(database: Database) -> AbstractContextManager[list[str]]:
    """The first word of each statement sent meanwhile (SELECT, WITH, INSERT...)."""
    return _recorded(database, lambda statement, _: statement.split(maxsplit=1)[0])
