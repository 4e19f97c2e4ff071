"""A call's screening: the rules' session built from the draft's given facts and answers,
and the decision's routes as the desk's route choices.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from spa_desk.calls.draft import CallDraft, given_facts
from spa_desk.domain import RouteChoice
from spa_desk.people.age import age_on
from spa_desk.people.records import PersonRecord
from spa_desk.vocabulary import Route
from triage_rules import RuleSet
from triage_rules.evaluator import Decision, RouteDecision, first_contact
from triage_rules.session import ScreeningSession


def record_facts(ruleset: RuleSet, record: PersonRecord, today: date) -> dict[str, Any]:
    """What the person's record tells the rules without asking (issue 11): their age from the
    date of birth, and ``open_to_mental_health`` when a mental health referral is open. Only
    facts the rule set has; a record that does not know (no date of birth, no open referral)
    tells nothing and the question is asked."""
    known: dict[str, Any] = {}
    if record.date_of_birth is not None and "age" in ruleset.facts:
        known["age"] = age_on(record.date_of_birth, today)
    mental_health = any(item.route is Route.MENTAL_HEALTH for item in record.open_referrals)
    if mental_health and "open_to_mental_health" in ruleset.facts:
        known["open_to_mental_health"] = True
    return known


def screening(ruleset: RuleSet, draft: CallDraft) -> ScreeningSession:
    """The screening session of ``draft``: its given facts and the answers recorded so far."""
    session = ScreeningSession(ruleset, given_facts(draft))
    for fact, value in draft.answers.items():
        if fact in ruleset.facts and fact not in session_given(draft):
            session.answer(fact, value)
    return session


def with_answer(ruleset: RuleSet, draft: CallDraft, fact: str, value: Any) -> dict[str, Any]:
    """The draft's answers with ``fact`` answered as ``value``. A checklist's stand-in fact
    answers each box it shows: ticked (in ``value``) yes, the others no. FactError when the fact
    or the value is wrong."""
    session = screening(ruleset, draft)
    session.answer(fact, value)
    answers = dict(draft.answers)
    for name, answer in session.answers.items():
        answers[name] = sorted(answer) if isinstance(answer, frozenset) else answer
    return answers


def without_answer(ruleset: RuleSet, draft: CallDraft, fact: str) -> dict[str, Any]:
    """The draft's answers with ``fact`` taken back (every box of a checklist), so it is asked
    again."""
    session = screening(ruleset, draft)
    before = set(session.answers)
    session.forget(fact)
    gone = before - set(session.answers) | {fact}
    return {name: value for name, value in draft.answers.items() if name not in gone}


def answer_next_level1(
    ruleset: RuleSet, draft: CallDraft, yes: Iterable[str], script: dict[str, Any]
) -> CallDraft | None:
    """``draft`` with the next level-1 question answered for a call that is not a person's
    (a rehearsal, a simulated desk): a checklist's boxes in ``yes`` ticked, a fact in ``yes``
    answered yes, one in ``script`` as it says, any other as the rules' empty answer. None when
    level 1 asks nothing more. FactError when the rule set refuses the answer."""
    asked = screening(ruleset, draft).next_question()
    if asked is None or asked.level > 1:
        return None
    fact, wanted = asked.question.fact, set(yes)
    value: Any
    if asked.question.is_checklist:
        value = sorted({box.fact.name for box in asked.boxes} & wanted)
    elif fact.name in wanted:
        value = True
    else:
        value = script.get(fact.name, fact.empty)
        value = sorted(value) if isinstance(value, frozenset) else value
    return draft.model_copy(update={"answers": with_answer(ruleset, draft, fact.name, value)})


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
