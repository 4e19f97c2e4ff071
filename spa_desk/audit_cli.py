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
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from spa_desk.database import Database

EXIT_OK = 0
EXIT_FAILED = 1


def _person_id(text: str) -> uuid.UUID:
    """An argparse type for a person's id (the UUID the desk gave them)."""
    try:
        return uuid.UUID(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a person id: give the id the desk shows, like "
            "1b4e28ba-2fa1-11d2-883f-0016d3cca427"
        ) from None


def add_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``audit verify`` and ``audit export`` to the command-line parser."""
    from spa_desk.cli import parse_date  # here: spa_desk.cli imports this module

    audit = commands.add_parser("audit", help="the tamper-evident audit log")
    actions = audit.add_subparsers(dest="audit_command", metavar="ACTION", required=True)
    actions.add_parser(
        "verify", help="check the hash chain: exit 0 if intact, 1 naming the first bad entry"
    )
    export = actions.add_parser(
        "export", help="audit entries of local days FROM to TO inclusive as CSV"
    )
    export.add_argument("--from", dest="first", type=parse_date, required=True, metavar="DATE")
    export.add_argument("--to", dest="last", type=parse_date, required=True, metavar="DATE")
    export.add_argument("--csv", type=Path, required=True, metavar="FILE", help="'-' for stdout")
    export.add_argument(
        "--person", type=_person_id, metavar="ID", help="only entries about this person's record"
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
    from sqlalchemy import select

    from db.models import User
    from spa_desk.errors import KnownError

    with database.sessions() as session:
        found = session.execute(select(User.id).where(User.username == username)).scalar()
    if found is None:
        raise KnownError(f"--user: there is no user named {username!r}.")
    return found


def _export(args: argparse.Namespace, database: Database) -> int:
    from spa_desk.errors import KnownError
    from spa_desk.governance.export import export_csv
    from spa_desk.governance.log import AuditAction, record
    from spa_desk.interop.contacts_csv import local_days_to_utc

    if args.last < args.first:
        raise KnownError(f"--to {args.last} is before --from {args.first}.")
    start, end = local_days_to_utc(args.first, args.last)
    user_id = None if args.user is None else _user_id(database, args.user)

    def write(out: TextIO) -> int:
        return export_csv(
            database, out, person_id=args.person, user_id=user_id, start=start, end=end
        )

    if str(args.csv) == "-":
        count = write(sys.stdout)
    else:
        target: Path = args.csv
        temporary = target.with_name(target.name + ".part")
        try:
            with temporary.open("w", encoding="utf-8", newline="") as out:
                count = write(out)
            temporary.replace(target)
        except OSError as error:
            temporary.unlink(missing_ok=True)
            raise KnownError(f"Cannot write {target}: {error.strerror}.") from None
    with database.sessions.begin() as session:
        record(
            session,
            action=AuditAction.AUDIT_EXPORTED,
            user_id=None,
            details={
                "from": args.first.isoformat(),
                "to": args.last.isoformat(),
                "person_id": None if args.person is None else str(args.person),
                "user_id": None if user_id is None else str(user_id),
                "rows": count,
            },
        )
    sys.stderr.write(f"Exported {count:,} audit entries.\n")
    return EXIT_OK


def command_audit(args: argparse.Namespace, database_url: str) -> int:
    """Run one ``audit`` action; problems a user can fix raise KnownError (the caller prints)."""
    from spa_desk.database import open_database

    database = open_database(database_url)
    try:
        if args.audit_command == "verify":
            return _verify(database)
        return _export(args, database)
    finally:
        database.close()
