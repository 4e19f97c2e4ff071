"""``spa-desk triage`` and ``spa-desk rules check`` (SPEC 10): the screening engine, headless.

Neither touches the database. Exit statuses: triage 0, or 2 for bad input; rules check 0 when
the rule set is valid and every case passes, 1 when a case fails, 2 when a file is invalid.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from spa_desk.cli.arguments import EXIT_BAD_INPUT, EXIT_OK
from spa_desk.vocabulary import DESK_VOCABULARY

EXIT_CASE_FAILED = 1


def add_commands(commands: Any) -> None:
    """Add ``triage`` and ``rules check`` to the command-line parser."""
    triage = commands.add_parser(
        "triage", help="screen one JSON object of facts and print the decision as JSON"
    )
    triage.add_argument("--facts", required=True, metavar="FILE", help="'-' reads standard input")
    triage.add_argument(
        "--rules", type=Path, metavar="FILE", help="rule file (default: the shipped rule set)"
    )
    rules = commands.add_parser("rules", help="screening rule sets")
    rule_commands = rules.add_subparsers(dest="rules_command", metavar="ACTION", required=True)
    check = rule_commands.add_parser(
        "check", help="validate a rule file and run its cases (FILE.cases.yaml beside it)"
    )
    check.add_argument("file", nargs="?", type=Path, metavar="FILE")


def _fail(message: str) -> int:
    sys.stderr.write(f"spa-desk: {message}\n")
    return EXIT_BAD_INPUT


def _triage(args: argparse.Namespace) -> int:
    """Read facts, print the decision; bad input exits 2 with the problem on stderr."""
    from triage_rules import FactError, RuleSetError, default_ruleset, evaluate, load_ruleset

    source = "standard input" if args.facts == "-" else args.facts
    try:
        text = sys.stdin.read() if args.facts == "-" else Path(args.facts).read_text("utf-8")
    except OSError as error:
        return _fail(f"cannot read the facts file {source}: {error.strerror}")
    except UnicodeDecodeError:
        return _fail(f"the facts in {source} are not UTF-8 text")
    try:
        facts = json.loads(text)
    except json.JSONDecodeError as error:
        return _fail(f"the facts in {source} are not valid JSON (line {error.lineno}: {error.msg})")
    except ValueError:  # json refuses a number of thousands of digits so
        return _fail(f"the facts in {source} hold a number too long to be read")
    except RecursionError:
        return _fail(f"the facts in {source} are nested too deeply to be fact names and values")
    if not isinstance(facts, dict):
        return _fail(f"the facts in {source} must be one JSON object of fact names and values")
    try:
        ruleset = load_ruleset(args.rules, DESK_VOCABULARY) if args.rules else default_ruleset()
        decision = evaluate(ruleset, facts)
    except RuleSetError as error:
        return _fail(f"the rule file is not valid:\n{error}")
    except FactError as error:
        return _fail(f"bad facts in {source}: {error}")
    sys.stdout.write(json.dumps(decision.as_json(), indent=2) + "\n")
    return EXIT_OK


def _rules_check(args: argparse.Namespace) -> int:
    """Validate a rule file and run its cases."""
    from triage_rules import RuleSetError, load_ruleset
    from triage_rules.cases import cases_path_for, load_cases, run_cases
    from triage_rules.loader import default_ruleset_path

    path: Path = args.file or default_ruleset_path()
    try:
        ruleset = load_ruleset(path, DESK_VOCABULARY)
    except RuleSetError as error:
        sys.stderr.write(f"{error}\n")
        sys.stderr.write(f"spa-desk: {path} is not a valid rule set; nothing was changed.\n")
        return EXIT_BAD_INPUT
    print(
        f"{path}: rule set {ruleset.id} version {ruleset.version} is valid "
        f"(sha256 {ruleset.sha256})."
    )
    cases_path = cases_path_for(path)
    if not cases_path.exists():
        print(f"No cases to run: {cases_path} does not exist.")
        return EXIT_OK
    try:
        cases = load_cases(cases_path)
    except RuleSetError as error:
        sys.stderr.write(f"{error}\n")
        sys.stderr.write(
            f"spa-desk: the cases in {cases_path} cannot be run; nothing was changed.\n"
        )
        return EXIT_BAD_INPUT
    results = run_cases(ruleset, cases)
    failed = [result for result in results if not result.passed]
    for result in failed:
        print(f"FAILED {result.name}: {'; '.join(result.differences)}")
    print(f"{len(results) - len(failed)} passed, {len(failed)} failed")
    if failed:
        sys.stderr.write(
            f"spa-desk: {len(failed)} of {len(results)} cases failed against {path}; "
            "nothing was changed.\n"
        )
        return EXIT_CASE_FAILED
    return EXIT_OK


def run(args: argparse.Namespace) -> int:
    """Run ``triage`` or ``rules check``; neither needs the settings or a database."""
    if args.command == "triage":
        return _triage(args)
    return _rules_check(args)
