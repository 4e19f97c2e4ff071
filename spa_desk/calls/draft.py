"""The call in progress (SPEC 2): the draft the desk keeps on screen and writes to the
contact row within a second of every change, so a crash or a power cut loses nothing;
the next start offers it back (:func:`unfinished_calls`).
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import Consent, Contact
from spa_desk.database import Database
from spa_desk.domain import CurrentUser, RouteChoice
from spa_desk.errors import KnownError
from spa_desk.local_time import LONDON
from spa_desk.permissions import Action, require
from spa_desk.vocabulary import (
    CallerType,
    CallKind,
    ConsentBasis,
    ContactStatus,
    Line,
    ProfessionalRole,
    ResolutionMethod,
)

GAP_REASONS = {
    "does_not_exist": "No such service exists here",
    "cannot_take": "The service cannot take this person",
}
"""Why a need went unmet (service gaps), with the words the desk shows."""


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


def new_draft(
    now: datetime,
    *,
    caller_number: str | None = None,
    line: Line = Line.GENERAL,
    telephony_ref: str | None = None,
    answered: bool = True,
) -> CallDraft:
    """A fresh call: by hand it is answered at once; from the telephone system it rings first."""
    return CallDraft(
        started_at=now,
        answered_at=now if answered else None,
        caller_number=caller_number,
        line=line,
        telephony_ref=telephony_ref,
        search_text=caller_number or "",
    )


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


def save_draft(
    database: Database, actor: CurrentUser, draft: CallDraft, *, now: datetime | None = None
) -> None:
    """Keep ``draft`` as the call's contact row (status draft); refused once the call is saved."""
    require(actor, Action.LOG_CONTACT)
    now = now or datetime.now(UTC)
    with database.sessions.begin() as session:
        contact = contact_row_for(session, actor, draft, now)
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


def stored_status(database: Database, contact_id: uuid.UUID) -> ContactStatus | None:
    """Whether the database holds a call as a draft or complete (None: not at all)."""
    with database.sessions() as session:
        status = session.scalar(select(Contact.status).where(Contact.id == contact_id))
    return None if status is None else ContactStatus(status)


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


def contact_row_for(
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
