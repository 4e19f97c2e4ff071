"""A report as the files a manager keeps: its PDF and CSV, what to call them, and what to say.

The desk and the command line both ask here, so a signed shift gives its signed files in both,
byte for byte, with the same words. Long reports tell their progress through ``progress`` and
stop with :class:`Cancelled` when it says so.
"""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime

from pydantic import BaseModel, ConfigDict

from spa_desk.database import Database
from spa_desk.domain import CurrentUser
from spa_desk.errors import KnownError
from spa_desk.reports.asking import Progress
from spa_desk.reports.shifts import Shift
from spa_desk.settings import Settings


class Cancelled(KnownError):
    """The manager cancelled the report before it was done."""

    def __init__(self) -> None:
        super().__init__("The report was cancelled; nothing was made.")


def cancellable(tell: Progress | None, stop: threading.Event) -> Progress:
    """A progress callback that passes progress on to ``tell`` and raises :class:`Cancelled`
    once ``stop`` is set."""

    def progress(done: int, steps: int) -> None:
        if stop.is_set():
            raise Cancelled
        if tell is not None:
            tell(done, steps)

    return progress


class ReportFiles(BaseModel):
    """One report's PDF and CSV."""

    model_config = ConfigDict(frozen=True)

    title: str
    file_stem: str
    """A file name without its extension, such as ``shift-2026-11-24-early``."""
    pdf: bytes
    csv: bytes
    signed: bool = False
    words: str = ""
    """What the manager is told with the files (a signed report says so, and what changed)."""


def shift_files(
    database: Database,
    actor: CurrentUser | None,
    shift: Shift,
    settings: Settings,
    *,
    now: datetime | None = None,
    produced_by: str | None = None,
) -> ReportFiles:
    """The shift's report: the signed files when it is signed, else made now."""
    from spa_desk.reports.pdf.shift import shift_pdf
    from spa_desk.reports.shift_report import shift_csv, shift_report
    from spa_desk.reports.signing import signed_shift_report

    stem = f"shift-{shift.date.isoformat()}-{shift.name}"
    signed = signed_shift_report(database, actor, shift)
    if signed is not None:
        return ReportFiles(
            title=shift.title,
            file_stem=stem + "-signed",
            pdf=signed.pdf,
            csv=signed.csv,
            signed=True,
            words=signed.words,
        )
    now = now or datetime.now(UTC)
    report = shift_report(database, actor, shift, settings, now=now, produced_by=produced_by)
    if now < shift.start_utc:
        words = f"{shift.title} has not started yet: it has no figures."
    elif now < shift.end_utc:
        words = f"{shift.title} has not ended: these are its figures so far."
    else:
        words = f"{shift.title} is not signed yet."
    return ReportFiles(
        title=shift.title,
        file_stem=stem,
        pdf=shift_pdf(report),
        csv=shift_csv(report).encode("utf-8"),
        words=words,
    )


def trends_files(
    database: Database,
    actor: CurrentUser | None,
    first: date,
    last: date,
    *,
    progress: Progress | None = None,
    produced_by: str | None = None,
) -> ReportFiles:
    """Demand and FCR trends over local days ``first`` to ``last``."""
    from spa_desk.reports.pdf.trends import trends_pdf
    from spa_desk.reports.trends import trends, trends_csv

    report = trends(
        database, actor, first, last, progress=_and_files(progress), produced_by=produced_by
    )
    pdf = trends_pdf(report)
    if progress is not None:
        progress(1, 1)
    peaks = ", ".join(f"{cell.words} ({cell.mean or 0:.1f} an hour)" for cell in report.peaks)
    return ReportFiles(
        title=f"Trends {first:%d %b %Y} to {last:%d %b %Y}",
        file_stem=f"trends-{first.isoformat()}-{last.isoformat()}",
        pdf=pdf,
        csv=trends_csv(report).encode("utf-8"),
        words=f"{report.contacts:,} contacts. Busiest: {peaks}." if report.contacts else
        "No contacts in this period.",
    )  # fmt: skip


def gaps_files(
    database: Database,
    actor: CurrentUser | None,
    first: date,
    last: date,
    *,
    progress: Progress | None = None,
    produced_by: str | None = None,
) -> ReportFiles:
    """Service gaps over local days ``first`` to ``last``."""
    from spa_desk.reports.gaps import gaps_csv, service_gaps
    from spa_desk.reports.pdf.gaps import gaps_pdf

    report = service_gaps(
        database, actor, first, last, progress=_and_files(progress), produced_by=produced_by
    )
    top = report.needs[0] if report.needs else None
    pdf = gaps_pdf(report)
    if progress is not None:
        progress(1, 1)
    return ReportFiles(
        title=f"Service gaps {first:%d %b %Y} to {last:%d %b %Y}",
        file_stem=f"service-gaps-{first.isoformat()}-{last.isoformat()}",
        pdf=pdf,
        csv=gaps_csv(report).encode("utf-8"),
        words=f"{report.total:,} unmet needs; most often: {top.need} ({top.count})."
        if top else "No unmet needs were recorded in this period.",
    )  # fmt: skip


def _and_files(progress: Progress | None) -> Progress | None:
    """``progress`` for a report's own steps, with one step more after them: its PDF and CSV
    (so that the bar never goes back)."""
    if progress is None:
        return None
    told = progress
    return lambda done, total: told(done, total + 1)
