"""``spa-desk audit verify|head|export``: checking the audit log, anchoring its head, exporting it.

``verify`` exits 0 when the chain is intact and 1, naming the first bad entry, when it is not, or
when its keyed entries cannot be checked because this desk has no audit key; with ``--head FILE``
it also fails when the log was shortened or re-written after that head. ``head --out FILE``
verifies the log, then writes its newest entry's position, id and hash (JSON) for keeping
somewhere the desks' database users cannot write. ``export`` writes the entries of local
(Europe/London) days FROM to TO inclusive as CSV, optionally only those about one person or by one
user, for ``--as`` a user whose roles may read the log (password on standard input), and records
that they did so. A head file that cannot be read exits 2, naming the file.
"""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from spa_desk.cli.arguments import (
    EXIT_BAD_INPUT,
    EXIT_FAILED,
    EXIT_OK,
    add_period,
    check_period,
    person_id,
    read_password,
    write_output,
)
from spa_desk.cli.options import DeskOptions

if TYPE_CHECKING:
    from spa_desk.database import Database
    from spa_desk.governance.head import AuditHead
    from spa_desk.governance.verify import AuditVerification


def add_commands(commands: Any) -> None:
    """Add ``audit verify``, ``audit head`` and ``audit export`` to the command-line parser."""
    audit = commands.add_parser("audit", help="the tamper-evident audit log")
    actions = audit.add_subparsers(dest="audit_command", metavar="ACTION", required=True)
    verify = actions.add_parser(
        "verify", help="check the hash chain: exit 0 if intact, 1 naming the first bad entry"
    )
    verify.add_argument(
        "--head",
        type=Path,
        metavar="FILE",
        help="a head written by 'audit head': also fail if the log was shortened or re-written "
        "after it",
    )
    head = actions.add_parser(
        "head", help="verify the log, then write its newest entry's position, id and hash"
    )
    head.add_argument("--out", type=Path, required=True, metavar="FILE", help="'-' for stdout")
    export = actions.add_parser(
        "export", help="audit entries of local days FROM to TO inclusive as CSV"
    )
    add_period(export)
    export.add_argument("--csv", type=Path, required=True, metavar="FILE", help="'-' for stdout")
    export.add_argument(
        "--person", type=person_id, metavar="ID", help="only entries about this person's record"
    )
    export.add_argument("--user", metavar="NAME", help="only entries of this user")
    export.add_argument(
        "--as",
        dest="actor",
        required=True,
        metavar="NAME",
        help="your user name (an SPA manager or administrator); your password is read from "
        "standard input",
    )


def _report(outcome: AuditVerification, head: AuditHead | None = None) -> int:
    """Print what verifying found; the exit status."""
    if outcome.ok:
        sys.stdout.write(
            f"Audit log intact: {outcome.entries:,} entries ({outcome.keyed:,} keyed, "
            f"{outcome.unkeyed:,} older and unkeyed).\n"
        )
        if head is not None:
            grown = outcome.entries - head.position
            sys.stdout.write(
                f"The head written {head.when} (entry {head.position}) is still in place; "
                f"{grown:,} entr{'y was' if grown == 1 else 'ies were'} added since.\n"
            )
        return EXIT_OK
    if outcome.needs_key:
        sys.stderr.write(f"Audit log cannot be verified: {outcome.problem}.\n")
    else:
        sys.stderr.write(f"Audit log NOT intact: {outcome.problem}.\n")
    return EXIT_FAILED


def _verify(args: argparse.Namespace, database: Database) -> int:
    from spa_desk.governance.head import HeadFileProblem, read_head
    from spa_desk.governance.verify import verify

    head = None
    if args.head is not None:
        try:
            head = read_head(args.head)
        except HeadFileProblem as problem:
            sys.stderr.write(f"spa-desk: {problem}\n")
            return EXIT_BAD_INPUT
    return _report(verify(database, head=head), head)


def _head(args: argparse.Namespace, database: Database) -> int:
    from spa_desk.errors import KnownError
    from spa_desk.governance.head import AuditHead, head_text
    from spa_desk.governance.verify import verify

    outcome = verify(database)
    if not outcome.ok:
        _report(outcome)
        sys.stderr.write("The log was not verified, so no head was written.\n")
        return EXIT_FAILED
    if outcome.newest is None:
        raise KnownError("The audit log has no entries yet: there is no head to write.")
    head = AuditHead(**outcome.newest.model_dump(), written_at=datetime.now(UTC))
    write_output(args.out, lambda out: out.write(head_text(head)))
    said = f"Wrote the head of the audit log (entry {head.position}) to {args.out}.\n"
    (sys.stderr if str(args.out) == "-" else sys.stdout).write(said)
    return EXIT_OK


def _export(args: argparse.Namespace, database: Database) -> int:
    from spa_desk.access.login import authenticate
    from spa_desk.governance.export import export_csv_as, record_export
    from spa_desk.governance.search import user_id_named_as
    from spa_desk.local_time import local_days_to_utc
    from spa_desk.permissions import Action, require

    check_period(args)
    start, end = local_days_to_utc(args.first, args.last)
    actor = authenticate(database, args.actor, read_password(args.actor))
    require(actor, Action.VIEW_AUDIT)  # before a file is begun; the services check it too
    user_id = None if args.user is None else user_id_named_as(database, actor, args.user)

    def write(out: TextIO) -> int:
        return export_csv_as(
            database, actor, out, person_id=args.person, user_id=user_id, start=start, end=end
        )

    count = write_output(args.csv, write)
    record_export(
        database,
        actor,
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
            return _verify(args, database)
        if args.audit_command == "head":
            return _head(args, database)
        return _export(args, database)
    finally:
        database.close()
