"""A call from ring to saved record (SPEC 2): the draft kept while the call is on screen, and the
save that turns it into a contact with its referrals and service gaps, in one transaction.

The draft (:class:`CallDraft`) is everything the handler has on screen. The desk writes it to the
contact row within a second of every change, so a crash or a power cut loses nothing: the next
start offers it back (:func:`unfinished_calls`). Saving re-runs the screening rules on the stored
answers itself, so what is stored never depends on what a screen claimed.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from db.models import Caller, Consent, Contact, Person, Referral, Service, ServiceGap
from spa_desk.audit import AuditAction, record
from spa_desk.contacts import contact_summary
from spa_desk.database import Database
from spa_desk.demo.identities import age_band, age_on, postcode_district
from spa_desk.domain import ContactSummary, CurrentUser, RouteChoice
from spa_desk.errors import InvalidInput, KnownError
from spa_desk.local_time import LONDON
from spa_desk.permissions import Action, require
from spa_desk.vocabulary import (
    CallerType,
    CallKind,
    ConsentBasis,
    ContactStatus,
    Level1,
    Line,
    Outcome,
    ProfessionalRole,
    ResolutionMethod,
    Route,
    Urgency,
)
from triage_rules import RuleSet
from triage_rules.evaluator import Decision, FactError
from triage_rules.session import ScreeningSession

GAP_REASONS = {
    "does_not_exist": "No such service exists here",
    "cannot_take": "The service cannot take this person",
}
"""Why a need went unmet (service gaps), with the words the desk shows."""

_RESOLVABLE_ROUTES = {Route.RESOLVED, Route.VCS, Route.OWN_GP}
_RESOLVABLE_AT_ROUTINE = {Route.MENTAL_HEALTH, Route.COMMUNITY_THERAPY}


class ProfessionalCaller(BaseModel):
    """A professional caller's details (SPEC 2 step 2)."""

    model_config = ConfigDict(frozen=True)

    name: str = ""
    organisation: str = ""
    job_title: str = ""
    phone: str = ""


class GapNote(BaseModel):
    """An unmet need noted during the call (SPEC 2 step 7)."""

    model_config = ConfigDict(frozen=True)

    need: str
    service_requested: str = ""
    reason: str = "does_not_exist"


class CallDraft(BaseModel):
    """A call in progress, exactly as the desk has it on screen."""

    model_config = ConfigDict(frozen=True)

    contact_id: uuid.UUID = Field(default_factory=uuid.uuid4)
    started_at: datetime
    answered_at: datetime | None = None
    ended_at: datetime | None = None
    """When the call itself ended; wrap-up time runs from here until the save."""
    telephony_ref: str | None = None
    caller_number: str | None = None
    line: Line = Line.GENERAL
    professional: ProfessionalCaller = ProfessionalCaller()
    search_text: str = ""
    person_id: uuid.UUID | None = None
    consent_basis: ConsentBasis | None = None
    answers: dict[str, Any] = Field(default_factory=dict)
    """Screening answers by fact name (sets as lists), as the handler gave them."""
    override: bool = False
    override_routes: tuple[RouteChoice, ...] = ()
    override_reason: str = ""
    resolve: bool | None = None
    """True to resolve at first contact, False to refer, None while not chosen."""
    resolution_method: ResolutionMethod | None = None
    signposted_service_id: uuid.UUID | None = None
    gaps: tuple[GapNote, ...] = ()
    notes: str = ""


class ServiceEntry(BaseModel):
    """A service in the directory, for signposting."""

    model_config = ConfigDict(frozen=True)

    id: uuid.UUID
    name: str
    route: Route


def given_facts(draft: CallDraft) -> dict[str, Any]:
    """Facts the desk already knows without asking: the line and the time of day."""
    # Who is calling is asked by the rules' own question; the desk's caller section shows the
    # same answer (``caller_of``), so the handler never gives it twice.
    return {"line": draft.line.value, "out_of_hours": is_out_of_hours(draft.started_at)}


def caller_of(draft: CallDraft) -> tuple[CallerType, ProfessionalRole | None]:
    """Who is calling, as answered in the screening (the person themself until answered)."""
    caller = CallerType(draft.answers.get("caller_type", CallerType.SELF.value))
    if caller is not CallerType.PROFESSIONAL:
        return caller, None
    return caller, ProfessionalRole(draft.answers.get("professional_role", "other"))


def is_out_of_hours(at: datetime) -> bool:
    """Outside 08:00-18:00 Monday to Friday, London time (SPEC 9 ``out_of_hours``)."""
    local = at.astimezone(LONDON)
    return local.weekday() >= 5 or not 8 <= local.hour < 18


def screening(ruleset: RuleSet, draft: CallDraft) -> ScreeningSession:
    """The screening session of ``draft``: its given facts and the answers recorded so far."""
    session = ScreeningSession(ruleset, given_facts(draft))
    for fact, value in draft.answers.items():
        if fact in ruleset.facts and fact not in session_given(draft):
            session.answer(fact, value)
    return session


def session_given(draft: CallDraft) -> frozenset[str]:
    """The names of the facts the desk gives the screening itself."""
    return frozenset(given_facts(draft))


def resolvable(routes: Iterable[RouteChoice]) -> bool:
    """SPEC 4: may a contact with these routes be recorded as resolved at first contact?"""
    for choice in routes:
        if choice.urgency in (Urgency.EMERGENCY, Urgency.URGENT):
            return False
        if choice.route in _RESOLVABLE_ROUTES:
            continue
        if choice.route in _RESOLVABLE_AT_ROUTINE and choice.urgency is Urgency.ROUTINE:
            continue
        return False
    return True


def decision_routes(decision: Decision) -> tuple[RouteChoice, ...]:
    """The decision's routes as the desk's route choices."""
    return tuple(
        RouteChoice.model_validate({"route": r.route, "urgency": r.urgency})
        for r in decision.routes
    )


def save_draft(
    database: Database, actor: CurrentUser, draft: CallDraft, *, now: datetime | None = None
) -> None:
    """Keep ``draft`` as the call's contact row (status draft); refused once the call is saved."""
    require(actor, Action.LOG_CONTACT)
    now = now or datetime.now(UTC)
    with database.sessions.begin() as session:
        contact = _draft_contact(session, actor, draft, now)
        contact.answered_at = draft.answered_at
        contact.ended_at = draft.ended_at
        contact.line = draft.line.value
        contact.caller_type = caller_of(draft)[0].value
        contact.caller_number = draft.caller_number
        contact.person_id = draft.person_id
        contact.call_kind = str(draft.answers.get("call_kind", CallKind.DATA.value))
        contact.updated_at = now
        contact.draft = draft.model_dump(mode="json")


def unfinished_calls(database: Database, actor: CurrentUser) -> list[CallDraft]:
    """The actor's calls still in draft, oldest first: offered back when the desk starts."""
    require(actor, Action.LOG_CONTACT)
    with database.sessions() as session:
        drafts = session.scalars(
            select(Contact.draft)
            .where(
                Contact.status == ContactStatus.DRAFT.value,
                Contact.handler_id == actor.id,
                Contact.draft.is_not(None),
            )
            .order_by(Contact.started_at)
        ).all()
    return [CallDraft.model_validate(item) for item in drafts if item]


def discard_draft(database: Database, actor: CurrentUser, contact_id: uuid.UUID) -> None:
    """Throw away a call started by mistake; refused once a record was opened on it."""
    require(actor, Action.LOG_CONTACT)
    with database.sessions.begin() as session:
        contact = session.get(Contact, contact_id)
        if contact is None:
            return
        if contact.status != ContactStatus.DRAFT.value or contact.handler_id != actor.id:
            raise KnownError("Only your own unsaved call can be thrown away.")
        opened = session.scalar(select(Consent.id).where(Consent.contact_id == contact_id))
        if opened is not None:
            raise KnownError(
                "A person's record was opened on this call, so it must be saved, not thrown "
                "away. Save it as a non-data call if nothing came of it."
            )
        session.delete(contact)


def list_services(database: Database, actor: CurrentUser) -> list[ServiceEntry]:
    """The active services of the directory, by route and name, for signposting."""
    require(actor, Action.LOG_CONTACT)
    with database.sessions() as session:
        rows = session.execute(
            select(Service.id, Service.name, Service.route)
            .where(Service.active.is_(True))
            .order_by(Service.route, Service.name)
        ).all()
    return [ServiceEntry(id=row.id, name=row.name, route=Route(row.route)) for row in rows]


class SavedCall(BaseModel):
    """What the save stored, as the shift list shows it."""

    model_config = ConfigDict(frozen=True)

    summary: ContactSummary
    talk_seconds: int | None
    wrap_seconds: int | None


def _final_routes(
    actor: CurrentUser, draft: CallDraft, recommended: tuple[RouteChoice, ...]
) -> tuple[RouteChoice, ...]:
    if not draft.override:
        return recommended
    require(actor, Action.OVERRIDE)
    if len(draft.override_reason.strip()) < 5:
        raise InvalidInput("Override reason", "say why the recommendation is overridden")
    if not draft.override_routes:
        raise InvalidInput("Override", "choose at least one route")
    seen: set[Route] = set()
    for choice in draft.override_routes:
        if choice.route in seen:
            raise InvalidInput("Override", f"{choice.route.label} is chosen twice")
        seen.add(choice.route)
        if (choice.route is Route.RESOLVED) != (choice.urgency is None):
            raise InvalidInput(
                "Override", f"give {choice.route.label} an urgency (resolved takes none)"
            )
    if recommended == draft.override_routes:
        raise InvalidInput("Override", "the routes are the same as recommended; accept instead")
    return draft.override_routes


def _check_professional(draft: CallDraft) -> None:
    if caller_of(draft)[0] is not CallerType.PROFESSIONAL:
        return
    details = draft.professional
    if not details.name.strip():
        raise InvalidInput("Professional's name", "a professional caller gives their name")
    if not details.organisation.strip():
        raise InvalidInput("Organisation", "a professional caller gives their organisation")
    if not details.phone.strip():
        raise InvalidInput("Call-back number", "a professional caller gives a call-back number")
    from spa_desk.people import clean_phone

    clean_phone("Call-back number", details.phone)


def _outcome(
    draft: CallDraft, decision: Decision, final: tuple[RouteChoice, ...]
) -> tuple[Outcome, bool | None]:
    if decision.level1 == Level1.NON_DATA.value:
        return Outcome.NON_DATA, None
    if decision.level1 == Level1.EMERGENCY.value and not draft.override:
        return Outcome.EMERGENCY, False
    if draft.resolve is None:
        raise InvalidInput("Outcome", "choose to resolve the call now or to refer")
    if draft.resolve:
        if not resolvable(final):
            raise InvalidInput(
                "Outcome",
                "these routes cannot be resolved at first contact (urgent, safeguarding or a "
                "referral is needed): refer instead",
            )
        if draft.resolution_method is None:
            raise InvalidInput("How resolved", "say how the call was resolved")
        if (
            draft.resolution_method is ResolutionMethod.SIGNPOSTING
            and draft.signposted_service_id is None
        ):
            raise InvalidInput("Signposted to", "name the service the caller was signposted to")
        return Outcome.RESOLVED, True
    if not any(choice.route is not Route.RESOLVED for choice in final):
        raise InvalidInput("Outcome", "there is no route to refer to: resolve, or override")
    return Outcome.REFERRED, False


def _facts_or_problem(session: ScreeningSession, decision: Decision) -> dict[str, Any]:
    pending = session.next_question()
    if pending is not None and decision.level1 not in (Level1.NON_DATA, Level1.EMERGENCY):
        raise InvalidInput(
            "Screening", f"the question {pending.question.text!r} still needs an answer"
        )
    return session.facts()


def save_call(
    database: Database,
    actor: CurrentUser,
    draft: CallDraft,
    ruleset: RuleSet,
    *,
    now: datetime | None = None,
) -> SavedCall:
    """Save the call as a complete contact, with referrals and gaps, in one transaction.

    InvalidInput names the field and the problem; nothing is stored then, and the draft stays.
    """
    require(actor, Action.LOG_CONTACT)
    now = now or datetime.now(UTC)
    try:
        session_ = screening(ruleset, draft)
        decision = session_.decision()
    except FactError as error:
        spec = ruleset.facts.get(error.fact)
        raise InvalidInput(
            "Screening", f"{spec.label if spec else error.fact}: {error.problem}"
        ) from None
    if decision.level1 == Level1.STREAM.value:
        require(actor, Action.TRIAGE_LEVEL2)
    facts = _facts_or_problem(session_, decision)
    recommended = decision_routes(decision)
    final = _final_routes(actor, draft, recommended)
    if facts.get("abuse_or_neglect") and not any(c.route is Route.SAFEGUARDING for c in final):
        raise InvalidInput(
            "Routes",
            "a safeguarding concern was raised, so the contact needs a safeguarding route",
        )
    outcome, resolved = _outcome(draft, decision, final)
    non_data = outcome is Outcome.NON_DATA
    if not non_data:
        _check_professional(draft)
    if outcome is Outcome.REFERRED and draft.person_id is None:
        raise InvalidInput("Person", "find or add the person before referring")
    ended = draft.ended_at or now
    with database.sessions.begin() as session:
        contact = _draft_contact(session, actor, draft, now)
        consent = (
            _check_consent(session, draft) if draft.person_id is not None and not non_data else None
        )
        caller_id = _caller(session, draft) if not non_data else None
        contact.answered_at = draft.answered_at
        contact.ended_at = ended
        contact.wrap_up_ended_at = max(now, ended)
        contact.line = draft.line.value
        contact.call_kind = str(facts.get("call_kind", CallKind.DATA.value))
        contact.caller_type = caller_of(draft)[0].value
        contact.caller_number = draft.caller_number
        contact.caller_id = caller_id
        contact.person_id = None if non_data else draft.person_id
        contact.consent_basis = consent.basis if consent is not None else None
        contact.consent_reason = consent.reason if consent is not None else None
        contact.level1 = decision.level1
        contact.stream = decision.stream
        contact.facts = facts
        contact.ruleset_id = decision.ruleset_id
        contact.ruleset_version = decision.ruleset_version
        contact.ruleset_sha256 = decision.ruleset_sha256
        contact.recommended_routes = [c.model_dump(mode="json") for c in recommended]
        contact.final_routes = [c.model_dump(mode="json") for c in final]
        contact.overridden = draft.override
        contact.override_reason = draft.override_reason.strip() if draft.override else None
        contact.outcome = outcome.value
        contact.resolved_at_first_contact = resolved
        contact.resolution_method = (
            draft.resolution_method.value if resolved and draft.resolution_method else None
        )
        contact.signposted_service_id = _signposted(session, draft) if resolved else None
        contact.notes = draft.notes.strip() or None
        contact.status = ContactStatus.COMPLETE.value
        contact.draft = None
        contact.updated_at = now
        if outcome in (Outcome.REFERRED, Outcome.EMERGENCY):
            _refer(session, actor, contact, final, now)
        if not non_data:
            _record_gaps(session, contact, draft, now)
        session.flush()
        _audit(session, actor, contact, recommended=recommended, final=final, now=now)
        summary = contact_summary(contact, actor.display_name)
    return SavedCall(
        summary=summary,
        talk_seconds=_seconds(draft.answered_at or draft.started_at, ended),
        wrap_seconds=_seconds(ended, max(now, ended)),
    )


def _seconds(start: datetime, end: datetime) -> int:
    return max(0, round((end - start).total_seconds()))


def _draft_contact(
    session: Session, actor: CurrentUser, draft: CallDraft, now: datetime
) -> Contact:
    """The call's contact row, made on the first write; refused once the call is saved."""
    contact = session.get(Contact, draft.contact_id)
    if contact is None:
        contact = Contact(
            id=draft.contact_id,
            started_at=draft.started_at,
            handler_id=actor.id,
            status=ContactStatus.DRAFT.value,
            created_at=now,
        )
        session.add(contact)
    elif contact.status != ContactStatus.DRAFT.value:
        raise KnownError("This call has already been saved; it cannot be changed here.")
    contact.handler_id = actor.id
    return contact


def _check_consent(session: Session, draft: CallDraft) -> Consent:
    """The latest consent recorded for the person on this call; InvalidInput when there is none."""
    consent = session.scalars(
        select(Consent)
        .where(Consent.person_id == draft.person_id, Consent.contact_id == draft.contact_id)
        .order_by(Consent.recorded_at.desc())
        .limit(1)
    ).first()
    if consent is None:
        raise InvalidInput("Consent", "record consent before the person's record is used")
    return consent


def _signposted(session: Session, draft: CallDraft) -> uuid.UUID | None:
    """The service signposted to, checked against the directory (signposting only)."""
    if draft.resolution_method is not ResolutionMethod.SIGNPOSTING:
        return None
    assert draft.signposted_service_id is not None  # _outcome asked for one
    service = session.get(Service, draft.signposted_service_id)
    if service is None or not service.active:
        raise InvalidInput(
            "Signposted to", "that service is not in the directory now: choose another"
        )
    return service.id


def _caller(session: Session, draft: CallDraft) -> uuid.UUID | None:
    if caller_of(draft)[0] is not CallerType.PROFESSIONAL:
        return None
    from spa_desk.people import clean_phone

    details = draft.professional
    caller = Caller(
        caller_type=CallerType.PROFESSIONAL.value,
        professional_role=(caller_of(draft)[1] or ProfessionalRole.OTHER).value,
        name=details.name.strip(),
        organisation=details.organisation.strip(),
        job_title=details.job_title.strip() or None,
        phone=clean_phone("Call-back number", details.phone),
    )
    session.add(caller)
    session.flush()
    return caller.id


def _refer(
    session: Session,
    actor: CurrentUser,
    contact: Contact,
    final: tuple[RouteChoice, ...],
    now: datetime,
) -> None:
    session.execute(delete(Referral).where(Referral.contact_id == contact.id))
    for choice in final:
        if choice.route is Route.RESOLVED:
            continue
        session.add(
            Referral(
                contact_id=contact.id,
                person_id=contact.person_id,
                route=choice.route.value,
                urgency=choice.urgency.value if choice.urgency else None,
                made_at=now,
                made_by=actor.id,
            )
        )


def _record_gaps(session: Session, contact: Contact, draft: CallDraft, now: datetime) -> None:
    if not draft.gaps:
        return
    person = session.get(Person, draft.person_id) if draft.person_id else None
    band = (
        age_band(age_on(person.date_of_birth, now.date()))
        if person is not None and person.date_of_birth
        else None
    )
    area = postcode_district(person.postcode) if person is not None and person.postcode else None
    for gap in draft.gaps:
        if not gap.need.strip():
            raise InvalidInput("Service gap", "say what was needed")
        if gap.reason not in GAP_REASONS:
            raise InvalidInput("Service gap", f"{gap.reason!r} is not a reason the desk knows")
        session.add(
            ServiceGap(
                contact_id=contact.id,
                need=gap.need.strip()[:64],
                service_requested=gap.service_requested.strip()[:160] or None,
                reason=gap.reason,
                age_band=band,
                area=area,
                recorded_at=now,
            )
        )


def _audit(
    session: Session,
    actor: CurrentUser,
    contact: Contact,
    *,
    recommended: tuple[RouteChoice, ...],
    final: tuple[RouteChoice, ...],
    now: datetime,
) -> None:
    def routes(choices: tuple[RouteChoice, ...]) -> list[str]:
        return [f"{c.route.value}:{c.urgency.value if c.urgency else ''}" for c in choices]

    record(
        session,
        action=AuditAction.CONTACT_SAVED,
        user_id=actor.id,
        entity_type="contact",
        entity_id=str(contact.id),
        details={
            "outcome": contact.outcome or "",
            "level1": contact.level1 or "",
            "routes": routes(final),
            "person_id": str(contact.person_id or ""),
        },
        at=now,
    )
    if contact.overridden:
        record(
            session,
            action=AuditAction.OVERRIDE_MADE,
            user_id=actor.id,
            entity_type="contact",
            entity_id=str(contact.id),
            details={"recommended": routes(recommended), "final": routes(final)},
            at=now,
        )
