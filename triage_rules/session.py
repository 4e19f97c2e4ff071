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
from triage_rules.ruleset import Box, Question, RuleSet


@dataclass(frozen=True)
class NextQuestion:
    """The question to ask now, where it stands, and why it is asked."""

    question: Question
    level: int
    stream: str | None
    why: str
    boxes: tuple[Box, ...] = ()
    """For a checklist: the boxes that apply to this call, in order."""
    ticked: frozenset[str] = frozenset()
    """For a checklist: the boxes already ticked (known from the record, say)."""


class ScreeningSession:
    """The screening of one call: the facts given (by the telephony system, say) and the answers."""

    def __init__(self, ruleset: RuleSet, given: Mapping[str, Any] | None = None) -> None:
        self.ruleset = ruleset
        self._given = dict(complete_facts(ruleset.facts, given or {}))
        self._given_names = frozenset(given or {})
        self._answers: dict[str, Any] = {}
        questions = [*ruleset.level1_questions]
        for stream_questions in ruleset.stream_questions.values():
            questions.extend(stream_questions)
        self._checklists = {q.fact.name: q for q in questions if q.is_checklist}

    @property
    def answers(self) -> Mapping[str, Any]:
        """Every answer recorded, including ones that no longer count."""
        return dict(self._answers)

    def answer(self, fact: str, value: Any) -> None:
        """Record the answer establishing ``fact``; FactError when the fact or value is wrong.

        A checklist is answered by its stand-in fact with the facts ticked: each box shown gets
        its answer, true when ticked and false when not.
        """
        checklist = self._checklists.get(fact)
        if checklist is not None:
            ticked = checklist.fact.coerce(value)
            for box in self.shown_boxes(checklist):
                self._answers[box.fact.name] = box.fact.name in ticked
            return
        spec = self.ruleset.facts.get(fact)
        if spec is None:
            raise FactError(fact, "unknown fact")
        self._answers[fact] = spec.coerce(value)

    def forget(self, fact: str) -> None:
        """Take an answer back (every box of a checklist), so its question is asked again."""
        checklist = self._checklists.get(fact)
        names = [box.fact.name for box in checklist.boxes] if checklist else [fact]
        for name in names:
            self._answers.pop(name, None)

    def shown_boxes(self, question: Question) -> tuple[Box, ...]:
        """The boxes of a checklist that apply to this call now (all of them may not)."""
        return self._sequence_with_boxes()[3].get(question.id, ())

    def checklist_ticks(self, question: Question) -> frozenset[str]:
        """The boxes of a checklist ticked now: answered yes, or known already (given)."""
        facts = self._sequence()[1]
        return frozenset(b.fact.name for b in self.shown_boxes(question) if facts.get(b.fact.name))

    def _sequence(self) -> tuple[list[Question], dict[str, Any], str | None]:
        asked, facts, stream, _boxes = self._sequence_with_boxes()
        return asked, facts, stream

    def _sequence_with_boxes(
        self,
    ) -> tuple[list[Question], dict[str, Any], str | None, dict[str, tuple[Box, ...]]]:
        """The questions that apply now, in order, the facts that count, the stream, and the
        boxes of each checklist that apply.

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
        boxes: dict[str, tuple[Box, ...]] = {}

        def ask(questions: Iterable[Question]) -> None:
            for question in questions:
                if not question.ask_when(facts, context):
                    continue
                names = [question.fact.name]
                if question.is_checklist:
                    shown = tuple(
                        box
                        for box in question.boxes
                        if box.fact.name not in asked_facts and box.ask_when(facts, context)
                    )
                    if not shown:
                        continue
                    boxes[question.id] = shown
                    names = [box.fact.name for box in shown]
                elif question.fact.name in asked_facts:
                    continue
                asked.append(question)
                for name in names:
                    asked_facts.add(name)
                    if name in self._answers:
                        facts[name] = self._answers[name]

        ask(self.ruleset.level1_questions)
        visited: list[str] = []
        while True:
            stream = evaluate(self.ruleset, _given_only(facts, self.ruleset)).stream
            if stream is None or stream in visited:
                return asked, facts, stream, boxes
            visited.append(stream)
            ask(self.ruleset.stream_questions.get(stream, ()))

    def next_question(self) -> NextQuestion | None:
        """The first question that applies and has no answer yet; None when screening is done."""
        asked, facts, stream, boxes = self._sequence_with_boxes()
        for question in asked:
            names = [b.fact.name for b in boxes.get(question.id, ())] or [question.fact.name]
            if all(name in self._answers or name in self._given_names for name in names):
                continue
            where = (question.stream or stream or "").replace("_", " ")
            why = question.help or (
                "Level 1: deciding what kind of call this is."
                if question.level == 1
                else f"Level 2: screening on the {where} stream."
            )
            shown = boxes.get(question.id, ())
            ticked = frozenset(b.fact.name for b in shown if facts.get(b.fact.name))
            return NextQuestion(question, question.level, question.stream, why, shown, ticked)
        return None

    def asked(self) -> list[tuple[Question, Any]]:
        """The questions answered so far that still count, in the order they are asked (a
        checklist with the facts ticked, as a set)."""
        asked, facts, _, boxes = self._sequence_with_boxes()
        answered: list[tuple[Question, Any]] = []
        for question in asked:
            shown = boxes.get(question.id)
            if shown is None:
                if question.fact.name in self._answers:
                    answered.append((question, facts[question.fact.name]))
            elif any(box.fact.name in self._answers for box in shown):
                ticked = frozenset(b.fact.name for b in shown if facts.get(b.fact.name))
                answered.append((question, ticked))
        return answered

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
