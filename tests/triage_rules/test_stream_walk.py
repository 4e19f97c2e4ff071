"""The walk follows the stream the answers give (SPEC 2 step 5): when an answer moves a call to
another stream, that stream's questions are asked, and the stream of the walk is always the
decision's."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from triage_rules import default_ruleset
from triage_rules.conditions import Context
from triage_rules.facts import complete_facts
from triage_rules.ruleset import Question, RuleSet
from triage_rules.session import ScreeningSession

RULES = default_ruleset()


def _no_answer(question: Question) -> Any:
    fact = question.fact
    if fact.type == "enum":
        return fact.default or fact.choices[0].value
    return {"bool": False, "enum_set": [], "integer": None}[fact.type]


def test_an_answer_that_moves_the_call_to_health_brings_the_health_questions() -> None:
    session = ScreeningSession(RULES, {"line": "general"})
    asked: list[str] = []
    while (step := session.next_question()) is not None:
        question = step.question
        asked.append(question.id)
        yes = question.fact.name == "equipment_or_adaptation"
        session.answer(question.fact.name, True if yes else _no_answer(question))
        assert len(asked) < 80
    assert "sc-equipment" in asked  # asked as a social care question first
    decision = session.decision()
    assert decision.stream == "health"
    health = {q.id for q in RULES.stream_questions["health"]}
    assert health & set(asked) - {"sc-equipment"}, "the health questions were never asked"
    assert session.stream == "health"


def _walk_randomly(rules: RuleSet, line: str, data: st.DataObject) -> ScreeningSession:
    session = ScreeningSession(rules, {"line": line})
    for _ in range(100):
        step = session.next_question()
        if step is None:
            return session
        fact = step.question.fact
        if fact.type == "bool":
            value: Any = data.draw(st.booleans(), label=fact.name)
        elif fact.type == "enum":
            value = data.draw(st.sampled_from([c.value for c in fact.choices]), label=fact.name)
        elif fact.type == "enum_set":
            value = data.draw(
                st.lists(st.sampled_from([c.value for c in fact.choices]), unique=True),
                label=fact.name,
            )
        else:
            value = data.draw(st.one_of(st.none(), st.integers(18, 105)), label=fact.name)
        session.answer(fact.name, value)
    raise AssertionError("the walk never finished")


@settings(max_examples=300, deadline=None)
@given(
    line=st.sampled_from(
        ["general", "professional", "health", "social_care", "mental_health", "hospital_discharge"]
    ),
    data=st.data(),
)
def test_every_walk_ends_on_the_decisions_stream_with_its_questions_asked(
    line: str, data: st.DataObject
) -> None:
    session = _walk_randomly(RULES, line, data)
    decision = session.decision()
    assert session.stream == decision.stream
    if decision.stream is None:
        return
    facts = session.facts()
    asked: set[str] = set()
    for question, _value in session.asked():
        if question.is_checklist:  # a checklist asks each of its boxes' facts
            asked.update(box.fact.name for box in session.shown_boxes(question))
        else:
            asked.add(question.fact.name)
    given_names = {"line"}
    complete = complete_facts(RULES.facts, facts)
    for question in RULES.stream_questions[decision.stream]:
        if question.ask_when(complete, Context()):
            name = question.fact.name
            assert name in asked or name in given_names, (
                f"{question.id} applies on the {decision.stream} stream but was never asked "
                f"(facts {facts})"
            )
