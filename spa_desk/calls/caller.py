"""Who rang (SPEC 2 step 2): what each kind of caller must give, and their row in ``callers``.

Every data call records its caller: the person themself, a family member or friend, an unpaid
carer or a professional. The call-back number comes from the telephone system when the call rang
there, so nobody types it twice.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from db.types import new_id
from spa_desk.calls.draft import CallDraft, CallerDetails, caller_of
from spa_desk.errors import InvalidInput
from spa_desk.identifiers import clean_phone, uk_phone_number
from spa_desk.vocabulary import CallerType, ProfessionalRole

RELATIONSHIPS = (
    "Daughter",
    "Son",
    "Wife",
    "Husband",
    "Partner",
    "Mother",
    "Father",
    "Sister",
    "Brother",
    "Granddaughter",
    "Grandson",
    "Niece",
    "Nephew",
    "Friend",
    "Neighbour",
)
"""Relationships the desk offers as the handler types; any other words are taken as typed."""

CALL_BACK = "Call-back number"
NAME = "Caller's name"
RELATIONSHIP = "Relationship"

_MAX = {"name": 120, "relationship": 60, "organisation": 120, "job_title": 120}
_LABELS = {
    "name": NAME,
    "relationship": RELATIONSHIP,
    "organisation": "Organisation",
    "job_title": "Job title",
}


def check_caller(draft: CallDraft, *, emergency: bool = False) -> None:
    """InvalidInput naming the field when the caller's details will not do (SPEC 2 step 2).

    A professional gives name, organisation and a call-back number; family and carers their name
    and relationship to the person; a call-back number, when given, is a UK number. A call put
    through to 999 is never held up for them: what was taken down is kept as it can be.
    """
    caller = caller_of(draft)[0]
    details = draft.caller
    for field, longest in _MAX.items():
        if len(getattr(details, field).strip()) > longest:
            raise InvalidInput(_LABELS[field], f"keep it to {longest} characters")
    if emergency:
        return
    if caller is CallerType.PROFESSIONAL:
        if not details.name.strip():
            raise InvalidInput("Professional's name", "a professional caller gives their name")
        if not details.organisation.strip():
            raise InvalidInput("Organisation", "a professional caller gives their organisation")
        if not details.phone.strip():
            raise InvalidInput(CALL_BACK, "a professional caller gives a call-back number")
    elif caller in (CallerType.FAMILY, CallerType.CARER):
        who = "a family member or friend" if caller is CallerType.FAMILY else "a carer"
        if not details.name.strip():
            raise InvalidInput(NAME, f"{who} who rings gives their name")
        if not details.relationship.strip():
            raise InvalidInput(
                RELATIONSHIP, f"say how {who} who rings is related to the person, such as Daughter"
            )
    if details.phone.strip():
        clean_phone(CALL_BACK, details.phone)


def caller_row(draft: CallDraft, now: datetime) -> dict[str, Any]:
    """The call's caller as the values of its new ``callers`` row (checked by
    :func:`check_caller` first); the save writes it with the contact."""
    caller, role = caller_of(draft)
    details = _as_kept(caller, draft.caller)
    return {
        "id": new_id(),
        "caller_type": caller.value,
        "professional_role": (role or ProfessionalRole.OTHER).value
        if caller is CallerType.PROFESSIONAL
        else None,
        "name": details.name or None,
        "relationship": details.relationship or None,
        "organisation": details.organisation or None,
        "job_title": details.job_title or None,
        "phone": uk_phone_number(details.phone),  # checked first; a 999 call keeps a UK one
        "created_at": now,
    }


def _as_kept(caller: CallerType, details: CallerDetails) -> CallerDetails:
    """Only what this kind of caller gives, trimmed: a professional has no relationship, the
    person themself is "self", family and carers no organisation."""
    name, phone = details.name.strip(), details.phone.strip()
    if caller is CallerType.PROFESSIONAL:
        return CallerDetails(
            name=name,
            organisation=details.organisation.strip(),
            job_title=details.job_title.strip(),
            phone=phone,
        )
    if caller is CallerType.SELF:
        return CallerDetails(relationship="self", phone=phone)
    return CallerDetails(name=name, relationship=details.relationship.strip(), phone=phone)
