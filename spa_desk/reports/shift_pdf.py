"""The shift report as a PDF (SPEC 6): the same figures as the CSV, for people to read.

The first page is what a commissioner reads in ten seconds: which shift, whether a manager has
signed the report, the headline figures and first-contact resolution by stream beside the
reference SPA. The pages after it give every figure of the shift, section by section, with totals
that show the numbers add up (the streams to the data contacts, the hours to the contacts). A
section with nothing in it says so in words. Times are local (Europe/London).
"""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.lib.units import cm
from reportlab.platypus import Flowable, KeepTogether, PageBreak, Spacer

from spa_desk.local_time import LONDON
from spa_desk.reports.definitions import NO_URGENCY, stream_words
from spa_desk.reports.figures import PeriodFigures, StreamFcr, hour_labels
from spa_desk.reports.pdf_kit import (
    DASH,
    HALF_WIDTH,
    NOT_SIGNED_COLOUR,
    SIGNED_COLOUR,
    STYLES,
    Cell,
    Footer,
    HeadlineTiles,
    Tile,
    banner,
    bar_chart,
    build_pdf,
    count_words,
    grouped_bar_chart,
    heading,
    local_clock,
    local_moment,
    minutes_seconds,
    note,
    para,
    percent,
    side_by_side,
    subheading,
    table,
)
from spa_desk.reports.shift_report import ShiftReport, Signature
from spa_desk.vocabulary import CallerType, Route, Urgency

REFERENCE_NAME = "Reference SPA"


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
        *_calls_by_hour(report),
        side_by_side(_caller_types(f), _streams(f)),
        Spacer(1, 0.3 * cm),
        side_by_side(_routes(f), _urgency(f)),
        KeepTogether(_fcr(f)),
        KeepTogether(_talk_and_wrap(f)),
        Spacer(1, 0.3 * cm),
        side_by_side(_safeguarding(f), _calls_answered(f)),
        *_overrides(f),
        KeepTogether(_service_gaps(f)),
        KeepTogether(_drafts(f)),
        KeepTogether(_handoffs(f)),
        KeepTogether(_handlers(f)),
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
        *([note(_fcr_words(f))] if f.fcr else []),
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


def _fcr_words(f: PeriodFigures) -> str:
    return (
        "Recorded FCR: data contacts resolved at first contact (no onward referral) out of the "
        "data contacts. Sustained FCR: of those, the ones with no further contact about the same "
        f"person on the same stream within {f.sustained_days} days, out of the same data "
        "contacts; a contact whose days are not over yet is not yet known. The reference is the "
        "reference SPA's recorded FCR (social care 73%, mental health 67% out of hours, health "
        "26%)."
    )


# Demand ---------------------------------------------------------------------------------------


def _calls_by_hour(report: ShiftReport) -> list[Flowable]:
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


def _caller_types(f: PeriodFigures) -> list[Flowable]:
    parts: list[Flowable] = [subheading("Who rang (data contacts)")]
    if not f.caller_types:
        return [*parts, para("No data contacts this shift, so no callers to count.")]
    rows: list[list[Cell]] = [
        [_caller_words(key), count, percent(_share(count, f.data_contacts))]
        for key, count in sorted(f.caller_types.items(), key=lambda item: -item[1])
    ]
    total = sum(f.caller_types.values())
    rows.append(["Total", total, percent(_share(total, f.data_contacts))])
    return [
        *parts,
        _half_table(["Caller", "Contacts", "Share"], rows),
        note(_adds_up(total, f.data_contacts, "data contacts")),
    ]


def _streams(f: PeriodFigures) -> list[Flowable]:
    parts: list[Flowable] = [subheading("Streams (data contacts)")]
    if f.data_contacts == 0:
        return [*parts, para("No data contacts this shift.")]
    rows: list[list[Cell]] = [
        [stream_words(key), count, percent(_share(count, f.data_contacts))]
        for key, count in f.streams.items()
    ]
    total = sum(f.streams.values())
    rows.append(["Total", total, percent(_share(total, f.data_contacts))])
    return [
        *parts,
        _half_table(["Stream", "Contacts", "Share"], rows),
        note(_adds_up(total, f.data_contacts, "data contacts")),
    ]


def _routes(f: PeriodFigures) -> list[Flowable]:
    parts: list[Flowable] = [subheading("Routes")]
    if not f.routes:
        return [*parts, para("No routes given this shift.")]
    rows: list[list[Cell]] = [
        [_route_words(key), count, percent(_share(count, f.contacts))]
        for key, count in f.routes.items()
    ]
    words = (
        "A contact with two routes counts under both and a non-data call has none, so "
        f"these do not add up to the {f.contacts:,} contacts."
    )
    if Route.RESOLVED.value in f.routes:
        words += (
            f" '{Route.RESOLVED.label}' is a route, not the FCR count: a contact resolved by "
            "signposting counts under where it was signposted."
        )
    return [
        *parts,
        _half_table(["Route", "Contacts", "Of contacts"], rows, total=False),
        note(words),
    ]


def _urgency(f: PeriodFigures) -> list[Flowable]:
    parts: list[Flowable] = [subheading("Urgency (most urgent route of each contact)")]
    if f.contacts == 0:
        return [*parts, para("No contacts this shift.")]
    rows: list[list[Cell]] = [
        [_urgency_words(key), count, percent(_share(count, f.contacts))]
        for key, count in f.urgency.items()
    ]
    total = sum(f.urgency.values())
    rows.append(["Total", total, percent(_share(total, f.contacts))])
    return [
        *parts,
        _half_table(["Most urgent", "Contacts", "Share"], rows),
        note(_adds_up(total, f.contacts, "contacts")),
    ]


# Resolution and time --------------------------------------------------------------------------


def _fcr(f: PeriodFigures) -> list[Flowable]:
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
            _fcr_words(f)
            + " No bar and a dash where the reference SPA gave no figure for that stream."
        ),
    ]
    return parts


def _talk_and_wrap(f: PeriodFigures) -> list[Flowable]:
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


def _safeguarding(f: PeriodFigures) -> list[Flowable]:
    rows: list[list[Cell]] = [
        ["Safeguarding concerns", f.safeguarding],
        ["Crisis responses", f.crisis_responses],
    ]
    return [
        subheading("Safeguarding concerns and crisis responses"),
        _half_table(["", "Contacts"], rows, total=False, widths=[3, 1.2]),
        note("Contacts with a safeguarding route, and with a crisis response route."),
    ]


def _calls_answered(f: PeriodFigures) -> list[Flowable]:
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
        _half_table(["", "Calls"], rows, total=False, widths=[3, 1.2]),
        note(
            "A call started by hand at the desk counts as offered and answered. Service level: "
            "answered in time out of offered."
        ),
    ]


# What was decided -----------------------------------------------------------------------------


def _overrides(f: PeriodFigures) -> list[Flowable]:
    parts: list[Flowable] = [heading("Overrides and their reasons")]
    if not f.overrides:
        return [*parts, para("No overrides this shift.")]
    rows: list[list[Cell]] = [
        [
            local_clock(row.started_at),
            row.handler,
            _choices_words(row.recommended),
            _choices_words(row.final),
            row.reason or "(no reason recorded)",
        ]
        for row in f.overrides
    ]
    return [
        *parts,
        para(
            f"{count_words(len(f.overrides), 'contact')} ended on routes other than the rules "
            "recommended, each with the handler's reason."
        ),
        table(
            ["Time", "Handler", "Recommended", "Final", "Reason"],
            rows,
            widths=[1.3, 2.3, 2.9, 2.9, 5.6],
        ),
    ]


def _service_gaps(f: PeriodFigures) -> list[Flowable]:
    parts: list[Flowable] = [heading("Service gaps")]
    if not f.gaps:
        return [*parts, para("No service gaps recorded this shift.")]
    rows: list[list[Cell]] = [[gap.need, gap.count] for gap in f.gaps]
    total = sum(gap.count for gap in f.gaps)
    rows.append(["Total", total])
    return [
        *parts,
        table(["Unmet need", "Times recorded"], rows, widths=[4, 1.2], numeric=(1,), total=True),
        note(
            "Needs the SPA had no service for, as the handlers wrote them (the same words in "
            "any case counted together). "
            + _adds_up(total, f.gaps_recorded, "service gaps recorded")
        ),
    ]


def _drafts(f: PeriodFigures) -> list[Flowable]:
    parts: list[Flowable] = [heading("Drafts left open")]
    if f.drafts_open == 0:
        return [*parts, para("No drafts left open: every call started this shift was saved.")]
    return [
        *parts,
        para(
            f"{count_words(f.drafts_open, 'call')} started this shift "
            f"{'was' if f.drafts_open == 1 else 'were'} never saved. They count as offered and "
            "answered, but not as contacts."
        ),
    ]


def _handoffs(f: PeriodFigures) -> list[Flowable]:
    parts: list[Flowable] = [heading("Hand-offs")]
    h = f.handoffs
    if h.made == 0:
        return [*parts, para("No hand-offs this shift.")]
    rows: list[list[Cell]] = [
        ["Made", h.made],
        ["Claimed", h.claimed],
        ["Still waiting (or with the SPA manager)", h.waiting],
        ["Claimed after their urgency clock ran out", h.claimed_late],
    ]
    return [
        *parts,
        table(["", "Hand-offs"], rows, widths=[4, 1.2], numeric=(1,), width=HALF_WIDTH * 1.3),
        note("Hand-offs made this shift, as they stand now."),
    ]


def _handlers(f: PeriodFigures) -> list[Flowable]:
    parts: list[Flowable] = [heading("Per handler")]
    if not f.handlers:
        return [*parts, para("No contacts this shift, so no figures per handler.")]
    rows: list[list[Cell]] = [
        [
            h.name,
            h.contacts,
            h.data_contacts,
            percent(h.fcr),
            minutes_seconds(h.talk_median),
            minutes_seconds(h.wrap_median),
            h.overrides,
        ]
        for h in f.handlers
    ]
    contacts = sum(h.contacts for h in f.handlers)
    rows.append(
        [
            "All staff",
            contacts,
            sum(h.data_contacts for h in f.handlers),
            percent(f.fcr_all.recorded_fraction),
            minutes_seconds(f.talk.median),
            minutes_seconds(f.wrap.median),
            sum(h.overrides for h in f.handlers),
        ]
    )
    return [
        *parts,
        table(
            [
                "Handler",
                "Contacts",
                "Data contacts",
                "Recorded FCR",
                "Median talk",
                "Median wrap-up",
                "Overrides",
            ],
            rows,
            widths=[3.4, 1.3, 1.3, 1.3, 1.3, 1.3, 1.3],
            numeric=range(1, 7),
            total=True,
        ),
        note(
            "By who took the call. FCR, talk and wrap-up time are of the handler's data "
            "contacts; talk and wrap-up in m:ss. " + _adds_up(contacts, f.contacts, "contacts")
        ),
    ]


# Words ----------------------------------------------------------------------------------------


def _half_table(
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


def _share(count: int, whole: int) -> float | None:
    return count / whole if whole else None


def _adds_up(total: int, whole: int, what: str) -> str:
    if total == whole:
        return f"The total is the shift's {whole:,} {what}."
    return f"These add up to {total:,}, not to the shift's {whole:,} {what}."


def _caller_words(key: str) -> str:
    try:
        return CallerType(key).label
    except ValueError:
        return key.replace("_", " ").capitalize()


def _route_words(key: str) -> str:
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


def _choices_words(choices: Sequence[str]) -> str:
    """``community_nursing:urgent`` as ``Community nursing (urgent)``, one a line."""
    if not choices:
        return "(none)"
    words = []
    for choice in choices:
        route, _, urgency = choice.partition(":")
        text = _route_words(route)
        words.append(f"{text} ({urgency})" if urgency else text)
    return "\n".join(words)
