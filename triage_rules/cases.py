"""Cases: facts in, the expected decision out, kept beside a rule file as ``NAME.cases.yaml``.

``rules check`` runs them before a changed rule set is put in force. A cases file is read as
strictly as a rule file (``triage_rules.loader``): a malformed one is refused with its line.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from triage_rules.evaluator import FactError, evaluate
from triage_rules.loader import (
    MAX_FILE_BYTES,
    RuleSetError,
    parse_yaml,
    read_rule_file,
    validation_problems,
)
from triage_rules.ruleset import RuleSet


class ExpectedRoute(BaseModel):
    """A route a case expects, with its urgency."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    route: str
    urgency: str | None


class Expectation(BaseModel):
    """The decision a case expects."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    level1: str
    stream: str | None
    routes: tuple[ExpectedRoute, ...]
    resolvable_at_first_contact: bool


class Case(BaseModel):
    """One case: a name that says what it tests, the facts, and the expected decision."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(min_length=3)
    facts: dict[str, Any]
    expect: Expectation


class CaseFile(BaseModel):
    """A case file: the rule set it is for and its cases."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    ruleset: str
    cases: tuple[Case, ...] = Field(min_length=1)


@dataclass(frozen=True)
class CaseResult:
    """How one case went: the differences from what it expected, empty when it passed."""

    name: str
    differences: tuple[str, ...]

    @property
    def passed(self) -> bool:
        """True when the decision was the one expected."""
        return not self.differences


def cases_path_for(rules_path: Path) -> Path:
    """Where the cases of a rule file live: ``spa-default.yaml`` → ``spa-default.cases.yaml``."""
    return rules_path.with_name(rules_path.name.removesuffix(".yaml") + ".cases.yaml")


def load_cases(path: Path) -> CaseFile:
    """Read a case file; RuleSetError (file, line and reason in words) when it is unusable."""
    return load_cases_text(read_rule_file(path), str(path))


def load_cases_text(data: bytes, source: str) -> CaseFile:
    """Read case-file bytes; ``source`` names the file in messages."""
    if len(data) > MAX_FILE_BYTES:
        raise RuleSetError(source, [(None, "(file)", "too big for a cases file")])
    raw, lines = parse_yaml(data, source)
    try:
        cases = CaseFile.model_validate(raw)
    except ValidationError as error:
        raise RuleSetError(source, validation_problems(error, lines)) from None
    seen: set[str] = set()
    twice: list[tuple[int | None, str, str]] = []
    for index, case in enumerate(cases.cases):
        if case.name in seen:
            line = lines.get(("cases", index, "name"))
            twice.append((line, f"cases[{index}].name", f"case {case.name!r} appears twice"))
        seen.add(case.name)
    if twice:
        raise RuleSetError(source, twice)
    return cases


def run_case(ruleset: RuleSet, case: Case) -> CaseResult:
    """Screen the case's facts and compare with what it expects."""
    try:
        decision = evaluate(ruleset, case.facts)
    except FactError as error:
        return CaseResult(case.name, (f"the facts were refused: {error}",))
    expect = case.expect
    differences = []
    if decision.level1 != expect.level1:
        differences.append(f"level1 was {decision.level1!r}, expected {expect.level1!r}")
    if decision.stream != expect.stream:
        differences.append(f"stream was {decision.stream!r}, expected {expect.stream!r}")
    got = [(r.route, r.urgency) for r in decision.routes]
    wanted = [(r.route, r.urgency) for r in expect.routes]
    if got != wanted:
        differences.append(f"routes were {_routes(got)}, expected {_routes(wanted)}")
    if decision.resolvable_at_first_contact != expect.resolvable_at_first_contact:
        differences.append(
            f"resolvable_at_first_contact was {decision.resolvable_at_first_contact}, "
            f"expected {expect.resolvable_at_first_contact}"
        )
    return CaseResult(case.name, tuple(differences))


def run_cases(ruleset: RuleSet, cases: CaseFile) -> list[CaseResult]:
    """Run every case against ``ruleset``."""
    return [run_case(ruleset, case) for case in cases.cases]


def _routes(routes: list[tuple[str, str | None]]) -> str:
    if not routes:
        return "none"
    return ", ".join(f"{route} ({urgency})" if urgency else route for route, urgency in routes)
