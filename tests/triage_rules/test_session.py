"""The session API: the desk asks what comes next, may go back, and sees the decision form."""

from __future__ import annotations

from typing import Any

import pytest

from triage_rules import FactError, default_ruleset
from triage_rules.session import ScreeningSession


def _walk(session: ScreeningSession, answers: dict[str, Any]) -> list[str]:
    """Answer every question asked (unlisted facts: no / none), returning the question ids."""
    asked = []
    while (step := session.next_question()) is not None:
        fact = step.question.fact
        asked.append(step.question.id)
        assert len(asked) < 60, "the session never finishes"
        default: Any = {"bool": False, "enum_set": [], "integer": None}.get(fact.type)
        if fact.type == "enum":
            default = fact.default or fact.choices[0].value
        session.answer(fact.name, answers.get(fact.name, default))
    return asked


def test_non_data_call_ends_after_one_question() -> None:
    session = ScreeningSession(default_ruleset())
    first = session.next_question()
    assert first is not None and first.question.fact.name == "call_kind" and first.level == 1
    session.answer("call_kind", "wrong_number")
    assert session.complete
    assert session.decision().level1 == "non_data"


def test_line_from_the_telephony_system_is_not_asked() -> None:
    session = ScreeningSession(default_ruleset(), {"line": "mental_health"})
    asked = _walk(session, {"suicidal_thoughts": True, "suicidal_plan_or_intent": True})
    assert "q-line" not in asked
    assert "mh-plan" in asked  # asked because there are thoughts of suicide
    decision = session.decision()
    assert (decision.stream, decision.routes[0].route, decision.routes[0].urgency) == (
        "mental_health",
        "mental_health",
        "urgent",
    )


def test_follow_up_question_only_when_it_applies() -> None:
    session = ScreeningSession(default_ruleset(), {"line": "health"})
    asked = _walk(session, {"nursing_need": ["wound"]})
    assert "h-bleeding-wound" in asked and "h-catheter-blocked" not in asked
    assert "mh-plan" not in asked  # mental health questions belong to another stream


def test_level2_questions_come_from_the_stream_and_after_level1() -> None:
    session = ScreeningSession(default_ruleset(), {"line": "social_care"})
    asked = _walk(session, {"caller_type": "carer", "carer_own_support": True})
    levels = [default_ruleset().level1_questions, default_ruleset().stream_questions["social_care"]]
    level1_ids = {q.id for q in levels[0]}
    first_level2 = next(i for i, qid in enumerate(asked) if qid not in level1_ids)
    assert all(qid in level1_ids for qid in asked[:first_level2])
    assert "sc-carer-support" in asked
    routes = [(r.route, r.urgency) for r in session.decision().routes]
    assert routes == [("vcs", "routine"), ("adult_social_care", "routine")]


def test_going_back_changes_the_questions_and_the_decision() -> None:
    session = ScreeningSession(default_ruleset(), {"line": "general"})
    session.answer("call_kind", "data")
    session.answer("fall_recent", True)
    step = session.next_question()
    assert step is not None
    assert step.question.fact.name == "caller_type"
    session.answer("serious_injury", True)
    assert session.decision().level1 == "emergency"
    # The handler goes back: there was no fall after all.
    session.answer("fall_recent", False)
    assert "serious_injury" not in session.facts()
    assert session.decision().level1 == "stream"
    assert all(q.fact.name != "serious_injury" for q, _ in session.asked())
    session.answer("fall_recent", True)  # and back again: the earlier answer counts once more
    assert session.decision().level1 == "emergency"
    session.forget("serious_injury")
    step = session.next_question()
    assert step is not None and step.question.fact.name == "caller_type"


def test_every_question_says_why_it_is_asked() -> None:
    session = ScreeningSession(default_ruleset(), {"line": "hospital_discharge"})
    while (step := session.next_question()) is not None:
        assert step.why
        assert step.question.text.endswith("?")
        fact = step.question.fact
        session.answer(
            fact.name,
            [] if fact.type == "enum_set" else False if fact.type == "bool" else fact.default,
        )
    assert session.decision().stream == "hospital_discharge"


def test_a_wrong_answer_names_the_fact() -> None:
    session = ScreeningSession(default_ruleset())
    with pytest.raises(FactError, match="risk_to_life"):
        session.answer("risk_to_life", "maybe")
    with pytest.raises(FactError, match="colour"):
        session.answer("colour", True)
    with pytest.raises(FactError, match="line"):
        ScreeningSession(default_ruleset(), {"line": "fax"})
