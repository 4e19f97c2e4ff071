"""Level 1 in seconds (issue 11 item 3): a typical fall, mental health or information call
reaches its stream in at most five answers with the default rules (a checklist is one answer),
on every line; a fact the desk knows from the record is one answer fewer."""

from __future__ import annotations

from typing import Any

import pytest

from triage_rules import default_ruleset
from triage_rules.session import ScreeningSession

RULES = default_ruleset()
LINES = ("general", "professional", "social_care", "health", "mental_health", "hospital_discharge")


def _to_stream(
    line: str, caller: str, ticked: set[str], known: dict[str, Any] | None = None
) -> tuple[int, str, str | None]:
    """Answer as a handler would until level 1 is done: the caller's answers, the boxes ticked,
    no to the rest. How many answers it took, level 1, and the stream."""
    session = ScreeningSession(RULES, {"line": line, "out_of_hours": False, **(known or {})})
    script = {"call_kind": "data", "caller_type": caller}
    answers = 0
    while (asked := session.next_question()) is not None and asked.level == 1:
        fact = asked.question.fact
        if asked.question.is_checklist:
            session.answer(fact.name, sorted(ticked & {box.fact.name for box in asked.boxes}))
        else:
            session.answer(fact.name, script.get(fact.name, fact.empty))
        answers += 1
        assert answers <= 20, "level 1 never ended"
    decision = session.decision()
    return answers, decision.level1, decision.stream


@pytest.mark.parametrize("line", LINES)
def test_a_fall_reaches_its_stream_in_at_most_five_answers(line: str) -> None:
    answers, level1, stream = _to_stream(line, "family", {"fall_recent"})
    assert answers <= 5 and level1 == "stream"
    assert stream == ("health" if line in ("general", "professional") else line)


def test_an_open_mental_health_referral_on_the_record_is_one_answer_fewer() -> None:
    asked = _to_stream("general", "family", {"fall_recent"})[0]
    known = _to_stream("general", "family", {"fall_recent"}, {"open_to_mental_health": True})
    assert known[0] == asked - 1 and known[1:] == ("stream", "mental_health")


@pytest.mark.parametrize("line", LINES)
def test_a_mental_health_call_reaches_its_stream_in_at_most_five_answers(line: str) -> None:
    answers, level1, stream = _to_stream(line, "self", {"low_mood_or_anxiety"})
    assert answers <= 5 and level1 == "stream"
    if line in ("general", "professional", "mental_health"):
        assert stream == "mental_health"


@pytest.mark.parametrize("line", LINES)
def test_an_information_call_is_done_in_three_answers(line: str) -> None:
    assert _to_stream(line, "self", {"information_only"}) == (3, "information", None)
