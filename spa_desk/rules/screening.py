"""The two-level screening engine as the desk uses it.

The desk (``ui``) never imports :mod:`triage_rules` itself: it takes the rule set in force from
:func:`spa_desk.rules.in_force.rules_in_force`, walks a call through the questions with a
:class:`ScreeningSession`, shows each :class:`NextQuestion` and the :class:`Decision` as it forms,
all named here. The engine stays a pure library that knows nothing of the desk.
"""

from __future__ import annotations

from triage_rules import Decision, RuleSet
from triage_rules.ruleset import Question
from triage_rules.session import NextQuestion, ScreeningSession

__all__ = [
    "Decision",
    "NextQuestion",
    "Question",
    "RuleSet",
    "ScreeningSession",
]
