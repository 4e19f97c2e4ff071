"""Running ``spa-desk triage`` and ``spa-desk rules check`` inside the test process.

A real process (``tests.cli_process.run_spa_desk``) takes over a second to start; the fuzz tests
run the same command function hundreds of times, so they call it here instead. An exception that
escapes the command is what the real process would print as a traceback: it is reported as such.
"""

from __future__ import annotations

import io
import time
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass
from unittest import mock

from spa_desk.cli.main import build_parser, run


@dataclass(frozen=True)
class CommandResult:
    """What a command did: its exit status, what it printed, and how long it took."""

    returncode: int
    stdout: str
    stderr: str
    seconds: float


def run_command(*argv: str, stdin: str = "") -> CommandResult:
    """Run ``spa-desk ARGV`` (a headless command) here; AssertionError if it would crash."""
    args = build_parser().parse_args(list(argv))
    out, err = io.StringIO(), io.StringIO()
    started = time.perf_counter()
    with (
        redirect_stdout(out),
        redirect_stderr(err),
        mock.patch("sys.stdin", io.StringIO(stdin)),
    ):
        try:
            returncode = run(args)
        except Exception as error:
            raise AssertionError(
                f"spa-desk {' '.join(argv)} would end in a traceback: "
                f"{type(error).__name__}: {error}"
            ) from error
    return CommandResult(returncode, out.getvalue(), err.getvalue(), time.perf_counter() - started)
