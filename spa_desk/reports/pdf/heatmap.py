"""A heat map for the report PDFs, drawn with ``reportlab.graphics``: a grid of cells, one a row
and column (weekdays by hours, say), each shaded on a light-to-dark single-hue scale by its value,
with the value printed in the cell where it fits, the row and column labels, and a legend of the
scale. A cell with no value (an hour that did not come in the period) is grey and empty.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

from reportlab.graphics.shapes import Drawing, Rect, String
from reportlab.lib import colors
from reportlab.pdfbase.pdfmetrics import stringWidth

from spa_desk.reports.pdf.document import BOLD, FONT, FRAME_WIDTH, INK, MUTED

SCALE = tuple(
    colors.HexColor(code)
    for code in (
        "#f7fbff",
        "#deebf7",
        "#c6dbef",
        "#9ecae1",
        "#6baed6",
        "#4292c6",
        "#2171b5",
        "#08519c",
        "#08306b",
    )
)
"""Light to dark blue (ColorBrewer's "Blues"): darker is more; it reads in grey print too."""
NO_VALUE = colors.HexColor("#d9d9d9")
DARK_FROM = 0.55
"""From this far up the scale a cell's value is printed in white, below it in ink."""

LABEL_SIZE = 7.5
VALUE_SIZES = (6.5, 5.5)
"""The sizes a cell's value is tried at, largest first; it is left out when neither fits."""
ROW_LABEL_ROOM = 26.0
COLUMN_LABEL_ROOM = 12.0
LEGEND_ROOM = 34.0
LEGEND_STEPS = 60


def shade(fraction: float) -> colors.Color:
    """The colour ``fraction`` (0 to 1) of the way up :data:`SCALE`."""
    fraction = min(1.0, max(0.0, fraction))
    place = fraction * (len(SCALE) - 1)
    low = min(int(place), len(SCALE) - 2)
    return colors.linearlyInterpolatedColor(SCALE[low], SCALE[low + 1], low, low + 1, place)


def one_decimal(value: float) -> str:
    return f"{value:.1f}"


def heat_map(
    rows: Sequence[str],
    columns: Sequence[str],
    values: Sequence[Sequence[float | None]],
    *,
    legend: str,
    width: float = FRAME_WIDTH,
    cell_height: float = 17.0,
    value_text: Callable[[float], str] = one_decimal,
) -> Drawing:
    """The heat map of ``values`` (one sequence a row, one value a column), the row labels at
    the left, the column labels above, and under it the scale from 0 to the largest value,
    named ``legend``."""
    known = [v for row in values for v in row if v is not None]
    largest = max(known, default=0.0)
    cell_width = (width - ROW_LABEL_ROOM) / max(1, len(columns))
    grid_height = cell_height * len(rows)
    height = COLUMN_LABEL_ROOM + grid_height + LEGEND_ROOM
    drawing = Drawing(width, height)
    top = height - COLUMN_LABEL_ROOM
    for index, label in enumerate(columns):
        centre = ROW_LABEL_ROOM + (index + 0.5) * cell_width
        drawing.add(_text(centre, top + 3, label, LABEL_SIZE, anchor="middle", font=BOLD))
    for row_index, (label, row) in enumerate(zip(rows, values, strict=True)):
        y = top - (row_index + 1) * cell_height
        drawing.add(_text(0, y + cell_height / 2 - LABEL_SIZE / 3, label, LABEL_SIZE, font=BOLD))
        for index, value in enumerate(row):
            x = ROW_LABEL_ROOM + index * cell_width
            fraction = value / largest if value is not None and largest > 0 else 0.0
            fill = NO_VALUE if value is None else shade(fraction)
            drawing.add(
                Rect(x, y, cell_width, cell_height, fillColor=fill, strokeColor=colors.white,
                     strokeWidth=0.6)
            )  # fmt: skip
            if value is None:
                continue
            words = value_text(value)
            size = next(
                (s for s in VALUE_SIZES if stringWidth(words, FONT, s) <= cell_width - 2), None
            )
            if size is not None:
                ink = colors.white if fraction >= DARK_FROM else INK
                middle = y + cell_height / 2 - size / 3
                drawing.add(
                    _text(x + cell_width / 2, middle, words, size, anchor="middle", ink=ink)
                )
    _add_legend(drawing, top - grid_height - 10, largest, legend, missing=len(known) < sum(
        len(row) for row in values))  # fmt: skip
    return drawing


def _add_legend(drawing: Drawing, top: float, largest: float, name: str, *, missing: bool) -> None:
    """The scale as a strip from 0 to ``largest`` with ticks at round values, its name to the
    left, and a grey swatch for "no value" when ``missing``."""
    drawing.add(_text(ROW_LABEL_ROOM, top - 8, name, LABEL_SIZE, ink=MUTED))
    left = ROW_LABEL_ROOM + stringWidth(name, FONT, LABEL_SIZE) + 10
    strip = min(220.0, drawing.width - left - (150 if missing else 20))
    step_width = strip / LEGEND_STEPS
    for step in range(LEGEND_STEPS):
        fill = shade((step + 0.5) / LEGEND_STEPS)
        drawing.add(
            Rect(left + step * step_width, top - 10, step_width + 0.3, 10, fillColor=fill,
                 strokeColor=None)
        )  # fmt: skip
    drawing.add(Rect(left, top - 10, strip, 10, fillColor=None, strokeColor=MUTED, strokeWidth=0.4))
    for tick in _ticks(largest):
        x = left + (strip * tick / largest if largest > 0 else 0)
        drawing.add(Rect(x - 0.2, top - 13, 0.4, 3, fillColor=INK, strokeColor=None))
        drawing.add(_text(x, top - 21, _tick_text(tick), LABEL_SIZE - 0.5, anchor="middle"))
    if missing:
        x = left + strip + 18
        drawing.add(Rect(x, top - 10, 10, 10, fillColor=NO_VALUE, strokeColor=None))
        drawing.add(_text(x + 14, top - 8, "no such hour in the period", LABEL_SIZE, ink=MUTED))


def _ticks(largest: float) -> list[float]:
    """0 and round values up to ``largest`` (about five), and ``largest`` itself."""
    if largest <= 0:
        return [0.0]
    raw = largest / 5
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    ticks = [step * i for i in range(int(largest / step) + 1)]
    if largest - ticks[-1] < step * 0.4:
        ticks.pop()
    return [*ticks, largest]


def _tick_text(value: float) -> str:
    return f"{value:.0f}" if value == round(value) else f"{value:.1f}"


def _text(
    x: float,
    y: float,
    text: str,
    size: float,
    *,
    anchor: str = "start",
    font: str = FONT,
    ink: colors.Color = INK,
) -> String:
    return String(x, y, text, fontName=font, fontSize=size, fillColor=ink, textAnchor=anchor)
