"""``spa-desk export contacts``: one CSV row per saved contact, SPEC 10's columns."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from spa_desk.cli.arguments import EXIT_OK, add_period, check_period, write_output
from spa_desk.cli.options import DeskOptions


def add_commands(commands: Any) -> None:
    """Add ``export contacts`` to the command-line parser."""
    export = commands.add_parser("export", help="export data as CSV")
    export_commands = export.add_subparsers(dest="export_command", metavar="WHAT", required=True)
    contacts = export_commands.add_parser(
        "contacts", help="one row per saved contact, local days FROM to TO inclusive"
    )
    add_period(contacts)
    contacts.add_argument("--csv", type=Path, required=True, metavar="FILE", help="'-' for stdout")


def run(args: argparse.Namespace, options: DeskOptions) -> int:
    """Write the contacts of the period as CSV to a file or standard output."""
    from spa_desk.database import open_existing_database
    from spa_desk.interop.contacts_csv import export_contacts

    check_period(args)
    database = open_existing_database(options.database_url)
    try:
        count = write_output(
            args.csv, lambda out: export_contacts(database, args.first, args.last, out)
        )
        print(f"Exported {count:,} contacts.", file=sys.stderr)
        return EXIT_OK
    finally:
        database.close()
