"""A crash report: what happened, the traceback as files, lines, functions and code, and the
versions of SPA Desk, Python, Qt and the platform; never the exception's message or any value,
which may hold a caller's name, NHS number or phone number (see :mod:`ui.shell.crash_handler`).
"""

from __future__ import annotations

import contextlib
import sys
import traceback
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType

CRASH_FOLDER_NAME = "crash-reports"
"""The folder in the desk's data directory that holds crash reports."""


MAX_FRAMES = 100
"""The innermost frames of each exception kept in a report (a deep recursion has thousands)."""


_CAUSE = "The above exception was the direct cause of the following exception:"


_CONTEXT = "During handling of the above exception, another exception occurred:"


_LEFT_OUT = "    (a line left out here: it looked like it held an NHS or phone number)"


def crash_folder(data_dir: Path) -> Path:
    """Where the desk whose data directory is ``data_dir`` writes its crash reports."""
    return data_dir / CRASH_FOLDER_NAME


def type_name(kind: type[BaseException]) -> str:
    """``ValueError``, or ``sqlalchemy.exc.OperationalError`` for a library's own."""
    module = kind.__module__
    return kind.__qualname__ if module == "builtins" else f"{module}.{kind.__qualname__}"


def short_path(filename: str) -> str:
    """A frame's file as its import path (``ui/call/controller.py``): never a home folder."""
    path = Path(filename)
    if not path.is_absolute():
        return filename  # '<frozen runpy>', '<string>'
    best: Path | None = None
    for entry in sys.path:
        if not entry or not Path(entry).is_absolute():
            continue
        with contextlib.suppress(ValueError):
            relative = path.relative_to(entry)
            if best is None or len(relative.parts) < len(best.parts):
                best = relative
    return (best or Path(path.name)).as_posix()


def traceback_lines(error: BaseException, tb: TracebackType | None) -> list[str]:
    """The traceback as Python prints it, causes first: each exception's type, never its message."""
    blocks: list[list[str]] = []
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None:
        seen.add(id(current))
        frames = list(traceback.extract_tb(tb))
        block = ["Traceback (most recent call last):"]
        if len(frames) > MAX_FRAMES:
            block.append(f"  ... {len(frames) - MAX_FRAMES} outer frames left out ...")
        for frame in frames[-MAX_FRAMES:]:
            block.append(
                f'  File "{short_path(frame.filename)}", line {frame.lineno}, in {frame.name}'
            )
            if frame.line:
                block.append(f"    {frame.line.strip()}")
        block.append(type_name(type(current)))
        link = _CAUSE if current.__cause__ is not None else _CONTEXT
        if current.__cause__ is None and current.__suppress_context__:
            current = None
        else:
            current = current.__cause__ or current.__context__
        if current is not None and id(current) not in seen:
            block[:0] = ["", link, ""]  # printed between the earlier exception and this one
        else:
            current = None
        blocks.append(block)
        tb = current.__traceback__ if current is not None else None
    return [line for block in reversed(blocks) for line in block]


def _versions() -> list[str]:
    import platform  # these load only when a report is written, not at start-up
    from importlib import metadata

    from PySide6 import __version__ as pyside_version
    from PySide6.QtCore import qVersion

    import spa_desk

    try:
        qasync_version = metadata.version("qasync")
    except metadata.PackageNotFoundError:
        qasync_version = "(unknown)"
    return [
        f"SPA Desk {spa_desk.__version__}",
        f"Python {platform.python_version()} ({platform.python_implementation()})",
        f"PySide6 {pyside_version}, Qt {qVersion()}, qasync {qasync_version}",
        f"Platform: {platform.platform()}",
    ]


def _scrubbed(lines: Iterable[str]) -> str:
    """The lines as text, leaving out any that looks like it holds an NHS or phone number."""
    from spa_desk.identifiers import looks_like_nhs_or_phone_number

    kept = [_LEFT_OUT if looks_like_nhs_or_phone_number(line) else line for line in lines]
    return "\n".join(kept) + "\n"


def report_text(
    kind: type[BaseException],
    error: BaseException,
    tb: TracebackType | None,
    where: str,
    when: datetime,
) -> str:
    """A crash report: what happened, when, the versions and the traceback; no personal data."""
    return _scrubbed(
        [
            "SPA Desk crash report",
            "",
            f"What happened: an unexpected {type_name(kind)} in {where}.",
            f"When: {when.astimezone(UTC):%Y-%m-%d %H:%M:%S} UTC",
            "Left out on purpose: the exception's message and the values of all variables,",
            "which may hold a caller's name, NHS number or phone number.",
            "",
            *_versions(),
            "",
            *traceback_lines(error, tb),
            "",
        ]
    )


def write_crash_report(
    folder: Path,
    kind: type[BaseException],
    error: BaseException,
    tb: TracebackType | None,
    where: str,
    *,
    when: datetime | None = None,
) -> Path:
    """Write a crash report into ``folder``, named by the time (UTC); its path. OSError when
    the folder cannot be made or written."""
    when = when or datetime.now(UTC)
    text = report_text(kind, error, tb, where, when)
    folder.mkdir(parents=True, exist_ok=True)
    stem = f"crash-{when.astimezone(UTC):%Y-%m-%d-%H%M%S}Z"
    for number in range(1, 1000):
        path = folder / (f"{stem}.txt" if number == 1 else f"{stem}-{number}.txt")
        try:
            with path.open("x", encoding="utf-8") as file:
                file.write(text)
        except FileExistsError:
            continue
        return path
    raise FileExistsError(f"Too many crash reports named {stem} in {folder}")


def add_to_report(path: Path, lines: Iterable[str]) -> None:
    """Add lines to a report (a report that cannot be added to stays as it was)."""
    with contextlib.suppress(OSError), path.open("a", encoding="utf-8") as file:
        file.write(_scrubbed(lines))


def last_words(kind: type[BaseException], during: str) -> None:
    """One line on standard error when even the handler fails: no message, and no loop."""
    with contextlib.suppress(Exception):
        sys.stderr.write(f"SPA Desk: an unexpected {type_name(kind)} {during}.\n")
