"""``spa-desk report shift|sign|trends|gaps`` (SPEC 10): the SPA manager's reports, headless.

- ``report shift --date D --shift S [--pdf FILE] [--csv FILE]``: a shift's report; with neither
  file, its CSV on standard output. A signed shift gives the signed files, byte for byte, and
  says so on standard error, with the contacts saved or changed since the signing.
- ``report sign --date D --shift S --as MANAGER``: sign it (the password on standard input).
- ``report trends|gaps --from DATE --to DATE [--pdf FILE] [--csv FILE]``: over local days.

A bad date, an unknown shift or a file that cannot be written exits 2 with the problem in words,
before any work is done where that can be known first; ``-`` as a file is standard output.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from spa_desk.cli.arguments import (
    EXIT_BAD_INPUT,
    EXIT_OK,
    LONGEST_REPORT_DAYS,
    add_period,
    command_line_user,
    output_file,
    parse_date,
    period_problem,
    read_password,
    report_known_error,
)
from spa_desk.cli.options import DeskOptions
from spa_desk.errors import InvalidInput, KnownError

if TYPE_CHECKING:
    from spa_desk.database import Database
    from spa_desk.reports.shifts import Shift


class BadInput(KnownError):
    """A problem with what the command was given (exit 2)."""


def add_commands(commands: Any) -> None:
    """Add ``report shift|sign|trends|gaps`` to the command-line parser."""
    group = commands.add_parser("report", help="shift reports, trends and service gaps")
    actions = group.add_subparsers(dest="report_command", metavar="REPORT", required=True)
    shift = actions.add_parser("shift", help="one shift's report (PDF and/or CSV)")
    _shift_arguments(shift)
    _file_arguments(shift)
    sign = actions.add_parser("sign", help="sign a shift report (SPA managers)")
    _shift_arguments(sign)
    sign.add_argument(
        "--as",
        dest="actor",
        required=True,
        metavar="MANAGER",
        help="your user name (an SPA manager); your password is read from standard input",
    )
    for name, words in (
        ("trends", "demand by weekday and hour, peaks and troughs, month on month"),
        ("gaps", "unmet needs by need, age band and area"),
    ):
        period = actions.add_parser(name, help=words)
        add_period(period)
        _file_arguments(period)


def _shift_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--date",
        type=parse_date,
        required=True,
        metavar="YYYY-MM-DD",
        help="the local date the shift starts on (a night shift: its evening)",
    )
    parser.add_argument(
        "--shift", required=True, metavar="NAME", help="early, late or night (or the SPA's own)"
    )


def _file_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--pdf", type=Path, metavar="FILE", help="write the PDF here")
    parser.add_argument("--csv", type=Path, metavar="FILE", help="write the CSV here ('-': stdout)")


def _check_writable(target: Path | None) -> None:
    """BadInput, before any work, when ``target`` cannot be written."""
    if target is None or str(target) == "-":
        return
    try:
        real = output_file(target)
    except KnownError as error:
        raise BadInput(str(error)) from None
    folder = real.parent
    if folder.exists() and not folder.is_dir():
        raise BadInput(f"Cannot write {target}: {folder} is a file, not a folder.")
    if not folder.is_dir():
        raise BadInput(f"Cannot write {target}: the folder {folder} does not exist.")
    if not os.access(folder, os.W_OK) or (real.exists() and not os.access(real, os.W_OK)):
        raise BadInput(f"Cannot write {target}: permission denied.")
    trial = real.with_name(real.name + ".part")  # where _write writes it first
    try:
        trial.open("xb").close()
        trial.unlink()
    except FileExistsError:
        pass  # left by a run that stopped: _write writes over it
    except OSError as error:
        raise BadInput(f"Cannot write {target} in {folder}: {error.strerror}.") from None


def _check_outputs(pdf: Path | None, csv: Path | None) -> None:
    """BadInput when ``--pdf`` and ``--csv`` name one place (standard output, or one file by
    any of its names): the second would be written over the first, or mixed with it."""
    if pdf is None:
        return
    where_csv = csv or Path("-")  # the CSV goes to standard output when no file is named
    same = str(pdf) == str(where_csv) == "-" or (
        "-" not in (str(pdf), str(where_csv))
        and os.path.realpath(pdf) == os.path.realpath(where_csv)
    )
    if same and csv is None:
        raise BadInput(
            "--pdf - writes the PDF to standard output, where the CSV goes when --csv is not "
            "given: give --csv FILE too."
        )
    if same:
        raise BadInput(f"--pdf and --csv both name {pdf}: give each its own file.")


def _write(target: Path, data: bytes) -> None:
    """Write ``data`` to ``target`` (``-``: standard output), which appears only complete."""
    if str(target) == "-":
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return
    try:
        real = output_file(target)
    except KnownError as error:
        raise BadInput(str(error)) from None
    temporary = real.with_name(real.name + ".part")
    try:
        temporary.write_bytes(data)
        temporary.replace(real)
    except OSError as error:
        temporary.unlink(missing_ok=True)
        raise BadInput(f"Cannot write {target}: {error.strerror}.") from None


def _said(target: Path, what: str) -> None:
    if str(target) != "-":
        print(f"Wrote {what} to {target}.", file=sys.stderr)


def _shift(args: argparse.Namespace, options: DeskOptions) -> Shift:
    from spa_desk.reports.shift_report import named_shift

    try:
        return named_shift(args.date, args.shift, options.settings.shifts)
    except InvalidInput as error:
        raise BadInput(str(error)) from None


def _outputs(args: argparse.Namespace, pdf: bytes, csv: bytes) -> None:
    """Write the PDF and/or CSV asked for; the CSV on standard output when neither is."""
    if args.pdf is not None:
        _write(args.pdf, pdf)
        _said(args.pdf, "the PDF")
    if args.csv is not None or args.pdf is None:
        target = args.csv or Path("-")
        _write(target, csv)
        _said(target, "the CSV")


def _report_shift(args: argparse.Namespace, options: DeskOptions, database: Database) -> int:
    from spa_desk.reports.files import shift_files

    shift = _shift(args, options)
    files = shift_files(database, None, shift, options.settings, produced_by=command_line_user())
    print(files.words, file=sys.stderr)
    _outputs(args, files.pdf, files.csv)
    return EXIT_OK


def _sign(args: argparse.Namespace, options: DeskOptions, database: Database) -> int:
    from spa_desk.access.login import authenticate
    from spa_desk.reports.signing import sign_shift_report

    shift = _shift(args, options)
    actor = authenticate(database, args.actor, read_password(args.actor))
    signed = sign_shift_report(database, actor, shift, options.settings)
    print(
        f"Signed {shift.title} as {signed.signature.name}.\n"
        f"  PDF SHA-256 {signed.pdf_sha256}\n  CSV SHA-256 {signed.csv_sha256}"
    )
    return EXIT_OK


def _period(args: argparse.Namespace) -> None:
    problem = period_problem(args, longest_days=LONGEST_REPORT_DAYS)
    if problem is not None:
        raise BadInput(problem)


def _trends(args: argparse.Namespace, options: DeskOptions, database: Database) -> int:
    from spa_desk.reports.files import trends_files

    files = trends_files(database, None, args.first, args.last, produced_by=command_line_user())
    print(files.words, file=sys.stderr)
    _outputs(args, files.pdf, files.csv)
    return EXIT_OK


def _gaps(args: argparse.Namespace, options: DeskOptions, database: Database) -> int:
    from spa_desk.reports.files import gaps_files

    files = gaps_files(database, None, args.first, args.last, produced_by=command_line_user())
    print(files.words, file=sys.stderr)
    _outputs(args, files.pdf, files.csv)
    return EXIT_OK


_ACTIONS = {"shift": _report_shift, "sign": _sign, "trends": _trends, "gaps": _gaps}


def run(args: argparse.Namespace, options: DeskOptions) -> int:
    """Run one ``report`` action. Exit 2 for bad input (words on standard error), 1 for other
    problems a user can act on (a wrong password, a report signed already)."""
    from spa_desk.database import NoSuchDatabase, open_existing_database

    try:
        if args.report_command in ("trends", "gaps"):
            _period(args)
        for target in (getattr(args, "pdf", None), getattr(args, "csv", None)):
            _check_writable(target)
        if args.report_command != "sign":
            _check_outputs(args.pdf, args.csv)
        database = open_existing_database(options.database_url)
    except (BadInput, NoSuchDatabase) as error:
        report_known_error(error)
        return EXIT_BAD_INPUT
    try:
        return _ACTIONS[args.report_command](args, options, database)
    except BadInput as error:
        report_known_error(error)
        return EXIT_BAD_INPUT
    finally:
        database.close()
