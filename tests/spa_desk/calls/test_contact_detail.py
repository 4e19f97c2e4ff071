"""A contact read in full (the shift list's Enter): its screening, outcome and the rules that
decided it, for those who take calls and the managers who sign the shift; never for a trainer;
and the person only through consent, stored and audited like any opening of a record."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from db.models import AuditEvent, Consent, Contact
from spa_desk.calls.contact_detail import contact_detail, open_contact_person
from spa_desk.calls.draft import CallerDetails
from spa_desk.calls.save import save_call
from spa_desk.database import Database
from spa_desk.domain import CurrentUser
from spa_desk.errors import InvalidInput, KnownError
from spa_desk.permissions import PermissionDenied
from spa_desk.vocabulary import ConsentBasis, Line, Outcome, Role, Route, Urgency
from tests.spa_desk.calls.helpers import (
    CONSENT,
    NOW,
    RULES,
    answered,
    choices,
    new_draft,
    opened_for_call,
    signed_in,
)
from triage_rules import evaluate


def _overridden_referral(database: Database, practitioner: CurrentUser) -> Contact:
    """A social care call referred with an override (befriending added), saved as the desk does."""
    draft = opened_for_call(database, practitioner, new_draft(line=Line.SOCIAL_CARE))
    draft = answered(draft, caller_type="family", personal_care_need=True).model_copy(
        update={
            "caller": CallerDetails(name="Jo Marsh", relationship="Daughter"),
            "resolve": False,
            "override": True,
            "override_reason": "Lives alone; befriending agreed",
            "override_routes": choices(
                (Route.ADULT_SOCIAL_CARE, Urgency.SOON), (Route.VCS, Urgency.ROUTINE)
            ),
            "notes": "Needs help with morning washes.",
        }
    )
    save_call(database, practitioner, draft, RULES, now=NOW)
    with database.sessions() as session:
        contact = session.get(Contact, draft.contact_id)
        assert contact is not None
        return contact


def test_the_contact_in_full_with_its_override_and_the_rules_that_decided_it(
    database: Database,
) -> None:
    practitioner = signed_in(database, "nurse", Role.PRACTITIONER)
    stored = _overridden_referral(database, practitioner)

    detail = contact_detail(database, practitioner, stored.id)

    assert detail.summary.overridden is True
    assert detail.summary.outcome is Outcome.REFERRED
    assert detail.recommended_routes == choices((Route.ADULT_SOCIAL_CARE, Urgency.SOON))
    assert detail.final_routes == choices(
        (Route.ADULT_SOCIAL_CARE, Urgency.SOON), (Route.VCS, Urgency.ROUTINE)
    )
    assert detail.override_reason == "Lives alone; befriending agreed"
    assert [(r.route, r.urgency) for r in detail.referrals] == [
        (Route.ADULT_SOCIAL_CARE, Urgency.SOON), (Route.VCS, Urgency.ROUTINE),
    ]  # fmt: skip
    assert detail.notes == "Needs help with morning washes."
    assert detail.line is Line.SOCIAL_CARE and detail.consent_basis is ConsentBasis.GIVEN_BY_PERSON
    assert detail.about_a_person is True
    assert detail.caller_as == "Daughter"  # who rang, not named
    assert "Jo Marsh" not in detail.model_dump_json()
    # The rules used: the trace of the very rule set the contact was saved with.
    expected = evaluate(RULES, stored.facts).trace
    assert [(r.rule, r.reason) for r in detail.rules] == [(t.rule, t.reason) for t in expected]
    assert detail.ruleset == f"{RULES.id} {RULES.version}" and detail.rules_note is None
    # Nothing that names the person is in it.
    assert "Ada" not in detail.model_dump_json() and "Testperson" not in detail.model_dump_json()


@pytest.mark.parametrize("role", [Role.CALL_HANDLER, Role.PRACTITIONER, Role.SPA_MANAGER])
def test_those_who_take_calls_or_sign_the_shift_read_a_contact(
    database: Database, role: Role
) -> None:
    practitioner = signed_in(database, "nurse", Role.PRACTITIONER)
    stored = _overridden_referral(database, practitioner)
    reader = practitioner if role is Role.PRACTITIONER else signed_in(database, "reader", role)
    assert contact_detail(database, reader, stored.id).summary.id == stored.id


@pytest.mark.parametrize("role", [Role.TRAINER, Role.ADMINISTRATOR])
def test_a_trainer_or_administrator_never_reads_a_live_contact(
    database: Database, role: Role
) -> None:
    practitioner = signed_in(database, "nurse", Role.PRACTITIONER)
    stored = _overridden_referral(database, practitioner)
    outsider = signed_in(database, "outsider", role)
    with pytest.raises(PermissionDenied, match="may not log a call"):
        contact_detail(database, outsider, stored.id)


def test_the_person_opens_only_with_consent_and_the_opening_is_audited(
    database: Database,
) -> None:
    practitioner = signed_in(database, "nurse", Role.PRACTITIONER)
    stored = _overridden_referral(database, practitioner)
    handler = signed_in(database, "handler", Role.CALL_HANDLER)
    with database.sessions() as session:
        before = len(session.scalars(select(Consent)).all())

    with pytest.raises(InvalidInput, match="Consent"):
        open_contact_person(database, handler, stored.id, None, now=NOW)
    record = open_contact_person(database, handler, stored.id, CONSENT, now=NOW)

    assert (record.given_name, record.family_name) == ("Ada", "Testperson")
    with database.sessions() as session:
        consents = session.scalars(select(Consent).order_by(Consent.recorded_at)).all()
        viewed = session.scalars(
            select(AuditEvent).where(
                AuditEvent.user_id == handler.id, AuditEvent.action == "person_viewed"
            )
        ).all()
    assert len(consents) == before + 1
    # The consent is this reading's own: never one a call still open could be saved on.
    assert consents[-1].user_id == handler.id and consents[-1].contact_id is None
    assert len(viewed) == 1


def test_a_manager_reads_the_contact_but_never_the_person(database: Database) -> None:
    practitioner = signed_in(database, "nurse", Role.PRACTITIONER)
    stored = _overridden_referral(database, practitioner)
    manager = signed_in(database, "manager", Role.SPA_MANAGER)
    assert contact_detail(database, manager, stored.id).about_a_person
    with pytest.raises(PermissionDenied, match="may not open a person's record"):
        open_contact_person(database, manager, stored.id, CONSENT, now=NOW)


def test_a_contact_not_about_a_person_says_so(database: Database) -> None:
    handler = signed_in(database, "handler", Role.CALL_HANDLER)
    draft = answered(new_draft(), call_kind="wrong_number")
    save_call(database, handler, draft, RULES, now=NOW)
    detail = contact_detail(database, handler, draft.contact_id)
    assert detail.about_a_person is False and detail.summary.outcome is Outcome.NON_DATA
    with pytest.raises(KnownError, match="not about a person on record"):
        open_contact_person(database, handler, draft.contact_id, CONSENT, now=NOW)
