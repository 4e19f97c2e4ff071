"""Saving a call (SPEC 2 step 8): the draft becomes a complete contact with its caller,
referrals, service gaps and audit entries, in one transaction. The save re-runs the
screening rules on the stored answers itself, so what is stored never depends on what a
screen claimed.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict
from sqlalchemy.orm import Session

from db.models import (
    Contact,
    Person,
    Service,
)
from db.types import new_id
from spa_desk.calls.caller import caller_row, check_caller
from spa_desk.calls.draft import (
    GAP_REASONS,
    CallDraft,
    CallerDetails,
    CallLeg,
    all_legs,
    caller_of,
    check_notes,
    contact_and_consent,
    new_draft,
    wrap_up_seconds,
    write_draft,
)
from spa_desk.calls.outcome import (
    final_routes,
    outcome_of,
    reason_for_audit,
    screened_facts,
)
from spa_desk.calls.save_rows import SaveRows, write_rows
from spa_desk.calls.screening import answer_next_level1, decision_routes, screening
from spa_desk.database import Database
from spa_desk.domain import ContactSummary, CurrentUser, RouteChoice, contact_summary
from spa_desk.errors import InvalidInput, KnownError
from spa_desk.governance.log import AuditAction, record
from spa_desk.identifiers import postcode_district
from spa_desk.live.events import LiveKind, announce
from spa_desk.people.age import age_band, age_on
from spa_desk.permissions import Action, allowed, require
from spa_desk.vocabulary import (
    CallKind,
    ContactStatus,
    Level1,
    Outcome,
    ResolutionMethod,
    Route,
)
from triage_rules import RuleSet
from triage_rules.evaluator import Decision, FactError


class SavedCall(BaseModel):
    """What the save stored, as the shift list shows it."""

    model_config = ConfigDict(frozen=True)

    summary: ContactSummary
    talk_seconds: int | None
    wrap_seconds: int | None


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
    checked = _check(actor, draft, ruleset, now)
    with database.sessions.begin() as session:
        summary = _store(session, actor, draft, checked, now)
    return SavedCall(summary=summary, talk_seconds=checked.talk, wrap_seconds=checked.wrap_up)


def prepare_saving(database: Database, actor: CurrentUser, ruleset: RuleSet) -> bool:
    """Rehearse saves once, after log-in, so that the first saves of a shift are as quick as the
    rest: the statements a save sends are put together (compiled) the first time a desk sends
    each shape of them, about 10 ms of Python for a first save. Fictional calls of the common
    shapes (:data:`REHEARSALS`) are saved, each in a transaction that is rolled back: nothing is
    written and nothing announced (the audit log's lock is held for that moment only).
    Whether every rehearsal went through (a rule set that does not give one is not rehearsed
    there; nothing is wrong then, and that shape is compiled at its first save). The
    announcer connects meanwhile, so the first save is heard as soon as the rest."""
    if not allowed(actor, Action.LOG_CONTACT):
        return False
    if database.announcer is not None:
        database.announcer.start()
    now = datetime.now(UTC)
    rehearsed = 0
    for facts, earlier_legs in REHEARSALS:
        try:
            draft = _rehearsal(ruleset, actor, now, facts, earlier_legs)
            checked = _check(actor, draft, ruleset, now)
        except KnownError:
            continue
        with database.sessions() as session:
            try:
                contact, _ = contact_and_consent(session, actor, draft, now)
                write_draft(contact, draft, now)
                session.flush()  # the draft's row, as the first autosave makes it
                _store(session, actor, draft, checked, now)
                rehearsed += 1
            except KnownError:
                continue
            finally:
                session.rollback()
    return rehearsed == len(REHEARSALS)


REHEARSALS: tuple[tuple[frozenset[str], int], ...] = (
    (frozenset({"information_only"}), 0),  # a handler's call closed at level 1
    (frozenset({"risk_to_life"}), 0),  # one referral
    (frozenset({"risk_to_life", "abuse_or_neglect"}), 1),  # two, after a hand-off's first leg
)
"""The calls a desk rehearses: the facts answered yes (the rest no), and the legs before this
desk's (a practitioner's save after a hand-off has two, and closes the hand-off). On PostgreSQL
one statement writes every save (:mod:`spa_desk.calls.save_rows`); on SQLite these put together
each table's statement a handler's and a practitioner's saves send."""

REHEARSAL_NUMBER = "07700900000"
"""The rehearsals' caller (an Ofcom drama number; never stored)."""


def _rehearsal(
    ruleset: RuleSet, actor: CurrentUser, now: datetime, yes: frozenset[str], earlier_legs: int
) -> CallDraft:
    """A fictional call from the person's daughter: the rule set's level-1 questions answered
    (a data call; ``yes`` ticked or answered yes, the rest as the rules' empty answer), resolved
    by advice when it is for information only, ended now."""
    caller = CallerDetails(name="Rehearsal", relationship="daughter", phone=REHEARSAL_NUMBER)
    leg = CallLeg(user_id=actor.id, started_at=now, ended_at=now)
    legs = (leg,) * earlier_legs
    draft = new_draft(now, caller_number=REHEARSAL_NUMBER).model_copy(
        update={"caller": caller, "legs": legs}
    )
    script = {"call_kind": CallKind.DATA.value, "caller_type": "family"}
    for _ in range(len(ruleset.facts)):
        try:
            answered = answer_next_level1(ruleset, draft, yes, script)
        except FactError:
            raise KnownError("the rule set's questions cannot be rehearsed") from None
        if answered is None:
            break
        draft = answered
    resolves = yes <= {"information_only"}
    return draft.model_copy(
        update={
            "ended_at": now,
            "resolve": resolves,
            "resolution_method": ResolutionMethod.INFORMATION_ADVICE if resolves else None,
            # A practitioner's save closes its hand-off (none here); a handler's has none.
            "handoff_id": uuid.uuid4() if earlier_legs else None,
        }
    )


@dataclass(frozen=True)
class _Checked:
    """What a save works out before it writes (the rules' decision, the routes, the times)."""

    decision: Decision
    facts: dict[str, Any]
    recommended: tuple[RouteChoice, ...]
    final: tuple[RouteChoice, ...]
    outcome: Outcome
    resolved: bool | None
    ended: datetime
    wrap_up: int
    legs: tuple[CallLeg, ...]
    talk: int


def _check(actor: CurrentUser, draft: CallDraft, ruleset: RuleSet, now: datetime) -> _Checked:
    """The rules run again on the stored answers, and every check a save makes before writing;
    InvalidInput names the field and the problem."""
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
    facts = screened_facts(session_, decision)
    recommended = decision_routes(decision)
    final = final_routes(actor, draft, recommended)
    if facts.get("abuse_or_neglect") and not any(c.route is Route.SAFEGUARDING for c in final):
        raise InvalidInput(
            "Routes",
            "a safeguarding concern was raised, so the contact needs a safeguarding route",
        )
    outcome, resolved = outcome_of(ruleset, draft, decision, final)
    if outcome is not Outcome.NON_DATA:
        check_caller(draft, emergency=outcome is Outcome.EMERGENCY)
    check_notes(draft.notes)
    if outcome is Outcome.REFERRED and draft.person_id is None:
        raise InvalidInput("Person", "find or add the person before referring")
    ended = draft.ended_at or now
    wrap_up = wrap_up_seconds(draft.model_copy(update={"ended_at": ended}), max(now, ended))
    legs = all_legs(draft, actor, ended)
    return _Checked(
        decision=decision,
        facts=facts,
        recommended=recommended,
        final=final,
        outcome=outcome,
        resolved=resolved,
        ended=ended,
        wrap_up=wrap_up,
        legs=legs,
        talk=sum(leg.talk_seconds for leg in legs),
    )


def _store(
    session: Session, actor: CurrentUser, draft: CallDraft, checked: _Checked, now: datetime
) -> ContactSummary:
    """Write the checked call in ``session`` (the caller must commit): the complete contact,
    its caller, referrals, gaps and legs, the hand-off closed, the announcement and the audit."""
    decision, facts, final, outcome = (
        checked.decision,
        checked.facts,
        checked.final,
        checked.outcome,
    )
    resolved, ended = checked.resolved, checked.ended
    non_data = outcome is Outcome.NON_DATA
    contact, consent = contact_and_consent(session, actor, draft, now)
    if non_data:
        consent = None
    elif draft.person_id is not None and consent is None:
        raise InvalidInput("Consent", "record consent before the person's record is used")
    if contact in session.new:  # never written before (no autosave): its draft row first
        session.flush()
    # Written below as it is (save_rows), not by the session's unit of work.
    session.expunge(contact)
    caller = caller_row(draft, now) if not non_data else None
    completed: dict[str, Any] = {
        "answered_at": draft.answered_at,
        "ended_at": ended,
        "wrap_up_ended_at": max(now, ended),
        "wrap_up_seconds": checked.wrap_up,
        "talk_seconds": checked.talk,
        "line": draft.line.value,
        "call_kind": str(facts.get("call_kind", CallKind.DATA.value)),
        "caller_type": caller_of(draft)[0].value,
        "caller_number": draft.caller_number,
        "caller_id": caller["id"] if caller is not None else None,
        "person_id": None if non_data else draft.person_id,
        "consent_basis": consent.basis if consent is not None else None,
        "consent_reason": consent.reason if consent is not None else None,
        "level1": decision.level1,
        "stream": decision.stream,
        "facts": facts,
        "ruleset_id": decision.ruleset_id,
        "ruleset_version": decision.ruleset_version,
        "ruleset_sha256": decision.ruleset_sha256,
        "recommended_routes": [c.model_dump(mode="json") for c in checked.recommended],
        "final_routes": [c.model_dump(mode="json") for c in final],
        "overridden": draft.override,
        "override_reason": draft.override_reason.strip() if draft.override else None,
        "outcome": outcome.value,
        "resolved_at_first_contact": resolved,
        "resolution_method": (
            draft.resolution_method.value if resolved and draft.resolution_method else None
        ),
        "signposted_service_id": _signposted(session, draft) if resolved else None,
        "notes": draft.notes.strip() or None,
        "status": ContactStatus.COMPLETE.value,
        "draft": None,
        "updated_at": now,
        "handler_id": contact.handler_id,  # a practitioner's save keeps the handler's
    }
    write_rows(
        session,
        SaveRows(
            contact_id=contact.id,
            version=contact.version,
            contact=completed,
            caller=caller,
            legs=_legs(contact.id, checked.legs),
            referrals=(
                _referrals(actor, contact.id, completed["person_id"], final, now)
                if outcome in (Outcome.REFERRED, Outcome.EMERGENCY)
                else ()
            ),
            gaps=() if non_data else _gaps(session, contact.id, draft, now),
            handoff_closed_by=actor.id if draft.handoff_id is not None else None,
        ),
    )
    for column, value in completed.items():  # the detached row as saved, for what follows
        setattr(contact, column, value)
    announce(session, LiveKind.CONTACT, contact.id)  # heard at the commit, not before
    # The audit entry last: the log is one desk's at a time from here until the commit.
    _audit(session, actor, contact, recommended=checked.recommended, final=final, now=now)
    return contact_summary(contact, actor.display_name)


def _legs(contact_id: uuid.UUID, legs: tuple[CallLeg, ...]) -> tuple[dict[str, Any], ...]:
    """Every desk's part of the call, with its talk time (SPEC 11: one call, one contact).
    Written once: a contact is saved once (a second save is refused before this)."""
    return tuple(
        {
            "id": new_id(),
            "contact_id": contact_id,
            "position": position,
            "user_id": leg.user_id,
            "started_at": leg.started_at,
            "ended_at": leg.ended_at,
            "talk_seconds": leg.talk_seconds,
        }
        for position, leg in enumerate(legs, start=1)
    )


def _signposted(session: Session, draft: CallDraft) -> uuid.UUID | None:
    """The service signposted to, checked against the directory (signposting only)."""
    if draft.resolution_method is not ResolutionMethod.SIGNPOSTING:
        return None
    assert draft.signposted_service_id is not None  # outcome_of asked for one
    service = session.get(Service, draft.signposted_service_id)
    if service is None or not service.active:
        raise InvalidInput(
            "Signposted to", "that service is not in the directory now: choose another"
        )
    return service.id


def _referrals(
    actor: CurrentUser,
    contact_id: uuid.UUID,
    person_id: uuid.UUID | None,
    final: tuple[RouteChoice, ...],
    now: datetime,
) -> tuple[dict[str, Any], ...]:
    # No referral is cleared first: a contact is saved once (contact_row_for refuses a second
    # save), and only the save makes referrals.
    return tuple(
        {
            "id": new_id(),
            "contact_id": contact_id,
            "person_id": person_id,
            "route": choice.route.value,
            "urgency": choice.urgency.value if choice.urgency else None,
            "status": "made",
            "made_at": now,
            "made_by": actor.id,
        }
        for choice in final
        if choice.route is not Route.RESOLVED
    )


def _gaps(
    session: Session, contact_id: uuid.UUID, draft: CallDraft, now: datetime
) -> tuple[dict[str, Any], ...]:
    """The service gaps recorded on the call, with the person's age band and area."""
    if not draft.gaps:
        return ()
    person = session.get(Person, draft.person_id) if draft.person_id else None
    band = (
        age_band(age_on(person.date_of_birth, now.date()))
        if person is not None and person.date_of_birth
        else None
    )
    area = postcode_district(person.postcode) if person is not None and person.postcode else None
    rows: list[dict[str, Any]] = []
    for gap in draft.gaps:
        if not gap.need.strip():
            raise InvalidInput("Service gap", "say what was needed")
        if gap.reason not in GAP_REASONS:
            raise InvalidInput("Service gap", f"{gap.reason!r} is not a reason the desk knows")
        rows.append(
            {
                "id": new_id(),
                "contact_id": contact_id,
                "need": gap.need.strip()[:64],
                "service_requested": gap.service_requested.strip()[:160] or None,
                "reason": gap.reason,
                "age_band": band,
                "area": area,
                "recorded_at": now,
            }
        )
    return tuple(rows)


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
            details={
                "recommended": routes(recommended),
                "final": routes(final),
                "reason": reason_for_audit(contact.override_reason or ""),
            },
            at=now,
        )
