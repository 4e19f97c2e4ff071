"""Charts for the report PDFs, drawn with ``reportlab.graphics`` (vector, no other plotting
library): bar charts (one series, or several side by side) and line charts over labelled points,
each with a value axis from 0, a light grid, the labels under the plot (on their side when there
are too many to read across) and a legend where there is more than one series.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any

from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.charts.linecharts import HorizontalLineChart
from reportlab.graphics.shapes import Drawing, Group, Line, Rect, String
from reportlab.graphics.widgets.markers import makeMarker
from reportlab.lib import colors
from reportlab.lib.units import cm
from reportlab.pdfbase.pdfmetrics import stringWidth

from spa_desk.reports.pdf.document import BOLD, FONT, FRAME_WIDTH, INK, SERIES_COLOURS
from spa_desk.reports.pdf.words import percent

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


def _legend_rows(names: Sequence[str], room: float) -> list[list[str]]:
    """The series' names as legend rows no wider than ``room`` points (a row a name at least)."""
    rows: list[list[str]] = []
    used = room
    for name in names:
        width = 12 + stringWidth(name, FONT, LABEL_SIZE)
        if rows and used + width <= room:
            rows[-1].append(name)
        else:
            rows.append([name])
            used = 0.0
        used += width + 16
    return rows


def _legend(names: Sequence[str], x: float, top: float, room: float) -> Group:
    """Colour swatches, each followed by its series' name, from ``x`` at ``top``, in as many
    rows as it takes to stay within ``room`` points."""
    group = Group()
    index = 0
    for row in _legend_rows(names, room):
        left = x
        for name in row:
            colour = SERIES_COLOURS[index % len(SERIES_COLOURS)]
            group.add(Rect(left, top - 8, 8, 8, fillColor=colour, strokeColor=None))
            group.add(
                String(left + 12, top - 7, name, fontName=FONT, fontSize=LABEL_SIZE, fillColor=INK)
            )
            left += 12 + stringWidth(name, FONT, LABEL_SIZE) + 16
            index += 1
        top -= LEGEND_ROW
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
    legend: Sequence[str],
    title: str | None,
) -> tuple[Drawing, float, float, float, float, list[str], int]:
    """A drawing with room for a title, a legend, the value axis' labels and the category
    labels: the drawing, the plot's x, y, width and height, the labels as shown, their angle."""
    left = _axis_room(top, step, axis_text)
    plot_width = width - left - 6
    shown, angle, label_room = _category_labels(labels, plot_width / max(1, len(labels)))
    title_room = 16.0 if title else 0.0
    legend_room = LEGEND_ROW * len(_legend_rows(legend, width - left)) if legend else 0.0
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
        legend=names or (),
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
        drawing.add(_legend(names, x, height - (16.0 if title else 0.0) - 2, width - x))
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
    references: Sequence[tuple[int, float]] = (),
) -> Drawing:
    """Several series over the same labelled points (months, say), each with its own colour
    and marker, and a legend; a None value leaves a gap in its line. With ``fractions`` the
    values are fractions on an axis from 0 to 100%. Each of ``references`` (a series' index, a
    value) is a dashed line across the plot at that value, in that series' colour."""
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
        legend=[name for name, _ in series],
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
    for index, value in references:
        level = y + plot_height * min(value, axis_top) / axis_top
        drawing.add(
            Line(
                x,
                level,
                x + plot_width,
                level,
                strokeColor=SERIES_COLOURS[index % len(SERIES_COLOURS)],
                strokeWidth=1,
                strokeDashArray=[4, 3],
            )
        )
    names = [name for name, _ in series]
    drawing.add(_legend(names, x, height - (16.0 if title else 0.0) - 2, width - x))
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
