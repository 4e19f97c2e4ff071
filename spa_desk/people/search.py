"""Finding a person while the handler types (SPEC 2 step 3): NHS number, name, date of birth,
postcode or phone, read from what was typed. Every search is an index range scan, so it answers
in milliseconds on a million people (``bench/call_desk/`` measures it).

A search shows just enough to pick the right person; opening the record needs consent
(:func:`spa_desk.people.records.open_person`). Readers of the audit log, who may not open
records, get a person's id from an NHS number and nothing more
(:func:`person_id_for_audit_as`).
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Sequence
from datetime import date, datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict
from sqlalchemy import ColumnElement, Select, func, or_, select
from sqlalchemy.orm import InstrumentedAttribute

from db.models import Contact, Person, name_key
from spa_desk.database import Database
from spa_desk.domain import CurrentUser
from spa_desk.errors import InvalidInput
from spa_desk.identifiers import (
    format_nhs_number,
    is_postcode_start,
    is_test_nhs_number,
    is_valid_nhs_number,
    normalise_nhs_number,
    spaced_postcode_start,
    typed_date,
    typed_phone_digits,
)
from spa_desk.permissions import Action, require

LIMIT = 20
"""At most this many people are shown; the handler types more to narrow the list."""

_DIGITS = re.compile(r"^\+?[0-9(][0-9 ()-]*$")


class SearchKind(StrEnum):
    """What the typed text was read as."""

    NHS_NUMBER = "NHS number"
    PHONE = "phone number"
    DATE_OF_BIRTH = "date of birth"
    POSTCODE = "postcode"
    NAME = "name"


class PersonMatch(BaseModel):
    """One person in the search results: enough to tell people apart, nothing more."""

    model_config = ConfigDict(frozen=True, from_attributes=True)

    id: uuid.UUID
    given_name: str
    family_name: str
    date_of_birth: date | None
    postcode: str | None
    nhs_number: str | None
    phone_primary: str | None

    @property
    def name(self) -> str:
        """``Family, Given`` as lists of people show names."""
        return f"{self.family_name.upper()}, {self.given_name}"

    @property
    def nhs_label(self) -> str:
        """The NHS number spaced 3-3-4, marked when it is a test number."""
        if not self.nhs_number:
            return "no NHS number"
        text = format_nhs_number(self.nhs_number)
        return f"{text} (test)" if is_test_nhs_number(self.nhs_number) else text


class PersonSearch(BaseModel):
    """The answer to one search: what the text was read as, and the people found."""

    model_config = ConfigDict(frozen=True)

    text: str
    kind: SearchKind | None
    people: tuple[PersonMatch, ...] = ()
    more: bool = False
    """True when more people match than are shown."""


def read_search(text: str) -> tuple[SearchKind, str | date | tuple[str, ...]] | None:
    """What ``text`` asks for, or None when it is too short to search on."""
    text = " ".join(text.split())
    if len(text) < 2:
        return None
    born = typed_date(text)  # before numbers: 12-03-1950 is a date, not a number
    if born is not None:
        return SearchKind.DATE_OF_BIRTH, born
    if _DIGITS.match(text):
        digits = typed_phone_digits(text)  # an NHS number has no leading 0 or +44 to change
        if digits.startswith("0"):
            return (SearchKind.PHONE, digits) if len(digits) >= 4 else None
        return (SearchKind.NHS_NUMBER, digits) if len(digits) >= 3 else None
    upper = text.upper()
    if is_postcode_start(upper):
        return SearchKind.POSTCODE, upper
    keys = (name_key(word) for word in re.split(r"[,\s]+", text))
    words = tuple(key for key in keys if key)  # the same key the names are stored under
    if not words:  # accents or marks alone
        return None
    if "," in text:  # "Family, Given"
        return SearchKind.NAME, words
    return SearchKind.NAME, words[::-1] if len(words) > 1 else words


def _prefix(
    column: InstrumentedAttribute[str | None] | InstrumentedAttribute[str] | ColumnElement[str],
    prefix: str,
) -> ColumnElement[bool]:
    """``column`` starts with ``prefix``, as a range an ordinary index answers on both databases."""
    return (column >= prefix) & (column < prefix + "\uffff")


def _query(kind: SearchKind, wanted: str | date | tuple[str, ...]) -> Select[Person]:
    query = select(Person)
    if kind is SearchKind.NHS_NUMBER:
        assert isinstance(wanted, str)
        return query.where(_prefix(Person.nhs_number, wanted)).order_by(Person.nhs_number)
    if kind is SearchKind.PHONE:
        assert isinstance(wanted, str)
        return query.where(_prefix(Person.phone_primary, wanted)).order_by(Person.phone_primary)
    if kind is SearchKind.DATE_OF_BIRTH:
        return query.where(Person.date_of_birth == wanted).order_by(
            Person.family_key, Person.given_key
        )
    if kind is SearchKind.POSTCODE:
        assert isinstance(wanted, str)
        return query.where(_prefix(Person.postcode, spaced_postcode_start(wanted))).order_by(
            Person.postcode, Person.family_key
        )
    assert isinstance(wanted, tuple)
    family, *given = wanted
    condition = _prefix(Person.family_key, family)
    if given:  # the index holds given_key beside family_key, so this is read from the index
        condition = condition & or_(*(_prefix(Person.given_key, word) for word in given))
    return query.where(condition).order_by(Person.family_key, Person.given_key)


def search_people(
    database: Database, actor: CurrentUser, text: str, *, limit: int = LIMIT
) -> PersonSearch:
    """The people whose NHS number, phone, date of birth, postcode or name matches ``text``."""
    require(actor, Action.VIEW_PERSON)
    reading = read_search(text)
    if reading is None:
        return PersonSearch(text=text, kind=None)
    kind, wanted = reading
    with database.sessions() as session:
        rows = session.scalars(_query(kind, wanted).limit(limit + 1)).all()
        people = tuple(PersonMatch.model_validate(person) for person in rows[:limit])
    return PersonSearch(text=text, kind=kind, people=people, more=len(rows) > limit)


def person_id_for_audit_as(
    database: Database, actor: CurrentUser, nhs_number: str
) -> uuid.UUID | None:
    """The id of the person with ``nhs_number`` (spaces allowed), or None when no one has it,
    for searching the audit log by person (SPEC 8): a read of the audit log, for the roles that
    may read it (VIEW_AUDIT, so SPA managers, who may not open records), that gives the id
    alone and none of the person's details.

    InvalidInput naming the NHS number field when ``nhs_number`` is not a valid NHS number.
    """
    require(actor, Action.VIEW_AUDIT)
    digits = normalise_nhs_number(nhs_number)
    if not is_valid_nhs_number(digits):
        raise InvalidInput(
            "NHS number",
            f"{nhs_number.strip()!r} is not an NHS number: ten digits with a valid check digit, "
            "like 943 476 5919",
        )
    with database.sessions() as session:
        found: uuid.UUID | None = session.scalar(
            select(Person.id).where(Person.nhs_number == digits)
        )
    return found


def last_contacts(
    database: Database, actor: CurrentUser, person_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, datetime]:
    """When each of these people's last saved contact started (those with one), for the screen
    pop of a ringing call."""
    require(actor, Action.VIEW_PERSON)
    if not person_ids:
        return {}
    last = func.max(Contact.started_at)
    query = (
        select(Contact.person_id, last)
        .where(Contact.person_id.in_(list(person_ids)), Contact.status == "complete")
        .group_by(Contact.person_id)
    )
    with database.sessions() as session:
        return {person: at for person, at in session.execute(query).all() if person is not None}
