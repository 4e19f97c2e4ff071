"""The trends report as a PDF (SPEC 6): demand by weekday and hour, its peaks and troughs, and
month-on-month volume and first-contact resolution by stream, for any period.

The first page is the demand: the period, the headline figures, the busiest and quietest hours
named in words with their mean contacts an hour, and the weekday-by-hour heat map. The page after
it is month on month: the volume (chart and table) and recorded FCR by stream beside the
reference SPA's figures (chart and table). A period with no contacts says so in words. Times
are local (Europe/London); no one signs a trends report, so its footer has no signed marker.
"""

from __future__ import annotations

from datetime import timedelta

from reportlab.lib.units import cm
from reportlab.platypus import Flowable, KeepTogether, PageBreak, Spacer

from spa_desk.reports.definitions import REFERENCE_FCR, STREAM_KEYS, stream_words
from spa_desk.reports.pdf.charts import bar_chart, grouped_bar_chart, line_chart
from spa_desk.reports.pdf.document import STYLES, heading, note, para, unsigned_pdf
from spa_desk.reports.pdf.heatmap import heat_map
from spa_desk.reports.pdf.tables import Cell, table
from spa_desk.reports.pdf.tiles import HeadlineTiles, Tile
from spa_desk.reports.pdf.words import count_words, local_moment, percent, period_words, share
from spa_desk.reports.trends import HeatCell, MonthFigures, Trends

WEEKDAY_LABELS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
HOUR_LABELS = tuple(f"{hour:02d}" for hour in range(24))
MOST_BARS = 12
"""Up to this many months the volume is drawn as bars with their counts; beyond, as a line."""


def trends_pdf(report: Trends, *, invariant: bool = False) -> bytes:
    """The report's PDF; ``invariant`` leaves the build time and a random file id out of it, so
    the same report gives the same bytes."""
    subject = f"Trends report: {period_words(report.first, report.last)}"
    return unsigned_pdf(
        _story(report),
        subject=subject,
        produced_at=report.produced_at,
        produced_by=report.produced_by,
        training=report.training,
        invariant=invariant,
    )


def _story(report: Trends) -> list[Flowable]:
    days = (report.last - report.first).days + 1
    produced = (
        f"Produced {local_moment(report.produced_at)} by {report.produced_by}. "
        f"{count_words(days, 'local day')} (Europe/London); a contact counts on the day and hour "
        "it started."
    )
    story: list[Flowable] = [
        para("TRENDS REPORT", STYLES.kicker),
        para(period_words(report.first, report.last), STYLES.title),
        note(produced),
        Spacer(1, 0.3 * cm),
    ]
    if report.contacts == 0:
        return [
            *story,
            para(
                "No contacts started in this period, so there is no demand to map, no busiest "
                "or quietest hours and no month-on-month figures."
            ),
        ]
    return [
        *story,
        HeadlineTiles(_tiles(report, days), columns=4),
        heading("Busiest and quietest hours"),
        para(_named("Busiest", report.peaks)),
        para(_named("Quietest", report.troughs)),
        KeepTogether(_heat_map(report)),
        PageBreak(),
        *_volume(report),
        *_fcr(report),
    ]


def _tiles(report: Trends, days: int) -> list[Tile]:
    data = sum(month.data_contacts for month in report.months)
    resolved = sum(month.resolved for month in report.months)
    return [
        Tile(f"{report.contacts:,}", "Contacts", f"started over {count_words(days, 'day')}"),
        Tile(f"{report.contacts / days:,.1f}", "Contacts a day", "on average over the period"),
        Tile(
            f"{data:,}",
            "Data contacts",
            f"{report.contacts - data:,} non-data calls left out",
        ),
        Tile(
            percent(share(resolved, data)),
            "Recorded FCR",
            f"{resolved:,} of {data:,} data contacts resolved",
        ),
    ]


def _named(what: str, cells: tuple[HeatCell, ...]) -> str:
    """``Busiest: Monday 09:00-10:00, 50.8 contacts an hour on average; then ...``."""
    if not cells:
        return f"{what}: none."
    first, *rest = cells
    words = f"{what}: {first.words}, {first.mean or 0:.1f} contacts an hour on average"
    if rest:
        then = [f"{cell.words} ({cell.mean or 0:.1f})" for cell in rest]
        words += "; then " + (f"{', '.join(then[:-1])} and {then[-1]}" if rest[1:] else then[0])
    return words + "."


def _heat_map(report: Trends) -> list[Flowable]:
    values = [[report.cell(day, hour).mean for hour in range(24)] for day in range(7)]
    words = (
        "Each cell is the mean number of contacts that started in that local hour on that "
        "weekday: the contacts in it over the period divided by how many times that hour came "
        "(the night the clocks go back has two 01:00 hours, the night they go forward none). "
        "Darker is busier."
    )
    if report.last - report.first < timedelta(days=6):
        words += " The period is shorter than a week: grey hours did not come in it."
    return [
        heading("Demand by weekday and hour"),
        heat_map(
            WEEKDAY_LABELS, HOUR_LABELS, values, legend="Mean contacts per hour", cell_height=18
        ),
        note(words),
    ]


# Month on month -------------------------------------------------------------------------------


def _month_label(month: MonthFigures) -> str:
    return month.key


def _volume(report: Trends) -> list[Flowable]:
    months = report.months
    labels = [_month_label(month) for month in months]
    charts: list[Flowable] = []
    if 1 < len(months) <= MOST_BARS:
        charts = [bar_chart(labels, [month.contacts for month in months], height=5.5 * cm)]
    elif len(months) > MOST_BARS:
        charts = [
            line_chart(
                labels,
                [
                    ("Contacts", [month.contacts for month in months]),
                    ("Data contacts", [month.data_contacts for month in months]),
                ],
                height=6 * cm,
            )
        ]
    rows: list[list[Cell]] = [
        [
            _month_label(month),
            month.contacts,
            month.data_contacts,
            month.resolved,
            percent(month.fcr),
        ]
        for month in months
    ]
    data = sum(month.data_contacts for month in months)
    resolved = sum(month.resolved for month in months)
    contacts = sum(month.contacts for month in months)
    rows.append(["Whole period", contacts, data, resolved, percent(share(resolved, data))])
    words = "Contacts by the local month they started in; the months add up to the period's."
    if report.first.day != 1 or (report.last + timedelta(days=1)).day != 1:
        words += " The first and last months count only their days inside the period."
    return [
        heading("Contacts month on month"),
        *charts,
        Spacer(1, 0.2 * cm),
        table(
            ["Month", "Contacts", "Data contacts", "Resolved", "Recorded FCR"],
            rows,
            widths=[2, 1.3, 1.3, 1.3, 1.3],
            numeric=(1, 2, 3, 4),
            total=True,
        ),
        note(words),
    ]


def _fcr(report: Trends) -> list[Flowable]:
    months = report.months
    streams = [key for key in STREAM_KEYS if any(key in month.streams for month in months)]
    parts: list[Flowable] = [heading("Recorded FCR by stream, month on month")]
    if not streams:
        return [*parts, para("No data contacts in this period, so no first-contact resolution.")]
    series = []
    references = []
    for index, key in enumerate(streams):
        name = stream_words(key)
        if key in REFERENCE_FCR:
            name += f" (reference {percent(REFERENCE_FCR[key])})"
            references.append((index, REFERENCE_FCR[key]))
        series.append((name, [_stream_fcr(month, key) for month in months]))
    if len(months) == 1:
        chart = grouped_bar_chart(
            [stream_words(key) for key in streams],
            [
                ("Recorded FCR", [values[0] for _, values in series]),
                ("Reference SPA", [REFERENCE_FCR.get(key) for key in streams]),
            ],
            fractions=True,
            height=7 * cm,
        )
    else:
        chart = line_chart(
            [_month_label(month) for month in months],
            series,
            fractions=True,
            height=7.5 * cm,
            references=references,
        )
    rows: list[list[Cell]] = [
        [_month_label(month), *(percent(_stream_fcr(month, key)) for key in streams)]
        for month in months
    ]
    rows.append(
        ["Reference SPA", *(percent(REFERENCE_FCR.get(key)) for key in streams)],
    )
    return [
        KeepTogether([*parts, chart]),
        Spacer(1, 0.2 * cm),
        table(
            ["Month", *(stream_words(key) for key in streams)],
            rows,
            widths=[1.6, *([1.3] * len(streams))],
            numeric=range(1, len(streams) + 1),
            total=True,
        ),
        note(
            "Recorded FCR: a stream's data contacts resolved at first contact (no onward "
            "referral) out of its data contacts that month; a dash where the stream had none. "
            + ("The Reference SPA bars" if len(months) == 1 else "The dashed lines")
            + " are the reference SPA's recorded FCR (social care 73%, mental health 67% out "
            "of hours, health 26%; it gave none for the other streams)."
        ),
    ]


def _stream_fcr(month: MonthFigures, key: str) -> float | None:
    figures = month.streams.get(key)
    return figures.fcr if figures is not None else None
