"""A call's screening: the rules' session built from the draft's given facts and answers,
and the decision's routes as the desk's route choices.
"""

from __future__ import annotations

from collections.abc import Iterable

from spa_desk.calls.draft import CallDraft, given_facts
from spa_desk.domain import RouteChoice
from triage_rules import RuleSet
from triage_rules.evaluator import Decision, RouteDecision, first_contact
from triage_rules.session import ScreeningSession


def screening(ruleset: RuleSet, draft: CallDraft) -> ScreeningSession:
    """The screening session of ``draft``: its given facts and the answers recorded so far."""
    session = ScreeningSession(ruleset, given_facts(draft))
    for fact, value in draft.answers.items():
        if fact in ruleset.facts and fact not in session_given(draft):
            session.answer(fact, value)
    return session


def session_given(draft: CallDraft) -> frozenset[str]:
    """The names of the facts the desk gives the screening itself."""
    return frozenset(given_facts(draft))


def resolvable(ruleset: RuleSet, level1: str, routes: Iterable[RouteChoice]) -> bool:
    """May a contact with this level-1 outcome and these routes (recommended or overridden) be
    recorded as resolved at first contact? The rule set's ``first_contact`` section decides."""
    decisions = (
        RouteDecision(choice.route.value, choice.urgency.value if choice.urgency else None)
        for choice in routes
    )
    return first_contact(ruleset, level1, decisions)[0]


def decision_routes(decision: Decision) -> tuple[RouteChoice, ...]:
    """The decision's routes as the desk's route choices."""
    return tuple(
        RouteChoice.model_validate({"route": r.route, "urgency": r.urgency})
        for r in decision.routes
    )


def chosen_routes(draft: CallDraft, session: ScreeningSession) -> tuple[RouteChoice, ...]:
    """The routes the contact will have as the call stands: the override's, or the
    recommendation's (before the save checks them)."""
    if draft.override:
        return draft.override_routes
    return decision_routes(session.decision())
