"""The ``spa-desk`` command line (SPEC 10): options shared with the desk and the headless commands.

The entry point lives in ``ui.shell.launcher``: with no sub-command it opens the desk, otherwise
it hands the parsed arguments to :func:`run` here, which never imports Qt.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path

from spa_desk import __version__
from spa_desk.cli import (
    audit,
    database,
    demo_data,
    export,
    phone,
    queue,
    report,
    screening,
    training,
    users,
)
from spa_desk.cli.arguments import report_known_error
from spa_desk.cli.options import DeskOptions, add_options, desk_options
from spa_desk.errors import KnownError

COMMANDS: dict[str, Callable[[argparse.Namespace, DeskOptions], int]] = {
    "users": users.run,
    "audit": audit.run,
    "db": database.run,
    "demo-data": demo_data.run,
    "export": export.run,
    "queue": queue.run,
    "report": report.run,
    "training": training.run,
}
"""The command groups that work on the configured database, by command name."""

WITHOUT_DATABASE = ("triage", "rules")
"""Commands that need neither the settings nor a database (a broken settings file cannot stop
them): the screening engine, headless."""


def build_parser() -> argparse.ArgumentParser:
    """The whole command line: desk options and every headless sub-command."""
    parser = argparse.ArgumentParser(
        prog="spa-desk",
        description="SPA Desk: call handling and two-level screening for a Single Point of "
        "Access. With no command it opens the desk.",
    )
    parser.add_argument("--version", action="version", version=f"spa-desk {__version__}")
    add_options(parser)
    parser.add_argument(
        "--screenshot",
        metavar="FILE",
        type=Path,
        help="log in, render the main window to a PNG and exit (works with no display)",
    )
    parser.add_argument(
        "--user",
        metavar="NAME",
        help="with --screenshot: log in as this user (default: the demo call handler); "
        "the password is read from standard input",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    for group in (
        database,
        demo_data,
        export,
        screening,
        users,
        audit,
        queue,
        report,
        training,
        phone,
    ):
        group.add_commands(commands)
    return parser


def run(args: argparse.Namespace) -> int:
    """Run a headless sub-command; problems a user can cause become a message and exit 1."""
    if args.command in WITHOUT_DATABASE:
        return screening.run(args)
    if args.command == "phone":  # the telephone's commands need the settings, not a database
        try:
            return phone.run(args, desk_options(args))
        except KnownError as error:
            return report_known_error(error)
    from spa_desk.database import database_errors

    try:
        options = desk_options(args)
        with database_errors(options.database_url):
            if options.training and args.command != "db":
                _mark_training(options.database_url)
            return COMMANDS[args.command](args, options)
    except KnownError as error:
        return report_known_error(error)


def _mark_training(url: str) -> None:
    """``--training`` with a command: the training database, marked as such before anything is
    written to it (a database holding live records is refused in words, as the desk does)."""
    from spa_desk.database import open_database
    from spa_desk.training.mode import make_training

    database = open_database(url)
    try:
        make_training(database)
    finally:
        database.close()
