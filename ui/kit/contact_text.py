"""A contact in words, the same everywhere the desk lists contacts: the shift list and a person's
previous contacts (one builder, so the two never disagree)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from spa_desk.local_time import LONDON
from spa_desk.vocabulary import ContactStatus, Level1, Outcome, Urgency

if TYPE_CHECKING:
    from spa_desk.domain import ContactSummary

_OUTCOME_WORDS = {
    Outcome.RESOLVED: "Resolved at first contact",
    Outcome.REFERRED: "Referred",
    Outcome.NON_DATA: "Non-data call",
    Outcome.EMERGENCY: "Emergency (999)",
}
_LEVEL1_WORDS = {
    Level1.NON_DATA: "Non-data",
    Level1.EMERGENCY: "Emergency",
    Level1.INFORMATION: "Information",
}
_PRESSING = (Urgency.EMERGENCY, Urgency.URGENT)


def stream_text(contact: ContactSummary) -> str:
    """The stream in words, or what level 1 decided when there is no stream."""
    if contact.stream is not None:
        return contact.stream.label
    if contact.level1 is Level1.NON_DATA:
        return f"Non-data ({contact.call_kind.value.replace('_', ' ')})"
    if contact.level1 is not None:
        return _LEVEL1_WORDS[contact.level1]
    return ""


def routes_text(contact: ContactSummary) -> str:
    """Routes with their urgency, in the order the rules gave them."""
    parts = []
    for choice in contact.routes:
        urgency = f" ({choice.urgency.value})" if choice.urgency is not None else ""
        parts.append(f"{choice.route.label}{urgency}")
    return ", ".join(parts)


def is_pressing(contact: ContactSummary) -> bool:
    """True when any route is emergency or urgent: those rows must catch the eye."""
    return any(choice.urgency in _PRESSING for choice in contact.routes)


def outcome_text(contact: ContactSummary) -> str:
    """The outcome in words; a draft says it is still open."""
    if contact.status is ContactStatus.DRAFT:
        return "Open (draft)"
    return _OUTCOME_WORDS[contact.outcome] if contact.outcome else ""


def contact_line(contact: ContactSummary) -> str:
    """One line about a contact: when, what, where it went, how it ended and who took it."""
    when = contact.started_at.astimezone(LONDON).strftime("%d %b %Y %H:%M")
    routes, outcome = routes_text(contact), outcome_text(contact)
    parts = [when, stream_text(contact), routes, "" if outcome == routes else outcome]
    return " · ".join(part for part in parts if part) + f" ({contact.handler_name})"
