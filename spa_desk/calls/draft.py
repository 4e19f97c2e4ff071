"""The call in progress (SPEC 2): the draft the desk keeps on screen and writes to the
contact row within a second of every change, so a crash or a power cut loses nothing;
the next start offers it back (:func:`unfinished_calls`).
"""

from __future__ import annotations

import functools
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_validator
from sqlalchemy import and_, bindparam, case, or_, select, update
from sqlalchemy.orm import Session, aliased

from db.models import Consent, Contact, Handoff
from spa_desk.database import Database
from spa_desk.domain import CurrentUser, RouteChoice
from spa_desk.errors import InvalidInput, KnownError
from spa_desk.local_time import LONDON
from spa_desk.permissions import Action, require
from spa_desk.vocabulary import (
    OPEN_HANDOFF,
    CallerType,
    CallKind,
    ConsentBasis,
    ContactStatus,
    HandoffStatus,
    Line,
    ProfessionalRole,
    ResolutionMethod,
)

GAP_REASONS = {
    "does_not_exist": "No such service exists here",
    "cannot_take": "The service cannot take this person",
}
"""Why a need went unmet (service gaps), with the words the desk shows."""


NOTES_LIMIT = 10_000
"""The most characters a call's notes may hold (the desk counts them as they are typed)."""


def check_notes(notes: str) -> None:
    """InvalidInput, in words, when the notes are longer than :data:`NOTES_LIMIT`."""
    if len(notes) > NOTES_LIMIT:
        raise InvalidInput(
            "Notes",
            f"{len(notes):,} characters is more than the {NOTES_LIMIT:,} the record keeps: "
            f"shorten them by {len(notes) - NOTES_LIMIT:,}",
        )


class CallerDetails(BaseModel):
    """Who rang, as the handler took it down (SPEC 2 step 2): every caller's call-back number
    (filled from the telephone system when it rang); family and carers give their name and
    relationship to the person; a professional their name, organisation and job."""

    model_config = ConfigDict(frozen=True)

    name: str = ""
    relationship: str = ""
    organisation: str = ""
    job_title: str = ""
    phone: str = ""


class CallLeg(BaseModel):
    """One desk's finished part of a call (SPEC 11): the handler's before a hand-off, say."""

    model_config = ConfigDict(frozen=True)

    user_id: uuid.UUID
    started_at: datetime
    ended_at: datetime

    @property
    def talk_seconds(self) -> int:
        """How long this desk talked with the caller."""
        return max(0, round((self.ended_at - self.started_at).total_seconds()))


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
    wrap_up_paused_seconds: int = 0
    """Wrap-up time while the desk was closed (a restart, a crash): not counted as work."""
    seen_at: datetime | None = None
    """When a desk last had this call open in wrap-up (kept every :data:`SEEN_EVERY`)."""
    telephony_ref: str | None = None
    caller_number: str | None = None
    line: Line = Line.GENERAL
    caller: CallerDetails = CallerDetails()
    search_text: str = ""
    person_id: uuid.UUID | None = None
    consent_basis: ConsentBasis | None = None
    answers: dict[str, Any] = Field(default_factory=dict)
    """Screening answers by fact name (sets as lists), as the handler gave them."""
    from_record: dict[str, Any] = Field(default_factory=dict)
    """Facts the desk knows without asking (age from the date of birth, an open mental health
    referral): shown as "from the record", never asked; an answer given since takes their place."""
    override: bool = False
    override_routes: tuple[RouteChoice, ...] = ()
    override_reason: str = ""
    resolve: bool | None = None
    """True to resolve at first contact, False to refer, None while not chosen."""
    resolution_method: ResolutionMethod | None = None
    signposted_service_id: uuid.UUID | None = None
    gaps: tuple[GapNote, ...] = ()
    notes: str = ""
    legs: tuple[CallLeg, ...] = ()
    """The finished parts of the call on other desks, before a hand-off (oldest first)."""
    leg_started_at: datetime | None = None
    """When this desk's part of the call began (None: when the call was answered)."""
    handoff_id: uuid.UUID | None = None
    """The hand-off this desk claimed the call from (None: the call rang here)."""

    @model_validator(mode="before")
    @classmethod
    def _caller_from_older_drafts(cls, data: Any) -> Any:
        """Drafts kept before every caller was recorded held a professional's details only."""
        if isinstance(data, dict) and "professional" in data and "caller" not in data:
            data = {**data, "caller": data["professional"]}
            del data["professional"]
        return data


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
        caller=CallerDetails(phone=caller_number or ""),
    )


SEEN_EVERY = timedelta(seconds=10)
"""How often a desk in wrap-up notes that it is still open: a desk closed unexpectedly counts
at most this much of the time it was down."""


def wrap_up_seconds(draft: CallDraft, now: datetime) -> int:
    """Wrap-up time so far (SPEC 2 step 8): from the end of the call to ``now``, less the time
    the desk was closed; 0 while the call goes on."""
    if draft.ended_at is None:
        return 0
    worked = (now - draft.ended_at).total_seconds() - draft.wrap_up_paused_seconds
    return max(0, int(worked))


def saved_wrap_up_seconds(contact: Contact) -> int | None:
    """A saved contact's wrap-up time worked, in seconds (None when it has none): as kept, or for
    rows saved before it was kept, from the end of the call to the save."""
    if contact.wrap_up_seconds is not None:
        return contact.wrap_up_seconds
    if contact.ended_at is None or contact.wrap_up_ended_at is None:
        return None
    return max(0, round((contact.wrap_up_ended_at - contact.ended_at).total_seconds()))


def saved_talk_seconds(contact: Contact) -> int | None:
    """A saved contact's talk time in seconds (None when it has none): as kept (every leg's
    together), or for rows saved before it was kept, from the answer to the end of the call."""
    if contact.talk_seconds is not None:
        return contact.talk_seconds
    if contact.ended_at is None:
        return None
    start = contact.answered_at or contact.started_at
    return max(0, round((contact.ended_at - start).total_seconds()))


def seen_in_wrap_up(draft: CallDraft, now: datetime) -> CallDraft | None:
    """The draft noting that a desk has it open in wrap-up now, when it is time to say so
    (every :data:`SEEN_EVERY`); None when there is nothing to note."""
    if draft.ended_at is None:
        return None
    if draft.seen_at is not None and now - draft.seen_at < SEEN_EVERY:
        return None
    return draft.model_copy(update={"seen_at": now})


def reopened(draft: CallDraft, now: datetime) -> CallDraft:
    """A call in wrap-up opened again after the desk was closed: the time since a desk last had
    it open is not wrap-up work (a restart once added the whole time the desk was down)."""
    if draft.ended_at is None:
        return draft
    last_open = max(draft.seen_at or draft.ended_at, draft.ended_at)
    away = int((now - last_open).total_seconds())
    if away <= 0:
        return draft
    return draft.model_copy(
        update={"wrap_up_paused_seconds": draft.wrap_up_paused_seconds + away, "seen_at": now}
    )


def close_leg(draft: CallDraft, user: CurrentUser, now: datetime) -> CallDraft:
    """The draft with this desk's part of the call finished at ``now`` (a hand-off)."""
    start = draft.leg_started_at or draft.answered_at or draft.started_at
    end = min(now, draft.ended_at) if draft.ended_at is not None else now
    leg = CallLeg(user_id=user.id, started_at=start, ended_at=max(start, end))
    return draft.model_copy(update={"legs": (*draft.legs, leg), "leg_started_at": None})


def open_leg(draft: CallDraft, now: datetime) -> CallDraft:
    """The draft with a new desk's part of the call beginning at ``now`` (a claim)."""
    return draft.model_copy(update={"leg_started_at": now})


def all_legs(draft: CallDraft, user: CurrentUser, end: datetime) -> tuple[CallLeg, ...]:
    """Every part of the call, this desk's (to ``end``) included."""
    return close_leg(draft, user, end).legs


def given_facts(draft: CallDraft) -> dict[str, Any]:
    """Facts the desk already knows without asking: the line (from the telephone system or the
    call bar), the time of day, and what the person's record says, unless answered otherwise."""
    # Who is calling is asked by the rules' own question; the desk's caller section shows the
    # same answer (``caller_of``), so the handler never gives it twice.
    known = {k: v for k, v in draft.from_record.items() if k not in draft.answers}
    return {**known, "line": draft.line.value, "out_of_hours": is_out_of_hours(draft.started_at)}


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
        if not _written_in_place(session, actor, draft, now):
            write_draft(contact_row_for(session, actor, draft, now), draft, now)


def _written_in_place(
    session: Session, actor: CurrentUser, draft: CallDraft, now: datetime
) -> bool:
    """The autosave of a call already kept and this desk's to write, as one UPDATE (it runs every
    second on every desk with a call, so each round trip counts); False when it is anything else
    (the first write, a call saved meanwhile, a hand-off someone else has), which
    :func:`contact_row_for` then makes or refuses in words, as it decides."""
    not_mine = (
        select(Handoff.id)
        .where(
            Handoff.contact_id == Contact.id,
            Handoff.status.in_(OPEN_HANDOFF),
            or_(Handoff.status != HandoffStatus.CLAIMED.value, Handoff.claimed_by != actor.id),
        )
        .exists()
    )
    mine = (
        select(Handoff.id)
        .where(
            Handoff.contact_id == Contact.id,
            Handoff.status == HandoffStatus.CLAIMED.value,
            Handoff.claimed_by == actor.id,
        )
        .exists()
    )
    # The practitioner who claimed a hand-off carries on: the handler who took it stays.
    handler = case((and_(Contact.stream.is_not(None), mine), Contact.handler_id), else_=actor.id)
    written = session.execute(
        update(Contact)
        .where(
            Contact.id == draft.contact_id,
            Contact.status == ContactStatus.DRAFT.value,
            ~not_mine,
        )
        .values(**draft_columns(draft, now), handler_id=handler, version=Contact.version + 1)
        .execution_options(synchronize_session=False)
    )
    return bool(written.rowcount == 1)  # type: ignore[attr-defined]


def draft_columns(draft: CallDraft, now: datetime) -> dict[str, Any]:
    """The contact row's columns a draft sets (status draft), with the columns lists read."""
    return {
        "answered_at": draft.answered_at,
        "ended_at": draft.ended_at,
        "line": draft.line.value,
        "caller_type": caller_of(draft)[0].value,
        "caller_number": draft.caller_number,
        "person_id": draft.person_id,
        "call_kind": str(draft.answers.get("call_kind", CallKind.DATA.value)),
        "updated_at": now,
        "draft": draft.model_dump(mode="json"),
    }


def write_draft(contact: Contact, draft: CallDraft, now: datetime) -> None:
    """Put ``draft`` on its contact row (status draft), with the columns lists read."""
    for column, value in draft_columns(draft, now).items():
        setattr(contact, column, value)


def unfinished_calls(database: Database, actor: CurrentUser) -> list[CallDraft]:
    """The actor's calls still in draft, oldest first: offered back when the desk starts."""
    require(actor, Action.LOG_CONTACT)
    handed_off = select(Handoff.contact_id).where(Handoff.status.in_(OPEN_HANDOFF))
    claimed = select(Handoff.contact_id).where(
        Handoff.status == HandoffStatus.CLAIMED.value, Handoff.claimed_by == actor.id
    )
    with database.sessions() as session:
        drafts = session.scalars(
            select(Contact.draft)
            .where(
                Contact.status == ContactStatus.DRAFT.value,
                Contact.draft.is_not(None),
                or_(
                    and_(Contact.handler_id == actor.id, Contact.id.not_in(handed_off)),
                    Contact.id.in_(claimed),
                ),
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
        handed = session.scalar(select(Handoff.id).where(Handoff.contact_id == contact_id))
        if handed is not None:
            raise KnownError(
                "This call was handed off to a practitioner, so it must be saved, not thrown away."
            )
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
    return contact_and_consent(session, actor, draft, now, consent=False)[0]


@functools.cache
def _contact_read(consent: bool) -> Any:
    """The statement :func:`contact_and_consent` sends, built once a desk (with or without the
    consent): built at each save, its clauses and cache key cost every desk's save a
    millisecond of Python. Its parameters: ``contact_id`` and ``consent_person``."""
    open_ = aliased(Handoff, name="open_handoff")
    handoff = (
        select(open_.id)
        .where(open_.contact_id == Contact.id, open_.status.in_(OPEN_HANDOFF))
        .order_by(open_.handed_at.desc(), open_.id)
        .limit(1)
        .correlate(Contact)
        .scalar_subquery()
    )
    columns: list[Any] = [Contact, _of_handoff(handoff, Handoff.status)]
    columns.append(_of_handoff(handoff, Handoff.claimed_by))
    if consent:  # asked the same way with or without a person: one statement to compile
        given = aliased(Consent, name="given")
        person = bindparam("consent_person", type_=given.person_id.type)
        latest = (
            select(given.id)
            .where(given.person_id == person, given.contact_id == Contact.id)
            .order_by(given.recorded_at.desc(), given.id)
            .limit(1)
            .correlate(Contact)
            .scalar_subquery()
        )
        for column in (Consent.basis, Consent.reason):
            columns.append(select(column).where(Consent.id == latest).scalar_subquery())
    return select(*columns).where(Contact.id == bindparam("contact_id", type_=Contact.id.type))


def contact_and_consent(
    session: Session, actor: CurrentUser, draft: CallDraft, now: datetime, *, consent: bool = True
) -> tuple[Contact, ConsentSeen | None]:
    """The call's contact row (as :func:`contact_row_for`) and the latest consent recorded on
    this call for the draft's person (None when there is none, or not asked for), read with the
    call's open hand-off in one statement: each round trip is paid by every desk's save."""
    parameters: dict[str, Any] = {"contact_id": draft.contact_id}
    if consent:
        parameters["consent_person"] = draft.person_id
    row = session.execute(_contact_read(consent), parameters).first()
    if row is None:
        contact = Contact(
            id=draft.contact_id,
            started_at=draft.started_at,
            handler_id=actor.id,
            status=ContactStatus.DRAFT.value,
            created_at=now,
        )
        session.add(contact)
        return contact, None
    contact, handoff_status, claimed_by = row[0], row[1], row[2]
    seen = ConsentSeen(basis=row[3], reason=row[4]) if len(row) > 3 and row[3] else None
    if contact.status != ContactStatus.DRAFT.value:
        raise KnownError("This call has already been saved; it cannot be changed here.")
    if contact.stream is not None and handoff_status is not None:  # a hand-off's stream
        if handoff_status != HandoffStatus.CLAIMED.value or claimed_by != actor.id:
            raise KnownError(
                "This call was handed off to a practitioner; only the one who claimed it "
                "can change it now."
            )
        return contact, seen  # the practitioner carries on: the handler who took it stays
    contact.handler_id = actor.id
    return contact, seen


def _of_handoff(handoff: Any, column: Any) -> Any:
    return select(column).where(Handoff.id == handoff).scalar_subquery()


@dataclass(frozen=True)
class ConsentSeen:
    """The consent recorded on a call: its basis and, for a lawful basis, the reason."""

    basis: str
    reason: str | None
