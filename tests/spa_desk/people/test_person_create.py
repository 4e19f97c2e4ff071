"""Adding a person: every field checked in words, consent recorded, and the audit entry."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from typing import Any

import pytest
from sqlalchemy import func, select

from db.models import AuditEvent, Consent, Person
from spa_desk.calls.draft import CallDraft, save_draft
from spa_desk.database import Database
from spa_desk.domain import CurrentUser
from spa_desk.errors import InvalidInput
from spa_desk.governance.search import _search as search
from spa_desk.governance.verify import verify
from spa_desk.people.consent import ConsentGiven
from spa_desk.people.records import create_person
from spa_desk.people.search import search_people
from spa_desk.permissions import PermissionDenied
from spa_desk.vocabulary import ConsentBasis, Role
from tests.factories import add_person
from tests.spa_desk.people.helpers import signed_in, valid_nhs

NOW = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
CONSENT = ConsentGiven(basis=ConsentBasis.GIVEN_BY_PERSON, purpose="Screening a call")

FIELDS: dict[str, Any] = {
    "nhs_number": "999 000 0026",
    "given_name": " Ada ",
    "family_name": "  Van  der Testperson ",
    "date_of_birth": date(1941, 3, 12),
    "address_line1": "1 Example Row",
    "town": "Saltmarsh",
    "postcode": "zy11aa",
    "phone_primary": "+44 (0)7700 900 123",
    "phone_secondary": "",
}


def _call(database: Database, actor: CurrentUser) -> uuid.UUID:
    draft = CallDraft(started_at=NOW)
    save_draft(database, actor, draft, now=NOW)
    return draft.contact_id


def test_create_person_stores_checked_fields_and_consent(database: Database) -> None:
    handler = signed_in(database, "handler", Role.CALL_HANDLER)
    contact_id = _call(database, handler)
    consent = ConsentGiven(
        basis=ConsentBasis.GIVEN_BY_REPRESENTATIVE, purpose="New caller", reason=None
    )
    record = create_person(database, handler, FIELDS, consent, contact_id=contact_id, now=NOW)

    assert (record.nhs_number, record.given_name, record.family_name) == (
        "9990000026", "Ada", "Van  der Testperson",
    )  # fmt: skip
    assert (record.postcode, record.phone_primary, record.phone_secondary) == (
        "ZY1 1AA", "07700900123", None,
    )  # fmt: skip
    assert (record.date_of_birth, record.town, record.version) == (
        date(1941, 3, 12),
        "Saltmarsh",
        1,
    )
    assert record.previous_contacts == () and record.open_referrals == ()
    assert record.flags == ("Test NHS number (999 range)",)
    with database.sessions() as session:
        person = session.get(Person, record.id)
        assert person is not None
        assert (person.family_key, person.created_at) == ("van der testperson", NOW)
        stored = session.scalars(select(Consent)).one()
    assert (stored.person_id, stored.contact_id, stored.user_id, stored.recorded_at) == (
        record.id, contact_id, handler.id, NOW,
    )  # fmt: skip
    assert (stored.basis, stored.purpose, stored.reason) == (
        "given_by_representative", "New caller", None,
    )  # fmt: skip

    (entry,) = search(database, person_id=record.id)
    assert (entry.action, entry.username, entry.occurred_at) == ("person_created", "handler", NOW)
    assert entry.details == {
        "fields": [
            "address_line1", "date_of_birth", "family_name", "given_name", "nhs_number",
            "phone_primary", "postcode", "town",
        ],
        "basis": "given_by_representative",
    }  # fmt: skip
    for value in ("Ada", "Testperson", "9990000026", "07700900123", "ZY1", "Saltmarsh", "1941"):
        assert value not in str(entry.details)
    assert verify(database).ok

    # Found at once by the new family name key, and by the number typed either way.
    assert [p.id for p in search_people(database, handler, "Van der Testperson, Ada").people] == [
        record.id
    ]
    assert [p.id for p in search_people(database, handler, "07700 900123").people] == [record.id]
    assert [p.id for p in search_people(database, handler, "+44 7700 900123").people] == [record.id]


def _rows(database: Database) -> list[int | None]:
    with database.sessions() as session:
        return [
            session.scalar(select(func.count()).select_from(table))
            for table in (Person, Consent, AuditEvent)
        ]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"nhs_number": "999 000 0027"}, r"^NHS number: this is not a valid NHS number"),
        ({"nhs_number": "943 476 5910"}, r"^NHS number: this is not a valid NHS number"),
        ({"nhs_number": "99900000"}, r"^NHS number: this is not a valid NHS number"),
        ({"postcode": "SALT 1"}, r"^Postcode: 'SALT 1' is not a UK postcode"),
        ({"postcode": "ZY1"}, r"^Postcode: 'ZY1' is not a UK postcode"),
        ({"date_of_birth": date(2026, 3, 3)}, r"^Date of birth: this date is in the future"),
        ({"date_of_birth": "31/02/1941"}, r"^Date of birth: '31/02/1941' is not a date: type it"),
        ({"phone_primary": "12345"}, r"^Phone: '12345' is not a UK phone number"),
        ({"phone_secondary": "+1 555 0100"}, r"^Second phone: '\+1 555 0100' is not a UK"),
        ({"given_name": "  "}, r"^Given name: this cannot be left empty"),
        ({"family_name": None}, r"^Family name: this cannot be left empty"),
        ({"password_hash": "x"}, r"^password_hash: this field is not part of a person's record"),
    ],
)
def test_create_person_names_each_field_problem(
    database: Database, changes: dict[str, Any], message: str
) -> None:
    handler = signed_in(database, "handler", Role.CALL_HANDLER)
    before = _rows(database)
    with pytest.raises(InvalidInput, match=message):
        create_person(database, handler, {**FIELDS, **changes}, CONSENT, now=NOW)
    assert _rows(database) == before


def test_valid_and_test_nhs_numbers_are_accepted(database: Database) -> None:
    handler = signed_in(database, "handler", Role.CALL_HANDLER)
    real_format = create_person(
        database, handler, {**FIELDS, "nhs_number": "943 476 5919"}, CONSENT, now=NOW
    )
    assert real_format.nhs_number == "9434765919" and real_format.flags == ()
    test_number = create_person(
        database, handler, {**FIELDS, "nhs_number": valid_nhs(4321)}, CONSENT, now=NOW
    )
    assert test_number.flags == ("Test NHS number (999 range)",)
    nobody_knows = create_person(database, handler, {**FIELDS, "nhs_number": None}, CONSENT)
    assert nobody_knows.nhs_number is None


def test_create_person_refuses_a_known_nhs_number_and_needs_consent(database: Database) -> None:
    handler = signed_in(database, "handler", Role.CALL_HANDLER)
    add_person(database, nhs_number="9990000026")
    before = _rows(database)
    with pytest.raises(InvalidInput, match=r"^NHS number: someone with this NHS number is already"):
        create_person(database, handler, FIELDS, CONSENT, now=NOW)
    fresh = {**FIELDS, "nhs_number": valid_nhs(2222)}
    with pytest.raises(InvalidInput, match=r"^Consent: record consent"):
        create_person(database, handler, fresh, None, now=NOW)
    lawful = ConsentGiven(basis=ConsentBasis.LAWFUL_BASIS, purpose="Police call")
    with pytest.raises(InvalidInput, match=r"^Reason: say why"):
        create_person(database, handler, fresh, lawful, now=NOW)
    assert _rows(database) == before


@pytest.mark.parametrize("role", [Role.TRAINER, Role.SPA_MANAGER])
def test_create_person_needs_permission(database: Database, role: Role) -> None:
    someone = signed_in(database, "someone", role)
    with pytest.raises(PermissionDenied, match="may not change a person's record"):
        create_person(database, someone, FIELDS, CONSENT, now=NOW)
