"""The two-level screening engine as the desk uses it.

The desk (``ui``) never imports :mod:`triage_rules` itself: it takes the rule set in force from
:func:`rules_in_force`, walks a call through the questions with a :class:`ScreeningSession`,
shows each :class:`NextQuestion` and the :class:`Decision` as it forms, all named here. The engine
stays a pure library that knows nothing of the desk.
"""

from __future__ import annotations

from spa_desk.database import Database
from triage_rules import Decision, RuleSet, default_ruleset
from triage_rules.ruleset import Question
from triage_rules.session import NextQuestion, ScreeningSession

__all__ = [
    "Decision",
    "NextQuestion",
    "Question",
    "RuleSet",
    "ScreeningSession",
    "rules_in_force",
]


def rules_in_force(database: Database) -> RuleSet:
    """The rule set every call at this desk is screened with: the shipped default rule set.

    It takes the database because the rules in force belong to the SPA, not to one desk.
    """
    del database  # the shipped rules until a manager's rules are kept in the database
    return default_ruleset()
