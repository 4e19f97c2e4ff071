"""The screening column of a call (SPEC 2 steps 4-5): the question to ask now (one fact, or a
checklist of yes/no facts ticked at once), the answers so far with what the desk already knew
("from the record", "from the telephone system"), and the recommendation as it forms.

Any answer can be given again: Enter on it in the history asks its question again; a fact the
desk knew is asked as a question of its own (a correction) and the answer takes its place.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject

from spa_desk.calls.screening import with_answer, without_answer
from spa_desk.permissions import Action, allowed
from spa_desk.rules.screening import NextQuestion, Question, ScreeningSession
from spa_desk.vocabulary import Level1
from ui.call.screening_view import answer_text

if TYPE_CHECKING:
    from ui.call.context import CallContext
    from ui.call.screening_view import RecommendationView, ScreeningView

FROM_RECORD = "from the record"
FROM_TELEPHONE = "from the telephone system"
LINE_ROW = "line"


def _words(question: Question, value: Any) -> str:
    fact = question.fact
    return answer_text(fact.type, {c.value: c.label for c in fact.choices}, value)


class ScreeningColumn(QObject):
    """Keeps the screening column and the draft's answers in step, for one call."""

    def __init__(
        self, call: CallContext, view: ScreeningView, recommendation: RecommendationView
    ) -> None:
        super().__init__(view)
        self.call = call
        self.view = view
        self.recommendation = recommendation
        self.correcting: str | None = None
        """A fact the desk knew that the handler is giving again (Enter on it)."""

    def show(self, session: ScreeningSession, next_question: NextQuestion | None) -> None:
        """The question to ask now, the history, and the recommendation as it stands."""
        asking = self._correction() or next_question
        may_answer = asking is None or (
            asking.level == 1 or allowed(self.call.user, Action.TRIAGE_LEVEL2)
        )
        self.view.show_question(asking, may_answer=may_answer)
        decision_now = session.decision()
        self.view.show_handoff(
            next_question is not None
            and next_question.level > 1
            and decision_now.level1 == Level1.STREAM.value
            and allowed(self.call.user, Action.LOG_CONTACT)
        )
        self.view.show_history(self._known_rows() + self._answer_rows(session))
        decision = session.decision()
        known = (
            next_question is None
            or next_question.level > 1
            or decision.level1 in (Level1.EMERGENCY.value, Level1.NON_DATA.value)
        )  # a risk to life shows at once: 999 cannot wait for the rest of level 1
        self.recommendation.show_decision(decision, complete=next_question is None, known=known)

    def _answer_rows(self, session: ScreeningSession) -> list[tuple[str, str, str]]:
        return [(q.fact.name, q.text, _words(q, value)) for q, value in session.asked()]

    def _known_rows(self) -> list[tuple[str, str, str]]:
        """What the desk knew without asking, marked as such."""
        draft = self.call.draft
        facts = self.call.ruleset.facts
        rows = []
        if draft.telephony_ref is not None:
            line = draft.line.value.replace("_", " ")
            rows.append((LINE_ROW, "Line", f"{line}  ({FROM_TELEPHONE})"))
        for name, value in draft.from_record.items():
            spec = facts.get(name)
            if spec is None or name in draft.answers:
                continue
            words = answer_text(spec.type, {c.value: c.label for c in spec.choices}, value)
            rows.append((name, spec.label, f"{words}  ({FROM_RECORD})"))
        return rows

    def _correction(self) -> NextQuestion | None:
        """A fact the desk knew, asked as a question of its own while the handler corrects it."""
        name = self.correcting
        if name is None:
            return None
        spec = self.call.ruleset.facts[name]
        question = Question.for_fact(
            spec,
            f"{spec.label}: is that right?",
            "Known from the record. Give what the caller says; it takes the record's place.",
        )
        return NextQuestion(question, 1, None, question.help)

    def answer(self, fact: str, value: object) -> None:
        """Record an answer (every box of a checklist at once) and move on."""
        self.correcting = None
        self.call.update(answers=with_answer(self.call.ruleset, self.call.draft, fact, value))
        self.call.refocus()

    def change_answer(self, fact: str) -> None:
        """Ask the question of ``fact`` again (a fact the desk knew: as a correction)."""
        draft = self.call.draft
        if fact == LINE_ROW:
            self.view.line_wanted.emit()
            return
        if fact in draft.from_record and fact not in draft.answers:
            self.correcting = fact
            self.call.update()
        else:
            self.call.update(answers=without_answer(self.call.ruleset, draft, fact))
        self.view.focus_answers()

    def back(self) -> None:
        """Take the last answer that counts back, so its question is asked again."""
        self.correcting = None
        asked = self.call.session().asked()
        if asked:
            self.change_answer(asked[-1][0].fact.name)
