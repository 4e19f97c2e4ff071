"""The ``spa-desk`` command line (SPEC 10): options shared with the desk and the headless commands.

The entry point lives in ``ui.launcher``: with no sub-command it opens the desk, otherwise it hands
the parsed arguments to :func:`run` here, which never imports Qt.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from db.errors import DatabaseProblem
from spa_desk import __version__
from spa_desk.audit_cli import add_commands as add_audit_commands
from spa_desk.errors import KnownError
from spa_desk.local_time import LONDON
from spa_desk.screening_cli import add_commands as add_screening_commands
from spa_desk.screening_cli import command_rules_check, command_triage
from spa_desk.users_cli import add_commands as add_users_commands

if TYPE_CHECKING:
    from spa_desk.settings import Settings

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_BAD_INPUT = 2


@dataclass(frozen=True)
class DeskOptions:
    """What every command needs: the settings in force and the database chosen.

    This module loads pydantic and the settings only when they are needed, so the desk can paint
    its first window before them.
    """

    settings: Settings
    database_url: str
    data_dir: Path


def parse_date(text: str) -> date:
    """An argparse type for YYYY-MM-DD dates, with a message in words."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date: use YYYY-MM-DD") from None


def positive_int(text: str) -> int:
    """An argparse type for whole numbers of 1 or more."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{value} is too small: give 1 or more")
    return value


def build_parser() -> argparse.ArgumentParser:
    """The whole command line: desk options and every headless sub-command."""
    parser = argparse.ArgumentParser(
        prog="spa-desk",
        description="SPA Desk: call handling and two-level screening for a Single Point of "
        "Access. With no command it opens the desk.",
    )
    parser.add_argument("--version", action="version", version=f"spa-desk {__version__}")
    parser.add_argument(
        "--database",
        metavar="URL",
        help="database URL (default: $SPA_DESK_DATABASE_URL, else the settings file, "
        "else the embedded SQLite file in your data folder)",
    )
    parser.add_argument(
        "--config",
        metavar="FILE",
        type=Path,
        help="settings file (JSON) to use instead of the default",
    )
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

    db_parser = commands.add_parser("db", help="database schema")
    db_commands = db_parser.add_subparsers(dest="db_command", metavar="ACTION", required=True)
    db_commands.add_parser("upgrade", help="bring the database to the newest schema revision")
    db_commands.add_parser("status", help="show which database is used and its schema revision")

    demo = commands.add_parser("demo-data", help="fill the database with fictional demo data")
    demo.add_argument("--months", type=positive_int, required=True, help="months of contacts")
    demo.add_argument(
        "--start",
        type=parse_date,
        help="first day (YYYY-MM-DD; default: so that the data runs up to now)",
    )
    demo.add_argument("--seed", type=int, default=1, help="random seed: same seed, same data")
    demo.add_argument(
        "--if-empty",
        action="store_true",
        help="do nothing when the database already holds data (instead of refusing)",
    )

    export = commands.add_parser("export", help="export data as CSV")
    export_commands = export.add_subparsers(dest="export_command", metavar="WHAT", required=True)
    contacts = export_commands.add_parser(
        "contacts", help="one row per saved contact, local days FROM to TO inclusive"
    )
    contacts.add_argument("--from", dest="first", type=parse_date, required=True, metavar="DATE")
    contacts.add_argument("--to", dest="last", type=parse_date, required=True, metavar="DATE")
    contacts.add_argument("--csv", type=Path, required=True, metavar="FILE", help="'-' for stdout")
    add_screening_commands(commands)
    add_users_commands(commands)
    add_audit_commands(commands)
    return parser


def desk_options(args: argparse.Namespace) -> DeskOptions:
    """Settings and database URL for these arguments (SPEC 10 order of choice)."""
    from spa_desk.settings import (
        default_config_dir,
        default_data_dir,
        load_settings,
        resolve_database_url,
    )

    config_path: Path = args.config or default_config_dir() / "settings.json"
    settings = load_settings(config_path)
    data_dir = default_data_dir()
    url = resolve_database_url(args.database, settings, data_dir)
    return DeskOptions(settings=settings, database_url=url, data_dir=data_dir)


class ProgressPrinter:
    """Progress on the terminal: one updating line on a terminal, a line per tenth otherwise."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream
        self._interactive = stream.isatty()
        self._last_tenth: dict[str, int] = {}

    def __call__(self, stage: str, done: int, total: int) -> None:
        percent = 100 if total == 0 else min(100, done * 100 // total)
        line = f"{stage}: {done:,}/{total:,} ({percent}%)"
        if self._interactive:
            end = "\n" if done >= total else ""
            self._stream.write(f"\r{line:<60}{end}")
        else:
            tenth = percent // 10
            if self._last_tenth.get(stage) == tenth:
                return
            self._last_tenth[stage] = tenth
            self._stream.write(line + "\n")
        self._stream.flush()


def default_demo_start(months: int, today: date) -> date:
    """The first day that makes ``months`` months of data end with today."""
    from spa_desk.demo.volume import add_months

    return add_months(today, -months) + timedelta(days=1)


def _command_db(args: argparse.Namespace, options: DeskOptions) -> int:
    from db.migrate import HEAD_REVISION, current_revision, upgrade
    from spa_desk.database import connect

    database = connect(options.database_url)
    try:
        if args.db_command == "upgrade":
            upgrade(database.engine)
            print(f"{database.description} is at the newest schema ({HEAD_REVISION}).")
            return EXIT_OK
        from db.migrate import schema_state

        state = schema_state(database.engine)
        with database.engine.connect() as connection:
            revision = current_revision(connection)
        print(f"database: {database.description}")
        print(f"schema revision: {revision or '(none)'} ({state.value}; newest {HEAD_REVISION})")
        return EXIT_OK
    finally:
        database.close()


def _command_demo_data(args: argparse.Namespace, options: DeskOptions) -> int:
    from spa_desk.database import open_database
    from spa_desk.demo.generator import DemoProgress, database_is_empty, generate_demo_data

    database = open_database(options.database_url)
    try:
        if args.if_empty and not database_is_empty(database):
            print(f"{database.description} already holds data; left as it is.")
            return EXIT_OK
        start = args.start or default_demo_start(args.months, datetime.now(LONDON).date())
        printer = ProgressPrinter(sys.stderr)

        def report(progress: DemoProgress) -> None:
            printer(progress.stage, progress.done, progress.total)

        summary = generate_demo_data(
            database, months=args.months, start=start, seed=args.seed, progress=report
        )
        last_day = summary.end - timedelta(days=1)
        print(
            f"Demo data in {database.description}: {summary.contacts:,} contacts about "
            f"{summary.people:,} people, {summary.users} staff, {summary.services} services, "
            f"{summary.start:%d %b %Y} to {last_day:%d %b %Y}, in {summary.seconds:.1f} s."
        )
        if summary.calls_in_progress:
            print(
                f"({summary.calls_in_progress} call(s) still going on now were left out: "
                "demo data holds no contacts from the future.)"
            )
        return EXIT_OK
    finally:
        database.close()


def _command_export(args: argparse.Namespace, options: DeskOptions) -> int:
    from spa_desk.database import open_database
    from spa_desk.interop.contacts_csv import export_contacts

    if args.last < args.first:
        raise KnownError(f"--to {args.last} is before --from {args.first}.")
    database = open_database(options.database_url)
    try:
        if str(args.csv) == "-":
            count = export_contacts(database, args.first, args.last, sys.stdout)
        else:
            target: Path = args.csv
            temporary = target.with_name(target.name + ".part")
            try:
                with temporary.open("w", encoding="utf-8", newline="") as out:
                    count = export_contacts(database, args.first, args.last, out)
                temporary.replace(target)
            except OSError as error:
                temporary.unlink(missing_ok=True)
                raise KnownError(f"Cannot write {target}: {error.strerror}.") from None
        print(f"Exported {count:,} contacts.", file=sys.stderr)
        return EXIT_OK
    finally:
        database.close()


def _command_audit(args: argparse.Namespace, options: DeskOptions) -> int:
    from spa_desk.audit_cli import command_audit

    return command_audit(args, options.database_url)


def _command_users(args: argparse.Namespace, options: DeskOptions) -> int:
    from spa_desk.users_cli import command_users

    return command_users(args, options.database_url)


COMMANDS: dict[str, Callable[[argparse.Namespace, DeskOptions], int]] = {
    "users": _command_users,
    "audit": _command_audit,
    "db": _command_db,
    "demo-data": _command_demo_data,
    "export": _command_export,
}


def report_known_error(error: Exception) -> int:
    """Print a problem the user can act on, in words and without a traceback."""
    print(f"spa-desk: {error}", file=sys.stderr)
    return EXIT_FAILED


def run(args: argparse.Namespace) -> int:
    """Run a headless sub-command; problems a user can cause become a message and exit 1."""
    if args.command == "triage":
        return command_triage(args)
    if args.command == "rules":
        return command_rules_check(args)
    try:
        options = desk_options(args)
        return COMMANDS[args.command](args, options)
    except (KnownError, DatabaseProblem) as error:
        return report_known_error(error)
