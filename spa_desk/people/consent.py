"""Consent before a record opens (SPEC 2 step 3): given by the person, by a
representative, or a lawful basis with its reason; each one stored.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy.orm import Session

from db.models import Consent
from spa_desk.domain import CurrentUser
from spa_desk.errors import InvalidInput
from spa_desk.vocabulary import ConsentBasis

CONSENT_LASTS = timedelta(hours=12)
"""An edit must follow an opening with consent by the same member of staff within this time."""


class ConsentGiven(BaseModel):
    """The consent recorded before a record opens: the basis, why the record is opened, and
    (for a lawful basis without consent, such as safeguarding or vital interests) the reason."""

    model_config = ConfigDict(frozen=True)

    basis: ConsentBasis
    purpose: str = Field(min_length=3)
    reason: str | None = None


def check_consent(consent: ConsentGiven | None) -> None:
    """InvalidInput, in words, unless consent (or a lawful basis with its reason) is given."""
    if consent is None:
        raise InvalidInput(
            "Consent", "record consent (or the lawful basis) before the record opens"
        )
    if consent.basis is ConsentBasis.LAWFUL_BASIS and not (consent.reason or "").strip():
        raise InvalidInput(
            "Reason", "say why the record is opened without consent (safeguarding, vital interests)"
        )


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
