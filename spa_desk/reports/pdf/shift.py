"""The shift report as a PDF (SPEC 6): the same figures as the CSV, for people to read.

The first page is what a commissioner reads in ten seconds: which shift, whether a manager has
signed the report, the headline figures and first-contact resolution by stream beside the
reference SPA. The pages after it give every figure of the shift, section by section
(:mod:`spa_desk.reports.pdf.shift_sections` and :mod:`spa_desk.reports.pdf.shift_decisions`),
with totals that show the numbers add up (the streams to the data contacts, the hours to the
contacts). A section with nothing in it says so in words. Times are local (Europe/London).
"""

from __future__ import annotations

from reportlab.lib.units import cm
from reportlab.platypus import Flowable, KeepTogether, PageBreak, Spacer

from spa_desk.reports.definitions import stream_words
from spa_desk.reports.figures import PeriodFigures, StreamFcr
from spa_desk.reports.pdf.document import (
    NOT_SIGNED_COLOUR,
    SIGNED_COLOUR,
    STYLES,
    Footer,
    build_pdf,
    heading,
    note,
    para,
)
from spa_desk.reports.pdf.shift_decisions import drafts, handlers, handoffs, overrides, service_gaps
from spa_desk.reports.pdf.shift_sections import (
    REFERENCE_NAME,
    caller_types,
    calls_answered,
    calls_by_hour,
    fcr,
    fcr_words,
    routes,
    safeguarding,
    streams,
    talk_and_wrap,
    urgency,
)
from spa_desk.reports.pdf.tables import Cell, table
from spa_desk.reports.pdf.tiles import HeadlineTiles, Tile, banner, side_by_side
from spa_desk.reports.pdf.words import DASH, count_words, local_moment, minutes_seconds, percent
from spa_desk.reports.shift_report import ShiftReport, Signature


def shift_pdf(report: ShiftReport, *, invariant: bool = False) -> bytes:
    """The report's PDF; ``invariant`` leaves the build time and a random file id out of it, so
    the same report gives the same bytes."""
    signed = _signed_words(report.signature) if report.signature else None
    subject = f"Shift report: {report.shift.title}"
    return build_pdf(
        _story(report),
        title=subject,
        subject=f"{subject} ({'signed' if signed else 'not signed'})",
        footer=Footer(
            subject=subject,
            produced_at=report.produced_at,
            produced_by=report.produced_by,
            signed=signed,
            training=report.training,
        ),
        invariant=invariant,
    )


def _signed_words(signature: Signature) -> str:
    return f"SIGNED by {signature.name} at {local_moment(signature.signed_at)}"


def _story(report: ShiftReport) -> list[Flowable]:
    f = report.figures
    return [
        *_first_page(report),
        PageBreak(),
        *calls_by_hour(report),
        side_by_side(caller_types(f), streams(f)),
        Spacer(1, 0.3 * cm),
        side_by_side(routes(f), urgency(f)),
        KeepTogether(fcr(f)),
        KeepTogether(talk_and_wrap(f)),
        Spacer(1, 0.3 * cm),
        side_by_side(safeguarding(f), calls_answered(f)),
        *overrides(f),
        KeepTogether(service_gaps(f)),
        KeepTogether(drafts(f)),
        KeepTogether(handoffs(f)),
        KeepTogether(handlers(f)),
    ]


# The first page -------------------------------------------------------------------------------


def _first_page(report: ShiftReport) -> list[Flowable]:
    f = report.figures
    if report.signature is not None:
        state = banner(_signed_words(report.signature), SIGNED_COLOUR)
        standing = "Signed: this is the report as the manager signed it."
    else:
        state = banner("NOT SIGNED", NOT_SIGNED_COLOUR)
        standing = "Not signed yet: the figures may still change."
    produced = f"Produced {local_moment(report.produced_at)} by {report.produced_by}."
    if abs((f.as_of - report.produced_at).total_seconds()) >= 60:
        produced += f" The figures as they stood at {local_moment(f.as_of)}."
    produced += f" {standing}"
    return [
        para("SHIFT REPORT", STYLES.kicker),
        para(report.shift.title, STYLES.title),
        state,
        Spacer(1, 0.2 * cm),
        note(produced),
        Spacer(1, 0.3 * cm),
        HeadlineTiles(_tiles(f), columns=4),
        heading("First-contact resolution by stream"),
        _fcr_summary_table(f),
        *([note(fcr_words(f))] if f.fcr else []),
    ]


def _tiles(f: PeriodFigures) -> list[Tile]:
    everyone = f.fcr_all
    non_data = f.contacts - f.data_contacts
    unknown = everyone.not_yet_known
    return [
        Tile(f"{f.contacts:,}", "Contacts", "saved contacts started this shift"),
        Tile(
            f"{f.data_contacts:,}",
            "Data contacts",
            f"{count_words(non_data, 'non-data call')} left out",
        ),
        Tile(
            percent(everyone.recorded_fraction),
            "Recorded FCR, all streams",
            f"{everyone.resolved:,} of {count_words(everyone.data_contacts, 'data contact')}",
        ),
        Tile(
            percent(everyone.sustained_fraction),
            "Sustained FCR, all streams",
            f"{unknown:,} not yet known"
            if unknown
            else f"no further contact within {f.sustained_days} days",
        ),
        Tile(
            percent(f.service_level),
            "Service level",
            f"answered within {f.service_level_seconds} s",
        ),
        Tile(
            minutes_seconds(f.average_speed_of_answer),
            "Average speed of answer",
            "mean wait from ring to answer (m:ss)",
        ),
        Tile(f"{f.safeguarding:,}", "Safeguarding concerns", "contacts with a safeguarding route"),
        Tile(
            f"{f.drafts_open:,}",
            "Drafts left open",
            "calls started and never saved",
            alert=f.drafts_open > 0,
        ),
    ]


def _fcr_summary_table(f: PeriodFigures) -> Flowable:
    if not f.fcr:
        return para("No data contacts this shift, so no first-contact resolution.")
    rows: list[list[Cell]] = [
        [
            stream_words(row.stream),
            row.data_contacts,
            percent(row.recorded_fraction),
            _sustained_cell(row),
            percent(row.reference),
        ]
        for row in f.fcr
    ]
    everyone = f.fcr_all
    rows.append(
        [
            "All streams",
            everyone.data_contacts,
            percent(everyone.recorded_fraction),
            _sustained_cell(everyone),
            DASH,
        ]
    )
    return table(
        ["Stream", "Data contacts", "Recorded FCR", "Sustained FCR", REFERENCE_NAME],
        rows,
        widths=[3.2, 1.6, 1.6, 2.4, 1.6],
        numeric=(1, 2, 3, 4),
        total=True,
    )


def _sustained_cell(row: StreamFcr) -> str:
    text = percent(row.sustained_fraction)
    if row.not_yet_known:
        return f"{text} ({row.not_yet_known:,} not yet known)"
    return text
