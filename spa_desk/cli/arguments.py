"""What every command group shares: exit statuses, argument types with messages in words,
printing a problem, and writing an output file so that a failure never leaves half a file."""

from __future__ import annotations

import argparse
import getpass
import os
import re
import sys
import uuid
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TextIO, TypeVar

from spa_desk.errors import KnownError

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_BAD_INPUT = 2

T = TypeVar("T")


_YYYY_MM_DD = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
FIRST_YEAR, LAST_YEAR = 1900, 2999
"""The years a command's date may be in (a later one would run past the calendar's end)."""
LONGEST_REPORT_DAYS = 3660
"""A report's period is at most ten years: its figures are counted hour by hour, and a longer
one is a slip of the keyboard that would run for hours."""


def parse_date(text: str) -> date:
    """An argparse type for YYYY-MM-DD dates, with a message in words."""
    try:
        if not _YYYY_MM_DD.fullmatch(text):
            raise ValueError(text)
        day = date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date: use YYYY-MM-DD") from None
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise argparse.ArgumentTypeError(
            f"{text} is out of range: give a date from {FIRST_YEAR} to {LAST_YEAR}"
        )
    return day


def positive_int(text: str) -> int:
    """An argparse type for whole numbers of 1 or more."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{value} is too small: give 1 or more")
    return value


def person_id(text: str) -> uuid.UUID:
    """An argparse type for a person's id (the UUID the desk gave them)."""
    try:
        return uuid.UUID(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a person id: give the id the desk shows, like "
            "1b4e28ba-2fa1-11d2-883f-0016d3cca427"
        ) from None


def add_period(parser: argparse.ArgumentParser) -> None:
    """``--from DATE --to DATE``: local (Europe/London) days, both included."""
    parser.add_argument("--from", dest="first", type=parse_date, required=True, metavar="DATE")
    parser.add_argument("--to", dest="last", type=parse_date, required=True, metavar="DATE")


def period_problem(args: argparse.Namespace, *, longest_days: int | None = None) -> str | None:
    """What is wrong with ``--from`` and ``--to``, in words: ``--to`` before ``--from``, or a
    period longer than ``longest_days``; None when nothing is."""
    if args.last < args.first:
        return f"--to {args.last} is before --from {args.first}."
    if longest_days is not None and (args.last - args.first).days >= longest_days:
        years = longest_days // 366
        return f"--from {args.first} --to {args.last} is over {years} years: give a shorter period."
    return None


def check_period(args: argparse.Namespace) -> None:
    """KnownError when ``--to`` comes before ``--from`` (:func:`period_problem`)."""
    problem = period_problem(args)
    if problem is not None:
        raise KnownError(problem)


def output_file(target: Path) -> Path:
    """The file an output named ``target`` is written to: a symbolic link's file (the link stays
    a link), refused in words (KnownError) when that is a folder or not a plain file at all,
    such as a device. The output is written beside it and renamed over it, and a rename over
    a device or a link would put a file where it was."""
    real = Path(os.path.realpath(target))
    if real.is_dir():
        raise KnownError(f"Cannot write {target}: it is a folder.")
    if real.exists() and not real.is_file():
        raise KnownError(f"Cannot write {target}: it is not a plain file.")
    return real


def write_output(target: Path, write: Callable[[TextIO], T]) -> T:
    """Run ``write`` on standard output (``-``) or on ``target``, which appears only complete:
    it is written beside the target first and renamed. KnownError when it cannot be written."""
    if str(target) == "-":
        return write(sys.stdout)
    real = output_file(target)
    temporary = real.with_name(real.name + ".part")
    try:
        with temporary.open("w", encoding="utf-8", newline="") as out:
            result = write(out)
        temporary.replace(real)
    except OSError as error:
        temporary.unlink(missing_ok=True)
        raise KnownError(f"Cannot write {target}: {error.strerror}.") from None
    return result


def report_known_error(error: Exception) -> int:
    """Print a problem the user can act on, in words and without a traceback."""
    print(f"spa-desk: {error}", file=sys.stderr)
    return EXIT_FAILED


def read_password(username: str) -> str:
    """``username``'s password: asked for at a terminal, else one line of standard input."""
    if sys.stdin.isatty():
        return getpass.getpass(f"Password for {username}: ")
    return sys.stdin.readline().rstrip("\n")


def command_line_user() -> str:
    """Who ran a command with no ``--as``, for a report's footer or an audit entry."""
    try:
        return f"{getpass.getuser()} (command line)"
    except (KeyError, OSError):
        return "the command line"
