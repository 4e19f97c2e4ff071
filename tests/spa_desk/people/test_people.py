"""Consent on access: no consent, no record; every opening and change is audited by field name;
two desks changing one record do not overwrite each other silently."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from spa_desk.access.login import authenticate
from spa_desk.database import Database
from spa_desk.domain import CurrentUser
from spa_desk.errors import InvalidInput, KnownError
from spa_desk.governance.search import _search as search
from spa_desk.governance.verify import verify
from spa_desk.people.consent import ConsentGiven
from spa_desk.people.records import ChangedMeanwhile, open_person, update_person
from spa_desk.permissions import PermissionDenied
from spa_desk.vocabulary import ConsentBasis, Role
from tests.factories import add_contact, add_person, add_user

CONSENT = ConsentGiven(basis=ConsentBasis.GIVEN_BY_PERSON, purpose="Screening a call")


def _user(database: Database, name: str, role: Role) -> CurrentUser:
    add_user(database, name, "pass phrase 1", roles=(role.value,), display_name=name.title())
    return authenticate(database, name, "pass phrase 1")


def test_no_consent_no_record(database: Database) -> None:
    handler = _user(database, "handler", Role.CALL_HANDLER)
    person = add_person(database)
    with pytest.raises(InvalidInput, match="Consent: record consent"):
        open_person(database, handler, person, None)
    lawful = ConsentGiven(basis=ConsentBasis.LAWFUL_BASIS, purpose="Safeguarding concern")
    with pytest.raises(InvalidInput, match="Reason: say why"):
        open_person(database, handler, person, lawful)
    assert [e.action for e in search(database, person_id=person)] == []


def test_opening_records_consent_and_shows_previous_contacts(database: Database) -> None:
    handler = _user(database, "handler", Role.CALL_HANDLER)
    person = add_person(database)
    add_contact(database, handler.id, datetime(2026, 3, 1, 10, tzinfo=UTC), person_id=person)
    add_contact(database, handler.id, datetime(2026, 3, 9, 10, tzinfo=UTC), person_id=person)
    opened = open_person(
        database,
        handler,
        person,
        ConsentGiven(
            basis=ConsentBasis.LAWFUL_BASIS, purpose="Call from police", reason="Vital interests"
        ),
    )
    assert opened.family_name == "Testperson"
    assert [c.started_at.day for c in opened.previous_contacts] == [9, 1]
    (entry,) = search(database, person_id=person)
    assert (entry.action, entry.username, entry.details["basis"]) == (
        "person_viewed", "handler", "lawful_basis",
    )  # fmt: skip
    assert "Testperson" not in str(entry.details) and "9990000026" not in str(entry.details)
    from sqlalchemy import select

    from db.models import Consent

    with database.sessions() as session:
        consent = session.execute(select(Consent)).scalar_one()
    assert (consent.user_id, consent.basis, consent.reason) == (
        handler.id, "lawful_basis", "Vital interests",
    )  # fmt: skip


@pytest.mark.parametrize("role", [Role.SPA_MANAGER, Role.TRAINER, Role.ADMINISTRATOR])
def test_roles_without_access_are_refused(database: Database, role: Role) -> None:
    user = _user(database, "someone", role)
    person = add_person(database)
    with pytest.raises(PermissionDenied, match="may not open a person's record"):
        open_person(database, user, person, CONSENT)
    with pytest.raises(PermissionDenied, match="may not change a person's record"):
        update_person(database, user, person, {"town": "Saltmarsh"}, 1)


def test_change_is_audited_by_field_name_only(database: Database) -> None:
    handler = _user(database, "handler", Role.CALL_HANDLER)
    person = add_person(database)
    with pytest.raises(KnownError, match="Open the record with consent"):
        update_person(database, handler, person, {"town": "Saltmarsh"}, 1)
    opened = open_person(database, handler, person, CONSENT)
    changed = update_person(
        database,
        handler,
        person,
        {"postcode": "zy3 7qp", "phone_primary": "07700 900 456", "town": "Saltmarsh"},
        opened.version,
    )
    assert (changed.postcode, changed.phone_primary, changed.version) == (
        "ZY3 7QP", "07700900456", opened.version + 1,
    )  # fmt: skip
    entries = search(database, person_id=person)
    assert entries[0].action == "person_changed"
    assert entries[0].details == {"fields": ["phone_primary", "postcode", "town"]}
    assert verify(database).ok


def test_two_desks_do_not_overwrite_each_other(database: Database) -> None:
    first = _user(database, "first", Role.CALL_HANDLER)
    second = _user(database, "second", Role.PRACTITIONER)
    person = add_person(database)
    seen_by_first = open_person(database, first, person, CONSENT)
    seen_by_second = open_person(database, second, person, CONSENT)
    update_person(
        database, first, person, {"town": "Saltmarsh", "phone_primary": "01632 960111"},
        seen_by_first.version,
    )  # fmt: skip
    with pytest.raises(ChangedMeanwhile) as refused:
        update_person(
            database, second, person, {"town": "Gullrock"}, seen_by_second.version,
            seen=seen_by_second.model_dump(),
        )  # fmt: skip
    assert str(refused.value).startswith("First changed this record at ")
    assert "after you opened it (Town, Phone). Nothing was saved" in str(refused.value)
    assert refused.value.fields == ("town", "phone_primary") and refused.value.by == "First"
    assert refused.value.current.town == "Saltmarsh"
    reopened = open_person(database, second, person, CONSENT)
    assert reopened.town == "Saltmarsh"
    merged = update_person(  # the second desk merges and saves again, at the version it now saw
        database, second, person, {"town": "Gullrock"}, refused.value.current.version
    )
    assert (merged.town, merged.phone_primary) == ("Gullrock", "01632960111")


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"nhs_number": "999 000 0027"}, "NHS number: this is not a valid NHS number"),
        ({"postcode": "SALT 1"}, "Postcode: 'SALT 1' is not a UK postcode"),
        ({"phone_primary": "12345"}, "Phone: '12345' is not a UK phone number"),
        ({"date_of_birth": date(2999, 1, 1)}, "Date of birth: this date is in the future"),
        ({"family_name": ""}, "Family name: this cannot be left empty"),
        ({"password_hash": "x"}, "password_hash: this field cannot be changed here"),
    ],
)
def test_bad_values_name_the_field(
    database: Database, changes: dict[str, object], message: str
) -> None:
    handler = _user(database, "handler", Role.CALL_HANDLER)
    person = add_person(database)
    opened = open_person(database, handler, person, CONSENT)
    with pytest.raises(InvalidInput, match=message):
        update_person(database, handler, person, changes, opened.version)
