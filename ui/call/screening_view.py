"""Level 1 and level 2 on screen: the question to ask, why, the answers so far, and the
recommendation as it forms (routes, urgency and the reasons in plain English).

The view knows nothing of the rules: :class:`ui.call.controller.CallController` asks the
screening session for the next question and hands it over. Keys: Y and N answer yes or no, 1-9
pick a choice, Alt+B goes back one answer, Enter on an earlier answer changes it.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from spa_desk.rules.screening import Decision, NextQuestion
from spa_desk.vocabulary import Route, Urgency

_NO_VALUE = object()
"""A button whose answer is worked out when it is pressed (a set, a number)."""

URGENCY_COLOURS = {
    Urgency.EMERGENCY: "#b00020",
    Urgency.URGENT: "#b00020",
    Urgency.SOON: "#8a5a00",
    Urgency.ROUTINE: "#1b5e20",
}
LEVEL1_WORDS = {
    "non_data": "Not a call about anyone's care",
    "emergency": "Risk to life: 999 now",
    "information": "Information only",
    "stream": "Screening",
}


def answer_text(question_fact_type: str, choices: dict[str, str], value: Any) -> str:
    """An answer in words: Yes/No, a choice's label, the labels of a set, or a number."""
    if question_fact_type == "bool":
        return "Yes" if value else "No"
    if question_fact_type == "enum":
        return choices.get(str(value), str(value))
    if question_fact_type == "enum_set":
        items = sorted(value) if value else []
        return ", ".join(choices.get(str(v), str(v)) for v in items) or "None of these"
    return "Not known" if value is None else str(value)


def route_words(route: str, urgency: str | None) -> str:
    """``Safeguarding — urgent`` for a route and its urgency."""
    label = Route(route).label
    return f"{label} — {urgency}" if urgency else label


class ScreeningView(QGroupBox):
    """The question, its answers and the history of the screening.

    Signals:
        answered(str, object): the handler answered the fact with the value (a checklist: its
            stand-in fact with the facts ticked).
        change_requested(str): the handler wants to give the fact's answer again.
        back_requested(): take the last answer back.
        line_wanted(): the handler wants to change the line the telephone system gave.
    """

    answered = Signal(str, object)
    change_requested = Signal(str)
    back_requested = Signal()
    line_wanted = Signal()
    handoff_requested = Signal(str)
    """Hand the call off to its stream's queue: ``warm`` or ``call-back``."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Screening", parent)
        self.setObjectName("screening")
        self.stage_label = QLabel()
        self.stage_label.setObjectName("screeningStage")
        self.stage_label.setStyleSheet("color: #444; font-weight: 600;")
        self.question_label = QLabel()
        self.question_label.setObjectName("question")
        self.question_label.setAccessibleName("Question to ask")
        self.question_label.setWordWrap(True)
        self.question_label.setStyleSheet("font-size: 14pt; font-weight: 600;")
        self.why_label = QLabel()
        self.why_label.setObjectName("questionWhy")
        self.why_label.setAccessibleName("Why this question is asked")
        self.why_label.setWordWrap(True)
        self.why_label.setStyleSheet("color: #444;")
        self.answers_box = QWidget()
        self.answers_box.setObjectName("answerButtons")
        self._answers_layout = QVBoxLayout(self.answers_box)
        self._answers_layout.setContentsMargins(0, 0, 0, 0)
        self.blocked_label = QLabel()
        self.blocked_label.setObjectName("screeningBlocked")
        self.blocked_label.setWordWrap(True)
        self.blocked_label.setStyleSheet("color: #8a5a00; font-weight: 600;")
        self.blocked_label.hide()
        self.handoff_box = QWidget()
        self.handoff_box.setObjectName("handoffButtons")
        handoff_row = QHBoxLayout(self.handoff_box)
        handoff_row.setContentsMargins(0, 0, 0, 0)
        handoff_row.addWidget(QLabel("Hand off:"))
        self.warm_button = QPushButton("Warm: caller holds  (F7)")
        self.warm_button.setToolTip("Hand the call off warm: the caller holds for a practitioner")
        self.warm_button.setObjectName("handOffWarm")
        self.callback_button = QPushButton("Call-back  (F8)")
        self.callback_button.setToolTip("Hand the call off for a practitioner to ring back")
        self.callback_button.setObjectName("handOffCallBack")
        for button, kind in ((self.warm_button, "warm"), (self.callback_button, "call-back")):
            button.setAutoDefault(False)
            button.clicked.connect(lambda _=False, chosen=kind: self.handoff_requested.emit(chosen))
            handoff_row.addWidget(button)
        handoff_row.addStretch(1)
        self.handoff_box.hide()

        self.history = QListWidget()
        self.history.setObjectName("answersSoFar")
        self.history.setAccessibleName("Answers so far; press Enter on one to change it")
        self.history.itemActivated.connect(self._change_item)
        self.history.setWordWrap(True)
        self.history.setAlternatingRowColors(True)
        self.history.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.back_button = QPushButton("◀ Back one answer  (Alt+B)")
        self.back_button.setAccessibleName("Back one answer")
        self.back_button.clicked.connect(self.back_requested)
        back = QShortcut(QKeySequence("Alt+B"), self)
        back.setContext(Qt.ShortcutContext.WindowShortcut)
        back.activated.connect(self.back_requested)

        layout = QVBoxLayout(self)
        layout.addWidget(self.stage_label)
        layout.addWidget(self.question_label)
        layout.addWidget(self.why_label)
        layout.addWidget(self.answers_box)
        layout.addWidget(self.blocked_label)
        layout.addWidget(self.handoff_box)
        line = QFrame()
        line.setFrameShape(QFrame.Shape.HLine)
        layout.addWidget(line)
        history_label = QLabel("A&nswers so far (Alt+N; Enter on one to change it):")
        history_label.setBuddy(self.history)
        layout.addWidget(history_label)
        layout.addWidget(self.history, 1)
        layout.addWidget(self.back_button)
        self._keys: list[QShortcut] = []
        self._buttons: list[QPushButton] = []
        self._fact: str | None = None
        self._set_checks: list[tuple[str, QCheckBox]] = []

    # What the controller calls ------------------------------------------------------------

    def show_question(self, next_question: NextQuestion | None, *, may_answer: bool) -> None:
        """Ask ``next_question`` (None: screening is complete); disabled when not allowed."""
        self._clear_answers()
        if next_question is None:
            self._fact = None
            self.stage_label.setText("Screening complete")
            self.question_label.setText("Nothing more to ask.")
            self.why_label.setText("Check the recommendation, then choose the outcome.")
            self.blocked_label.hide()
            return
        question = next_question.question
        self._fact = question.fact.name
        stream = (next_question.stream or "").replace("_", " ")
        stage = "Level 1" if next_question.level == 1 else f"Level 2 · {stream} stream"
        self.stage_label.setText(stage)
        self.question_label.setText(question.text)
        self.why_label.setText(next_question.why)
        spec = question.fact
        if spec.type == "bool":
            self._button("Yes  (Y)", True, "Y")
            self._button("No  (N)", False, "N")
        elif spec.type == "enum":
            for number, choice in enumerate(spec.choices, start=1):
                self._button(f"{number}  {choice.label}", choice.value, str(number))
        elif question.is_checklist:
            self._set_question(
                [(box.fact.name, box.label) for box in next_question.boxes], next_question.ticked
            )
        elif spec.type == "enum_set":
            self._set_question([(c.value, c.label) for c in spec.choices])
        else:
            self._number_question()
        self.answers_box.setEnabled(may_answer)
        self.blocked_label.setVisible(not may_answer)
        if not may_answer:
            self.blocked_label.setText(
                "Level 2 screening is run by a practitioner of the stream. Hand the call off: "
                "F7 warm (the caller holds) or F8 for a call-back (the caller hangs up). "
                "Everything recorded so far goes with it."
            )

    def show_handoff(self, possible: bool) -> None:
        """The hand-off keys, while the call waits at level 2 for a practitioner."""
        self.handoff_box.setVisible(possible)

    def show_history(self, rows: list[tuple[str, str, str]]) -> None:
        """The answers that count now: (fact, question, answer in words), in order."""
        self.history.clear()
        for fact, question, answer in rows:
            item = QListWidgetItem(f"{question}  →  {answer}")
            item.setData(Qt.ItemDataRole.UserRole, fact)
            self.history.addItem(item)
        self.back_button.setEnabled(bool(rows))

    def focus_answers(self) -> None:
        """Put the keyboard on the first answer, where the handler's eyes are.

        New answer buttons are shown by Qt on its next pass, so the focus follows then.
        """
        QTimer.singleShot(0, self._focus_first_answer)

    def _focus_first_answer(self) -> None:
        if self._buttons and self.answers_box.isEnabled():
            self._buttons[0].setFocus(Qt.FocusReason.OtherFocusReason)
        else:
            self.history.setFocus(Qt.FocusReason.OtherFocusReason)

    def answer_buttons(self) -> list[QPushButton]:
        """The answer buttons on screen, in order (for tests and screen readers)."""
        return list(self._buttons)

    # Building the answers -------------------------------------------------------------------

    def _clear_answers(self) -> None:
        for shortcut in self._keys:
            shortcut.setEnabled(False)
            shortcut.deleteLater()
        self._keys = []
        self._buttons = []
        self._set_checks = []
        while self._answers_layout.count():
            item = self._answers_layout.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.hide()
                widget.deleteLater()

    def _button(self, text: str, value: object, key: str) -> QPushButton:
        button = QPushButton(text)
        button.setAccessibleName(text.replace("&", ""))
        button.setStyleSheet("text-align: left; padding: 6px 10px; font-size: 11pt;")
        button.setAutoDefault(True)
        if value is not _NO_VALUE:
            button.clicked.connect(lambda: self._answer(value))
        self._answers_layout.addWidget(button)
        self._buttons.append(button)
        shortcut = QShortcut(QKeySequence(key), self)
        shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        shortcut.activated.connect(button.click)
        self._keys.append(shortcut)
        return button

    def _set_question(
        self, choices: list[tuple[str, str]], ticked: frozenset[str] = frozenset()
    ) -> None:
        for number, (value, label) in enumerate(choices, start=1):
            known = value in ticked
            check = QCheckBox(f"{number}  {label}" + ("  (from the record)" if known else ""))
            check.setAccessibleName(label)
            check.setChecked(known)
            self._answers_layout.addWidget(check)
            self._set_checks.append((value, check))
            key = QShortcut(QKeySequence(str(number)), self)
            key.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            key.activated.connect(check.toggle)
            self._keys.append(key)
        done = self._button("Done: these apply  (Enter)", _NO_VALUE, "Return")
        done.clicked.connect(self._answer_set)
        self._button("None of these  (0)", [], "0")

    def _answer_set(self) -> None:
        self._answer(sorted(value for value, check in self._set_checks if check.isChecked()))

    def _number_question(self) -> None:
        spin = QSpinBox()
        spin.setRange(0, 130)
        spin.setAccessibleName("Number")
        self._answers_layout.addWidget(spin)
        ok = self._button("Enter this number  (Enter)", _NO_VALUE, "Return")
        ok.clicked.connect(lambda: self._answer(spin.value()))
        self._button("Not known  (0)", None, "0")

    def _answer(self, value: object) -> None:
        if self._fact is not None and self.answers_box.isEnabled():
            self.answered.emit(self._fact, value)

    def _change_item(self, item: QListWidgetItem) -> None:
        self.change_requested.emit(str(item.data(Qt.ItemDataRole.UserRole)))


class RecommendationView(QGroupBox):
    """The recommendation as it forms: level 1, stream, routes with urgency, and the reasons."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Recommendation", parent)
        self.setObjectName("recommendation")
        self.headline = QLabel()
        self.headline.setObjectName("recommendationHeadline")
        self.headline.setAccessibleName("Recommendation")
        self.headline.setWordWrap(True)
        self.headline.setStyleSheet("font-size: 12pt; font-weight: 600;")
        self.routes_label = QLabel()
        self.routes_label.setObjectName("recommendedRoutes")
        self.routes_label.setAccessibleName("Recommended routes and urgency")
        self.routes_label.setWordWrap(True)
        self.routes_label.setTextFormat(Qt.TextFormat.RichText)
        self.resolvable_label = QLabel()
        self.resolvable_label.setObjectName("resolvable")
        self.resolvable_label.setWordWrap(True)
        self.reasons = QLabel()
        self.reasons.setObjectName("reasons")
        self.reasons.setAccessibleName("Why: the rules that fired")
        self.reasons.setWordWrap(True)
        self.reasons.setStyleSheet("color: #333;")
        layout = QVBoxLayout(self)
        row = QHBoxLayout()
        row.addWidget(self.headline, 1)
        layout.addLayout(row)
        layout.addWidget(self.routes_label)
        layout.addWidget(self.resolvable_label)
        layout.addWidget(self.reasons)

    def show_decision(
        self, decision: Decision, *, complete: bool = True, known: bool = True
    ) -> None:
        """Show the routes, urgency and reasons of ``decision`` (so far, while incomplete);
        nothing until level 1 is done (``known``): before that it would only guess."""
        if not known:
            self.headline.setText("No recommendation yet")
            self.headline.setStyleSheet("font-size: 12pt; font-weight: 600; color: #555;")
            self.routes_label.setText("The level-1 questions come first.")
            self.resolvable_label.setText("")
            self.reasons.setText("")
            return
        headline = LEVEL1_WORDS.get(decision.level1, decision.level1)
        if not complete:
            headline = f"So far: {headline}"
        if decision.stream:
            headline += f" · {decision.stream.replace('_', ' ').capitalize()} stream"
        self.headline.setText(headline)
        colour = "#b00020" if decision.level1 == "emergency" else "#000"
        self.headline.setStyleSheet(f"font-size: 12pt; font-weight: 600; color: {colour};")
        lines = []
        for route in decision.routes:
            urgency = Urgency(route.urgency) if route.urgency else None
            colour = URGENCY_COLOURS[urgency] if urgency else "#1b5e20"
            weight = "700" if urgency in (Urgency.EMERGENCY, Urgency.URGENT) else "400"
            lines.append(
                f'<span style="color:{colour}; font-weight:{weight}">'
                f"• {route_words(route.route, route.urgency)}</span>"
            )
        self.routes_label.setText("<br>".join(lines) or "No routes (a non-data call).")
        self.resolvable_label.setText(
            "Can be resolved at first contact."
            if decision.resolvable_at_first_contact and decision.routes
            else ("Needs a referral: cannot be resolved now." if decision.routes else "")
        )
        self.reasons.setText("\n".join(f"• {entry.reason}" for entry in decision.trace))
