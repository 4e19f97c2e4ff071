"""A call from ring to saved record (SPEC 2-5): the draft that survives a crash, and the save that
re-runs the rules and stores the contact, its referrals, service gaps and audit entries together,
or refuses in words and stores nothing."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

import pytest
from sqlalchemy import func, select

from db.models import (
    AuditEvent,
    Caller,
    Consent,
    Contact,
    Person,
    Referral,
    Service,
    ServiceGap,
)
from spa_desk.access.login import authenticate
from spa_desk.calls.draft import (
    CallDraft,
    GapNote,
    ProfessionalCaller,
    discard_draft,
    given_facts,
    save_draft,
    unfinished_calls,
)
from spa_desk.calls.save import save_call
from spa_desk.calls.screening import resolvable, screening
from spa_desk.database import Database
from spa_desk.directory.services import list_services
from spa_desk.domain import CurrentUser, RouteChoice
from spa_desk.errors import InvalidInput, KnownError
from spa_desk.governance.search import search
from spa_desk.governance.verify import verify
from spa_desk.people.consent import ConsentGiven
from spa_desk.people.records import open_person
from spa_desk.permissions import PermissionDenied
from spa_desk.vocabulary import (
    ConsentBasis,
    Line,
    ResolutionMethod,
    Role,
    Route,
    Urgency,
)
from tests.factories import add_person, add_user
from triage_rules import default_ruleset, evaluate

RULES = default_ruleset()
START = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)  # a Monday morning: in hours
ANSWERED = START + timedelta(seconds=12)
ENDED = START + timedelta(minutes=6, seconds=12)
NOW = START + timedelta(minutes=8, seconds=42)
CONSENT = ConsentGiven(basis=ConsentBasis.GIVEN_BY_PERSON, purpose="Screening a call")


def _user(database: Database, name: str, role: Role) -> CurrentUser:
    add_user(database, name, "pass phrase 1", roles=(role.value,), display_name=name.title())
    return authenticate(database, name, "pass phrase 1")


def _draft(**fields: Any) -> CallDraft:
    values: dict[str, Any] = {"started_at": START, "answered_at": ANSWERED, "ended_at": ENDED}
    values.update(fields)
    return CallDraft(**values)


def _answered(draft: CallDraft, **answers: Any) -> CallDraft:
    """``draft`` with ``answers`` given and every other question still asked answered "no"."""
    given = {"call_kind": "data", **draft.answers, **answers}
    while True:
        current = draft.model_copy(update={"answers": dict(given)})
        pending = screening(RULES, current).next_question()
        if pending is None:
            return current
        fact = pending.question.fact
        empty = fact.empty
        given[fact.name] = sorted(empty) if isinstance(empty, frozenset) else empty


def _routes(*pairs: tuple[str, str | None]) -> list[dict[str, Any]]:
    return [{"route": route, "urgency": urgency} for route, urgency in pairs]


def _choices(*pairs: tuple[Route, Urgency | None]) -> tuple[RouteChoice, ...]:
    return tuple(RouteChoice(route=route, urgency=urgency) for route, urgency in pairs)


def _contact(database: Database, contact_id: uuid.UUID) -> Contact:
    with database.sessions() as session:
        contact = session.get(Contact, contact_id)
        assert contact is not None
        return contact


def _referrals(database: Database, contact_id: uuid.UUID) -> list[tuple[str, str | None]]:
    with database.sessions() as session:
        rows = session.execute(
            select(Referral.route, Referral.urgency).where(Referral.contact_id == contact_id)
        ).all()
    return sorted((row.route, row.urgency) for row in rows)


def _opened_for_call(
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


def _snapshot(database: Database) -> dict[str, Any]:
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


# --- what each kind of call stores ------------------------------------------------------------


def test_wrong_number_is_a_non_data_call_without_person(database: Database) -> None:
    handler = _user(database, "handler", Role.CALL_HANDLER)
    draft = _opened_for_call(
        database,
        handler,
        _draft(caller_number="07700900123", answers={"call_kind": "wrong_number"}),
    )
    saved = save_call(database, handler, draft, RULES, now=NOW)

    contact = _contact(database, draft.contact_id)
    assert (contact.status, contact.outcome, contact.level1, contact.stream) == (
        "complete", "non_data", "non_data", None,
    )  # fmt: skip
    assert (contact.call_kind, contact.person_id, contact.caller_id) == ("wrong_number", None, None)
    assert (contact.consent_basis, contact.resolved_at_first_contact) == (None, None)
    assert contact.caller_number == "07700900123"
    assert contact.final_routes == [] and contact.recommended_routes == []
    assert contact.draft is None
    assert (contact.ended_at, contact.wrap_up_ended_at) == (ENDED, NOW)
    assert _referrals(database, draft.contact_id) == []
    assert saved.summary.outcome == "non_data" and saved.summary.handler_name == "Handler"
    assert (saved.talk_seconds, saved.wrap_seconds) == (360, 150)
    assert unfinished_calls(database, handler) == []


def test_information_only_call_resolved_by_a_call_handler(database: Database) -> None:
    handler = _user(database, "handler", Role.CALL_HANDLER)
    draft = _answered(_draft(), information_only=True).model_copy(
        update={
            "resolve": True,
            "resolution_method": ResolutionMethod.INFORMATION_ADVICE,
            "notes": "  Gave the number of the blue badge team.  ",
        }
    )
    saved = save_call(database, handler, draft, RULES, now=NOW)

    contact = _contact(database, draft.contact_id)
    assert (contact.level1, contact.outcome, contact.resolved_at_first_contact) == (
        "information", "resolved", True,
    )  # fmt: skip
    assert contact.resolution_method == "information_advice"
    assert contact.final_routes == _routes(("resolved", None)) == contact.recommended_routes
    assert contact.notes == "Gave the number of the blue badge team."
    assert contact.facts["information_only"] is True
    assert "out_of_hours" not in contact.facts  # false facts are left out, as the rules take them
    assert contact.ruleset_id == RULES.id and contact.ruleset_sha256 == RULES.sha256
    assert contact.overridden is False and contact.override_reason is None
    assert _referrals(database, draft.contact_id) == []
    assert saved.summary.routes == _choices((Route.RESOLVED, None))


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
    handler = _user(database, "handler", Role.CALL_HANDLER)
    # Only the level-1 answers that matter: the rest of screening is not asked when life is at risk.
    draft = _draft(answers={"call_kind": "data", **answers})
    save_call(database, handler, draft, RULES, now=NOW)

    contact = _contact(database, draft.contact_id)
    assert (contact.level1, contact.stream, contact.outcome) == ("emergency", None, "emergency")
    assert contact.resolved_at_first_contact is False
    assert contact.final_routes == _routes(*referrals)
    assert _referrals(database, draft.contact_id) == sorted(referrals)


def test_social_care_call_referred_by_a_practitioner(database: Database) -> None:
    practitioner = _user(database, "nurse", Role.PRACTITIONER)
    draft = _opened_for_call(
        database,
        practitioner,
        _draft(line=Line.SOCIAL_CARE),
        ConsentGiven(
            basis=ConsentBasis.LAWFUL_BASIS, purpose="Carer rang", reason="Vital interests"
        ),
    )
    draft = _answered(draft, personal_care_need=True, cannot_cope_at_home=True).model_copy(
        update={"resolve": False}
    )
    saved = save_call(database, practitioner, draft, RULES, now=NOW)

    contact = _contact(database, draft.contact_id)
    assert (contact.level1, contact.stream, contact.outcome) == (
        "stream",
        "social_care",
        "referred",
    )
    assert contact.resolved_at_first_contact is False and contact.resolution_method is None
    assert (contact.person_id, contact.handler_id) == (draft.person_id, practitioner.id)
    assert (contact.consent_basis, contact.consent_reason) == ("lawful_basis", "Vital interests")
    expected = [("crisis_response", "urgent"), ("adult_social_care", "soon")]
    assert contact.final_routes == _routes(*expected) == contact.recommended_routes
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
    handler = _user(database, "handler", Role.CALL_HANDLER)
    draft = _opened_for_call(database, handler, _draft())
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
    practitioner = _user(database, "nurse", Role.PRACTITIONER)
    draft = _opened_for_call(database, practitioner, _draft(line=Line.SOCIAL_CARE))
    # The screen lost (or misreported) the basis; the consent recorded on the call is what counts.
    draft = _answered(draft, daily_living_need=True).model_copy(
        update={"resolve": False, "consent_basis": None}
    )
    save_call(database, practitioner, draft, RULES, now=NOW)
    contact = _contact(database, draft.contact_id)
    assert (contact.consent_basis, contact.consent_reason) == ("given_by_person", None)


def test_referring_needs_consent_recorded_on_this_call(database: Database) -> None:
    practitioner = _user(database, "nurse", Role.PRACTITIONER)
    person = add_person(database)
    earlier = _draft()
    save_draft(database, practitioner, earlier, now=START)
    open_person(database, practitioner, person, CONSENT, contact_id=earlier.contact_id, now=START)
    # Consent recorded on another call does not open the record on this one.
    draft = _answered(_draft(line=Line.SOCIAL_CARE, person_id=person), daily_living_need=True)
    draft = draft.model_copy(update={"resolve": False})
    save_draft(database, practitioner, draft, now=START)
    before = _snapshot(database)
    with pytest.raises(InvalidInput, match=r"^Consent: record consent"):
        save_call(database, practitioner, draft, RULES, now=NOW)
    assert _snapshot(database) == before
    # Referring needs a person at all.
    no_person = draft.model_copy(update={"person_id": None})
    with pytest.raises(InvalidInput, match=r"^Person: find or add the person"):
        save_call(database, practitioner, no_person, RULES, now=NOW)
    assert _snapshot(database) == before


def test_override_is_stored_with_reason_and_both_routes(database: Database) -> None:
    practitioner = _user(database, "nurse", Role.PRACTITIONER)
    draft = _opened_for_call(database, practitioner, _draft(line=Line.SOCIAL_CARE))
    draft = _answered(draft, daily_living_need=True).model_copy(
        update={
            "resolve": False,
            "override": True,
            "override_routes": _choices(
                (Route.VCS, Urgency.ROUTINE), (Route.ADULT_SOCIAL_CARE, Urgency.SOON)
            ),
            "override_reason": "  Meals have stopped; the family cannot cover this week.  ",
        }
    )
    save_call(database, practitioner, draft, RULES, now=NOW)

    contact = _contact(database, draft.contact_id)
    assert contact.overridden is True
    assert contact.override_reason == "Meals have stopped; the family cannot cover this week."
    assert contact.recommended_routes == _routes(("adult_social_care", "routine"))
    assert contact.final_routes == _routes(("vcs", "routine"), ("adult_social_care", "soon"))
    assert _referrals(database, draft.contact_id) == [
        ("adult_social_care", "soon"), ("vcs", "routine"),
    ]  # fmt: skip
    saved_entry, override_entry = sorted(
        (e for e in search(database) if e.entity_id == str(draft.contact_id)),
        key=lambda e: e.position,
    )
    assert (saved_entry.action, saved_entry.username) == ("contact_saved", "nurse")
    assert saved_entry.details == {
        "outcome": "referred",
        "level1": "stream",
        "routes": ["vcs:routine", "adult_social_care:soon"],
        "person_id": str(draft.person_id),
    }
    assert override_entry.action == "override_made"
    assert override_entry.details == {
        "recommended": ["adult_social_care:routine"],
        "final": ["vcs:routine", "adult_social_care:soon"],
    }
    assert verify(database).ok


def test_an_accepted_call_has_no_override_entry(database: Database) -> None:
    handler = _user(database, "handler", Role.CALL_HANDLER)
    draft = _answered(_draft(), information_only=True).model_copy(
        update={"resolve": True, "resolution_method": ResolutionMethod.SELF_CARE}
    )
    before = len(search(database))
    save_call(database, handler, draft, RULES, now=NOW)
    assert len(search(database)) == before + 1
    (entry,) = [e for e in search(database) if e.entity_id == str(draft.contact_id)]
    assert (entry.action, entry.entity_type, entry.occurred_at) == ("contact_saved", "contact", NOW)
    assert entry.details["person_id"] == "" and entry.details["outcome"] == "resolved"
    assert verify(database).ok


@pytest.mark.parametrize(
    ("override", "message"),
    [
        (
            {"override_reason": "", "override_routes": _choices((Route.VCS, Urgency.ROUTINE))},
            r"^Override reason: say why",
        ),
        (
            {"override_reason": "The carer needs it", "override_routes": ()},
            r"^Override: choose at least one route",
        ),
        (
            {
                "override_reason": "The carer needs it",
                "override_routes": _choices((Route.ADULT_SOCIAL_CARE, Urgency.ROUTINE)),
            },
            r"^Override: the routes are the same as recommended",
        ),
        (
            {
                "override_reason": "The carer needs it",
                "override_routes": _choices((Route.VCS, None)),
            },
            r"^Override: give Voluntary and community sector an urgency",
        ),
        (
            {
                "override_reason": "The carer needs it",
                "override_routes": _choices(
                    (Route.VCS, Urgency.SOON), (Route.VCS, Urgency.ROUTINE)
                ),
            },
            r"^Override: Voluntary and community sector is chosen twice",
        ),
    ],
)
def test_override_problems_are_named(
    database: Database, override: dict[str, Any], message: str
) -> None:
    practitioner = _user(database, "nurse", Role.PRACTITIONER)
    draft = _opened_for_call(database, practitioner, _draft(line=Line.SOCIAL_CARE))
    draft = _answered(draft, daily_living_need=True).model_copy(
        update={"resolve": False, "override": True, **override}
    )
    save_draft(database, practitioner, draft, now=START)
    before = _snapshot(database)
    with pytest.raises(InvalidInput, match=message):
        save_call(database, practitioner, draft, RULES, now=NOW)
    assert _snapshot(database) == before


def test_signposting_names_a_service_from_the_directory(database: Database) -> None:
    handler = _user(database, "handler", Role.CALL_HANDLER)
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

    draft = _answered(_draft(), information_only=True).model_copy(
        update={"resolve": True, "resolution_method": ResolutionMethod.SIGNPOSTING}
    )
    save_draft(database, handler, draft, now=START)
    before = _snapshot(database)
    with pytest.raises(InvalidInput, match=r"^Signposted to: name the service"):
        save_call(database, handler, draft, RULES, now=NOW)
    for unknown in (uuid.uuid4(), closed_id):
        bad = draft.model_copy(update={"signposted_service_id": unknown})
        with pytest.raises(InvalidInput, match=r"^Signposted to: "):
            save_call(database, handler, bad, RULES, now=NOW)
    assert _snapshot(database) == before

    good = draft.model_copy(update={"signposted_service_id": chiropody_id})
    save_call(database, handler, good, RULES, now=NOW)
    contact = _contact(database, draft.contact_id)
    assert (contact.outcome, contact.resolution_method, contact.signposted_service_id) == (
        "resolved", "signposting", chiropody_id,
    )  # fmt: skip


def test_professional_caller_gives_details_and_becomes_a_caller(database: Database) -> None:
    handler = _user(database, "handler", Role.CALL_HANDLER)
    draft = _answered(
        _draft(line=Line.PROFESSIONAL),
        caller_type="professional",
        professional_role="gp",
        information_only=True,
    ).model_copy(update={"resolve": True, "resolution_method": ResolutionMethod.INFORMATION_ADVICE})
    save_draft(database, handler, draft, now=START)
    before = _snapshot(database)
    details = {"name": "Dr Example", "organisation": "Harbour Surgery", "phone": "01632 960 123"}
    for missing, message in (
        ("name", r"^Professional's name: a professional caller gives their name"),
        ("organisation", r"^Organisation: a professional caller gives their organisation"),
        ("phone", r"^Call-back number: a professional caller gives a call-back number"),
    ):
        partial = ProfessionalCaller(**{**details, missing: "  "})
        with pytest.raises(InvalidInput, match=message):
            save_call(database, handler, draft.model_copy(update={"professional": partial}), RULES)
    bad_phone = ProfessionalCaller(**{**details, "phone": "extension 42"})
    with pytest.raises(InvalidInput, match=r"^Call-back number: 'extension 42' is not a UK phone"):
        save_call(database, handler, draft.model_copy(update={"professional": bad_phone}), RULES)
    assert _snapshot(database) == before

    complete = ProfessionalCaller(**details, job_title=" Practice nurse ")
    save_call(
        database, handler, draft.model_copy(update={"professional": complete}), RULES, now=NOW
    )
    contact = _contact(database, draft.contact_id)
    with database.sessions() as session:
        caller = session.scalars(select(Caller)).one()
    assert (contact.caller_type, contact.caller_id) == ("professional", caller.id)
    assert (caller.caller_type, caller.professional_role, caller.name, caller.organisation) == (
        "professional", "gp", "Dr Example", "Harbour Surgery",
    )  # fmt: skip
    assert (caller.job_title, caller.phone) == ("Practice nurse", "01632960123")
    assert contact.facts["caller_type"] == "professional"


def test_service_gaps_are_stored_with_age_band_and_area(database: Database) -> None:
    handler = _user(database, "handler", Role.CALL_HANDLER)
    draft = _opened_for_call(
        database, handler, _draft(), date_of_birth=date(1948, 5, 1), postcode="ZY3 7QP"
    )
    draft = _answered(draft, information_only=True).model_copy(
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
        before = _snapshot(database)
        with pytest.raises(InvalidInput, match=message):
            save_call(database, handler, draft.model_copy(update={"gaps": gaps}), RULES, now=NOW)
        assert _snapshot(database) == before

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
    handler = _user(database, "handler", Role.CALL_HANDLER)
    draft = _draft(answers={"call_kind": "silent"}, gaps=(GapNote(need="chiropody"),))
    save_call(database, handler, draft, RULES, now=NOW)
    with database.sessions() as session:
        assert session.scalar(select(func.count()).select_from(ServiceGap)) == 0


# --- refusals: nothing stored, the draft stays -------------------------------------------------


def _stream_call(
    database: Database, handler: CurrentUser, practitioner: CurrentUser
) -> tuple[CurrentUser, CallDraft]:
    draft = _opened_for_call(database, handler, _draft(line=Line.SOCIAL_CARE))
    return handler, _answered(draft, daily_living_need=True).model_copy(update={"resolve": False})


def _handler_overrides(
    database: Database, handler: CurrentUser, practitioner: CurrentUser
) -> tuple[CurrentUser, CallDraft]:
    draft = _answered(_draft(), information_only=True).model_copy(
        update={
            "resolve": False,
            "override": True,
            "override_routes": _choices((Route.VCS, Urgency.ROUTINE)),
            "override_reason": "Wants a befriender as well",
        }
    )
    return handler, draft


def _safeguarding_dropped(
    database: Database, handler: CurrentUser, practitioner: CurrentUser
) -> tuple[CurrentUser, CallDraft]:
    draft = _opened_for_call(database, practitioner, _draft(line=Line.SOCIAL_CARE))
    draft = _answered(draft, abuse_or_neglect=True, daily_living_need=True).model_copy(
        update={
            "resolve": False,
            "override": True,
            "override_routes": _choices((Route.ADULT_SOCIAL_CARE, Urgency.ROUTINE)),
            "override_reason": "Daughter says the bruising was a fall",
        }
    )
    return practitioner, draft


def _resolving_urgent(
    database: Database, handler: CurrentUser, practitioner: CurrentUser
) -> tuple[CurrentUser, CallDraft]:
    draft = _opened_for_call(database, practitioner, _draft(line=Line.SOCIAL_CARE))
    draft = _answered(draft, carer_breakdown=True).model_copy(
        update={"resolve": True, "resolution_method": ResolutionMethod.INFORMATION_ADVICE}
    )
    return practitioner, draft


def _resolving_safeguarding_override(
    database: Database, handler: CurrentUser, practitioner: CurrentUser
) -> tuple[CurrentUser, CallDraft]:
    actor, draft = _safeguarding_dropped(database, handler, practitioner)
    return actor, draft.model_copy(
        update={
            "resolve": True,
            "resolution_method": ResolutionMethod.INFORMATION_ADVICE,
            "override_routes": _choices((Route.SAFEGUARDING, Urgency.ROUTINE)),
        }
    )


def _unanswered(
    database: Database, handler: CurrentUser, practitioner: CurrentUser
) -> tuple[CurrentUser, CallDraft]:
    return handler, _draft(answers={"call_kind": "data", "information_only": True}, resolve=True)


def _no_choice(
    database: Database, handler: CurrentUser, practitioner: CurrentUser
) -> tuple[CurrentUser, CallDraft]:
    return handler, _answered(_draft(), information_only=True)


def _no_method(
    database: Database, handler: CurrentUser, practitioner: CurrentUser
) -> tuple[CurrentUser, CallDraft]:
    return handler, _answered(_draft(), information_only=True).model_copy(update={"resolve": True})


def _nothing_to_refer(
    database: Database, handler: CurrentUser, practitioner: CurrentUser
) -> tuple[CurrentUser, CallDraft]:
    return handler, _answered(_draft(), information_only=True).model_copy(update={"resolve": False})


def _bad_answer(
    database: Database, handler: CurrentUser, practitioner: CurrentUser
) -> tuple[CurrentUser, CallDraft]:
    draft = _answered(_draft(), information_only=True)
    answers = {**draft.answers, "risk_to_life": "no"}
    return handler, draft.model_copy(update={"answers": answers, "resolve": True})


def _trainer_logs(
    database: Database, handler: CurrentUser, practitioner: CurrentUser
) -> tuple[CurrentUser, CallDraft]:
    trainer = _user(database, "trainer", Role.TRAINER)
    return trainer, _draft(answers={"call_kind": "test"})


REFUSALS: list[tuple[Callable[..., tuple[CurrentUser, CallDraft]], type[Exception], str]] = [
    (_stream_call, PermissionDenied, r"may not run level-2 screening"),
    (_handler_overrides, PermissionDenied, r"may not override the screening recommendation"),
    (_safeguarding_dropped, InvalidInput, r"^Routes: a safeguarding concern was raised"),
    (_resolving_urgent, InvalidInput, r"^Outcome: these routes cannot be resolved"),
    (_resolving_safeguarding_override, InvalidInput, r"^Outcome: these routes cannot be resolved"),
    (_unanswered, InvalidInput, r"^Screening: the question .* still needs an answer"),
    (_no_choice, InvalidInput, r"^Outcome: choose to resolve the call now or to refer"),
    (_no_method, InvalidInput, r"^How resolved: say how the call was resolved"),
    (_nothing_to_refer, InvalidInput, r"^Outcome: there is no route to refer to"),
    (_bad_answer, InvalidInput, r"^Screening: Immediate risk to life: 'no' is not true or false"),
    (_trainer_logs, PermissionDenied, r"may not log a call"),
]


@pytest.mark.parametrize(
    ("setup", "error", "message"), REFUSALS, ids=[case[0].__name__ for case in REFUSALS]
)
def test_refusal_stores_nothing_and_keeps_the_draft(
    database: Database,
    setup: Callable[..., tuple[CurrentUser, CallDraft]],
    error: type[Exception],
    message: str,
) -> None:
    handler = _user(database, "handler", Role.CALL_HANDLER)
    practitioner = _user(database, "nurse", Role.PRACTITIONER)
    actor, draft = setup(database, handler, practitioner)
    keeper = actor if actor.roles != (Role.TRAINER,) else handler
    save_draft(database, keeper, draft, now=START)
    before = _snapshot(database)
    with pytest.raises(error, match=message):
        save_call(database, actor, draft, RULES, now=NOW)
    assert _snapshot(database) == before
    assert unfinished_calls(database, keeper) == [draft]


def test_a_call_is_saved_once(database: Database) -> None:
    handler = _user(database, "handler", Role.CALL_HANDLER)
    draft = _draft(answers={"call_kind": "hang_up"})
    save_draft(database, handler, draft, now=START)
    save_call(database, handler, draft, RULES, now=NOW)
    before = _snapshot(database)
    with pytest.raises(KnownError, match="already been saved"):
        save_call(database, handler, draft, RULES, now=NOW + timedelta(minutes=1))
    with pytest.raises(KnownError, match="already been saved"):
        save_draft(database, handler, draft, now=NOW + timedelta(minutes=1))
    with pytest.raises(KnownError, match="Only your own unsaved call"):
        discard_draft(database, handler, draft.contact_id)
    assert _snapshot(database) == before
    assert _contact(database, draft.contact_id).wrap_up_ended_at == NOW


# --- drafts -------------------------------------------------------------------------------------


def test_draft_round_trips_exactly_for_its_handler_only(database: Database) -> None:
    handler = _user(database, "handler", Role.CALL_HANDLER)
    other = _user(database, "other", Role.CALL_HANDLER)
    summer = timezone(timedelta(hours=1))
    first = CallDraft(
        started_at=datetime(2026, 6, 1, 9, 30, 5, 123456, tzinfo=summer),
        answered_at=datetime(2026, 6, 1, 9, 30, 17, 654321, tzinfo=summer),
        ended_at=datetime(2026, 6, 1, 8, 41, 0, tzinfo=UTC),
        telephony_ref="call-0042",
        caller_number="+447700900123",
        line=Line.PROFESSIONAL,
        professional=ProfessionalCaller(
            name="PC Example", organisation="Police", job_title="Constable", phone="01632 960 999"
        ),
        search_text="Testperson, A",
        answers={
            "call_kind": "data",
            "caller_type": "professional",
            "professional_role": "police",
            "nursing_need": ["wound", "catheter"],
            "age": 84,
            "abuse_or_neglect": True,
        },
        override=True,
        override_routes=_choices((Route.SAFEGUARDING, Urgency.URGENT)),
        override_reason="Police are at the door",
        resolve=False,
        gaps=(GapNote(need="night sitting", reason="cannot_take"),),
        notes="Neighbour heard shouting.\nPolice attending.",
    )
    second = _draft(started_at=START + timedelta(days=200), answers={"call_kind": "silent"})
    theirs = _draft(answers={"call_kind": "test"})
    save_draft(database, handler, second, now=START)
    save_draft(database, handler, first, now=START)
    save_draft(database, other, theirs, now=START)

    offered = unfinished_calls(database, handler)
    assert offered == [first, second]  # oldest first
    assert offered[0].model_dump() == first.model_dump()
    assert offered[0].started_at.utcoffset() == timedelta(hours=1)
    assert unfinished_calls(database, other) == [theirs]

    changed = first.model_copy(update={"notes": "Police attending; daughter on her way."})
    save_draft(database, handler, changed, now=START + timedelta(seconds=1))
    assert unfinished_calls(database, handler) == [changed, second]
    contact = _contact(database, first.contact_id)
    assert (contact.status, contact.handler_id, contact.caller_type, contact.call_kind) == (
        "draft", handler.id, "professional", "data",
    )  # fmt: skip
    assert (contact.line, contact.caller_number) == ("professional", "+447700900123")


def test_drafts_need_permission_to_log_calls(database: Database) -> None:
    manager = _user(database, "manager", Role.SPA_MANAGER)
    with pytest.raises(PermissionDenied, match="may not log a call"):
        save_draft(database, manager, _draft())
    with pytest.raises(PermissionDenied, match="may not log a call"):
        unfinished_calls(database, manager)


def test_discard_draft(database: Database) -> None:
    handler = _user(database, "handler", Role.CALL_HANDLER)
    other = _user(database, "other", Role.CALL_HANDLER)
    mistake = _draft()
    save_draft(database, handler, mistake, now=START)
    with pytest.raises(KnownError, match="Only your own unsaved call"):
        discard_draft(database, other, mistake.contact_id)
    discard_draft(database, handler, mistake.contact_id)
    assert unfinished_calls(database, handler) == []
    with database.sessions() as session:
        assert session.get(Contact, mistake.contact_id) is None
    discard_draft(database, handler, mistake.contact_id)  # already gone: nothing to do

    opened = _opened_for_call(database, handler, _draft())
    before = _snapshot(database)
    with pytest.raises(KnownError, match="record was opened on this call, so it must be saved"):
        discard_draft(database, handler, opened.contact_id)
    assert _snapshot(database) == before
    assert unfinished_calls(database, handler) == [opened]


# --- the pieces the desk shows while the call is on screen -------------------------------------


@pytest.mark.parametrize(
    ("started", "out_of_hours"),
    [
        (datetime(2026, 3, 2, 7, 59, tzinfo=UTC), True),
        (datetime(2026, 3, 2, 8, 0, tzinfo=UTC), False),
        (datetime(2026, 3, 2, 17, 59, tzinfo=UTC), False),
        (datetime(2026, 3, 2, 18, 0, tzinfo=UTC), True),
        (datetime(2026, 6, 1, 7, 30, tzinfo=UTC), False),  # 08:30 in London (summer time)
        (datetime(2026, 6, 1, 17, 30, tzinfo=UTC), True),  # 18:30 in London
        (datetime(2026, 3, 7, 12, 0, tzinfo=UTC), True),  # Saturday
    ],
)
def test_given_facts_are_the_line_and_london_office_hours(
    started: datetime, out_of_hours: bool
) -> None:
    draft = CallDraft(started_at=started, line=Line.MENTAL_HEALTH)
    assert given_facts(draft) == {"line": "mental_health", "out_of_hours": out_of_hours}


def test_screening_ignores_answers_the_desk_gives_itself() -> None:
    draft = _draft(line=Line.SOCIAL_CARE, answers={"call_kind": "data", "line": "mental_health"})
    decision = screening(RULES, draft).decision()
    assert decision.stream == "social_care"


@pytest.mark.parametrize(
    "facts",
    [
        {"information_only": True},
        {"isolation": True},
        {"line": "social_care", "daily_living_need": True},
        {"line": "mental_health", "low_mood_or_anxiety": True},
        {"line": "mental_health", "suicidal_thoughts": True},
        {"line": "health", "equipment_or_adaptation": True},
        {"line": "health", "falls_history": True},
        {"line": "health", "medical_non_urgent": True},
        {"line": "health", "medical_urgent": True},
        {"line": "social_care", "abuse_or_neglect": True},
        {"line": "social_care", "practical_or_financial": ["debt"], "carer_own_support": True},
        {"line": "hospital_discharge", "equipment_or_adaptation": True},
        {"risk_to_life": True},
    ],
)
def test_resolvable_agrees_with_the_default_rules(facts: dict[str, Any]) -> None:
    decision = evaluate(RULES, facts)
    routes = tuple(
        RouteChoice.model_validate({"route": r.route, "urgency": r.urgency})
        for r in decision.routes
    )
    assert resolvable(routes) is decision.resolvable_at_first_contact


def test_resolvable_by_route_and_urgency() -> None:
    assert resolvable(_choices((Route.RESOLVED, None), (Route.VCS, Urgency.ROUTINE)))
    assert resolvable(_choices((Route.OWN_GP, Urgency.SOON)))
    assert resolvable(_choices((Route.MENTAL_HEALTH, Urgency.ROUTINE)))
    assert not resolvable(_choices((Route.MENTAL_HEALTH, Urgency.SOON)))
    assert not resolvable(_choices((Route.COMMUNITY_THERAPY, Urgency.SOON)))
    assert not resolvable(_choices((Route.VCS, Urgency.URGENT)))
    assert not resolvable(_choices((Route.SAFEGUARDING, Urgency.ROUTINE)))
    assert not resolvable(_choices((Route.ADULT_SOCIAL_CARE, Urgency.ROUTINE)))
