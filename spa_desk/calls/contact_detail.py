"""One contact read in full, as the desk shows it to read (Enter on the shift list): its list
line, its screening and outcome in words, and the rules that decided it, screened again from the
facts stored with it by the very rule set it was saved with (kept in the database, SPEC 4).

The person the contact is about is not part of it: :func:`open_contact_person` opens their record
only with consent, stored and audited by :func:`spa_desk.people.records.open_person`, as
everywhere. Reading a contact changes nothing.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import BaseModel, ConfigDict
from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import Caller, Contact, Referral, RuleSetVersion, Service, ServiceGap, User
from spa_desk.calls.draft import GAP_REASONS
from spa_desk.database import Database, database_errors
from spa_desk.domain import ContactSummary, CurrentUser, RouteChoice, contact_summary, route_choices
from spa_desk.errors import KnownError
from spa_desk.people.consent import ConsentGiven, check_consent
from spa_desk.people.records import PersonRecord, open_person
from spa_desk.permissions import Action, require, require_any
from spa_desk.rules.in_force import load_for_desk
from spa_desk.vocabulary import ConsentBasis, ContactStatus, Line, ResolutionMethod, Route, Urgency
from triage_rules import FactError, RuleSet, RuleSetError, default_ruleset, evaluate


class RuleUsed(BaseModel):
    """A rule that fired for the contact, and why, in the rule set's own words."""

    model_config = ConfigDict(frozen=True)

    rule: str
    reason: str


class ReferralMade(BaseModel):
    """A referral the contact made: the route, its urgency and the service, when one was named."""

    model_config = ConfigDict(frozen=True)

    route: Route
    urgency: Urgency | None
    service: str | None


class GapRecorded(BaseModel):
    """A need the contact found unmet (a service gap), with why, in words."""

    model_config = ConfigDict(frozen=True)

    need: str
    service_requested: str | None
    reason: str


class ContactDetail(BaseModel):
    """A contact as the read-only view shows it: nothing that names the person."""

    model_config = ConfigDict(frozen=True)

    summary: ContactSummary
    line: Line
    caller_as: str | None
    """Who rang, without naming them: a relationship to the person ("Daughter") or a
    professional's organisation; their name and number stay in the caller's record."""
    answered_at: datetime | None
    ended_at: datetime | None
    recommended_routes: tuple[RouteChoice, ...]
    final_routes: tuple[RouteChoice, ...]
    override_reason: str | None
    resolved_at_first_contact: bool | None
    resolution_method: ResolutionMethod | None
    signposted_to: str | None
    referrals: tuple[ReferralMade, ...]
    gaps: tuple[GapRecorded, ...]
    notes: str | None
    ruleset: str | None
    """The rule set the contact was decided with, as ``id version`` (None for a draft)."""
    rules: tuple[RuleUsed, ...]
    rules_note: str | None
    """Why the rules cannot be shown, when they cannot (a draft, a rule set not kept here)."""
    about_a_person: bool
    """True when the contact is about a person on record (who, only with consent)."""
    consent_basis: ConsentBasis | None
    """The consent recorded on the call itself, if any."""


def contact_detail(database: Database, actor: CurrentUser, contact_id: uuid.UUID) -> ContactDetail:
    """The contact ``contact_id`` in full, for staff who take calls and the SPA managers who
    sign the shift's reports.

    As for the shift list, viewing reports is not enough: trainers may, and a trainer never sees
    live records (SPEC 7). PermissionDenied for other roles; KnownError when the
    contact is not on record.
    """
    require_any(actor, Action.LOG_CONTACT, Action.SIGN_REPORT)
    with database_errors(database.url), database.sessions() as session:
        found = session.execute(
            select(Contact, User.display_name)
            .join(User, Contact.handler_id == User.id)
            .where(Contact.id == contact_id)
        ).first()
        if found is None:
            raise KnownError("That contact is not on record any more.")
        contact, handler_name = found
        complete = contact.status == ContactStatus.COMPLETE.value
        rules, rules_note = _rules_used(session, contact) if complete else ((), None)
        return ContactDetail(
            summary=contact_summary(contact, handler_name),
            line=Line(contact.line),
            caller_as=_caller_as(session, contact.caller_id),
            answered_at=contact.answered_at,
            ended_at=contact.ended_at,
            recommended_routes=route_choices(contact.recommended_routes),
            final_routes=route_choices(contact.final_routes),
            override_reason=contact.override_reason if contact.overridden else None,
            resolved_at_first_contact=contact.resolved_at_first_contact,
            resolution_method=(
                ResolutionMethod(contact.resolution_method) if contact.resolution_method else None
            ),
            signposted_to=_service_name(session, contact.signposted_service_id),
            referrals=_referrals(session, contact.id),
            gaps=_gaps(session, contact.id),
            notes=contact.notes,
            ruleset=(
                f"{contact.ruleset_id} {contact.ruleset_version}" if contact.ruleset_id else None
            ),
            rules=rules,
            rules_note=rules_note,
            about_a_person=contact.person_id is not None,
            consent_basis=ConsentBasis(contact.consent_basis) if contact.consent_basis else None,
        )


def _caller_as(session: Session, caller_id: uuid.UUID | None) -> str | None:
    if caller_id is None:
        return None
    caller = session.get(Caller, caller_id)
    if caller is None or caller.caller_type == "self":
        return None
    return caller.organisation or caller.relationship


def open_contact_person(
    database: Database,
    actor: CurrentUser,
    contact_id: uuid.UUID,
    consent: ConsentGiven | None,
    *,
    now: datetime | None = None,
) -> PersonRecord:
    """The record of the person contact ``contact_id`` is about, opened with ``consent``.

    The same permission, consent and audit as opening a record on a call. The consent is not tied
    to the contact read: it belongs to this reading, and a contact still open at another desk
    must be saved on the consent recorded on its own call.
    """
    require(actor, Action.VIEW_PERSON)
    check_consent(consent)
    with database_errors(database.url), database.sessions() as session:
        person_id = session.scalar(select(Contact.person_id).where(Contact.id == contact_id))
    if person_id is None:
        raise KnownError("This contact is not about a person on record.")
    return open_person(database, actor, person_id, consent, now=now)


def _service_name(session: Session, service_id: uuid.UUID | None) -> str | None:
    if service_id is None:
        return None
    service = session.get(Service, service_id)
    return service.name if service is not None else None


def _referrals(session: Session, contact_id: uuid.UUID) -> tuple[ReferralMade, ...]:
    rows = session.execute(
        select(Referral.route, Referral.urgency, Service.name)
        .outerjoin(Service, Referral.service_id == Service.id)
        .where(Referral.contact_id == contact_id)
        .order_by(Referral.made_at, Referral.route)
    ).all()
    return tuple(
        ReferralMade(
            route=Route(route), urgency=Urgency(urgency) if urgency else None, service=service
        )
        for route, urgency, service in rows
    )


def _gaps(session: Session, contact_id: uuid.UUID) -> tuple[GapRecorded, ...]:
    rows = session.scalars(
        select(ServiceGap).where(ServiceGap.contact_id == contact_id).order_by(ServiceGap.need)
    ).all()
    return tuple(
        GapRecorded(
            need=gap.need,
            service_requested=gap.service_requested,
            reason=GAP_REASONS.get(gap.reason, gap.reason),
        )
        for gap in rows
    )


def _rules_used(session: Session, contact: Contact) -> tuple[tuple[RuleUsed, ...], str | None]:
    """The rules that fired for the contact's stored facts, by the rule set it was saved with."""
    name = f"{contact.ruleset_id or 'unknown'} {contact.ruleset_version or ''}".strip()
    ruleset = _ruleset(session, contact.ruleset_sha256)
    if ruleset is None:
        return (), f"The rule set {name} is not kept in this database: its reasons cannot be shown."
    try:
        decision = evaluate(ruleset, contact.facts or {})
    except FactError as error:
        return (), f"The rule set {name} cannot read this contact's answers again ({error})."
    return tuple(RuleUsed(rule=t.rule, reason=t.reason) for t in decision.trace), None


def _ruleset(session: Session, sha256: str | None) -> RuleSet | None:
    """The rule set whose file had ``sha256``: the shipped default or one kept in the database."""
    if not sha256:
        return None
    default = default_ruleset()
    if default.sha256 == sha256:
        return default
    kept = session.scalars(select(RuleSetVersion).where(RuleSetVersion.sha256 == sha256)).first()
    if kept is None:
        return None
    try:
        return load_for_desk(kept.source.encode("utf-8"), kept.file_name)
    except RuleSetError:  # the desk's vocabulary has moved on since: the reasons are lost
        return None
