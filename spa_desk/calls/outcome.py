"""What a call may be saved as (SPEC 2 steps 6-7): the final routes (accepted or
overridden with a reason), resolved at first contact or referred, and the caller's
details a professional call needs. Each problem names the field, in words.

An override's reason also goes into the audit log (:func:`reason_for_audit`), which must hold no
personal data: every run of digits long enough to be an NHS number, a phone number or a date of
birth, and every date, is replaced by :data:`NUMBER_LEFT_OUT` there (the contact keeps the reason
as typed).
"""

from __future__ import annotations

import re
from typing import Any

from spa_desk.calls.draft import CallDraft
from spa_desk.calls.screening import resolvable
from spa_desk.domain import CurrentUser, RouteChoice
from spa_desk.errors import InvalidInput
from spa_desk.identifiers import looks_like_nhs_or_phone_number
from spa_desk.permissions import Action, require
from spa_desk.vocabulary import Level1, Outcome, ResolutionMethod, Route
from triage_rules import RuleSet
from triage_rules.evaluator import Decision
from triage_rules.session import ScreeningSession

NUMBER_LEFT_OUT = "[number left out]"
"""What the audit log holds in place of a number in an override's reason."""

AUDIT_REASON_LENGTH = 500
"""The most characters of an override's reason the audit log keeps."""

_NUMBER_RUN = re.compile(r"\+?\d(?:[\s()./+-]{0,3}\d)*")
"""Digits with the separators people type between them: ``943 476 5919``, ``(01632) 960-123``,
``12/03/1941``."""
_DIGITS_IN_A_NUMBER = 6
"""A run with this many digits or more may be an NHS number (10), a phone number (10 or 11) or a
date of birth (``120341``); counts, ages and times have fewer."""
_DATE_SHAPE = re.compile(r"\d{1,4}[./-]\d{1,2}[./-]\d{1,4}")


def _left_out(match: re.Match[str]) -> str:
    run = match.group()
    digits = sum(character.isdigit() for character in run)
    if (
        digits >= _DIGITS_IN_A_NUMBER
        or _DATE_SHAPE.search(run)
        or looks_like_nhs_or_phone_number(run)
    ):
        return NUMBER_LEFT_OUT
    return run


def reason_for_audit(reason: str) -> str:
    """An override's reason as the audit log may hold it: on one line, at most
    :data:`AUDIT_REASON_LENGTH` characters, every run of six or more digits and every date
    (NHS numbers, phone numbers, dates of birth) replaced by :data:`NUMBER_LEFT_OUT`.

    Counts and short numbers stay ("2 falls since March", "seen 3 times"). Names in the words
    cannot be told from other words here; the desk asks for none beside the reason field.
    """
    text = _NUMBER_RUN.sub(_left_out, " ".join(reason.split()))
    if len(text) > AUDIT_REASON_LENGTH:
        text = text[: AUDIT_REASON_LENGTH - 1].rstrip() + "…"
    if looks_like_nhs_or_phone_number(text):  # the log's own guard: never let it refuse a save
        text = re.sub(r"\d", "#", text)
    return text


def final_routes(
    actor: CurrentUser, draft: CallDraft, recommended: tuple[RouteChoice, ...]
) -> tuple[RouteChoice, ...]:
    """The routes the contact ends with: the recommendation, or the override checked in words."""
    if not draft.override:
        return recommended
    require(actor, Action.OVERRIDE)
    if len(draft.override_reason.strip()) < 5:
        raise InvalidInput("Override reason", "say why the recommendation is overridden")
    if not draft.override_routes:
        raise InvalidInput("Override", "choose at least one route")
    seen: set[Route] = set()
    for choice in draft.override_routes:
        if choice.route in seen:
            raise InvalidInput("Override", f"{choice.route.label} is chosen twice")
        seen.add(choice.route)
        if choice.route is Route.RESOLVED and choice.urgency is not None:
            raise InvalidInput("Override", f"{choice.route.label} takes no urgency")
        if choice.route is not Route.RESOLVED and choice.urgency is None:
            raise InvalidInput(
                "Override",
                f"give {choice.route.label} an urgency: a route is not saved without one",
            )
    if recommended == draft.override_routes:
        raise InvalidInput("Override", "the routes are the same as recommended; accept instead")
    return draft.override_routes


def outcome_of(
    ruleset: RuleSet, draft: CallDraft, decision: Decision, final: tuple[RouteChoice, ...]
) -> tuple[Outcome, bool | None]:
    """How the call ends and whether it was resolved at first contact; InvalidInput if it cannot."""
    if decision.level1 == Level1.NON_DATA.value:
        return Outcome.NON_DATA, None
    if decision.level1 == Level1.EMERGENCY.value and not draft.override:
        return Outcome.EMERGENCY, False
    if draft.resolve is None:
        raise InvalidInput("Outcome", "choose to resolve the call now or to refer")
    if draft.resolve:
        if not resolvable(ruleset, decision.level1, final):
            raise InvalidInput(
                "Outcome",
                "these routes cannot be resolved at first contact (urgent, safeguarding or a "
                "referral is needed): refer instead",
            )
        if draft.resolution_method is None:
            raise InvalidInput("How resolved", "say how the call was resolved")
        if (
            draft.resolution_method is ResolutionMethod.SIGNPOSTING
            and draft.signposted_service_id is None
        ):
            raise InvalidInput("Signposted to", "name the service the caller was signposted to")
        return Outcome.RESOLVED, True
    if not any(choice.route is not Route.RESOLVED for choice in final):
        raise InvalidInput("Outcome", "there is no route to refer to: resolve, or override")
    return Outcome.REFERRED, False


def screened_facts(session: ScreeningSession, decision: Decision) -> dict[str, Any]:
    """The facts to store, once every question that applies has its answer."""
    pending = session.next_question()
    if pending is not None and decision.level1 not in (Level1.NON_DATA, Level1.EMERGENCY):
        raise InvalidInput(
            "Screening", f"the question {pending.question.text!r} still needs an answer"
        )
    return session.facts()
