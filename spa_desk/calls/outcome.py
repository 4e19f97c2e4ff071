"""What a call may be saved as (SPEC 2 steps 6-7): the final routes (accepted or
overridden with a reason), resolved at first contact or referred, and the caller's
details a professional call needs. Each problem names the field, in words.
"""

from __future__ import annotations

from typing import Any

from spa_desk.calls.draft import CallDraft, caller_of
from spa_desk.calls.screening import resolvable
from spa_desk.domain import CurrentUser, RouteChoice
from spa_desk.errors import InvalidInput
from spa_desk.identifiers import clean_phone
from spa_desk.permissions import Action, require
from spa_desk.vocabulary import CallerType, Level1, Outcome, ResolutionMethod, Route
from triage_rules import RuleSet
from triage_rules.evaluator import Decision
from triage_rules.session import ScreeningSession


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
        if (choice.route is Route.RESOLVED) != (choice.urgency is None):
            raise InvalidInput(
                "Override", f"give {choice.route.label} an urgency (resolved takes none)"
            )
    if recommended == draft.override_routes:
        raise InvalidInput("Override", "the routes are the same as recommended; accept instead")
    return draft.override_routes


def check_professional(draft: CallDraft) -> None:
    """A professional caller gives name, organisation and a call-back number (SPEC 2 step 2)."""
    if caller_of(draft)[0] is not CallerType.PROFESSIONAL:
        return
    details = draft.professional
    if not details.name.strip():
        raise InvalidInput("Professional's name", "a professional caller gives their name")
    if not details.organisation.strip():
        raise InvalidInput("Organisation", "a professional caller gives their organisation")
    if not details.phone.strip():
        raise InvalidInput("Call-back number", "a professional caller gives a call-back number")
    clean_phone("Call-back number", details.phone)


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
