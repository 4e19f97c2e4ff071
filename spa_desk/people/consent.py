"""Consent before a record opens (SPEC 2 step 3): given by the person, by a
representative, or a lawful basis with its reason; each one stored.

Consent is chosen, never assumed: nothing here picks a basis for the handler. Who is calling
only *suggests* the likely one (:func:`suggested_consent`), and a call carried on after a restart
reopens the record on the consent recorded on that call (:func:`consent_on_call`).
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import Consent
from spa_desk.database import Database
from spa_desk.domain import CurrentUser
from spa_desk.errors import InvalidInput
from spa_desk.permissions import Action, require
from spa_desk.vocabulary import CallerType, ConsentBasis

CONSENT_LASTS = timedelta(hours=12)
"""An edit must follow an opening with consent by the same member of staff within this time."""

CONSENT = "consent"
REASON = "reason"
"""The keys of consent's problems among a form's fields (:func:`consent_problems`)."""


class ConsentGiven(BaseModel):
    """The consent recorded before a record opens: the basis, why the record is opened, and
    (for a lawful basis without consent, such as safeguarding or vital interests) the reason."""

    model_config = ConfigDict(frozen=True)

    basis: ConsentBasis
    purpose: str = Field(min_length=3)
    reason: str | None = None


BASIS_WORDS = {
    ConsentBasis.GIVEN_BY_PERSON: "given by the person",
    ConsentBasis.GIVEN_BY_REPRESENTATIVE: "given by a representative",
    ConsentBasis.LAWFUL_BASIS: "no consent, a lawful basis",
}


class ConsentSuggestion(BaseModel):
    """The basis most likely on this call, and why: shown to the handler, never chosen for them."""

    model_config = ConfigDict(frozen=True)

    basis: ConsentBasis
    because: str
    """Why it is likely, in words: ``the caller is a family member``."""

    @property
    def words(self) -> str:
        """``Suggested: given by a representative (the caller is a family member)``."""
        return f"Suggested: {BASIS_WORDS[self.basis]} ({self.because})"


_SUGGESTIONS = {
    CallerType.SELF: (ConsentBasis.GIVEN_BY_PERSON, "the caller is the person themself"),
    CallerType.FAMILY: (ConsentBasis.GIVEN_BY_REPRESENTATIVE, "the caller is a family member"),
    CallerType.CARER: (ConsentBasis.GIVEN_BY_REPRESENTATIVE, "the caller is their carer"),
}


def suggested_consent(caller_type: str | None) -> ConsentSuggestion | None:
    """The likely basis for who is calling (the screening's ``caller_type``); None when it is
    not known yet, or for a professional (who may have the person's consent or a lawful basis:
    the handler must ask)."""
    if caller_type is None or caller_type not in {c.value for c in CallerType}:
        return None
    found = _SUGGESTIONS.get(CallerType(caller_type))
    if found is None:
        return None
    basis, because = found
    return ConsentSuggestion(basis=basis, because=because)


def consent_problems(consent: ConsentGiven | None) -> dict[str, InvalidInput]:
    """What is missing from ``consent``, by key (:data:`CONSENT` or :data:`REASON`), in words."""
    if consent is None:
        return {
            CONSENT: InvalidInput(
                "Consent", "record consent (or the lawful basis) before the record opens"
            )
        }
    if consent.basis is ConsentBasis.LAWFUL_BASIS and not (consent.reason or "").strip():
        return {
            REASON: InvalidInput(
                "Reason",
                "say why the record is opened without consent (safeguarding, vital interests)",
            )
        }
    return {}


def check_consent(consent: ConsentGiven | None) -> None:
    """InvalidInput, in words, unless consent (or a lawful basis with its reason) is given."""
    for problem in consent_problems(consent).values():
        raise problem


def store_consent(
    session: Session,
    actor: CurrentUser,
    person_id: uuid.UUID,
    consent: ConsentGiven,
    *,
    contact_id: uuid.UUID | None,
    now: datetime,
) -> None:
    """Store the consent recorded for opening ``person_id``'s record (on a call, if any)."""
    session.add(
        Consent(
            person_id=person_id,
            contact_id=contact_id,
            user_id=actor.id,
            recorded_at=now,
            basis=consent.basis.value,
            purpose=consent.purpose,
            reason=consent.reason,
        )
    )


def consent_on_call(
    database: Database, actor: CurrentUser, contact_id: uuid.UUID, person_id: uuid.UUID
) -> ConsentGiven | None:
    """The latest consent recorded for opening ``person_id``'s record on the call
    ``contact_id``, exactly as recorded; None when none was."""
    require(actor, Action.VIEW_PERSON)
    with database.sessions() as session:
        row = session.scalars(
            select(Consent)
            .where(Consent.person_id == person_id, Consent.contact_id == contact_id)
            .order_by(Consent.recorded_at.desc())
            .limit(1)
        ).first()
        if row is None:
            return None
        return ConsentGiven(
            basis=ConsentBasis(row.basis),
            purpose=row.purpose or "Opened on this call",
            reason=row.reason,
        )
