"""A contact in words, the same everywhere the desk shows contacts: the shift list, a person's
previous contacts, the status bar after a save and the read-only contact view (one builder, so
they never disagree)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from spa_desk.local_time import LONDON
from spa_desk.vocabulary import ContactStatus, Level1, Line, Outcome, ResolutionMethod, Urgency

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
OVERRIDE_WORD = "Override"
"""Beside the routes of a contact whose routes the practitioner chose over the rules'."""
RESOLUTION_WORDS = {
    ResolutionMethod.INFORMATION_ADVICE: "Information and advice",
    ResolutionMethod.SIGNPOSTING: "Signposted to a named service",
    ResolutionMethod.SELF_CARE: "Self-care advice",
    ResolutionMethod.EQUIPMENT_PRACTICAL: "Equipment or practical advice",
    ResolutionMethod.OWN_ASSETS: "Support to use their own assets and networks",
}
LINE_WORDS = {
    Line.GENERAL: "General line",
    Line.HEALTH: "Health line",
    Line.SOCIAL_CARE: "Social care line",
    Line.MENTAL_HEALTH: "Mental health line",
    Line.PROFESSIONAL: "Professionals' line",
    Line.HOSPITAL_DISCHARGE: "Hospital discharge line",
}


def stream_text(contact: ContactSummary) -> str:
    """The stream in words, or what level 1 decided when there is no stream."""
    if contact.stream is not None:
        return contact.stream.label
    if contact.level1 is Level1.NON_DATA:
        return f"Non-data ({contact.call_kind.value.replace('_', ' ')})"
    return _LEVEL1_WORDS.get(contact.level1, "") if contact.level1 is not None else ""


def routes_text(contact: ContactSummary) -> str:
    """Routes with their urgency, in the order the rules gave them."""
    parts = []
    for choice in contact.routes:
        urgency = f" ({choice.urgency.value})" if choice.urgency is not None else ""
        parts.append(f"{choice.route.label}{urgency}")
    return ", ".join(parts)


def route_column_text(contact: ContactSummary) -> str:
    """The routes as a list shows them: with ``Override`` beside them when they were overridden."""
    routes = routes_text(contact)
    if not contact.overridden:
        return routes
    return f"{routes} · {OVERRIDE_WORD}" if routes else OVERRIDE_WORD


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
    what = contact_what(contact)
    return " · ".join(part for part in (when, what) if part) + f" ({contact.handler_name})"


def contact_what(contact: ContactSummary) -> str:
    """What a contact was and how it ended: ``Health · Community nursing (urgent) · Referred``."""
    routes, outcome = route_column_text(contact), outcome_text(contact)
    parts = [stream_text(contact), routes, "" if outcome == routes else outcome]
    return " · ".join(part for part in parts if part)
