"""The service-gaps report as a PDF (SPEC 6): the unmet needs of a period by need, age band and
area (postcode district), with counts, so a commissioner sees a gap such as chiropody for older
people at a glance.

The first page gives the period, the headline figures and the needs most often unmet (a bar
chart and the table of every need). Then the age bands (table and chart), each need by age band
(a table whose cells are shaded by their count, with totals) and the areas. A period with no
unmet needs says so in words. No one signs a service-gaps report, so its footer has no signed
marker.
"""

from __future__ import annotations

from reportlab.lib.units import cm
from reportlab.platypus import Flowable, KeepTogether, Spacer, Table, TableStyle

from spa_desk.reports.definitions import AGE_BAND_KEYS, UNKNOWN
from spa_desk.reports.gaps import GapsReport
from spa_desk.reports.pdf.charts import bar_chart
from spa_desk.reports.pdf.document import STYLES, heading, note, para, unsigned_pdf
from spa_desk.reports.pdf.heatmap import shade
from spa_desk.reports.pdf.ranking import ranked_bars
from spa_desk.reports.pdf.tables import Cell, table
from spa_desk.reports.pdf.tiles import HALF_WIDTH, HeadlineTiles, Tile, side_by_side
from spa_desk.reports.pdf.words import local_moment, percent, period_words, share

BANDS = (*AGE_BAND_KEYS, UNKNOWN)
OLDER = tuple(band for band in AGE_BAND_KEYS if band != AGE_BAND_KEYS[0])
"""The bands of people aged 65 and over."""
TOP = 10
"""How many needs the bar chart shows."""
CELL_SHADE = 0.6
"""How far up the heat map's scale the largest need-by-band cell is shaded (its count stays
readable in ink)."""


def gaps_pdf(report: GapsReport, *, invariant: bool = False) -> bytes:
    """The report's PDF; ``invariant`` leaves the build time and a random file id out of it, so
    the same report gives the same bytes."""
    subject = f"Service gaps report: {period_words(report.first, report.last)}"
    return unsigned_pdf(
        _story(report),
        subject=subject,
        produced_at=report.produced_at,
        produced_by=report.produced_by,
        training=report.training,
        invariant=invariant,
    )


def _story(report: GapsReport) -> list[Flowable]:
    produced = (
        f"Produced {local_moment(report.produced_at)} by {report.produced_by}. Unmet needs the "
        "handlers recorded on contacts that started in the period (local days, Europe/London): "
        "needs the SPA had no service for."
    )
    story: list[Flowable] = [
        para("SERVICE GAPS REPORT", STYLES.kicker),
        para(period_words(report.first, report.last), STYLES.title),
        note(produced),
        Spacer(1, 0.3 * cm),
    ]
    if report.total == 0:
        return [*story, para("No unmet needs were recorded in this period.")]
    return [
        *story,
        HeadlineTiles(_tiles(report), columns=4),
        *_needs(report),
        KeepTogether(_age_bands(report)),
        *_needs_by_band(report),
        *_areas(report),
    ]


def _tiles(report: GapsReport) -> list[Tile]:
    top = report.needs[0]
    older = sum(report.age_bands.get(band, 0) for band in OLDER)
    return [
        Tile(f"{report.total:,}", "Unmet needs recorded", "in the period"),
        Tile(f"{len(report.needs):,}", "Different needs", "counted in any case of letters"),
        Tile(
            f"{top.count:,}",
            f"Most often: {top.need}",
            f"{percent(share(top.count, report.total))} of the unmet needs",
        ),
        Tile(
            f"{older:,}",
            "For people aged 65 and over",
            f"{percent(share(older, report.total))} of the unmet needs",
        ),
    ]


def _needs(report: GapsReport) -> list[Flowable]:
    shown = report.needs[:TOP]
    title = "Most often unmet" if len(report.needs) <= TOP else f"The {TOP} most often unmet"
    rows: list[list[Cell]] = [
        [need.need, need.count, percent(share(need.count, report.total))] for need in report.needs
    ]
    rows.append(["Total", report.total, percent(1.0)])
    return [
        heading("Unmet needs"),
        KeepTogether(
            [
                para(title, STYLES.subheading),
                ranked_bars([need.need for need in shown], [need.count for need in shown]),
            ]
        ),
        Spacer(1, 0.3 * cm),
        table(
            ["Need", "Times recorded", "Share"],
            rows,
            widths=[5, 1.3, 1.1],
            numeric=(1, 2),
            total=True,
        ),
        note(
            "Each need as the handlers wrote it; the same words in any case of letters are "
            "counted together. The needs add up to the unmet needs recorded."
        ),
    ]


def _band_words(band: str) -> str:
    return "Unknown" if band == UNKNOWN else band


def _age_bands(report: GapsReport) -> list[Flowable]:
    counts = [report.age_bands.get(band, 0) for band in BANDS]
    rows: list[list[Cell]] = [
        [_band_words(band), count, percent(share(count, report.total))]
        for band, count in zip(BANDS, counts, strict=True)
    ]
    rows.append(["Total", sum(counts), percent(share(sum(counts), report.total))])
    left: list[Flowable] = [
        table(
            ["Age band", "Unmet needs", "Share"],
            rows,
            widths=[1.6, 1.4, 1.1],
            numeric=(1, 2),
            total=True,
            width=HALF_WIDTH,
        ),
        note(
            "The person's age when the need was recorded; unknown where the contact was for "
            "nobody on record or the record has no date of birth."
        ),
    ]
    right: list[Flowable] = [
        bar_chart([_band_words(band) for band in BANDS], counts, width=HALF_WIDTH, height=5 * cm)
    ]
    return [heading("By age band"), side_by_side(left, right)]


def _needs_by_band(report: GapsReport) -> list[Flowable]:
    counts: dict[tuple[str, str], int] = {}
    for row in report.needs_by_band:
        counts[(row.need, row.age_band)] = counts.get((row.need, row.age_band), 0) + row.count
    rows: list[list[Cell]] = []
    for need in report.needs:
        cells = [counts.get((need.need, band), 0) for band in BANDS]
        rows.append([need.need, *cells, sum(cells)])
    totals = [sum(counts.get((need.need, band), 0) for need in report.needs) for band in BANDS]
    rows.append(["Total", *totals, sum(totals)])
    grid = table(
        ["Need", *(_band_words(band) for band in BANDS), "Total"],
        rows,
        widths=[3.6, *([1.2] * len(BANDS)), 1.2],
        numeric=range(1, len(BANDS) + 2),
        total=True,
    )
    _shade_cells(grid, [row[1 : 1 + len(BANDS)] for row in rows[:-1]])
    rank = {need.need: index for index, need in enumerate(report.needs)}
    order = {band: index for index, band in enumerate(BANDS)}
    largest = max(
        counts.items(),
        key=lambda item: (item[1], -rank.get(item[0][0], len(rank)), -order.get(item[0][1], 99)),
        default=None,
    )
    words: list[Flowable] = []
    if largest is not None:
        (gap, band), most = largest
        age = f"for people aged {_band_words(band)}" if band != UNKNOWN else "age unknown"
        words.append(
            para(f"The largest gap: {gap}, {age} ({most:,} of the {report.total:,} unmet needs).")
        )
    return [
        heading("Each need by age band"),
        *words,
        grid,
        note("Darker cells: more unmet needs. Each row adds up to its need's total."),
    ]


def _shade_cells(grid: Table, values: list[list[Cell]]) -> None:
    """Shades each count of ``values`` (the body's band columns) by its size."""
    largest = max((v for row in values for v in row if isinstance(v, int)), default=0)
    commands: list[tuple[object, ...]] = []
    for row_index, row in enumerate(values, start=1):
        for column, value in enumerate(row, start=1):
            if isinstance(value, int) and value > 0 and largest > 0:
                fill = shade(CELL_SHADE * value / largest)
                commands.append(("BACKGROUND", (column, row_index), (column, row_index), fill))
    grid.setStyle(TableStyle(commands))


def _areas(report: GapsReport) -> list[Flowable]:
    rows: list[list[Cell]] = [
        [
            "Unknown" if area == UNKNOWN else area,
            count,
            percent(share(count, report.total)),
        ]
        for area, count in report.areas.items()
    ]
    rows.append(["Total", sum(report.areas.values()), percent(1.0)])
    return [
        heading("By area (postcode district)"),
        table(
            ["Postcode district", "Unmet needs", "Share"],
            rows,
            widths=[1.8, 1.4, 1.1],
            numeric=(1, 2),
            total=True,
            width=HALF_WIDTH,
        ),
        note(
            "The district of the person's postcode (the part before the space), most unmet "
            "needs first; unknown where the contact was for nobody on record or the record "
            "has no postcode."
        ),
    ]
