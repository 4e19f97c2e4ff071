"""``spa-desk audit verify`` and ``spa-desk audit export``: checking and exporting the audit log.

``verify`` exits 0 when the hash chain is intact and 1, naming the first bad entry, when it is
not. ``export`` writes the entries of local (Europe/London) days FROM to TO inclusive as CSV,
optionally only those about one person or by one user, and records that it did so.
"""

from __future__ import annotations

import argparse
import sys
import uuid
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from spa_desk.cli.arguments import (
    EXIT_FAILED,
    EXIT_OK,
    add_period,
    check_period,
    person_id,
    write_output,
)
from spa_desk.cli.options import DeskOptions

if TYPE_CHECKING:
    from spa_desk.database import Database


def add_commands(commands: Any) -> None:
    """Add ``audit verify`` and ``audit export`` to the command-line parser."""
    audit = commands.add_parser("audit", help="the tamper-evident audit log")
    actions = audit.add_subparsers(dest="audit_command", metavar="ACTION", required=True)
    actions.add_parser(
        "verify", help="check the hash chain: exit 0 if intact, 1 naming the first bad entry"
    )
    export = actions.add_parser(
        "export", help="audit entries of local days FROM to TO inclusive as CSV"
    )
    add_period(export)
    export.add_argument("--csv", type=Path, required=True, metavar="FILE", help="'-' for stdout")
    export.add_argument(
        "--person", type=person_id, metavar="ID", help="only entries about this person's record"
    )
    export.add_argument("--user", metavar="NAME", help="only entries of this user")


def _verify(database: Database) -> int:
    from spa_desk.governance.verify import verify

    outcome = verify(database)
    if outcome.ok:
        sys.stdout.write(f"Audit log intact: {outcome.entries:,} entries.\n")
        return EXIT_OK
    sys.stderr.write(f"Audit log NOT intact: {outcome.problem}.\n")
    return EXIT_FAILED


def _user_id(database: Database, username: str) -> uuid.UUID:
    from spa_desk.errors import KnownError
    from spa_desk.governance.search import user_id_named

    found = user_id_named(database, username)
    if found is None:
        raise KnownError(f"--user: there is no user named {username!r}.")
    return found


def _export(args: argparse.Namespace, database: Database) -> int:
    from spa_desk.governance.export import export_csv, record_export
    from spa_desk.local_time import local_days_to_utc

    check_period(args)
    start, end = local_days_to_utc(args.first, args.last)
    user_id = None if args.user is None else _user_id(database, args.user)

    def write(out: TextIO) -> int:
        return export_csv(
            database, out, person_id=args.person, user_id=user_id, start=start, end=end
        )

    count = write_output(args.csv, write)
    record_export(
        database,
        first=args.first,
        last=args.last,
        person_id=args.person,
        user_id=user_id,
        rows=count,
    )
    sys.stderr.write(f"Exported {count:,} audit entries.\n")
    return EXIT_OK


def run(args: argparse.Namespace, options: DeskOptions) -> int:
    """Run one ``audit`` action; problems a user can fix raise KnownError (the caller prints)."""
    from spa_desk.database import open_database

    database = open_database(options.database_url)
    try:
        if args.audit_command == "verify":
            return _verify(database)
        return _export(args, database)
    finally:
        database.close()
