"""The shift report (SPEC 6): one shift's figures, who produced it and when, and its CSV.

The figures are :func:`spa_desk.reports.period.period_figures` for the shift's span; the PDF
(:mod:`spa_desk.reports.pdf.shift`) and the CSV here show the same object.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, date, datetime

from pydantic import BaseModel, ConfigDict

from spa_desk.database import Database
from spa_desk.database_marks import is_training
from spa_desk.domain import CurrentUser
from spa_desk.errors import InvalidInput
from spa_desk.reports.asking import producer
from spa_desk.reports.csv_rows import Row, csv_text, fraction, instant, seconds
from spa_desk.reports.figures import PeriodFigures
from spa_desk.reports.period import period_figures
from spa_desk.reports.shifts import Shift, shift_on
from spa_desk.settings import Settings, ShiftDefinition


class Signature(BaseModel):
    """Who signed a shift report, and when."""

    model_config = ConfigDict(frozen=True)

    username: str
    name: str
    signed_at: datetime


class ShiftReport(BaseModel):
    """One shift's report as produced (and, once signed, as signed)."""

    model_config = ConfigDict(frozen=True)

    shift: Shift
    figures: PeriodFigures
    produced_at: datetime
    produced_by: str
    training: bool = False
    """Counted on a training database (SPEC 7): every page says TRAINING."""
    signature: Signature | None = None


def named_shift(day: date, name: str, definitions: tuple[ShiftDefinition, ...]) -> Shift:
    """The shift called ``name`` that starts on local date ``day``; InvalidInput when the SPA
    has no shift of that name."""
    for definition in definitions:
        if definition.name == name:
            return shift_on(day, definition)
    known = ", ".join(d.name for d in definitions)
    raise InvalidInput("Shift", f"there is no {name!r} shift; the shifts are {known}")


def shift_report(
    database: Database,
    actor: CurrentUser | None,
    shift: Shift,
    settings: Settings,
    *,
    now: datetime | None = None,
    produced_by: str | None = None,
) -> ShiftReport:
    """The report of ``shift`` as the data stand ``now``, produced by ``actor`` (or, from the
    command line, by ``produced_by``)."""
    now = now or datetime.now(UTC)
    figures = period_figures(
        database,
        actor,
        shift.start_utc,
        shift.end_utc,
        as_of=now,
        sustained_days=settings.sustained_fcr_days,
        service_level_seconds=settings.service_level_seconds,
    )
    return ShiftReport(
        shift=shift,
        figures=figures,
        produced_at=now,
        produced_by=producer(actor, produced_by),
        training=is_training(database),
    )


def shift_rows(report: ShiftReport) -> list[Row]:
    """The report's CSV rows: at least every row SPEC 10 names, in a fixed order."""
    f = report.figures
    rows: list[Row] = [
        ("shift", "name", report.shift.name),
        ("shift", "date", report.shift.date.isoformat()),
        ("shift", "start", instant(report.shift.start_utc)),
        ("shift", "end", instant(report.shift.end_utc)),
        ("shift", "hours", str(len(f.hours))),
        ("report", "produced_at", instant(report.produced_at)),
        ("report", "produced_by", report.produced_by),
        ("report", "sustained_fcr_days", str(f.sustained_days)),
        ("report", "figures_as_of", instant(f.as_of)),
    ]
    if report.signature is not None:
        rows += [
            ("signed", "by", report.signature.username),
            ("signed", "at", instant(report.signature.signed_at)),
        ]
    rows += [
        ("summary", "contacts", str(f.contacts)),
        ("summary", "data_contacts", str(f.data_contacts)),
        ("summary", "resolved", str(f.resolved)),
        ("summary", "drafts_left_open", str(f.drafts_open)),
        ("summary", "offered", str(f.offered)),
        ("summary", "answered", str(f.answered)),
        ("summary", "abandoned", str(f.abandoned)),
        ("summary", "average_speed_of_answer", seconds(f.average_speed_of_answer)),
        ("summary", "service_level", fraction(f.service_level)),
        ("summary", "service_level_seconds", str(f.service_level_seconds)),
    ]
    for row in f.fcr:
        rows.append(("fcr_recorded", row.stream, fraction(row.recorded_fraction)))
    rows.append(("fcr_recorded", "all", fraction(f.fcr_all.recorded_fraction)))
    for row in f.fcr:
        rows.append(("fcr_sustained", row.stream, fraction(row.sustained_fraction)))
    rows.append(("fcr_sustained", "all", fraction(f.fcr_all.sustained_fraction)))
    for row in (*f.fcr, f.fcr_all):
        rows.append(("fcr_not_yet_known", row.stream, str(row.not_yet_known)))
    for row in f.fcr:
        if row.reference is not None:
            rows.append(("fcr_reference", row.stream, fraction(row.reference)))
    by_hour: dict[str, int] = defaultdict(int)
    for hour in f.hours:  # the October night's two 01:00 hours are one local hour here
        by_hour[hour.key] += hour.contacts
    rows += [("calls_by_hour", key, str(count)) for key, count in by_hour.items()]
    rows += [("caller_type", key, str(count)) for key, count in f.caller_types.items()]
    rows += [("stream", key, str(count)) for key, count in f.streams.items()]
    rows += [("routes", key, str(count)) for key, count in f.routes.items()]
    rows += [("urgency", key, str(count)) for key, count in f.urgency.items()]
    rows += [
        ("safeguarding", "concerns", str(f.safeguarding)),
        ("crisis_response", "count", str(f.crisis_responses)),
        ("overrides", "count", str(len(f.overrides))),
        ("talk_seconds", "median", seconds(f.talk.median)),
        ("talk_seconds", "p90", seconds(f.talk.p90)),
        ("wrap_seconds", "median", seconds(f.wrap.median)),
        ("wrap_seconds", "p90", seconds(f.wrap.p90)),
        ("handoffs", "made", str(f.handoffs.made)),
        ("handoffs", "claimed", str(f.handoffs.claimed)),
        ("handoffs", "waiting", str(f.handoffs.waiting)),
        ("handoffs", "claimed_after_due", str(f.handoffs.claimed_late)),
        ("service_gaps", "recorded", str(f.gaps_recorded)),
    ]
    rows += [("service_gap", gap.need, str(gap.count)) for gap in f.gaps]
    for handler in f.handlers:
        rows += [
            ("handler_contacts", handler.username, str(handler.contacts)),
            ("handler_fcr", handler.username, fraction(handler.fcr)),
            ("handler_talk_median", handler.username, seconds(handler.talk_median)),
            ("handler_wrap_median", handler.username, seconds(handler.wrap_median)),
            ("handler_overrides", handler.username, str(handler.overrides)),
        ]
    return rows


def shift_csv(report: ShiftReport) -> str:
    """The report's CSV text (SPEC 10)."""
    return csv_text(shift_rows(report))
