"""People's records, opened only with consent (SPEC 2 step 3) and changed without overwriting
anyone else's change (SPEC 8). Every opening and every change is audited; the audit records who,
when, the consent basis and the NAMES of changed fields, never the personal data itself.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import UTC, date, datetime, timedelta
from typing import Any

from pydantic import BaseModel, ConfigDict
from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import Consent, Contact, Person, Referral, User, name_key
from spa_desk.database import Database
from spa_desk.domain import ContactSummary, CurrentUser, contact_summary
from spa_desk.errors import InvalidInput, KnownError
from spa_desk.governance.log import AuditAction, record
from spa_desk.identifiers import (
    clean_phone,
    is_test_nhs_number,
    is_valid_nhs_number,
    normalise_nhs_number,
    typed_date,
    uk_postcode,
)
from spa_desk.local_time import LONDON
from spa_desk.people.consent import (
    CONSENT,
    CONSENT_LASTS,
    REASON,
    ConsentGiven,
    check_consent,
    consent_problems,
    store_consent,
)
from spa_desk.permissions import Action, require
from spa_desk.vocabulary import Route, Urgency

EDITABLE = (
    "nhs_number", "given_name", "family_name", "date_of_birth", "address_line1",
    "address_line2", "town", "postcode", "phone_primary", "phone_secondary", "gp_practice",
)  # fmt: skip


class OpenReferral(BaseModel):
    """A referral made for the person that is still open."""

    model_config = ConfigDict(frozen=True)

    route: Route
    urgency: Urgency | None
    made_at: datetime


class PersonRecord(BaseModel):
    """A person's record as the desk shows it, with their previous contacts, newest first."""

    model_config = ConfigDict(frozen=True, from_attributes=True)

    id: uuid.UUID
    nhs_number: str | None
    given_name: str
    family_name: str
    date_of_birth: date | None
    address_line1: str | None
    address_line2: str | None
    town: str | None
    postcode: str | None
    phone_primary: str | None
    phone_secondary: str | None
    gp_practice: str | None
    version: int
    previous_contacts: tuple[ContactSummary, ...] = ()
    open_referrals: tuple[OpenReferral, ...] = ()
    flags: tuple[str, ...] = ()
    """Things the handler must see at once, in words (a recent safeguarding concern, say)."""


def _previous_contacts(session: Session, person_id: uuid.UUID) -> tuple[ContactSummary, ...]:
    rows = session.execute(
        select(Contact, User.display_name)
        .join(User, Contact.handler_id == User.id)
        .where(Contact.person_id == person_id)
        .order_by(Contact.started_at.desc())
        .limit(50)
    ).all()
    return tuple(contact_summary(contact, name) for contact, name in rows)


FLAG_WINDOW = timedelta(days=365)
"""Previous safeguarding concerns and known mental health involvement show for this long."""


def _open_referrals(session: Session, person_id: uuid.UUID) -> tuple[OpenReferral, ...]:
    rows = session.execute(
        select(Referral.route, Referral.urgency, Referral.made_at)
        .where(Referral.person_id == person_id, Referral.status == "made")
        .order_by(Referral.made_at.desc())
        .limit(20)
    ).all()
    return tuple(
        OpenReferral(
            route=Route(r.route), urgency=r.urgency and Urgency(r.urgency), made_at=r.made_at
        )
        for r in rows
    )


def _flags(person: Person, contacts: tuple[ContactSummary, ...], now: datetime) -> tuple[str, ...]:
    flags: list[str] = []
    recent = [c for c in contacts if c.started_at >= now - FLAG_WINDOW]
    safeguarding = [c for c in recent if any(r.route is Route.SAFEGUARDING for r in c.routes)]
    if safeguarding:
        day = safeguarding[0].started_at.astimezone(LONDON).strftime("%d %b %Y")
        flags.append(f"Safeguarding concern raised on {day}")
    if any(any(r.route is Route.EMERGENCY_999 for r in c.routes) for c in recent):
        flags.append("Sent to 999 in the last year")
    if any(any(r.route is Route.MENTAL_HEALTH for r in c.routes) for c in recent):
        flags.append("Referred to mental health in the last year")
    if person.nhs_number and is_test_nhs_number(person.nhs_number):
        flags.append("Test NHS number (999 range)")
    return tuple(flags)


def _record(session: Session, person: Person, now: datetime | None = None) -> PersonRecord:
    values = {name: getattr(person, name) for name in (*EDITABLE, "id", "version")}
    contacts = _previous_contacts(session, person.id)
    return PersonRecord(
        **values,
        previous_contacts=contacts,
        open_referrals=_open_referrals(session, person.id),
        flags=_flags(person, contacts, now or datetime.now(UTC)),
    )


def open_person(
    database: Database,
    actor: CurrentUser,
    person_id: uuid.UUID,
    consent: ConsentGiven | None,
    *,
    contact_id: uuid.UUID | None = None,
    now: datetime | None = None,
) -> PersonRecord:
    """Open a person's record: no consent, no record. The consent and the access are stored."""
    require(actor, Action.VIEW_PERSON)
    check_consent(consent)
    assert consent is not None
    now = now or datetime.now(UTC)
    with database.sessions.begin() as session:
        person = session.get(Person, person_id)
        if person is None:
            raise KnownError("That person's record does not exist (it may have been merged).")
        store_consent(session, actor, person_id, consent, contact_id=contact_id, now=now)
        opened = _record(session, person, now)  # read before the audit log is held (below)
        record(
            session,
            action=AuditAction.PERSON_VIEWED,
            user_id=actor.id,
            entity_type="person",
            entity_id=str(person_id),
            details={"basis": consent.basis.value, "contact_id": str(contact_id or "")},
            at=now,
        )
        return opened


def create_person(
    database: Database,
    actor: CurrentUser,
    fields: dict[str, Any],
    consent: ConsentGiven | None,
    *,
    contact_id: uuid.UUID | None = None,
    now: datetime | None = None,
) -> PersonRecord:
    """Add a new person and open their record with consent. Every field is checked, and every
    problem (consent's too) is raised at once as :class:`InvalidPerson`, each by its field."""
    require(actor, Action.EDIT_PERSON)
    now = now or datetime.now(UTC)
    cleaned, problems = _checked(fields, now.date(), whole_record=True)
    problems.update(consent_problems(consent))
    with database.sessions.begin() as session:
        if cleaned.get("nhs_number") is not None:
            existing = session.scalar(
                select(Person.id).where(Person.nhs_number == cleaned["nhs_number"])
            )
            if existing is not None:
                problems["nhs_number"] = InvalidInput(
                    "NHS number", "someone with this NHS number is already known: search for them"
                )
        if problems:
            order = [*fields, *EDITABLE, CONSENT, REASON]
            raise InvalidPerson({key: problems[key] for key in sorted(problems, key=order.index)})
        assert consent is not None
        person = Person(
            **cleaned,
            family_key=name_key(cleaned["family_name"]),
            given_key=name_key(cleaned["given_name"]),
            created_at=now,
        )
        session.add(person)
        session.flush()
        store_consent(session, actor, person.id, consent, contact_id=contact_id, now=now)
        given = sorted(field for field, value in cleaned.items() if value is not None)
        opened = _record(session, person, now)
        record(
            session,
            action=AuditAction.PERSON_CREATED,
            user_id=actor.id,
            entity_type="person",
            entity_id=str(person.id),
            details={"fields": given, "basis": consent.basis.value},
            at=now,
        )
        return opened


class InvalidPerson(InvalidInput):
    """Every problem with a person's fields at once, so a form can show each beside its field.

    ``problems`` maps each field with a problem (its name in the record, or
    :data:`~spa_desk.people.consent.CONSENT` and :data:`~spa_desk.people.consent.REASON`) to
    its problem, in the form's order; ``field`` and ``problem`` are the first one's, and the
    message names them all.
    """

    def __init__(self, problems: dict[str, InvalidInput]) -> None:
        first = next(iter(problems.values()))
        super().__init__(first.field, first.problem)
        self.problems = problems
        self.args = ("; ".join(str(problem) for problem in problems.values()),)


def person_problems(
    fields: dict[str, Any], today: date, *, whole_record: bool = True
) -> dict[str, InvalidInput]:
    """Every problem with ``fields`` (a new person's, or with ``whole_record`` False only the
    fields being changed), by field, in the order given; empty when all is well."""
    return _checked(fields, today, whole_record=whole_record)[1]


def _checked(
    fields: dict[str, Any], today: date, *, whole_record: bool
) -> tuple[dict[str, Any], dict[str, InvalidInput]]:
    """Each good field's value cleaned, and each other field's problem."""
    names = [*fields, *(f for f in EDITABLE if f not in fields)] if whole_record else [*fields]
    unknown = "this field cannot be changed here"
    if whole_record:
        unknown = "this field is not part of a person's record"
    cleaned: dict[str, Any] = {}
    problems: dict[str, InvalidInput] = {}
    for name in names:
        if name not in EDITABLE:
            problems[name] = InvalidInput(name, unknown)
            continue
        try:
            cleaned[name] = _clean(name, fields.get(name), today)
        except InvalidInput as problem:
            problems[name] = problem
    return cleaned, problems


FIELD_LABELS = {
    "nhs_number": "NHS number",
    "address_line1": "Address",
    "address_line2": "Address (second line)",
    "phone_primary": "Phone",
    "phone_secondary": "Second phone",
    "gp_practice": "GP practice",
}
"""Fields as the desk's forms name them, so a problem names the field the handler sees."""


def _clean(field: str, value: Any, today: date) -> Any:
    """The value of one field, checked; InvalidInput names the field and the problem."""
    label = FIELD_LABELS.get(field, field.replace("_", " ").capitalize())
    if isinstance(value, str):
        value = value.strip()  # spaces alone are no name, no postcode, no number
    if value in (None, ""):
        if field in ("given_name", "family_name"):
            raise InvalidInput(label, "this cannot be left empty")
        return None
    if field == "nhs_number":
        number = normalise_nhs_number(str(value))
        if not is_valid_nhs_number(number):
            raise InvalidInput("NHS number", "this is not a valid NHS number (check the digits)")
        return number
    if field == "postcode":
        code = uk_postcode(str(value))
        if code is None:
            raise InvalidInput("Postcode", f"{value!r} is not a UK postcode, such as ZY1 2AB")
        return code
    if field in ("phone_primary", "phone_secondary"):
        return clean_phone(label, str(value))
    if field == "date_of_birth":
        born = value if isinstance(value, date) else typed_date(str(value))
        if born is None:
            raise InvalidInput("Date of birth", f"{value!r} is not a date: type it as dd/mm/yyyy")
        if born > today:
            raise InvalidInput("Date of birth", "this date is in the future")
        return born
    return str(value).strip()


def nhs_number_note(text: str) -> tuple[str, bool]:
    """Words about an NHS number as it is typed (the form's live check), and whether it is
    acceptable."""
    number = normalise_nhs_number(text)
    if not number:
        return "", True
    if len(number) != 10 or not number.isdigit():
        return "An NHS number has 10 digits.", False
    if not is_valid_nhs_number(number):
        return "The check digit is wrong: check each digit with the caller.", False
    if is_test_nhs_number(number):
        return "A test number (999 range): accepted, marked as a test record.", True
    return "Valid NHS number.", True


class ChangedMeanwhile(KnownError):
    """Another desk changed the record after this one opened it (SPEC 8: no silent overwrite).

    ``fields`` are the fields whose values differ from what this desk showed (every field
    when it did not say), ``current`` the record as it is now, to merge with what was typed.
    """

    def __init__(
        self, message: str, fields: tuple[str, ...], by: str, current: PersonRecord
    ) -> None:
        super().__init__(message)
        self.fields = fields
        self.by = by
        self.current = current


def _changed_meanwhile(
    session: Session, person: Person, seen: Mapping[str, Any] | None
) -> ChangedMeanwhile:
    current = _record(session, person)
    fields = tuple(
        field
        for field in EDITABLE
        if seen is None or (field in seen and seen[field] != getattr(person, field))
    )
    by = (
        session.scalar(select(User.display_name).where(User.id == person.updated_by))
        if person.updated_by is not None
        else None
    ) or "Someone at another desk"
    when = person.updated_at.astimezone(LONDON).strftime("%H:%M")
    what = ", ".join(FIELD_LABELS.get(f, f.replace("_", " ").capitalize()) for f in fields)
    changed = f" ({what})" if fields and seen is not None else ""
    return ChangedMeanwhile(
        f"{by} changed this record at {when}, after you opened it{changed}. Nothing was "
        "saved, and what you typed is kept: check their change beside each field, then save "
        "again.",
        fields,
        by,
        current,
    )


def update_person(
    database: Database,
    actor: CurrentUser,
    person_id: uuid.UUID,
    changes: dict[str, Any],
    expected_version: int,
    *,
    seen: Mapping[str, Any] | None = None,
    now: datetime | None = None,
) -> PersonRecord:
    """Change a record the actor opened with consent (at ``expected_version``, showing the
    values ``seen``). Never a silent overwrite: when another desk changed it meanwhile,
    :class:`ChangedMeanwhile` says what changed and by whom, and nothing is saved."""
    require(actor, Action.EDIT_PERSON)
    now = now or datetime.now(UTC)
    cleaned, problems = _checked(changes, now.date(), whole_record=False)
    if problems:
        raise InvalidPerson(problems)
    with database.sessions.begin() as session:
        consented = session.execute(
            select(Consent.id).where(
                Consent.person_id == person_id,
                Consent.user_id == actor.id,
                Consent.recorded_at >= now - CONSENT_LASTS,
            )
        ).first()
        if consented is None:
            raise KnownError("Open the record with consent before changing it.")
        person = session.get(Person, person_id, with_for_update=not database.is_sqlite)
        if person is None:
            raise KnownError("That person's record does not exist (it may have been merged).")
        if person.version != expected_version:
            raise _changed_meanwhile(session, person, seen)
        changed = sorted(f for f, v in cleaned.items() if getattr(person, f) != v)
        if not changed:
            return _record(session, person)
        for field in changed:
            setattr(person, field, cleaned[field])
        person.updated_by = actor.id
        person.updated_at = now
        if "family_name" in changed:
            person.family_key = name_key(person.family_name)
        if "given_name" in changed:
            person.given_key = name_key(person.given_name)
        session.flush()
        opened = _record(session, person)
        record(
            session,
            action=AuditAction.PERSON_CHANGED,
            user_id=actor.id,
            entity_type="person",
            entity_id=str(person_id),
            details={"fields": changed},
            at=now,
        )
        return opened
