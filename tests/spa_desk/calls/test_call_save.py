"""Saving a call: what each kind of call stores, with consent, signposting, callers and gaps."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select

from db.models import Caller, Referral, Service, ServiceGap
from spa_desk.calls.draft import CallerDetails, GapNote, save_draft, unfinished_calls
from spa_desk.calls.save import save_call
from spa_desk.database import Database
from spa_desk.directory.services import list_services
from spa_desk.errors import InvalidInput
from spa_desk.people.consent import ConsentGiven
from spa_desk.people.records import open_person
from spa_desk.vocabulary import ConsentBasis, Line, ResolutionMethod, Role, Route, Urgency
from tests.factories import add_person
from tests.spa_desk.calls.helpers import (
    CONSENT,
    ENDED,
    NOW,
    RULES,
    START,
    answered,
    choices,
    contact_row,
    new_draft,
    opened_for_call,
    referral_rows,
    route_rows,
    signed_in,
    snapshot,
)

# --- what each kind of call stores ------------------------------------------------------------


def test_wrong_number_is_a_non_data_call_without_person(database: Database) -> None:
    handler = signed_in(database, "handler", Role.CALL_HANDLER)
    draft = opened_for_call(
        database,
        handler,
        new_draft(caller_number="07700900123", answers={"call_kind": "wrong_number"}),
    )
    saved = save_call(database, handler, draft, RULES, now=NOW)

    contact = contact_row(database, draft.contact_id)
    assert (contact.status, contact.outcome, contact.level1, contact.stream) == (
        "complete", "non_data", "non_data", None,
    )  # fmt: skip
    assert (contact.call_kind, contact.person_id, contact.caller_id) == ("wrong_number", None, None)
    assert (contact.consent_basis, contact.resolved_at_first_contact) == (None, None)
    assert contact.caller_number == "07700900123"
    assert contact.final_routes == [] and contact.recommended_routes == []
    assert contact.draft is None
    assert (contact.ended_at, contact.wrap_up_ended_at) == (ENDED, NOW)
    assert referral_rows(database, draft.contact_id) == []
    assert saved.summary.outcome == "non_data" and saved.summary.handler_name == "Handler"
    assert (saved.talk_seconds, saved.wrap_seconds) == (360, 150)
    assert unfinished_calls(database, handler) == []


def test_information_only_call_resolved_by_a_call_handler(database: Database) -> None:
    handler = signed_in(database, "handler", Role.CALL_HANDLER)
    draft = answered(new_draft(), information_only=True).model_copy(
        update={
            "resolve": True,
            "resolution_method": ResolutionMethod.INFORMATION_ADVICE,
            "notes": "  Gave the number of the blue badge team.  ",
        }
    )
    saved = save_call(database, handler, draft, RULES, now=NOW)

    contact = contact_row(database, draft.contact_id)
    assert (contact.level1, contact.outcome, contact.resolved_at_first_contact) == (
        "information", "resolved", True,
    )  # fmt: skip
    assert contact.resolution_method == "information_advice"
    assert contact.final_routes == route_rows(("resolved", None)) == contact.recommended_routes
    assert contact.notes == "Gave the number of the blue badge team."
    assert contact.facts["information_only"] is True
    assert "out_of_hours" not in contact.facts  # false facts are left out, as the rules take them
    assert contact.ruleset_id == RULES.id and contact.ruleset_sha256 == RULES.sha256
    assert contact.overridden is False and contact.override_reason is None
    assert referral_rows(database, draft.contact_id) == []
    assert saved.summary.routes == choices((Route.RESOLVED, None))


@pytest.mark.parametrize(
    ("answers", "referrals"),
    [
        ({"risk_to_life": True}, [("emergency_999", "emergency")]),
        ({"fall_recent": True, "serious_injury": True}, [("emergency_999", "emergency")]),
        (
            {"risk_to_life": True, "abuse_or_neglect": True},
            [("emergency_999", "emergency"), ("safeguarding", "soon")],
        ),
        (
            {"risk_to_life": True, "abuse_or_neglect": True, "in_danger_now": True},
            [("emergency_999", "emergency"), ("safeguarding", "urgent")],
        ),
    ],
)
def test_risk_to_life_goes_to_999_at_once(
    database: Database, answers: dict[str, Any], referrals: list[tuple[str, str]]
) -> None:
    handler = signed_in(database, "handler", Role.CALL_HANDLER)
    # Only the level-1 answers that matter: the rest of screening is not asked when life is at risk.
    draft = new_draft(answers={"call_kind": "data", **answers})
    save_call(database, handler, draft, RULES, now=NOW)

    contact = contact_row(database, draft.contact_id)
    assert (contact.level1, contact.stream, contact.outcome) == ("emergency", None, "emergency")
    assert contact.resolved_at_first_contact is False
    assert contact.final_routes == route_rows(*referrals)
    assert referral_rows(database, draft.contact_id) == sorted(referrals)


def test_social_care_call_referred_by_a_practitioner(database: Database) -> None:
    practitioner = signed_in(database, "nurse", Role.PRACTITIONER)
    draft = opened_for_call(
        database,
        practitioner,
        new_draft(line=Line.SOCIAL_CARE),
        ConsentGiven(
            basis=ConsentBasis.LAWFUL_BASIS, purpose="Carer rang", reason="Vital interests"
        ),
    )
    draft = answered(draft, personal_care_need=True, cannot_cope_at_home=True).model_copy(
        update={"resolve": False}
    )
    saved = save_call(database, practitioner, draft, RULES, now=NOW)

    contact = contact_row(database, draft.contact_id)
    assert (contact.level1, contact.stream, contact.outcome) == (
        "stream",
        "social_care",
        "referred",
    )
    assert contact.resolved_at_first_contact is False and contact.resolution_method is None
    assert (contact.person_id, contact.handler_id) == (draft.person_id, practitioner.id)
    assert (contact.consent_basis, contact.consent_reason) == ("lawful_basis", "Vital interests")
    expected = [("crisis_response", "urgent"), ("adult_social_care", "soon")]
    assert contact.final_routes == route_rows(*expected) == contact.recommended_routes
    with database.sessions() as session:
        rows = session.scalars(select(Referral).order_by(Referral.route)).all()
    assert [(r.route, r.urgency, r.status) for r in rows] == [
        ("adult_social_care", "soon", "made"), ("crisis_response", "urgent", "made"),
    ]  # fmt: skip
    assert {(r.contact_id, r.person_id, r.made_by, r.made_at) for r in rows} == {
        (draft.contact_id, draft.person_id, practitioner.id, NOW)
    }
    assert saved.summary.stream == "social_care"
    assert draft.person_id is not None
    reopened = open_person(database, practitioner, draft.person_id, CONSENT, now=NOW)
    assert sorted((r.route.value, r.urgency, r.made_at) for r in reopened.open_referrals) == [
        ("adult_social_care", Urgency.SOON, NOW), ("crisis_response", Urgency.URGENT, NOW),
    ]  # fmt: skip
    assert reopened.previous_contacts[0].id == draft.contact_id


def test_the_record_then_flags_the_safeguarding_concern_and_999(database: Database) -> None:
    handler = signed_in(database, "handler", Role.CALL_HANDLER)
    draft = opened_for_call(database, handler, new_draft())
    draft = draft.model_copy(
        update={"answers": {"call_kind": "data", "risk_to_life": True, "abuse_or_neglect": True}}
    )
    save_call(database, handler, draft, RULES, now=NOW)
    assert draft.person_id is not None
    record = open_person(database, handler, draft.person_id, CONSENT, now=NOW + timedelta(days=1))
    assert record.flags == (
        "Safeguarding concern raised on 02 Mar 2026",
        "Sent to 999 in the last year",
        "Test NHS number (999 range)",
    )
    assert sorted((r.route.value, r.urgency) for r in record.open_referrals) == [
        ("emergency_999", Urgency.EMERGENCY), ("safeguarding", Urgency.SOON),
    ]  # fmt: skip
    assert [c.outcome for c in record.previous_contacts] == ["emergency"]
    later = open_person(database, handler, draft.person_id, CONSENT, now=NOW + timedelta(days=400))
    assert later.flags == ("Test NHS number (999 range)",)


def test_consent_basis_stored_is_the_recorded_one_not_the_screens(database: Database) -> None:
    practitioner = signed_in(database, "nurse", Role.PRACTITIONER)
    draft = opened_for_call(database, practitioner, new_draft(line=Line.SOCIAL_CARE))
    # The screen lost (or misreported) the basis; the consent recorded on the call is what counts.
    draft = answered(draft, daily_living_need=True).model_copy(
        update={"resolve": False, "consent_basis": None}
    )
    save_call(database, practitioner, draft, RULES, now=NOW)
    contact = contact_row(database, draft.contact_id)
    assert (contact.consent_basis, contact.consent_reason) == ("given_by_person", None)


def test_referring_needs_consent_recorded_on_this_call(database: Database) -> None:
    practitioner = signed_in(database, "nurse", Role.PRACTITIONER)
    person = add_person(database)
    earlier = new_draft()
    save_draft(database, practitioner, earlier, now=START)
    open_person(database, practitioner, person, CONSENT, contact_id=earlier.contact_id, now=START)
    # Consent recorded on another call does not open the record on this one.
    draft = answered(new_draft(line=Line.SOCIAL_CARE, person_id=person), daily_living_need=True)
    draft = draft.model_copy(update={"resolve": False})
    save_draft(database, practitioner, draft, now=START)
    before = snapshot(database)
    with pytest.raises(InvalidInput, match=r"^Consent: record consent"):
        save_call(database, practitioner, draft, RULES, now=NOW)
    assert snapshot(database) == before
    # Referring needs a person at all.
    no_person = draft.model_copy(update={"person_id": None})
    with pytest.raises(InvalidInput, match=r"^Person: find or add the person"):
        save_call(database, practitioner, no_person, RULES, now=NOW)
    assert snapshot(database) == before


def test_signposting_names_a_service_from_the_directory(database: Database) -> None:
    handler = signed_in(database, "handler", Role.CALL_HANDLER)
    assert list_services(database, handler) == []  # a fresh database has no directory yet
    with database.sessions.begin() as session:
        chiropody = Service(name="Footcare drop-in", route="vcs", organisation="Age Friendly")
        befriending = Service(name="Befriending line", route="vcs")
        closed = Service(name="Closed lunch club", route="vcs", active=False)
        gp = Service(name="Extended hours GP", route="own_gp")
        session.add_all([chiropody, befriending, closed, gp])
        session.flush()
        chiropody_id, closed_id = chiropody.id, closed.id
    services = list_services(database, handler)
    assert [(s.name, s.route) for s in services] == [
        ("Extended hours GP", Route.OWN_GP),
        ("Befriending line", Route.VCS),
        ("Footcare drop-in", Route.VCS),
    ]

    draft = answered(new_draft(), information_only=True).model_copy(
        update={"resolve": True, "resolution_method": ResolutionMethod.SIGNPOSTING}
    )
    save_draft(database, handler, draft, now=START)
    before = snapshot(database)
    with pytest.raises(InvalidInput, match=r"^Signposted to: name the service"):
        save_call(database, handler, draft, RULES, now=NOW)
    for unknown in (uuid.uuid4(), closed_id):
        bad = draft.model_copy(update={"signposted_service_id": unknown})
        with pytest.raises(InvalidInput, match=r"^Signposted to: "):
            save_call(database, handler, bad, RULES, now=NOW)
    assert snapshot(database) == before

    good = draft.model_copy(update={"signposted_service_id": chiropody_id})
    save_call(database, handler, good, RULES, now=NOW)
    contact = contact_row(database, draft.contact_id)
    assert (contact.outcome, contact.resolution_method, contact.signposted_service_id) == (
        "resolved", "signposting", chiropody_id,
    )  # fmt: skip


def test_professional_caller_gives_details_and_becomes_a_caller(database: Database) -> None:
    handler = signed_in(database, "handler", Role.CALL_HANDLER)
    draft = answered(
        new_draft(line=Line.PROFESSIONAL),
        caller_type="professional",
        professional_role="gp",
        information_only=True,
    ).model_copy(update={"resolve": True, "resolution_method": ResolutionMethod.INFORMATION_ADVICE})
    save_draft(database, handler, draft, now=START)
    before = snapshot(database)
    details = {"name": "Dr Example", "organisation": "Harbour Surgery", "phone": "01632 960 123"}
    for missing, message in (
        ("name", r"^Professional's name: a professional caller gives their name"),
        ("organisation", r"^Organisation: a professional caller gives their organisation"),
        ("phone", r"^Call-back number: a professional caller gives a call-back number"),
    ):
        partial = CallerDetails(**{**details, missing: "  "})
        with pytest.raises(InvalidInput, match=message):
            save_call(database, handler, draft.model_copy(update={"caller": partial}), RULES)
    bad_phone = CallerDetails(**{**details, "phone": "extension 42"})
    with pytest.raises(InvalidInput, match=r"^Call-back number: 'extension 42' is not a UK phone"):
        save_call(database, handler, draft.model_copy(update={"caller": bad_phone}), RULES)
    assert snapshot(database) == before

    complete = CallerDetails(**details, job_title=" Practice nurse ")
    save_call(database, handler, draft.model_copy(update={"caller": complete}), RULES, now=NOW)
    contact = contact_row(database, draft.contact_id)
    with database.sessions() as session:
        caller = session.scalars(select(Caller)).one()
    assert (contact.caller_type, contact.caller_id) == ("professional", caller.id)
    assert (caller.caller_type, caller.professional_role, caller.name, caller.organisation) == (
        "professional", "gp", "Dr Example", "Harbour Surgery",
    )  # fmt: skip
    assert (caller.job_title, caller.phone) == ("Practice nurse", "01632960123")
    assert contact.facts["caller_type"] == "professional"


def test_service_gaps_are_stored_with_age_band_and_area(database: Database) -> None:
    handler = signed_in(database, "handler", Role.CALL_HANDLER)
    draft = opened_for_call(
        database, handler, new_draft(), date_of_birth=date(1948, 5, 1), postcode="ZY3 7QP"
    )
    draft = answered(draft, information_only=True).model_copy(
        update={
            "resolve": True,
            "resolution_method": ResolutionMethod.INFORMATION_ADVICE,
            "gaps": (
                GapNote(need="chiropody", service_requested=" NHS chiropody for over-75s "),
                GapNote(need=" befriending ", reason="cannot_take"),
            ),
        }
    )
    save_draft(database, handler, draft, now=START)
    for gaps, message in (
        ((GapNote(need="  "),), r"^Service gap: say what was needed"),
        (
            (GapNote(need="chiropody", reason="too_far"),),
            r"^Service gap: 'too_far' is not a reason",
        ),
    ):
        before = snapshot(database)
        with pytest.raises(InvalidInput, match=message):
            save_call(database, handler, draft.model_copy(update={"gaps": gaps}), RULES, now=NOW)
        assert snapshot(database) == before

    save_call(database, handler, draft, RULES, now=NOW)
    with database.sessions() as session:
        stored = session.scalars(select(ServiceGap).order_by(ServiceGap.need)).all()
    assert [
        (g.contact_id, g.need, g.service_requested, g.reason, g.age_band, g.area, g.recorded_at)
        for g in stored
    ] == [
        (draft.contact_id, "befriending", None, "cannot_take", "75-84", "ZY3", NOW),
        (draft.contact_id, "chiropody", "NHS chiropody for over-75s", "does_not_exist", "75-84",
         "ZY3", NOW),
    ]  # fmt: skip


def test_gaps_of_a_non_data_call_are_not_stored(database: Database) -> None:
    handler = signed_in(database, "handler", Role.CALL_HANDLER)
    draft = new_draft(answers={"call_kind": "silent"}, gaps=(GapNote(need="chiropody"),))
    save_call(database, handler, draft, RULES, now=NOW)
    with database.sessions() as session:
        assert session.scalar(select(func.count()).select_from(ServiceGap)) == 0
