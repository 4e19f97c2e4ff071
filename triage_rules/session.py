"""Walking a call handler through the questions: which comes next, and the decision as it forms.

The desk asks :meth:`ScreeningSession.next_question`, records the answer with :meth:`answer`, may
go back and change any answer, and shows :meth:`decision` all along. The session knows nothing
of the rules themselves: the questions, their order and when each is asked come from the rule set.

An answer counts only while its question would still be asked: if the handler goes back and says
there was no fall, the answer about a serious injury in that fall stops counting (and comes back
if the fall is put back).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from triage_rules.conditions import Context
from triage_rules.evaluator import Decision, evaluate
from triage_rules.facts import FactError, complete_facts
from triage_rules.ruleset import Question, RuleSet


@dataclass(frozen=True)
class NextQuestion:
    """The question to ask now, where it stands, and why it is asked."""

    question: Question
    level: int
    stream: str | None
    why: str


class ScreeningSession:
    """The screening of one call: the facts given (by the telephony system, say) and the answers."""

    def __init__(self, ruleset: RuleSet, given: Mapping[str, Any] | None = None) -> None:
        self.ruleset = ruleset
        self._given = dict(complete_facts(ruleset.facts, given or {}))
        self._given_names = frozenset(given or {})
        self._answers: dict[str, Any] = {}

    @property
    def answers(self) -> Mapping[str, Any]:
        """Every answer recorded, including ones that no longer count."""
        return dict(self._answers)

    def answer(self, fact: str, value: Any) -> None:
        """Record the answer establishing ``fact``; FactError when the fact or value is wrong."""
        spec = self.ruleset.facts.get(fact)
        if spec is None:
            raise FactError(fact, "unknown fact")
        self._answers[fact] = spec.coerce(value)

    def forget(self, fact: str) -> None:
        """Take an answer back, so its question is asked again."""
        self._answers.pop(fact, None)

    def _sequence(self) -> tuple[list[Question], dict[str, Any], str | None]:
        """The questions that apply now, in order, the facts that count, and the stream.

        The stream follows the answers (SPEC 2 step 5): level 1 gives a first stream, its
        questions are asked, and when their answers move the call to another stream (a general
        line call that turns out to be about a catheter), that stream's questions follow. Answers
        given on the way still count. A stream is visited once, so a rule set whose streams point
        back at each other still ends; the stream returned is the one the facts that count give.
        """
        facts = dict(self._given)
        context = Context()
        asked: list[Question] = []
        asked_facts: set[str] = set()

        def ask(questions: Iterable[Question]) -> None:
            for question in questions:
                name = question.fact.name
                if name in asked_facts or not question.ask_when(facts, context):
                    continue
                asked.append(question)
                asked_facts.add(name)
                if name in self._answers:
                    facts[name] = self._answers[name]

        ask(self.ruleset.level1_questions)
        visited: list[str] = []
        while True:
            stream = evaluate(self.ruleset, _given_only(facts, self.ruleset)).stream
            if stream is None or stream in visited:
                return asked, facts, stream
            visited.append(stream)
            ask(self.ruleset.stream_questions.get(stream, ()))

    def next_question(self) -> NextQuestion | None:
        """The first question that applies and has no answer yet; None when screening is done."""
        asked, _facts, stream = self._sequence()
        for question in asked:
            name = question.fact.name
            if name in self._answers or name in self._given_names:
                continue
            where = (question.stream or stream or "").replace("_", " ")
            why = question.help or (
                "Level 1: deciding what kind of call this is."
                if question.level == 1
                else f"Level 2: screening on the {where} stream."
            )
            return NextQuestion(question, question.level, question.stream, why)
        return None

    def asked(self) -> list[tuple[Question, Any]]:
        """The questions answered so far that still count, in the order they are asked."""
        asked, facts, _ = self._sequence()
        return [(q, facts[q.fact.name]) for q in asked if q.fact.name in self._answers]

    @property
    def stream(self) -> str | None:
        """The stream the answers so far give (None until level 1 gives one)."""
        return self._sequence()[2]

    def facts(self) -> dict[str, Any]:
        """The facts that count now: the given ones and the answers whose questions still apply."""
        _asked, facts, _ = self._sequence()
        return _given_only(facts, self.ruleset)

    def decision(self) -> Decision:
        """The recommendation as it stands (unanswered facts take their defaults)."""
        return evaluate(self.ruleset, self.facts())

    @property
    def complete(self) -> bool:
        """True when there is nothing more to ask."""
        return self.next_question() is None


def _given_only(facts: Mapping[str, Any], ruleset: RuleSet) -> dict[str, Any]:
    """Facts as the evaluator takes them: sets as sorted lists, defaults left out."""
    result: dict[str, Any] = {}
    for name, value in facts.items():
        if value == ruleset.facts[name].empty:
            continue
        result[name] = sorted(value) if isinstance(value, frozenset) else value
    return result
