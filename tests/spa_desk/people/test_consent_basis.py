"""Consent is chosen, never assumed, in the service too: each basis is stored and audited exactly
as given, a lawful basis never goes on without a reason, who is calling only suggests a basis,
and the consent recorded on a call can be read back exactly (to carry the call on)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select

from db.models import AuditEvent, Consent, Person
from spa_desk.calls.draft import CallDraft, save_draft
from spa_desk.database import Database
from spa_desk.domain import CurrentUser
from spa_desk.errors import InvalidInput
from spa_desk.governance.search import _search as search
from spa_desk.people.consent import ConsentGiven, consent_on_call, suggested_consent
from spa_desk.people.records import create_person, open_person
from spa_desk.permissions import PermissionDenied
from spa_desk.vocabulary import ConsentBasis, Role
from tests.factories import add_person
from tests.spa_desk.people.helpers import signed_in, valid_nhs

NOW = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
NEW: dict[str, Any] = {"given_name": "Rosalind", "family_name": "Quenby", "postcode": "ZY4 2QT"}
BASES = [
    (ConsentBasis.GIVEN_BY_PERSON, None),
    (ConsentBasis.GIVEN_BY_REPRESENTATIVE, None),
    (ConsentBasis.LAWFUL_BASIS, "Safeguarding: neighbour reports she is locked in"),
]


def _call(database: Database, actor: CurrentUser) -> uuid.UUID:
    draft = CallDraft(started_at=NOW)
    save_draft(database, actor, draft, now=NOW)
    return draft.contact_id


def _rows(database: Database) -> list[int | None]:
    with database.sessions() as session:
        return [
            session.scalar(select(func.count()).select_from(table))
            for table in (Person, Consent, AuditEvent)
        ]


def _stored(database: Database, person_id: uuid.UUID) -> list[tuple[str, str | None, str | None]]:
    with database.sessions() as session:
        rows = session.scalars(select(Consent).where(Consent.person_id == person_id)).all()
        return [(row.basis, row.reason, row.purpose) for row in rows]


@pytest.mark.parametrize(("basis", "reason"), BASES, ids=[b.value for b, _ in BASES])
def test_opening_stores_and_audits_exactly_the_basis_given(
    database: Database, basis: ConsentBasis, reason: str | None
) -> None:
    handler = signed_in(database, "handler", Role.CALL_HANDLER)
    person = add_person(database)
    contact_id = _call(database, handler)
    consent = ConsentGiven(basis=basis, purpose="Screening a call", reason=reason)
    open_person(database, handler, person, consent, contact_id=contact_id, now=NOW)
    assert _stored(database, person) == [(basis.value, reason, "Screening a call")]
    (entry,) = search(database, person_id=person)
    assert (entry.action, entry.username) == ("person_viewed", "handler")
    assert entry.details == {"basis": basis.value, "contact_id": str(contact_id)}


@pytest.mark.parametrize(("basis", "reason"), BASES, ids=[b.value for b, _ in BASES])
def test_creating_stores_and_audits_exactly_the_basis_given(
    database: Database, basis: ConsentBasis, reason: str | None
) -> None:
    handler = signed_in(database, "handler", Role.CALL_HANDLER)
    consent = ConsentGiven(basis=basis, purpose="New caller", reason=reason)
    record = create_person(database, handler, NEW, consent, now=NOW)
    assert _stored(database, record.id) == [(basis.value, reason, "New caller")]
    (entry,) = search(database, person_id=record.id)
    assert entry.action == "person_created"
    assert entry.details == {
        "basis": basis.value,
        "fields": ["family_name", "given_name", "postcode"],
    }


@pytest.mark.parametrize("reason", [None, "", "   "], ids=["none", "empty", "spaces"])
def test_a_lawful_basis_without_a_reason_opens_and_creates_nothing(
    database: Database, reason: str | None
) -> None:
    practitioner = signed_in(database, "practitioner", Role.PRACTITIONER)
    person = add_person(database, nhs_number=valid_nhs(7000))
    lawful = ConsentGiven(basis=ConsentBasis.LAWFUL_BASIS, purpose="Police call", reason=reason)
    before = _rows(database)
    with pytest.raises(InvalidInput, match=r"^Reason: say why the record is opened without"):
        open_person(database, practitioner, person, lawful, now=NOW)
    with pytest.raises(InvalidInput, match=r"^Reason: say why the record is opened without"):
        create_person(database, practitioner, NEW, lawful, now=NOW)
    assert _rows(database) == before
    assert search(database, person_id=person) == []


@pytest.mark.parametrize(
    ("caller_type", "suggested"),
    [
        ("self", (ConsentBasis.GIVEN_BY_PERSON, "the caller is the person themself")),
        ("family", (ConsentBasis.GIVEN_BY_REPRESENTATIVE, "the caller is a family member")),
        ("carer", (ConsentBasis.GIVEN_BY_REPRESENTATIVE, "the caller is their carer")),
        ("professional", None),  # they may have the person's consent, or a lawful basis: ask
        (None, None),  # not asked yet: nothing to go on
        ("dog", None),
    ],
)
def test_who_is_calling_suggests_a_basis_and_never_more(
    caller_type: str | None, suggested: tuple[ConsentBasis, str] | None
) -> None:
    suggestion = suggested_consent(caller_type)
    if suggested is None:
        assert suggestion is None
        return
    assert suggestion is not None
    assert (suggestion.basis, suggestion.because) == suggested
    if caller_type == "family":
        assert suggestion.words == (
            "Suggested: given by a representative (the caller is a family member)"
        )


def test_the_consent_recorded_on_a_call_is_read_back_exactly(database: Database) -> None:
    practitioner = signed_in(database, "practitioner", Role.PRACTITIONER)
    person, other = add_person(database), add_person(database, nhs_number=valid_nhs(8000))
    this_call, other_call = _call(database, practitioner), _call(database, practitioner)
    assert consent_on_call(database, practitioner, this_call, person) is None
    first = ConsentGiven(basis=ConsentBasis.GIVEN_BY_PERSON, purpose="Screening a call")
    later = ConsentGiven(
        basis=ConsentBasis.LAWFUL_BASIS, purpose="Screening a call", reason="Vital interests"
    )
    open_person(database, practitioner, person, first, contact_id=this_call, now=NOW)
    open_person(
        database, practitioner, person, later, contact_id=this_call, now=NOW + timedelta(minutes=1)
    )
    open_person(database, practitioner, other, first, contact_id=other_call, now=NOW)
    assert consent_on_call(database, practitioner, this_call, person) == later
    assert consent_on_call(database, practitioner, other_call, person) is None
    assert consent_on_call(database, practitioner, this_call, other) is None
    trainer = signed_in(database, "trainer", Role.TRAINER)
    with pytest.raises(PermissionDenied, match="may not open a person's record"):
        consent_on_call(database, trainer, this_call, person)
