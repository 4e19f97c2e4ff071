"""``spa-desk training library check [DIR]`` (SPEC 10): validate a library of sample calls (the
shipped one by default) and check each expected decision against the rule set in force. Exit 0
when every call agrees, 1 when one does not, 2 when a file is invalid (file, line and reason on
standard error)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from spa_desk.cli.arguments import EXIT_BAD_INPUT, EXIT_FAILED, EXIT_OK
from spa_desk.cli.options import DeskOptions


def add_commands(commands: Any) -> None:
    """Add ``training library check`` to the command-line parser."""
    group = commands.add_parser("training", help="the trainer's sample calls")
    actions = group.add_subparsers(dest="training_command", metavar="ACTION", required=True)
    library = actions.add_parser("library", help="the library of sample calls")
    checks = library.add_subparsers(dest="library_command", metavar="ACTION", required=True)
    check = checks.add_parser(
        "check", help="validate the sample calls and check each against the rules in force"
    )
    check.add_argument(
        "folder", nargs="?", type=Path, metavar="DIR", help="a library folder (default: shipped)"
    )


def run(args: argparse.Namespace, options: DeskOptions) -> int:
    """Check the library; the problems on standard error, a summary on standard output."""
    from spa_desk.database import open_database
    from spa_desk.rules.in_force import rules_in_force
    from spa_desk.training.sample_calls import LIBRARY, check_library

    folder: Path = args.folder or LIBRARY
    database = open_database(options.database_url)
    try:
        ruleset = rules_in_force(database)
    finally:
        database.close()
    found = check_library(folder, ruleset)
    for problem in found.invalid:
        print(f"spa-desk: {problem}", file=sys.stderr)
    for problem in found.disagreements:
        print(f"spa-desk: disagrees with the rules in force: {problem}", file=sys.stderr)
    rules = f"{ruleset.id} {ruleset.version}"
    agreeing = len(found.calls) - len(found.disagreements)
    print(f"{agreeing} of {len(found.calls)} sample calls in {folder} agree with the rules "
          f"in force ({rules}).")  # fmt: skip
    if found.invalid:
        return EXIT_BAD_INPUT
    return EXIT_FAILED if found.disagreements else EXIT_OK
