"""``spa-desk db upgrade`` and ``spa-desk db status``: the database schema."""

from __future__ import annotations

import argparse
from typing import Any

from spa_desk.cli.arguments import EXIT_OK
from spa_desk.cli.options import DeskOptions


def add_commands(commands: Any) -> None:
    """Add ``db upgrade`` and ``db status`` to the command-line parser."""
    db_parser = commands.add_parser("db", help="database schema")
    db_commands = db_parser.add_subparsers(dest="db_command", metavar="ACTION", required=True)
    db_commands.add_parser("upgrade", help="bring the database to the newest schema revision")
    db_commands.add_parser("status", help="show which database is used and its schema revision")


def run(args: argparse.Namespace, options: DeskOptions) -> int:
    """Upgrade the schema, or say which database this is and its revision."""
    from spa_desk.database import connect, schema_report, upgrade_to_newest

    database = connect(options.database_url)
    try:
        if args.db_command == "upgrade":
            head = upgrade_to_newest(database)
            print(f"{database.description} is at the newest schema ({head}).")
            return EXIT_OK
        report = schema_report(database)
        print(f"database: {database.description}")
        print(
            f"schema revision: {report.revision or '(none)'} ({report.state}; newest {report.head})"
        )
        return EXIT_OK
    finally:
        database.close()
