"""A contact read in full, in words (rich text for the read-only view): what the shift list line
holds, the screening, the outcome, the notes and the rules used; and, only once consent is
recorded, the person's record. Everything typed by staff is escaped.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from html import escape
from typing import TYPE_CHECKING

from spa_desk.local_time import LONDON
from spa_desk.people.age import age_on
from spa_desk.vocabulary import ConsentBasis, ContactStatus, Level1, Outcome
from ui.kit.contact_text import (
    LINE_WORDS,
    OVERRIDE_WORD,
    RESOLUTION_WORDS,
    outcome_text,
    stream_text,
)

if TYPE_CHECKING:
    from spa_desk.calls.contact_detail import ContactDetail
    from spa_desk.domain import ContactSummary, RouteChoice
    from spa_desk.people.records import PersonRecord

LEVEL1_WORDS = {
    Level1.NON_DATA: "Non-data call: no person record",
    Level1.EMERGENCY: "Immediate risk to life: 999",
    Level1.INFORMATION: "Information request",
    Level1.STREAM: "A stream for level-2 screening",
}
CONSENT_WORDS = {
    ConsentBasis.GIVEN_BY_PERSON: "given by the person",
    ConsentBasis.GIVEN_BY_REPRESENTATIVE: "given by an authorised representative",
    ConsentBasis.LAWFUL_BASIS: "no consent: a lawful basis",
}


def heading(contact: ContactSummary) -> str:
    """``Contact of 14:05, Tue 17 Nov 2026 (read only)``."""
    when = contact.started_at.astimezone(LONDON).strftime("%H:%M, %a %d %b %Y")
    return f"Contact of {when} (read only)"


def choices_text(choices: Iterable[RouteChoice]) -> str:
    """Routes with their urgency: ``Community therapy (soon), Voluntary and ... (routine)``."""
    parts = [
        f"{c.route.label} ({c.urgency.value})" if c.urgency else c.route.label for c in choices
    ]
    return ", ".join(parts) or "none"


def _clock(moment: datetime | None) -> str:
    return moment.astimezone(LONDON).strftime("%H:%M:%S") if moment else "—"


def _rows(rows: Iterable[tuple[str, str]]) -> str:
    cells = "".join(
        f"<tr><td style='padding-right:14px; color:#444'>{escape(name)}</td>"
        f"<td>{escape(value)}</td></tr>"
        for name, value in rows
    )
    return f"<table cellspacing='2'>{cells}</table>"


def _section(title: str, body: str) -> str:
    return f"<h3 style='margin-bottom:2px'>{escape(title)}</h3>{body}"


def contact_html(detail: ContactDetail) -> str:
    """The whole contact: the list line, screening, outcome, notes and the rules used."""
    summary = detail.summary
    draft = summary.status is ContactStatus.DRAFT
    call = [
        ("Started", _clock(summary.started_at)),
        ("Answered", _clock(detail.answered_at)),
        ("Ended", _clock(detail.ended_at)),
        ("Line", LINE_WORDS[detail.line]),
        (
            "Caller",
            f"{summary.caller_type.label} ({detail.caller_as})"
            if detail.caller_as
            else summary.caller_type.label,
        ),
        ("Handler", summary.handler_name),
        ("Status", "Open: the call is still a draft" if draft else "Saved"),
    ]
    parts = [_section("The call", _rows(call))]
    parts.append(_section("Screening", _rows(_screening(detail))))
    if not draft:
        parts.append(_section("Outcome", _rows(_outcome(detail))))
    notes = escape(detail.notes).replace("\n", "<br>") if detail.notes else "No notes."
    parts.append(_section("Notes", f"<p>{notes}</p>"))
    parts.append(_section("The rules used", _rules(detail)))
    return "".join(parts)


def _screening(detail: ContactDetail) -> list[tuple[str, str]]:
    summary = detail.summary
    level1 = LEVEL1_WORDS[summary.level1] if summary.level1 else "not decided yet"
    if summary.level1 is Level1.NON_DATA:
        level1 = f"{level1} ({summary.call_kind.value.replace('_', ' ')})"
    rows = [("Level 1", level1), ("Stream", stream_text(summary) or "none")]
    if summary.overridden:
        rows.append(("Recommended", choices_text(detail.recommended_routes)))
        rows.append((f"Routes ({OVERRIDE_WORD})", choices_text(detail.final_routes)))
        rows.append(("Why overridden", detail.override_reason or "no reason recorded"))
    else:
        rows.append(("Routes", choices_text(summary.routes)))
    return rows


def _outcome(detail: ContactDetail) -> list[tuple[str, str]]:
    summary = detail.summary
    rows = [("Outcome", outcome_text(summary))]
    if summary.outcome is Outcome.RESOLVED:
        how = RESOLUTION_WORDS[detail.resolution_method] if detail.resolution_method else "—"
        if detail.signposted_to:
            how = f"{how}: {detail.signposted_to}"
        rows.append(("Resolution", how))
    for referral in detail.referrals:
        urgency = f" ({referral.urgency.value})" if referral.urgency else ""
        service = f", {referral.service}" if referral.service else ""
        rows.append(("Referred to", f"{referral.route.label}{urgency}{service}"))
    for gap in detail.gaps:
        asked = f" (asked for {gap.service_requested})" if gap.service_requested else ""
        rows.append(("Service gap", f"{gap.need}{asked}: {gap.reason}"))
    if detail.consent_basis is not None:
        rows.append(("Consent on the call", CONSENT_WORDS[detail.consent_basis]))
    return rows


def _rules(detail: ContactDetail) -> str:
    if detail.summary.status is ContactStatus.DRAFT:
        return "<p>The rules decide when the call is saved.</p>"
    lines = [f"<p>Rule set {escape(detail.ruleset or 'not recorded')}</p>"]
    if detail.rules_note:
        lines.append(f"<p>{escape(detail.rules_note)}</p>")
    items = "".join(
        f"<li><b>{escape(rule.rule)}</b>: {escape(rule.reason)}</li>" for rule in detail.rules
    )
    if items:
        lines.append(f"<ul style='margin-top:0'>{items}</ul>")
    return "".join(lines)


def person_html(record: PersonRecord, today: date) -> str:
    """The person's record, opened with consent: who they are, how to reach them, their flags."""
    born = record.date_of_birth
    age = (
        f"born {born.strftime('%d %b %Y')}, age {age_on(born, today)}"
        if born
        else "date of birth not known"
    )
    address = ", ".join(x for x in (record.address_line1, record.town, record.postcode) if x)
    rows = [
        ("Age", age),
        ("NHS number", record.nhs_number or "not known"),
        ("Address", address or "not known"),
        ("Phone", record.phone_primary or "not known"),
        ("GP practice", record.gp_practice or "not known"),
    ]
    name = f"{escape(record.given_name)} {escape(record.family_name.upper())}"
    flags = "".join(
        f"<p style='color:#b00020; font-weight:700'>⚑ {escape(flag)}</p>" for flag in record.flags
    )
    return f"<p style='font-size:13pt'><b>{name}</b></p>{_rows(rows)}{flags}"
