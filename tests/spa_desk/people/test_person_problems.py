"""Every problem with a person's fields at once, each by its field: one save of the new-person
form shows them all (before, three problems took three saves)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest
from sqlalchemy import func, select

from db.models import AuditEvent, Consent, Person
from spa_desk.database import Database
from spa_desk.errors import InvalidInput, KnownError
from spa_desk.people.consent import ConsentGiven
from spa_desk.people.records import (
    InvalidPerson,
    create_person,
    nhs_number_note,
    open_person,
    person_problems,
    update_person,
)
from spa_desk.vocabulary import ConsentBasis, Role
from tests.factories import add_person
from tests.spa_desk.people.helpers import signed_in

NOW = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
TODAY = NOW.date()
CONSENT = ConsentGiven(basis=ConsentBasis.GIVEN_BY_PERSON, purpose="Screening a call")
# As the form sends them, in its order: typed text, None for a field left empty.
TYPED: dict[str, Any] = {
    "given_name": "Rosalind",
    "family_name": None,
    "date_of_birth": "01/01/2090",
    "nhs_number": "999 000 0027",
    "address_line1": None,
    "town": None,
    "postcode": "ZZ",
    "phone_primary": "12345",
    "gp_practice": None,
}
EVERY_PROBLEM = {
    "family_name": "Family name: this cannot be left empty",
    "date_of_birth": "Date of birth: this date is in the future",
    "nhs_number": "NHS number: this is not a valid NHS number (check the digits)",
    "postcode": "Postcode: 'ZZ' is not a UK postcode, such as ZY1 2AB",
    "phone_primary": "Phone: '12345' is not a UK phone number, such as 01632 960123",
}


def _rows(database: Database) -> list[int | None]:
    with database.sessions() as session:
        return [
            session.scalar(select(func.count()).select_from(table))
            for table in (Person, Consent, AuditEvent)
        ]


def test_person_problems_names_every_field_at_once() -> None:
    problems = person_problems(TYPED, TODAY)
    assert {field: str(problem) for field, problem in problems.items()} == EVERY_PROBLEM
    assert list(problems) == list(EVERY_PROBLEM)  # in the form's order
    assert all(isinstance(problem, InvalidInput) for problem in problems.values())
    # Only the fields given, when a record is changed; a field fixed has no problem.
    assert person_problems({"postcode": "zy4 2qt"}, TODAY, whole_record=False) == {}
    assert list(person_problems({"town": "", "postcode": "ZZ"}, TODAY, whole_record=False)) == [
        "postcode"
    ]
    # Dates as staff type them are read in one place (spa_desk.identifiers).
    assert person_problems({"date_of_birth": "12/03/1941"}, TODAY, whole_record=False) == {}
    [wrong] = person_problems({"date_of_birth": "31/02/1941"}, TODAY, whole_record=False).values()
    assert str(wrong) == "Date of birth: '31/02/1941' is not a date: type it as dd/mm/yyyy"


def test_create_person_raises_every_problem_at_once_and_stores_nothing(database: Database) -> None:
    handler = signed_in(database, "handler", Role.CALL_HANDLER)
    before = _rows(database)
    with pytest.raises(InvalidPerson) as raised:
        create_person(database, handler, TYPED, None, now=NOW)
    error = raised.value
    assert isinstance(error, KnownError) and isinstance(error, InvalidInput)
    consent = "Consent: record consent (or the lawful basis) before the record opens"
    expected = {**EVERY_PROBLEM, "consent": consent}
    assert {key: str(problem) for key, problem in error.problems.items()} == expected
    assert str(error) == "; ".join(expected.values())  # one error naming them all
    assert (error.field, error.problem) == ("Family name", "this cannot be left empty")
    assert _rows(database) == before


def test_a_known_nhs_number_is_named_with_the_other_problems(database: Database) -> None:
    handler = signed_in(database, "handler", Role.CALL_HANDLER)
    add_person(database, nhs_number="9990000026")
    fields = {"given_name": "Ada", "family_name": "Testperson", "nhs_number": "9990000026"}
    fields["postcode"] = "ZZ"
    lawful = ConsentGiven(basis=ConsentBasis.LAWFUL_BASIS, purpose="Police call")
    before = _rows(database)
    with pytest.raises(InvalidPerson) as raised:
        create_person(database, handler, fields, lawful, now=NOW)
    assert {key: str(problem) for key, problem in raised.value.problems.items()} == {
        "nhs_number": "NHS number: someone with this NHS number is already known: search for them",
        "postcode": "Postcode: 'ZZ' is not a UK postcode, such as ZY1 2AB",
        "reason": "Reason: say why the record is opened without consent (safeguarding, "
        "vital interests)",
    }
    assert _rows(database) == before


def test_a_typed_date_of_birth_is_read_and_stored(database: Database) -> None:
    handler = signed_in(database, "handler", Role.CALL_HANDLER)
    fields = {"given_name": "Rosalind", "family_name": "Quenby", "date_of_birth": "02/05/1950"}
    record = create_person(database, handler, fields, CONSENT, now=NOW)
    assert record.date_of_birth == date(1950, 5, 2)


def test_update_person_raises_every_problem_at_once(database: Database) -> None:
    handler = signed_in(database, "handler", Role.CALL_HANDLER)
    person = add_person(database)
    opened = open_person(database, handler, person, CONSENT, now=NOW)
    changes = {"postcode": "ZZ", "phone_primary": "12345", "town": "Saltmarsh", "nope": "x"}
    with pytest.raises(InvalidPerson) as raised:
        update_person(database, handler, person, changes, opened.version, now=NOW)
    assert {key: str(problem) for key, problem in raised.value.problems.items()} == {
        "postcode": "Postcode: 'ZZ' is not a UK postcode, such as ZY1 2AB",
        "phone_primary": "Phone: '12345' is not a UK phone number, such as 01632 960123",
        "nope": "nope: this field cannot be changed here",
    }
    with database.sessions() as session:
        stored = session.get(Person, person)
        assert stored is not None and (stored.town, stored.version) == (None, opened.version)


@pytest.mark.parametrize(
    ("typed", "words", "acceptable"),
    [
        ("", "", True),
        ("999 000", "An NHS number has 10 digits.", False),
        ("999 000 0027", "The check digit is wrong: check each digit with the caller.", False),
        ("999 000 0018", "A test number (999 range): accepted, marked as a test record.", True),
        ("943 476 5919", "Valid NHS number.", True),
    ],
)
def test_the_nhs_number_is_checked_as_it_is_typed(typed: str, words: str, acceptable: bool) -> None:
    assert nhs_number_note(typed) == (words, acceptable)
