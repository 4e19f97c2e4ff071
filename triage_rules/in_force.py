"""The rule set in force: replaced only by a file that loads, validates and passes its cases.

A broken file is refused and the rule set in force stays in force (SPEC 8).
"""

from __future__ import annotations

from pathlib import Path

from triage_rules.cases import cases_path_for, load_cases, run_cases
from triage_rules.loader import RuleSetError, load_ruleset
from triage_rules.ruleset import RuleSet


class RulesInForce:
    """Holds the rule set the desk screens with."""

    def __init__(self, ruleset: RuleSet) -> None:
        self._ruleset = ruleset

    @property
    def ruleset(self) -> RuleSet:
        """The rule set in force now."""
        return self._ruleset

    def replace_from(self, path: Path) -> RuleSet:
        """Put the rule file at ``path`` in force, if it is sound and its cases (if any) pass.

        Raises RuleSetError naming each problem; the rule set in force is then unchanged.
        """
        candidate = load_ruleset(path)
        cases_path = cases_path_for(path)
        if cases_path.exists():
            failed = [r for r in run_cases(candidate, load_cases(cases_path)) if not r.passed]
            if failed:
                raise RuleSetError(
                    str(cases_path),
                    [(None, f"case {r.name!r}", "; ".join(r.differences)) for r in failed],
                )
        self._ruleset = candidate
        return candidate
