"""What every report PDF shares: the A4 page, its styles and footer, tables, charts and tiles.

A report builds a list of flowables from these helpers and hands it to :func:`build_pdf`, which
returns the PDF's bytes. Every page carries the same footer: what the report is about, "Page x of
y", when and by whom it was produced (local time, Europe/London) and whether it is signed. Charts
are drawn with ``reportlab.graphics`` (vector, no other plotting library) and text uses only the
PDF base-14 fonts, so a report looks the same on every machine.

The number words shared by the reports are here too: percentages (:func:`percent`), seconds as
``m:ss`` (:func:`minutes_seconds`) and local times (:func:`local_moment`).
"""

from __future__ import annotations

import io
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from typing import Any, TypeAlias
from xml.sax.saxutils import escape

from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.charts.linecharts import HorizontalLineChart
from reportlab.graphics.shapes import Drawing, Group, Rect, String
from reportlab.graphics.widgets.markers import makeMarker
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Table, TableStyle

from spa_desk.local_time import LONDON

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN = 2 * cm
FOOTER_HEIGHT = 1.4 * cm
"""Room kept above the bottom margin for the footer (which stays inside the margins)."""
FRAME_WIDTH = PAGE_WIDTH - 2 * MARGIN
"""The width every table and chart may use: the page between its margins."""
FRAME_PADDING = 6
"""What reportlab's page frame pads its content by."""

FONT = "Helvetica"
BOLD = "Helvetica-Bold"

INK = colors.HexColor("#1a1a1a")
MUTED = colors.HexColor("#555555")
RULE = colors.HexColor("#9a9a9a")
HEADER_FILL = colors.HexColor("#dfe6ee")
ZEBRA = colors.HexColor("#f3f5f8")
TILE_FILL = colors.HexColor("#f3f5f8")
TILE_EDGE = colors.HexColor("#b8c4d2")
SIGNED_COLOUR = colors.HexColor("#1b6e3a")
NOT_SIGNED_COLOUR = colors.HexColor("#b3261e")

SERIES_COLOURS = (
    colors.HexColor("#0072b2"),
    colors.HexColor("#e69f00"),
    colors.HexColor("#8c8c8c"),
    colors.HexColor("#009e73"),
    colors.HexColor("#cc79a7"),
    colors.HexColor("#d55e00"),
    colors.HexColor("#56b4e9"),
)
"""Series colours, told apart also by readers who do not see red and green (Okabe and Ito)."""

DASH = "-"
"""What a figure that has no value (a median of nothing, no reference) shows."""


# Words for numbers and times ------------------------------------------------------------------


def percent(value: float | None) -> str:
    """A fraction as a percentage: ``73%``, ``44.5%`` (one decimal only where it is not whole),
    ``-`` for no value."""
    if value is None:
        return DASH
    tenths = round(value * 1000)
    return f"{tenths // 10}%" if tenths % 10 == 0 else f"{tenths / 10:.1f}%"


def minutes_seconds(value: float | None) -> str:
    """Seconds as ``m:ss`` (``h:mm:ss`` from an hour), ``-`` for no value."""
    if value is None:
        return DASH
    whole = round(value)
    hours, rest = divmod(whole, 3600)
    minutes, seconds = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{seconds:02d}" if hours else f"{minutes}:{seconds:02d}"


def count_words(count: int, one: str, many: str | None = None) -> str:
    """``1 contact``, ``3 contacts``."""
    return f"{count} {one if count == 1 else (many or one + 's')}"


def local_clock(moment: datetime) -> str:
    """The local (Europe/London) time of day, ``14:05``, with the zone (``01:30 BST``) when the
    clocks show that time twice that night."""
    local = moment.astimezone(LONDON)
    naive = local.replace(tzinfo=None)
    earlier = naive.replace(tzinfo=LONDON, fold=0).utcoffset()
    later = naive.replace(tzinfo=LONDON, fold=1).utcoffset()
    text = f"{local:%H:%M}"
    return f"{text} {local.tzname()}" if earlier != later else text


def local_moment(moment: datetime) -> str:
    """A local date and time with its zone: ``16:42 GMT, Mon 30 Nov 2026``."""
    local = moment.astimezone(LONDON)
    return f"{local:%H:%M} {local.tzname()}, {local:%a} {local.day} {local:%b %Y}"


# Styles ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Styles:
    """The paragraph styles of every report."""

    kicker: ParagraphStyle
    title: ParagraphStyle
    heading: ParagraphStyle
    subheading: ParagraphStyle
    body: ParagraphStyle
    note: ParagraphStyle
    cell: ParagraphStyle
    cell_right: ParagraphStyle
    cell_head: ParagraphStyle
    cell_head_right: ParagraphStyle
    banner: ParagraphStyle


def _styles() -> Styles:
    body = ParagraphStyle("body", fontName=FONT, fontSize=10, leading=13.5, textColor=INK)
    cell = ParagraphStyle("cell", parent=body, fontSize=9, leading=11.5)
    cell_head = ParagraphStyle("cell_head", parent=cell, fontName=BOLD)
    return Styles(
        kicker=ParagraphStyle(
            "kicker", parent=body, fontName=BOLD, fontSize=10, textColor=MUTED, spaceAfter=2
        ),
        title=ParagraphStyle(
            "title", parent=body, fontName=BOLD, fontSize=20, leading=25, spaceAfter=10
        ),
        heading=ParagraphStyle(
            "heading",
            parent=body,
            fontName=BOLD,
            fontSize=13,
            leading=17,
            spaceBefore=14,
            spaceAfter=6,
            keepWithNext=1,
        ),
        subheading=ParagraphStyle(
            "subheading",
            parent=body,
            fontName=BOLD,
            fontSize=10.5,
            leading=14,
            spaceBefore=8,
            spaceAfter=4,
            keepWithNext=1,
        ),
        body=ParagraphStyle("body_spaced", parent=body, spaceAfter=6),
        note=ParagraphStyle(
            "note", parent=body, fontSize=8.5, leading=11, textColor=MUTED, spaceBefore=3
        ),
        cell=cell,
        cell_right=ParagraphStyle("cell_right", parent=cell, alignment=TA_RIGHT),
        cell_head=cell_head,
        cell_head_right=ParagraphStyle("cell_head_right", parent=cell_head, alignment=TA_RIGHT),
        banner=ParagraphStyle(
            "banner",
            parent=body,
            fontName=BOLD,
            fontSize=15,
            leading=19,
            textColor=colors.white,
            alignment=TA_LEFT,
        ),
    )


STYLES = _styles()


def para(text: str, style: ParagraphStyle | None = None) -> Paragraph:
    """Plain text (escaped, so ``<`` and ``&`` in what staff typed stay text) as a paragraph."""
    return Paragraph(escape(text), style or STYLES.body)


def heading(text: str) -> Paragraph:
    """A section heading, kept on the page with what follows it."""
    return Paragraph(escape(text), STYLES.heading)


def subheading(text: str) -> Paragraph:
    return Paragraph(escape(text), STYLES.subheading)


def note(text: str) -> Paragraph:
    """Small grey words that say how a figure is counted."""
    return Paragraph(escape(text), STYLES.note)


def banner(text: str, fill: colors.Color) -> Table:
    """A full-width coloured bar with big white words (a report's signed or not signed)."""
    box = Table([[Paragraph(escape(text), STYLES.banner)]], colWidths=[FRAME_WIDTH])
    box.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, -1), fill),
                ("TOPPADDING", (0, 0), (-1, -1), 8),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 9),
                ("LEFTPADDING", (0, 0), (-1, -1), 10),
                ("RIGHTPADDING", (0, 0), (-1, -1), 10),
            ]
        )
    )
    return box


# The document and its footer ------------------------------------------------------------------


@dataclass(frozen=True)
class Footer:
    """What every page's foot says."""

    subject: str
    """What the report is about, e.g. the shift's title."""
    produced_at: datetime
    produced_by: str
    signed: str | None = None
    """``SIGNED by ... at ...``; None draws ``NOT SIGNED``."""

    def draw(self, canvas: Any, page: int, pages: int) -> None:
        canvas.saveState()
        top = MARGIN + FOOTER_HEIGHT - 0.4 * cm
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.5)
        canvas.line(MARGIN, top, PAGE_WIDTH - MARGIN, top)
        first = top - 11
        second = first - 11
        right = PAGE_WIDTH - MARGIN
        page_words = f"Page {page} of {pages}"
        canvas.setFont(BOLD, 8)
        canvas.setFillColor(INK)
        canvas.drawRightString(right, first, page_words)
        room = FRAME_WIDTH - stringWidth(page_words, BOLD, 8) - 0.5 * cm
        canvas.setFont(FONT, 8)
        canvas.drawString(MARGIN, first, _clipped(self.subject, FONT, 8, room))
        marker = self.signed or "NOT SIGNED"
        canvas.setFont(BOLD, 8)
        canvas.setFillColor(SIGNED_COLOUR if self.signed else NOT_SIGNED_COLOUR)
        canvas.drawRightString(right, second, _clipped(marker, BOLD, 8, FRAME_WIDTH * 0.6))
        produced = f"Produced {local_moment(self.produced_at)} by {self.produced_by}"
        room = FRAME_WIDTH - stringWidth(marker, BOLD, 8) - 0.5 * cm
        canvas.setFont(FONT, 8)
        canvas.setFillColor(MUTED)
        canvas.drawString(MARGIN, second, _clipped(produced, FONT, 8, room))
        canvas.restoreState()


def _clipped(text: str, font: str, size: float, width: float) -> str:
    """``text``, shortened with an ellipsis to fit ``width`` points."""
    if stringWidth(text, font, size) <= width:
        return text
    while text and stringWidth(text + "...", font, size) > width:
        text = text[:-1]
    return text.rstrip() + "..."


class _NumberedCanvas(Canvas):  # type: ignore[misc]
    """A canvas that keeps every page until the end, so each footer can say "of y"."""

    def __init__(self, *args: Any, footer: Footer, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._footer = footer
        self._pages: list[dict[str, Any]] = []

    def showPage(self) -> None:  # noqa: N802 (reportlab's name)
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._pages)
        for number, state in enumerate(self._pages, start=1):
            self.__dict__.update(state)
            self._footer.draw(self, number, total)
            super().showPage()
        super().save()


def build_pdf(
    story: Sequence[Flowable],
    *,
    title: str,
    subject: str,
    footer: Footer,
    invariant: bool = False,
) -> bytes:
    """The A4 portrait PDF of ``story``, every page with ``footer``; ``title`` and ``subject``
    go in the PDF's properties (author "SPA Desk"). ``invariant`` makes the bytes depend only on
    the story (no build time or random file id in the file)."""
    out = io.BytesIO()
    document = SimpleDocTemplate(
        out,
        pagesize=A4,
        # The page's frame pads its content by 6 pt: the content itself keeps the margins.
        leftMargin=MARGIN - FRAME_PADDING,
        rightMargin=MARGIN - FRAME_PADDING,
        topMargin=MARGIN - FRAME_PADDING,
        bottomMargin=MARGIN + FOOTER_HEIGHT - FRAME_PADDING,
        title=title,
        author="SPA Desk",
        subject=subject,
        creator="SPA Desk",
        invariant=1 if invariant else 0,
        lang="en-GB",
    )
    document.build(list(story), canvasmaker=partial(_NumberedCanvas, footer=footer))
    return out.getvalue()


# Tables ---------------------------------------------------------------------------------------

Cell: TypeAlias = str | int | float | Flowable | None


def table(
    header: Sequence[str],
    rows: Sequence[Sequence[Cell]],
    *,
    widths: Sequence[float] | None = None,
    numeric: Sequence[int] = (),
    total: bool = False,
    width: float = FRAME_WIDTH,
) -> Table:
    """A table that wraps long text, repeats its header row on every page it runs over, shades
    every other row and right-aligns the ``numeric`` columns; ``total`` sets the last row apart
    (bold, a line above). ``widths`` are relative (shared out over ``width``), equal by default;
    text cells become paragraphs, so they wrap inside their column (a newline starts a new
    line)."""
    columns = len(header)
    weights = list(widths) if widths is not None else [1.0] * columns
    if len(weights) != columns:
        raise ValueError("one width a column")
    col_widths = [width * w / sum(weights) for w in weights]
    right = set(numeric)

    def cell(value: Cell, column: int, style: ParagraphStyle, style_right: ParagraphStyle) -> Any:
        if isinstance(value, Flowable):
            return value
        text = escape(_cell_text(value)).replace("\n", "<br/>")
        return Paragraph(text, style_right if column in right else style)

    data = [[cell(h, i, STYLES.cell_head, STYLES.cell_head_right) for i, h in enumerate(header)]]
    body_style, body_right = STYLES.cell, STYLES.cell_right
    for index, row in enumerate(rows):
        if len(row) != columns:
            raise ValueError("every row has one cell a column")
        if total and index == len(rows) - 1:
            body_style, body_right = STYLES.cell_head, STYLES.cell_head_right
        data.append([cell(value, i, body_style, body_right) for i, value in enumerate(row)])
    commands: list[tuple[Any, ...]] = [
        ("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL),
        ("LINEBELOW", (0, 0), (-1, 0), 0.75, RULE),
        ("LINEBELOW", (0, -1), (-1, -1), 0.75, RULE),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 2.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3.5),
        ("LEFTPADDING", (0, 0), (-1, -1), 5),
        ("RIGHTPADDING", (0, 0), (-1, -1), 5),
    ]
    if len(data) > 2:
        commands.append(("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, ZEBRA]))
    if total and rows:
        commands.append(("LINEABOVE", (0, -1), (-1, -1), 0.75, INK))
    result = Table(data, colWidths=col_widths, repeatRows=1, hAlign="LEFT")
    result.setStyle(TableStyle(commands))
    return result


def _cell_text(value: Cell) -> str:
    if value is None:
        return DASH
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        return f"{value:,.1f}"
    return str(value)


def side_by_side(
    left: Sequence[Flowable], right: Sequence[Flowable], gap: float = 0.8 * cm
) -> Table:
    """Two short blocks (a heading, a table, a note) next to each other across the page; each
    half is ``(FRAME_WIDTH - gap) / 2`` wide (see :data:`HALF_WIDTH`). Only for blocks that fit on
    one page: a side-by-side pair does not break across pages."""
    half = (FRAME_WIDTH - gap) / 2
    box = Table([[list(left), "", list(right)]], colWidths=[half, gap, half], hAlign="LEFT")
    box.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    return box


HALF_WIDTH = (FRAME_WIDTH - 0.8 * cm) / 2
"""The width of one half of :func:`side_by_side` with its usual gap."""


# Headline tiles -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Tile:
    """One headline: a big figure, what it is, and an optional word on it."""

    value: str
    caption: str
    detail: str | None = None
    alert: bool = False
    """Draws the figure in red (a concern the reader must not miss)."""


class HeadlineTiles(Flowable):  # type: ignore[misc]
    """Headline figures as a grid of boxes, ``columns`` a row: a big number over a caption."""

    GAP = 0.3 * cm
    PADDING = 0.25 * cm
    VALUE_SIZE = 20

    def __init__(self, tiles: Sequence[Tile], columns: int = 4) -> None:
        super().__init__()
        self.tiles = list(tiles)
        self.columns = max(1, columns)
        self._caption = ParagraphStyle(
            "tile_caption",
            parent=STYLES.cell,
            fontSize=8.5,
            leading=10.5,
            alignment=TA_CENTER,
            textColor=INK,
        )
        self._detail = ParagraphStyle(
            "tile_detail", parent=self._caption, fontSize=7.5, leading=9, textColor=MUTED
        )
        self._laid: list[tuple[Paragraph, Paragraph | None]] = []
        self._tile_width = 0.0
        self._row_heights: list[float] = []

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        self._tile_width = (available_width - self.GAP * (self.columns - 1)) / self.columns
        inner = self._tile_width - 2 * self.PADDING
        self._laid = []
        self._row_heights = []
        for start in range(0, len(self.tiles), self.columns):
            height = 0.0
            for tile in self.tiles[start : start + self.columns]:
                caption = Paragraph(escape(tile.caption), self._caption)
                used = caption.wrap(inner, 1000)[1]
                detail = None
                if tile.detail:
                    detail = Paragraph(escape(tile.detail), self._detail)
                    used += 2 + detail.wrap(inner, 1000)[1]
                self._laid.append((caption, detail))
                height = max(height, used)
            self._row_heights.append(2 * self.PADDING + self.VALUE_SIZE + 6 + height)
        total = sum(self._row_heights) + self.GAP * max(0, len(self._row_heights) - 1)
        self.width, self.height = available_width, total
        return available_width, total

    def draw(self) -> None:
        canvas = self.canv
        top = self.height
        for row, row_height in enumerate(self._row_heights):
            for column in range(self.columns):
                index = row * self.columns + column
                if index >= len(self.tiles):
                    break
                tile = self.tiles[index]
                caption, detail = self._laid[index]
                x = column * (self._tile_width + self.GAP)
                y = top - row_height
                canvas.setFillColor(TILE_FILL)
                canvas.setStrokeColor(TILE_EDGE)
                canvas.setLineWidth(0.75)
                canvas.roundRect(x, y, self._tile_width, row_height, 4, stroke=1, fill=1)
                centre = x + self._tile_width / 2
                baseline = top - self.PADDING - self.VALUE_SIZE * 0.8
                size = _fitting_size(
                    tile.value, BOLD, self.VALUE_SIZE, self._tile_width - 2 * self.PADDING
                )
                canvas.setFillColor(NOT_SIGNED_COLOUR if tile.alert else INK)
                canvas.setFont(BOLD, size)
                canvas.drawCentredString(centre, baseline, tile.value)
                text_top = top - self.PADDING - self.VALUE_SIZE - 6
                inner = self._tile_width - 2 * self.PADDING
                height = caption.wrap(inner, 1000)[1]
                caption.drawOn(canvas, x + self.PADDING, text_top - height)
                if detail is not None:
                    below = detail.wrap(inner, 1000)[1]
                    detail.drawOn(canvas, x + self.PADDING, text_top - height - 2 - below)
            top -= row_height + self.GAP


def _fitting_size(text: str, font: str, size: float, width: float) -> float:
    """The largest font size up to ``size`` at which ``text`` fits ``width``."""
    while size > 8 and stringWidth(text, font, size) > width:
        size -= 1
    return size


# Charts ---------------------------------------------------------------------------------------

LABEL_SIZE = 8
VALUE_LABEL_SIZE = 7.5
LEGEND_ROW = 16.0
"""Room above a chart for one line of legend."""
GRID = colors.HexColor("#e0e0e0")
MARKERS = ("FilledCircle", "FilledSquare", "FilledDiamond", "FilledTriangle")


def _nice_axis(largest: float) -> tuple[float, float]:
    """A value axis from 0: its top and step (1, 2 or 5 times a power of ten, about 5 steps),
    with room above the largest value for its label."""
    if largest <= 0:
        return 1.0, 1.0
    raw = largest / 5
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    if largest >= 1 and step < 1:
        step = 1.0
    top = step * math.ceil(largest / step)
    if top - largest < step * 0.15:
        top += step
    return float(top), float(step)


def _category_labels(labels: Sequence[str], slot: float) -> tuple[list[str], int, float]:
    """Category labels laid out for slots ``slot`` points wide: on one line when they all fit,
    else each split in two at its middlemost space when they all fit so, else turned on their
    side. The labels, the angle and the height needed under the plot."""
    room = slot * 0.92 - 2

    def fits(lines: Sequence[str]) -> bool:
        return all(stringWidth(line, FONT, LABEL_SIZE) <= room for line in lines)

    if all(fits([label]) for label in labels):
        return list(labels), 0, LABEL_SIZE + 8
    halves = [_two_lines(label) for label in labels]
    if all(fits(lines) for lines in halves):
        return ["\n".join(lines) for lines in halves], 0, 2 * (LABEL_SIZE + 2) + 6
    longest = max((stringWidth(label, FONT, LABEL_SIZE) for label in labels), default=0.0)
    return list(labels), 90, longest + 8


def _two_lines(label: str) -> list[str]:
    """``label`` split at the space that makes its longer line shortest (as is, with none)."""
    words = label.split()
    if len(words) < 2:
        return [label]
    splits = [(" ".join(words[:i]), " ".join(words[i:])) for i in range(1, len(words))]
    first, second = min(
        splits,
        key=lambda pair: max(stringWidth(part, FONT, LABEL_SIZE) for part in pair),
    )
    return [first, second]


def _legend(names: Sequence[str], x: float, top: float) -> Group:
    """A row of colour swatches, each followed by its series' name, from ``x`` at ``top``."""
    group = Group()
    for index, name in enumerate(names):
        colour = SERIES_COLOURS[index % len(SERIES_COLOURS)]
        group.add(Rect(x, top - 8, 8, 8, fillColor=colour, strokeColor=None))
        group.add(String(x + 12, top - 7, name, fontName=FONT, fontSize=LABEL_SIZE, fillColor=INK))
        x += 12 + stringWidth(name, FONT, LABEL_SIZE) + 16
    return group


def _axis_room(top: float, step: float, axis_text: Callable[[float], str]) -> float:
    """Room left of the plot for the value axis' widest label."""
    ticks = [step * i for i in range(round(top / step) + 1)]
    return float(max(stringWidth(axis_text(t), FONT, LABEL_SIZE) for t in ticks)) + 10


def _set_axes(
    chart: Any,
    shown: Sequence[str],
    *,
    angle: int,
    top: float,
    step: float,
    axis_text: Callable[[float], str],
) -> None:
    """The category axis (labels under the plot, or on their side) and a value axis from 0
    with a light grid, the same on every chart."""
    category = chart.categoryAxis
    category.categoryNames = list(shown)
    category.strokeColor = INK
    category.tickDown = 0
    category.labels.fontName = FONT
    category.labels.fontSize = LABEL_SIZE
    category.labels.leading = LABEL_SIZE + 2
    category.labels.fillColor = INK
    category.labels.dy = -4
    if angle:
        category.labels.angle = angle
        category.labels.boxAnchor = "e"
        category.labels.textAnchor = "end"
    else:
        category.labels.boxAnchor = "n"
        category.labels.textAnchor = "middle"
    value = chart.valueAxis
    value.valueMin = 0
    value.valueMax = top
    value.valueStep = step
    value.strokeColor = INK
    value.labels.fontName = FONT
    value.labels.fontSize = LABEL_SIZE
    value.labels.fillColor = INK
    value.labelTextFormat = axis_text
    value.visibleGrid = True
    value.gridStrokeColor = GRID
    value.gridStrokeWidth = 0.5


def _count_text(value: float) -> str:
    return f"{value:,.0f}"


def _percent_axis(value: float) -> str:
    return f"{round(value * 100)}%"


def _frame(
    labels: Sequence[str],
    width: float,
    height: float,
    *,
    top: float,
    step: float,
    axis_text: Callable[[float], str],
    legend: bool,
    title: str | None,
) -> tuple[Drawing, float, float, float, float, list[str], int]:
    """A drawing with room for a title, a legend, the value axis' labels and the category
    labels: the drawing, the plot's x, y, width and height, the labels as shown, their angle."""
    left = _axis_room(top, step, axis_text)
    plot_width = width - left - 6
    shown, angle, label_room = _category_labels(labels, plot_width / max(1, len(labels)))
    title_room = 16.0 if title else 0.0
    legend_room = LEGEND_ROW if legend else 0.0
    plot_height = height - label_room - title_room - legend_room - 14
    drawing = Drawing(width, height)
    if title:
        drawing.add(String(0, height - 11, title, fontName=BOLD, fontSize=9, fillColor=INK))
    return drawing, left, label_room, plot_width, plot_height, shown, angle


def _bar_chart(
    labels: Sequence[str],
    series: Sequence[Sequence[float | None]],
    names: Sequence[str] | None,
    *,
    height: float,
    width: float,
    value_text: Callable[[float], str],
    axis_text: Callable[[float], str],
    top: float | None,
    title: str | None,
) -> Drawing:
    values = [v for row in series for v in row if v is not None]
    axis_top, step = _nice_axis(max(values, default=0.0)) if top is None else (top, top / 5)
    drawing, x, y, plot_width, plot_height, shown, angle = _frame(
        labels,
        width,
        height,
        top=axis_top,
        step=step,
        axis_text=axis_text,
        legend=bool(names),
        title=title,
    )
    chart = VerticalBarChart()
    chart.x, chart.y = x, y
    chart.width, chart.height = plot_width, plot_height
    chart.data = [tuple(row) for row in series]
    chart.strokeColor = None
    # Relative widths, scaled by the chart to fit its slots.
    chart.barWidth = 10
    chart.barSpacing = 1.5
    chart.groupSpacing = 6 if len(series) == 1 else 8
    _set_axes(chart, shown, angle=angle, top=axis_top, step=step, axis_text=axis_text)
    chart.barLabelFormat = lambda value: "" if value is None else value_text(value)
    chart.barLabels.fontName = FONT
    chart.barLabels.fontSize = VALUE_LABEL_SIZE
    chart.barLabels.fillColor = INK
    chart.barLabels.nudge = 6
    chart.barLabels.boxAnchor = "s"
    chart.barLabels.dy = -2
    for index in range(len(series)):
        chart.bars[index].fillColor = SERIES_COLOURS[index % len(SERIES_COLOURS)]
        chart.bars[index].strokeColor = None
    drawing.add(chart)
    if names:
        drawing.add(_legend(names, x, height - (16.0 if title else 0.0) - 2))
    return drawing


def bar_chart(
    labels: Sequence[str],
    values: Sequence[float],
    *,
    height: float = 6 * cm,
    width: float = FRAME_WIDTH,
    value_text: Callable[[float], str] = _count_text,
    title: str | None = None,
) -> Drawing:
    """A vertical bar chart: one bar a label, the labels under the bars (on their side when
    there are too many to read across), each bar's value over it, the value axis from 0."""
    return _bar_chart(
        labels,
        [values],
        None,
        height=height,
        width=width,
        value_text=value_text,
        axis_text=_count_text,
        top=None,
        title=title,
    )


def grouped_bar_chart(
    labels: Sequence[str],
    series: Sequence[tuple[str, Sequence[float | None]]],
    *,
    fractions: bool = False,
    height: float = 7 * cm,
    width: float = FRAME_WIDTH,
    title: str | None = None,
) -> Drawing:
    """Several series side by side for each label, with a legend; a None value draws no bar.
    With ``fractions`` the values are fractions shown as percentages on an axis from 0 to
    100%."""
    return _bar_chart(
        labels,
        [values for _, values in series],
        [name for name, _ in series],
        height=height,
        width=width,
        value_text=percent if fractions else _count_text,
        axis_text=_percent_axis if fractions else _count_text,
        top=1.0 if fractions else None,
        title=title,
    )


def line_chart(
    labels: Sequence[str],
    series: Sequence[tuple[str, Sequence[float | None]]],
    *,
    fractions: bool = False,
    height: float = 7 * cm,
    width: float = FRAME_WIDTH,
    title: str | None = None,
) -> Drawing:
    """Several series over the same labelled points (months, say), each with its own colour
    and marker, and a legend; a None value leaves a gap in its line. With ``fractions`` the
    values are fractions on an axis from 0 to 100%."""
    values = [v for _, row in series for v in row if v is not None]
    axis_text = _percent_axis if fractions else _count_text
    axis_top, step = (1.0, 0.2) if fractions else _nice_axis(max(values, default=0.0))
    drawing, x, y, plot_width, plot_height, shown, angle = _frame(
        labels,
        width,
        height,
        top=axis_top,
        step=step,
        axis_text=axis_text,
        legend=True,
        title=title,
    )
    chart = HorizontalLineChart()
    chart.x, chart.y = x, y
    chart.width, chart.height = plot_width, plot_height
    chart.joinedLines = 1
    chart.strokeColor = None
    _set_axes(chart, shown, angle=angle, top=axis_top, step=step, axis_text=axis_text)
    rows: list[tuple[float | None, ...]] = []
    for index, (_, row) in enumerate(series):
        colour = SERIES_COLOURS[index % len(SERIES_COLOURS)]
        for segment in _segments(row):
            line = chart.lines[len(rows)]
            line.strokeColor = colour
            line.strokeWidth = 1.5
            marker = makeMarker(MARKERS[index % len(MARKERS)])
            marker.fillColor = colour
            marker.strokeColor = colour
            marker.size = 5
            line.symbol = marker
            rows.append(segment)
    chart.data = rows or [tuple(None for _ in labels)]
    drawing.add(chart)
    drawing.add(_legend([name for name, _ in series], x, height - (16.0 if title else 0.0) - 2))
    return drawing


def _segments(row: Sequence[float | None]) -> list[tuple[float | None, ...]]:
    """A series split where it has no value, each run of values a row of its own (None
    elsewhere), so the chart draws no line across the gap."""
    segments: list[tuple[float | None, ...]] = []
    start: int | None = None
    for index, value in enumerate([*row, None]):
        if value is not None and start is None:
            start = index
        elif value is None and start is not None:
            segments.append(tuple(v if start <= i < index else None for i, v in enumerate(row)))
            start = None
    return segments
