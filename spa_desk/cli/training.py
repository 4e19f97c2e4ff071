"""``spa-desk training ...`` (SPEC 10), the trainer's commands.

- ``training library check [DIR]``: validate a library of sample calls (the shipped one by
  default) and check each expected decision against the rule set in force. Exit 0 when every
  call agrees, 1 when one does not, 2 when a file is invalid (file, line and reason on stderr).
- ``training anonymise --from DATE --to DATE --out DIR [--as USER]``: one sample-call file per
  data contact of the period (local days, both included), anonymised. With ``--as`` the run is
  a trainer's or SPA manager's (the password on standard input); without it, it is the command
  line's, like the reports: whoever may open the database. Each run is audited. Exit 2 with
  words on a bad date, ``--to`` before ``--from`` or a folder that cannot be written.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from spa_desk.cli.arguments import (
    EXIT_BAD_INPUT,
    EXIT_FAILED,
    EXIT_OK,
    add_period,
    command_line_user,
    period_problem,
    read_password,
    report_known_error,
)
from spa_desk.cli.options import DeskOptions
from spa_desk.errors import KnownError


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
    anonymise = actions.add_parser(
        "anonymise", help="turn a period's real contacts into anonymised sample calls"
    )
    add_period(anonymise)
    anonymise.add_argument(
        "--out", required=True, type=Path, metavar="DIR", help="write the sample calls here"
    )
    anonymise.add_argument(
        "--as",
        dest="actor",
        metavar="USER",
        help="your user name (a trainer or SPA manager); your password is read from standard input",
    )


def run(args: argparse.Namespace, options: DeskOptions) -> int:
    """Run one ``training`` action."""
    if args.training_command == "anonymise":
        return _anonymise(args, options)
    return _check(args, options)


def _anonymise(args: argparse.Namespace, options: DeskOptions) -> int:
    from spa_desk.access.login import authenticate
    from spa_desk.database import open_database
    from spa_desk.training.anonymise import CannotWrite, anonymise

    problem = period_problem(args)
    if problem is not None:
        report_known_error(KnownError(problem))
        return EXIT_BAD_INPUT
    database = open_database(options.database_url)
    try:
        actor = None
        if args.actor is not None:
            actor = authenticate(database, args.actor, read_password(args.actor))

        def progress(done: int, total: int) -> None:
            print(f"  {done:,} of {total:,} contacts", file=sys.stderr)

        try:
            done = anonymise(
                database,
                actor,
                args.first,
                args.last,
                args.out,
                progress=progress,
                ran_by=None if actor is not None else command_line_user(),
            )
        except CannotWrite as error:
            report_known_error(error)
            return EXIT_BAD_INPUT
    finally:
        database.close()
    for problem in done.skipped:
        print(f"spa-desk: not anonymised: {problem}", file=sys.stderr)
    print(f"Wrote {done.written:,} anonymised sample calls to {done.folder}.")
    return EXIT_OK


def _check(args: argparse.Namespace, options: DeskOptions) -> int:
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
