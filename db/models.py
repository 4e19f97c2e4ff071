"""The tables of SPA Desk (SPEC sections 2, 3, 5 and 8).

Vocabulary values (routes, streams, roles, ...) are stored as short strings; the domain layer
validates them. Identifiers are UUIDs made by the desk, so desks can later work offline and sync.
Times are stored in UTC.
"""

from __future__ import annotations

import unicodedata
import uuid
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    Uuid,
)
from sqlalchemy.engine.default import DefaultExecutionContext
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from db.types import (
    JSONDocument,
    UTCDateTime,
    json_default_dict,
    json_default_list,
    new_id,
    utc_now,
)

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Typed declarative base for every table, with stable constraint names for migrations."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class User(Base):
    """A member of staff who logs in to the desk (call handler, practitioner, manager, ...)."""

    __tablename__ = "users"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(120))
    organisation: Mapped[str | None] = mapped_column(String(120))
    password_hash: Mapped[str] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)
    password_changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)

    roles: Mapped[list[UserRole]] = relationship(
        back_populates="user", cascade="all, delete-orphan", lazy="selectin"
    )
    streams: Mapped[list[UserStream]] = relationship(cascade="all, delete-orphan", lazy="selectin")
    """The level-2 streams a practitioner works (their queue shows these streams' hand-offs)."""


class UserRole(Base):
    """One role held by a user; a user may hold several."""

    __tablename__ = "user_roles"

    user_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    role: Mapped[str] = mapped_column(String(32), primary_key=True)

    user: Mapped[User] = relationship(back_populates="roles")


NAME_KEY_LENGTH = 80
"""The width of the key columns; a key never outgrows them (``ß`` folds to ``ss``, say)."""


def name_key(name: str) -> str:
    """A name as search compares it: case-folded, accents removed, single spaces, no surrounding
    space. Apostrophes and hyphens stay, so "O'Brien" and "Smith-Barlow" keep them.

    NFKD decomposition splits "É" into "E" and a combining accent, which is dropped, and turns
    compatibility letters such as the "ﬁ" ligature into plain ones. Family and given names, and
    the words typed into a search, all go through this one rule in Python: SQLite's lower()
    changes only ASCII letters, so the database is never asked to fold anything.
    """
    folded = unicodedata.normalize("NFKD", unicodedata.normalize("NFKD", name).casefold())
    bare = "".join(letter for letter in folded if not unicodedata.combining(letter))
    return " ".join(bare.split())[:NAME_KEY_LENGTH]


def _key_default(name_column: str) -> Callable[[DefaultExecutionContext], str]:
    """A column default that fills a key from the name being inserted (bulk inserts included)."""

    def default(context: DefaultExecutionContext) -> str:
        parameters = context.get_current_parameters()  # type: ignore[no-untyped-call]
        return name_key(str(parameters[name_column]))

    return default


class Person(Base):
    """The adult a contact is about. Personal data: never logged, never exported by name."""

    __tablename__ = "people"
    __table_args__ = (
        Index("ix_people_family_given", "family_name", "given_name"),
        Index("ix_people_name_keys", "family_key", "given_key"),
        Index("ix_people_date_of_birth", "date_of_birth"),
    )

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    nhs_number: Mapped[str | None] = mapped_column(String(10), unique=True)
    given_name: Mapped[str] = mapped_column(String(80))
    family_name: Mapped[str] = mapped_column(String(80))
    family_key: Mapped[str] = mapped_column(
        String(NAME_KEY_LENGTH), default=_key_default("family_name")
    )
    """The family name as search compares it (:func:`name_key`); kept with ``family_name``."""
    given_key: Mapped[str] = mapped_column(
        String(NAME_KEY_LENGTH), default=_key_default("given_name")
    )
    """The given name as search compares it (:func:`name_key`); kept with ``given_name``."""
    date_of_birth: Mapped[date | None] = mapped_column(Date)
    address_line1: Mapped[str | None] = mapped_column(String(120))
    address_line2: Mapped[str | None] = mapped_column(String(120))
    town: Mapped[str | None] = mapped_column(String(80))
    postcode: Mapped[str | None] = mapped_column(String(8), index=True)
    phone_primary: Mapped[str | None] = mapped_column(String(20), index=True)
    phone_secondary: Mapped[str | None] = mapped_column(String(20))
    gp_practice: Mapped[str | None] = mapped_column(String(120))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now, onupdate=utc_now)
    updated_by: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    """Who last changed the record: a user's id (None for records older than revision 0008;
    no foreign key, so adding it never rebuilt this table)."""
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012


class UserStream(Base):
    """A level-2 stream a practitioner works (SPEC 11): their queue shows its hand-offs."""

    __tablename__ = "user_streams"

    user_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    stream: Mapped[str] = mapped_column(String(32), primary_key=True)


class Caller(Base):
    """Someone who rings about a person: the person themself, family, a carer or a professional,
    with their name, relationship to the person and call-back number."""

    __tablename__ = "callers"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    caller_type: Mapped[str] = mapped_column(String(16))
    professional_role: Mapped[str | None] = mapped_column(String(16))
    name: Mapped[str | None] = mapped_column(String(120))
    relationship: Mapped[str | None] = mapped_column(String(60))
    """To the person: "daughter", "neighbour", "self"; None for professionals."""
    organisation: Mapped[str | None] = mapped_column(String(120))
    job_title: Mapped[str | None] = mapped_column(String(120))
    phone: Mapped[str | None] = mapped_column(String(20), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)


class Service(Base):
    """An entry in the services directory that contacts are referred or signposted to."""

    __tablename__ = "services"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    name: Mapped[str] = mapped_column(String(160))
    route: Mapped[str] = mapped_column(String(32), index=True)
    organisation: Mapped[str | None] = mapped_column(String(160))
    phone: Mapped[str | None] = mapped_column(String(20))
    description: Mapped[str | None] = mapped_column(Text)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class Contact(Base):
    """One call to the SPA, from ring to saved record (SPEC section 2).

    A contact is a draft until it is saved complete; drafts survive a crash and are offered back.
    Routes are JSON lists of ``{"route": ..., "urgency": ...}`` in the order the rules gave.
    """

    __tablename__ = "contacts"
    __table_args__ = (
        CheckConstraint("status IN ('draft', 'complete')", name="status"),
        Index("ix_contacts_person_started", "person_id", "started_at"),
        # Status first: every report asks for the saved contacts of a span of time, and the
        # drafts list for status alone (revision 0009; it replaced an index on status alone,
        # which SQLite chose for the reports and then read every contact of the year).
        Index("ix_contacts_status_started", "status", "started_at"),
    )

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    wrap_up_ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    talk_seconds: Mapped[int | None] = mapped_column(Integer)
    """Time talking with the caller, every leg's together (a warm hand-off's hold is not talk;
    None on rows saved before it was kept: read ``ended_at - answered_at``)."""
    wrap_up_seconds: Mapped[int | None] = mapped_column(Integer)
    """Wrap-up time worked: from the end of the call to the save, less any time the desk was
    closed (None on rows saved before it was kept: read ``wrap_up_ended_at - ended_at``)."""
    line: Mapped[str] = mapped_column(String(32), default="general")
    call_kind: Mapped[str] = mapped_column(String(16), default="data")
    caller_type: Mapped[str] = mapped_column(String(16), default="self")
    caller_number: Mapped[str | None] = mapped_column(String(20))
    caller_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("callers.id"))
    person_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("people.id"))
    consent_basis: Mapped[str | None] = mapped_column(String(32))
    consent_reason: Mapped[str | None] = mapped_column(Text)
    level1: Mapped[str | None] = mapped_column(String(16))
    stream: Mapped[str | None] = mapped_column(String(32))
    facts: Mapped[dict[str, Any]] = mapped_column(JSONDocument, default=json_default_dict)
    ruleset_id: Mapped[str | None] = mapped_column(String(64))
    ruleset_version: Mapped[str | None] = mapped_column(String(32))
    ruleset_sha256: Mapped[str | None] = mapped_column(String(64))
    recommended_routes: Mapped[list[dict[str, Any]]] = mapped_column(
        JSONDocument, default=json_default_list
    )
    final_routes: Mapped[list[dict[str, Any]]] = mapped_column(
        JSONDocument, default=json_default_list
    )
    overridden: Mapped[bool] = mapped_column(Boolean, default=False)
    override_reason: Mapped[str | None] = mapped_column(Text)
    outcome: Mapped[str | None] = mapped_column(String(16))
    resolved_at_first_contact: Mapped[bool | None] = mapped_column(Boolean)
    resolution_method: Mapped[str | None] = mapped_column(String(32))
    signposted_service_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("services.id"))
    notes: Mapped[str | None] = mapped_column(Text)
    handler_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"), index=True)
    status: Mapped[str] = mapped_column(String(16), default="draft")
    draft: Mapped[dict[str, Any] | None] = mapped_column(JSONDocument)
    """While a draft: the whole call as the desk had it on screen, to offer back after a crash."""
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now, onupdate=utc_now)
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012


class Consent(Base):
    """Consent recorded when a person's record is opened (SPEC 2 step 3): who, when, why, basis."""

    __tablename__ = "consents"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    person_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("people.id"), index=True)
    contact_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("contacts.id"))
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)
    basis: Mapped[str] = mapped_column(String(32))
    purpose: Mapped[str | None] = mapped_column(Text)
    reason: Mapped[str | None] = mapped_column(Text)


class Referral(Base):
    """A referral made from a contact to a route (and, when known, a service) with an urgency."""

    __tablename__ = "referrals"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    contact_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("contacts.id"), index=True)
    person_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("people.id"), index=True)
    route: Mapped[str] = mapped_column(String(32))
    urgency: Mapped[str | None] = mapped_column(String(16))
    service_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("services.id"))
    status: Mapped[str] = mapped_column(String(16), default="made")
    made_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)
    made_by: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))


class ServiceGap(Base):
    """An unmet need: a service asked for that does not exist or cannot take the person."""

    __tablename__ = "service_gaps"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    contact_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("contacts.id"), index=True)
    need: Mapped[str] = mapped_column(String(64))
    service_requested: Mapped[str | None] = mapped_column(String(160))
    reason: Mapped[str] = mapped_column(String(32))
    age_band: Mapped[str | None] = mapped_column(String(8))
    area: Mapped[str | None] = mapped_column(String(8))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now, index=True)


class Handoff(Base):
    """A call passed to a stream's queue for level 2 (SPEC 11): warm (the caller holds) or a
    call-back. Claimed once: the claim is a compare-and-set on ``status``. The call itself stays
    its contact's draft until the practitioner saves it, so one call is one contact."""

    __tablename__ = "handoffs"
    __table_args__ = (
        CheckConstraint("status IN ('waiting', 'claimed', 'escalated', 'done')", name="status"),
        CheckConstraint("kind IN ('warm', 'call-back')", name="kind"),
        Index("ix_handoffs_status_due", "status", "due_at"),
    )

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    contact_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("contacts.id"), index=True)
    stream: Mapped[str] = mapped_column(String(32))
    kind: Mapped[str] = mapped_column(String(16))
    urgency: Mapped[str | None] = mapped_column(String(16))
    """The urgency level 1 gave the call when it was handed off (None: not yet known)."""
    reason: Mapped[str | None] = mapped_column(Text)
    """Why the call is on this stream: the reason of the rule that gave the stream."""
    status: Mapped[str] = mapped_column(String(16), default="waiting")
    handed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    handed_by: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))
    due_at: Mapped[datetime] = mapped_column(UTCDateTime)
    claimed_by: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    unanswered: Mapped[int] = mapped_column(Integer, default=0)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class CallbackAttempt(Base):
    """One try at ringing a call-back's caller: no answer, message left, or reached."""

    __tablename__ = "callback_attempts"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    handoff_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("handoffs.id"), index=True)
    contact_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("contacts.id"))
    by_user: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    result: Mapped[str] = mapped_column(String(16))


class ContactLeg(Base):
    """One desk's part of a call (SPEC 11): the handler's, then each practitioner's after a
    hand-off, with its own talk time. A call never handed off has one leg."""

    __tablename__ = "contact_legs"
    __table_args__ = (Index("ix_contact_legs_contact", "contact_id", "position", unique=True),)

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    contact_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("contacts.id"))
    position: Mapped[int] = mapped_column(Integer)
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ended_at: Mapped[datetime] = mapped_column(UTCDateTime)
    talk_seconds: Mapped[int] = mapped_column(Integer)


class DeskPresence(Base):
    """Where a member of staff logged in at a desk is (SPEC 11): available, on a call, in
    wrap-up or away; the row goes when they log out. One row a user."""

    __tablename__ = "desk_presence"
    __table_args__ = (
        CheckConstraint("state IN ('available', 'on_call', 'wrap_up', 'away')", name="state"),
    )

    user_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    state: Mapped[str] = mapped_column(String(16))
    since: Mapped[datetime] = mapped_column(UTCDateTime)
    """When the desk came into this state."""
    seen_at: Mapped[datetime] = mapped_column(UTCDateTime)
    """When the desk last said where it is (a desk not heard from for a while is gone)."""


class RuleSetVersion(Base):
    """A screening rule file the SPA has kept: its text, exactly as checked, and who added it.

    The text is kept so that any version can be put back in force, and so that the rules a
    contact was screened with (its ``ruleset_sha256``) can always be read again.
    """

    __tablename__ = "rule_set_versions"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    ruleset_id: Mapped[str] = mapped_column(String(64))
    version: Mapped[str] = mapped_column(String(32))
    title: Mapped[str] = mapped_column(String(200))
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    source: Mapped[str] = mapped_column(Text)
    cases: Mapped[str | None] = mapped_column(Text)
    file_name: Mapped[str] = mapped_column(String(255))
    added_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)
    added_by: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))


class RulesInForce(Base):
    """Each time a rule set was put in force (or back in force): the newest row is in force."""

    __tablename__ = "rules_in_force"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    position: Mapped[int] = mapped_column(BigInteger, unique=True)
    rule_set_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("rule_set_versions.id"))
    from_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)
    by_user: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    rolled_back: Mapped[bool] = mapped_column(Boolean, default=False)


class AuditEvent(Base):
    """One entry of the append-only audit log, chained to the entry before it by hash.

    ``hash_scheme`` says which scheme made ``hash``: ``hmac-sha256`` with the audit key named by
    ``key_id``, or ``sha256`` for entries from before revision 0005, which have no key. The
    database refuses UPDATE and DELETE on this table (triggers of revision 0005).
    """

    __tablename__ = "audit_events"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    position: Mapped[int] = mapped_column(BigInteger, unique=True)
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now, index=True)
    user_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"), index=True)
    action: Mapped[str] = mapped_column(String(64))
    entity_type: Mapped[str | None] = mapped_column(String(32))
    entity_id: Mapped[str | None] = mapped_column(String(64), index=True)
    details: Mapped[dict[str, Any]] = mapped_column(JSONDocument, default=json_default_dict)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))
    hash_scheme: Mapped[str] = mapped_column(String(16))
    key_id: Mapped[str | None] = mapped_column(String(16))


class SignedReport(Base):
    """A shift report as a manager signed it: the PDF and the CSV as they were, with the SHA-256
    of each. The database refuses UPDATE and DELETE on this table (triggers of revision 0009):
    a signed report is locked."""

    __tablename__ = "signed_reports"
    __table_args__ = (UniqueConstraint("shift_name", "shift_date", name="uq_signed_reports_shift"),)

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    shift_name: Mapped[str] = mapped_column(String(32))
    shift_date: Mapped[date] = mapped_column(Date)
    start_at: Mapped[datetime] = mapped_column(UTCDateTime)
    end_at: Mapped[datetime] = mapped_column(UTCDateTime)
    signed_by: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))
    signed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    pdf: Mapped[bytes] = mapped_column(LargeBinary)
    pdf_sha256: Mapped[str] = mapped_column(String(64))
    csv: Mapped[bytes] = mapped_column(LargeBinary)
    csv_sha256: Mapped[str] = mapped_column(String(64))


class TrainingResult(Base):
    """A sample call a trainee worked, scored against its expected decision (SPEC 7)."""

    __tablename__ = "training_results"
    __table_args__ = (Index("ix_training_results_trainee_scored", "trainee_id", "scored_at"),)

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    trainee_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))
    sample_call_id: Mapped[str] = mapped_column(String(64))
    title: Mapped[str] = mapped_column(String(120))
    scored_at: Mapped[datetime] = mapped_column(UTCDateTime)
    points: Mapped[int] = mapped_column(Integer)
    marks: Mapped[dict[str, Any]] = mapped_column(JSONDocument)
    differences: Mapped[list[str]] = mapped_column(JSONDocument)
    expected: Mapped[dict[str, Any]] = mapped_column(JSONDocument)
    given: Mapped[dict[str, Any]] = mapped_column(JSONDocument)


class DatabaseMark(Base):
    """What this database is for, kept in the database itself: ``purpose`` = ``training`` marks
    a training database (SPEC 7), so no desk can mistake it for the live one."""

    __tablename__ = "database_marks"

    key: Mapped[str] = mapped_column(String(32), primary_key=True)
    value: Mapped[str] = mapped_column(String(64))


class PhoneCall(Base):
    """A call the desk's phone rang with (SPEC 12), from ring to end: answered or not (a call
    ended without an answer was abandoned and waits for a call-back), its contact once saved,
    and its recording's file name in the SPA's recordings folder (never the sound itself)."""

    __tablename__ = "phone_calls"
    __table_args__ = (
        Index("ix_phone_calls_rang_at", "rang_at"),
        Index("ix_phone_calls_call_ref", "call_ref"),
    )

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    call_ref: Mapped[str] = mapped_column(String(200))
    rang_at: Mapped[datetime] = mapped_column(UTCDateTime)
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    caller_number: Mapped[str | None] = mapped_column(String(32), nullable=True)
    line: Mapped[str] = mapped_column(String(32))
    desk_user_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    contact_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("contacts.id"), nullable=True)
    called_back_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    called_back_by: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    recording: Mapped[str | None] = mapped_column(String(200), nullable=True)
