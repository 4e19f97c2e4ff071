"""``spa-desk queue list [--stream STREAM] [--json]`` (SPEC 10): the hand-offs waiting, most
overdue first, with id, stream, kind (warm or call-back), urgency, due time, waiting since and
attempts. No personal data: a queue line never names the caller or the person."""

from __future__ import annotations

import argparse
import json
from datetime import UTC, datetime
from typing import Any

from spa_desk.cli.arguments import EXIT_OK
from spa_desk.cli.options import DeskOptions
from spa_desk.vocabulary import Stream


def add_commands(commands: Any) -> None:
    """Add ``queue list`` to the command-line parser."""
    group = commands.add_parser("queue", help="the level-2 hand-off queues")
    actions = group.add_subparsers(dest="queue_command", metavar="ACTION", required=True)
    listing = actions.add_parser("list", help="the hand-offs waiting, most overdue first")
    listing.add_argument(
        "--stream", choices=[stream.value for stream in Stream], help="only this stream's queue"
    )
    listing.add_argument("--json", action="store_true", help="one JSON array, for programs")


def _utc(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def run(args: argparse.Namespace, options: DeskOptions) -> int:
    """Print the queue as a table, or as JSON with ``--json``."""
    from spa_desk.database import open_database
    from spa_desk.handoff.queue import queue

    streams = (Stream(args.stream),) if args.stream else None
    now = datetime.now(UTC)
    database = open_database(options.database_url)
    try:
        items = queue(database, None, streams=streams)
    finally:
        database.close()
    rows = [
        {
            "id": str(item.id),
            "stream": item.stream.value,
            "kind": item.kind.value,
            "urgency": item.urgency.value if item.urgency else None,
            "due_at": _utc(item.due_at),
            "waiting_since": _utc(item.handed_at),
            "attempts": item.attempts,
            "status": item.status.value,
            "overdue": item.overdue(now),
        }
        for item in items
    ]
    if args.json:
        print(json.dumps(rows, indent=2))
        return EXIT_OK
    if not rows:
        print("No hand-offs are waiting.")
        return EXIT_OK
    print(
        f"{'id':<36}  {'stream':<18}  {'kind':<9}  {'urgency':<9}  {'due (UTC)':<20}  "
        f"{'waiting since (UTC)':<20}  attempts"
    )
    for row in rows:
        flag = "  OVERDUE" if row["overdue"] else ""
        flag += "  with the SPA manager" if row["status"] == "escalated" else ""
        print(
            f"{row['id']:<36}  {row['stream']:<18}  {row['kind']:<9}  "
            f"{row['urgency'] or '-':<9}  {row['due_at']:<20}  {row['waiting_since']:<20}  "
            f"{row['attempts']}{flag}"
        )
    return EXIT_OK
