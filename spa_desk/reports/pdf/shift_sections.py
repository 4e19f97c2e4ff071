"""The shift report's sections on demand, resolution and time (SPEC 6): calls by hour, who
rang, streams, routes, urgency, first-contact resolution beside the reference SPA, talk and
wrap-up time, safeguarding, and the calls offered and answered; with the words the shift
report's sections share. Each section says so in words when it has nothing to show.
"""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.lib.units import cm
from reportlab.platypus import Flowable, Spacer

from spa_desk.local_time import LONDON
from spa_desk.reports.definitions import NO_URGENCY, stream_words
from spa_desk.reports.figures import PeriodFigures, hour_labels
from spa_desk.reports.pdf.charts import bar_chart, grouped_bar_chart
from spa_desk.reports.pdf.document import heading, note, para, subheading
from spa_desk.reports.pdf.tables import Cell, table
from spa_desk.reports.pdf.tiles import HALF_WIDTH
from spa_desk.reports.pdf.words import minutes_seconds, percent, share
from spa_desk.reports.shift_report import ShiftReport
from spa_desk.vocabulary import CallerType, Route, Urgency

REFERENCE_NAME = "Reference SPA"


def fcr_words(f: PeriodFigures) -> str:
    return (
        "Recorded FCR: data contacts resolved at first contact (no onward referral) out of the "
        "data contacts. Sustained FCR: of those, the ones with no further contact about the same "
        f"person on the same stream within {f.sustained_days} days, out of the same data "
        "contacts; a contact whose days are not over yet is not yet known. The reference is the "
        "reference SPA's recorded FCR (social care 73%, mental health 67% out of hours, health "
        "26%)."
    )


# Demand -------------------------------------------------------------------------------------


def calls_by_hour(report: ShiftReport) -> list[Flowable]:
    f = report.figures
    parts: list[Flowable] = [heading("Calls by hour")]
    if f.contacts == 0:
        return [*parts, para("No contacts started this shift.")]
    labels = hour_labels(f.hours)
    counts = [hour.contacts for hour in f.hours]
    parts.append(bar_chart(labels, counts, height=5.8 * cm))
    words = (
        f"Contacts by the local hour each call started. The hours add up to "
        f"{sum(counts):,}; the shift had {f.contacts:,} contacts."
    )
    start = report.shift.start_utc.astimezone(LONDON).utcoffset()
    end = report.shift.end_utc.astimezone(LONDON).utcoffset()
    if start is not None and end is not None and end < start:
        words += " The clocks went back this night: 01:00 came twice, first BST, then GMT."
    elif start is not None and end is not None and end > start:
        words += " The clocks went forward this night: there was no 01:00 hour."
    parts += [note(words), Spacer(1, 0.3 * cm)]
    return parts


def caller_types(f: PeriodFigures) -> list[Flowable]:
    parts: list[Flowable] = [subheading("Who rang (data contacts)")]
    if f.data_contacts == 0:
        return [*parts, para("No data contacts this shift, so no callers to count.")]
    rows: list[list[Cell]] = [
        [_caller_words(key), count, percent(share(count, f.data_contacts))]
        for key, count in sorted(f.caller_types.items(), key=lambda item: -item[1])
    ]
    total = sum(f.caller_types.values())
    rows.append(["Total", total, percent(share(total, f.data_contacts))])
    return [
        *parts,
        half_table(["Caller", "Contacts", "Share"], rows),
        note(adds_up(total, f.data_contacts, "data contacts")),
    ]


def streams(f: PeriodFigures) -> list[Flowable]:
    parts: list[Flowable] = [subheading("Streams (data contacts)")]
    if f.data_contacts == 0:
        return [*parts, para("No data contacts this shift.")]
    rows: list[list[Cell]] = [
        [stream_words(key), count, percent(share(count, f.data_contacts))]
        for key, count in f.streams.items()
    ]
    total = sum(f.streams.values())
    rows.append(["Total", total, percent(share(total, f.data_contacts))])
    return [
        *parts,
        half_table(["Stream", "Contacts", "Share"], rows),
        note(adds_up(total, f.data_contacts, "data contacts")),
    ]


def routes(f: PeriodFigures) -> list[Flowable]:
    parts: list[Flowable] = [subheading("Routes")]
    if not any(f.routes.values()):
        return [*parts, para("No routes given this shift.")]
    rows: list[list[Cell]] = [
        [route_words(key), count, percent(share(count, f.contacts))]
        for key, count in f.routes.items()
    ]
    words = (
        "A contact with two routes counts under both and a non-data call has none, so "
        f"these do not add up to the {f.contacts:,} contacts."
    )
    if f.routes.get(Route.RESOLVED.value):
        words += (
            f" '{Route.RESOLVED.label}' is a route, not the FCR count: a contact resolved by "
            "signposting counts under where it was signposted."
        )
    return [
        *parts,
        half_table(["Route", "Contacts", "Of contacts"], rows, total=False),
        note(words),
    ]


def urgency(f: PeriodFigures) -> list[Flowable]:
    parts: list[Flowable] = [subheading("Urgency (most urgent route of each contact)")]
    if f.contacts == 0:
        return [*parts, para("No contacts this shift.")]
    rows: list[list[Cell]] = [
        [_urgency_words(key), count, percent(share(count, f.contacts))]
        for key, count in f.urgency.items()
    ]
    total = sum(f.urgency.values())
    rows.append(["Total", total, percent(share(total, f.contacts))])
    return [
        *parts,
        half_table(["Most urgent", "Contacts", "Share"], rows),
        note(adds_up(total, f.contacts, "contacts")),
    ]


# Resolution and time --------------------------------------------------------------------------


def fcr(f: PeriodFigures) -> list[Flowable]:
    parts: list[Flowable] = [heading("First-contact resolution by stream, beside the reference")]
    if not f.fcr:
        return [*parts, para("No data contacts this shift, so no first-contact resolution.")]
    rows = [*f.fcr, f.fcr_all]
    labels = [stream_words(row.stream) for row in f.fcr] + ["All streams"]
    parts.append(
        grouped_bar_chart(
            labels,
            [
                ("Recorded FCR", [row.recorded_fraction for row in rows]),
                ("Sustained FCR", [row.sustained_fraction for row in rows]),
                (REFERENCE_NAME, [row.reference for row in rows]),
            ],
            fractions=True,
            height=7.5 * cm,
        )
    )
    cells: list[list[Cell]] = [
        [
            "All streams" if row.stream == "all" else stream_words(row.stream),
            row.data_contacts,
            row.resolved,
            percent(row.recorded_fraction),
            row.sustained,
            percent(row.sustained_fraction),
            row.not_yet_known,
            percent(row.reference),
        ]
        for row in rows
    ]
    parts += [
        Spacer(1, 0.2 * cm),
        table(
            [
                "Stream",
                "Data contacts",
                "Resolved",
                "Recorded FCR",
                "Sustained",
                "Sustained FCR",
                "Not yet known",
                REFERENCE_NAME,
            ],
            cells,
            widths=[2.5, 1.3, 1.3, 1.3, 1.35, 1.35, 1.3, 1.35],
            numeric=range(1, 8),
            total=True,
        ),
        note(
            fcr_words(f)
            + " No bar and a dash where the reference SPA gave no figure for that stream."
        ),
    ]
    return parts


def talk_and_wrap(f: PeriodFigures) -> list[Flowable]:
    parts: list[Flowable] = [heading("Talk and wrap-up time")]
    if f.talk.count == 0 and f.wrap.count == 0:
        return [*parts, para("No data contacts this shift, so no talk or wrap-up time.")]
    rows: list[list[Cell]] = [
        ["Talk time", f.talk.count, minutes_seconds(f.talk.median), minutes_seconds(f.talk.p90)],
        [
            "Wrap-up time",
            f.wrap.count,
            minutes_seconds(f.wrap.median),
            minutes_seconds(f.wrap.p90),
        ],
    ]
    return [
        *parts,
        table(
            ["", "Data contacts timed", "Median (m:ss)", "90th percentile (m:ss)"],
            rows,
            widths=[2, 1.6, 1.6, 1.8],
            numeric=(1, 2, 3),
            width=HALF_WIDTH * 1.5,
        ),
        note("Half of the calls took less than the median; nine in ten less than the 90th."),
    ]


def safeguarding(f: PeriodFigures) -> list[Flowable]:
    rows: list[list[Cell]] = [
        ["Safeguarding concerns", f.safeguarding],
        ["Crisis responses", f.crisis_responses],
    ]
    return [
        subheading("Safeguarding concerns and crisis responses"),
        half_table(["", "Contacts"], rows, total=False, widths=[3, 1.2]),
        note("Contacts with a safeguarding route, and with a crisis response route."),
    ]


def calls_answered(f: PeriodFigures) -> list[Flowable]:
    rows: list[list[Cell]] = [
        ["Offered", f.offered],
        ["Answered", f.answered],
        ["Abandoned", f.abandoned],
        [f"Answered within {f.service_level_seconds} s", f.answered_in_time],
        ["Service level", percent(f.service_level)],
        ["Average speed of answer (m:ss)", minutes_seconds(f.average_speed_of_answer)],
    ]
    return [
        subheading("Calls offered, answered and abandoned"),
        half_table(["", "Calls"], rows, total=False, widths=[3, 1.2]),
        note(
            "A call started by hand at the desk counts as offered and answered. Service level: "
            "answered in time out of offered."
        ),
    ]


# Words ----------------------------------------------------------------------------------------


def half_table(
    header: Sequence[str],
    rows: Sequence[Sequence[Cell]],
    *,
    total: bool = True,
    widths: Sequence[float] = (3, 1.2, 1.1),
) -> Flowable:
    return table(
        header,
        rows,
        widths=widths,
        numeric=range(1, len(header)),
        total=total,
        width=HALF_WIDTH,
    )


def adds_up(total: int, whole: int, what: str) -> str:
    if total == whole:
        return f"The total is the shift's {whole:,} {what}."
    return f"These add up to {total:,}, not to the shift's {whole:,} {what}."


def _caller_words(key: str) -> str:
    try:
        return CallerType(key).label
    except ValueError:
        return key.replace("_", " ").capitalize()


def route_words(key: str) -> str:
    try:
        return Route(key).label
    except ValueError:
        return key.replace("_", " ").capitalize()


def _urgency_words(key: str) -> str:
    if key == NO_URGENCY:
        return "No urgency"
    try:
        return Urgency(key).value.capitalize()
    except ValueError:
        return key.replace("_", " ").capitalize()
