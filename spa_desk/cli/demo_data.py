"""``spa-desk demo-data``: fill the database with fictional people and contacts at the reference
SPA's volume (SPEC 10). This group is the only door to :mod:`spa_desk.demo`: the desk's
``--screenshot`` and the README's screenshots get the demo log-in and a demo database here.

Without ``--start`` the data is the N calendar months that end at the moment the command runs:
today's shifts so far are filled and the newest calls are open drafts. With ``--start`` it is N
calendar months from that local day, stopping at now if the period has not ended yet."""

from __future__ import annotations

import argparse
import sys
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from spa_desk.cli.arguments import EXIT_OK, parse_date, positive_int
from spa_desk.cli.options import DeskOptions
from spa_desk.demo.volume import CONTACTS_PER_MONTH
from spa_desk.local_time import LONDON, utc_clock

if TYPE_CHECKING:
    from spa_desk.demo.generator import DemoSummary


def add_commands(commands: Any) -> None:
    """Add ``demo-data`` to the command-line parser."""
    demo = commands.add_parser("demo-data", help="fill the database with fictional demo data")
    demo.add_argument("--months", type=positive_int, required=True, help="months of contacts")
    demo.add_argument(
        "--start",
        type=parse_date,
        help="first local day (YYYY-MM-DD): N calendar months from it, stopping at now if the "
        "period has not ended (default: the N months that end now)",
    )
    demo.add_argument("--seed", type=int, default=1, help="random seed: same seed, same data")
    demo.add_argument(
        "--per-month",
        type=positive_int,
        default=CONTACTS_PER_MONTH,
        metavar="N",
        help=f"about N calls a month (default {CONTACTS_PER_MONTH:,}, the reference SPA's volume)",
    )
    demo.add_argument(
        "--if-empty",
        action="store_true",
        help="do nothing when the database already holds data (instead of refusing)",
    )


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
    """The first day of the ``months`` calendar months that end with ``today`` (31 August for
    three months on 30 November); the data then runs up to now."""
    from spa_desk.demo.volume import first_day_back

    return first_day_back(today, months)


def describe(summary: DemoSummary, where: str) -> list[str]:
    """What ``demo-data`` says it made in the database described by ``where``: the counts, the
    period (up to now, or its first and last days) and the calls in progress at now."""
    if summary.up_to_now:
        stop = summary.stop.astimezone(LONDON)
        period = f"{summary.start:%d %b %Y} up to now ({stop:%d %b %Y %H:%M})"
    else:
        period = f"{summary.start:%d %b %Y} to {summary.end - timedelta(days=1):%d %b %Y}"
    lines = [
        f"Demo data in {where}: {summary.contacts:,} contacts about {summary.people:,} people, "
        f"{summary.users} staff, {summary.services} services, {period}, "
        f"in {summary.seconds:.1f} s."
    ]
    left_out = summary.calls_in_progress
    if summary.drafts:
        more = f" ({left_out} more, still ringing or talking, left out)" if left_out else ""
        lines.append(
            f"{summary.drafts} call(s) in progress now are open drafts{more}: "
            "demo data holds nothing from the future."
        )
    elif left_out:
        lines.append(
            f"({left_out} call(s) still going on now were left out: "
            "demo data holds no contacts from the future.)"
        )
    return lines


def run(args: argparse.Namespace, options: DeskOptions) -> int:
    """Fill the configured database (or leave one that holds data, with ``--if-empty``)."""
    from spa_desk.database import open_database
    from spa_desk.demo.generator import DemoProgress, database_is_empty, generate_demo_data

    database = open_database(options.database_url)
    try:
        if args.if_empty and not database_is_empty(database):
            print(f"{database.description} already holds data; left as it is.")
            return EXIT_OK
        now = utc_clock()  # one instant for the default first day and for where the data stops
        start = args.start or default_demo_start(args.months, now.astimezone(LONDON).date())
        printer = ProgressPrinter(sys.stderr)

        def report(progress: DemoProgress) -> None:
            printer(progress.stage, progress.done, progress.total)

        summary = generate_demo_data(
            database,
            months=args.months,
            start=start,
            seed=args.seed,
            now=now,
            progress=report,
            per_month=args.per_month,
        )
        for line in describe(summary, database.description):
            print(line)
        return EXIT_OK
    finally:
        database.close()


def demo_sqlite_database(path: Path, *, months: int, start: date, seed: int, now: datetime) -> str:
    """A new SQLite file at ``path`` filled with demo data as of ``now``; its database URL."""
    from db.engine import sqlite_url
    from spa_desk.database import open_database
    from spa_desk.demo.generator import generate_demo_data

    url = sqlite_url(path)
    database = open_database(url)
    try:
        generate_demo_data(database, months=months, start=start, seed=seed, now=now)
    finally:
        database.close()
    return url


def demo_login(username: str | None = None) -> tuple[str, str]:
    """A demo user's name (the demo call handler unless another is named) and the password
    every demo user has. Demo data only: a live database has no built-in passwords."""
    from spa_desk.demo.users import DEMO_HANDLER_USERNAME, DEMO_PASSWORD

    return username or DEMO_HANDLER_USERNAME, DEMO_PASSWORD
