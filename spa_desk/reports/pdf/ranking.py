"""Ranked horizontal bars for the report PDFs, drawn with ``reportlab.graphics``: one bar a
label in the order given (most first, say), the label at the left (cut short with an ellipsis
only when it would take more than ``label_share`` of the width), the value at the end of each
bar. For things with long names, such as unmet needs, that would not read under a vertical bar.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from reportlab.graphics.shapes import Drawing, Line, Rect, String
from reportlab.pdfbase.pdfmetrics import stringWidth

from spa_desk.reports.pdf.document import FONT, FRAME_WIDTH, INK, RULE, SERIES_COLOURS, clipped

LABEL_SIZE = 8.5
ROW = 15.0
BAR = 10.0


def count_text(value: float) -> str:
    return f"{value:,.0f}"


def ranked_bars(
    labels: Sequence[str],
    values: Sequence[float],
    *,
    width: float = FRAME_WIDTH,
    label_share: float = 0.42,
    value_text: Callable[[float], str] = count_text,
) -> Drawing:
    """Horizontal bars, one a row in the order given, each as long as its value over the
    largest, with its value after it."""
    widest = max((stringWidth(label, FONT, LABEL_SIZE) for label in labels), default=0.0)
    label_room = min(widest, width * label_share) + 8
    texts = [value_text(value) for value in values]
    value_room = max((stringWidth(text, FONT, LABEL_SIZE) for text in texts), default=0.0) + 6
    bar_room = width - label_room - value_room
    largest = max(values, default=0.0)
    height = ROW * len(labels) + 4
    drawing = Drawing(width, height)
    colour = SERIES_COLOURS[0]
    for index, (label, value, text) in enumerate(zip(labels, values, texts, strict=True)):
        y = height - (index + 1) * ROW
        baseline = y + (ROW - LABEL_SIZE) / 2 + 1
        shown = clipped(label, FONT, LABEL_SIZE, label_room - 8)
        drawing.add(String(0, baseline, shown, fontName=FONT, fontSize=LABEL_SIZE, fillColor=INK))
        length = bar_room * value / largest if largest > 0 else 0.0
        drawing.add(
            Rect(label_room, y + (ROW - BAR) / 2, length, BAR, fillColor=colour, strokeColor=None)
        )
        drawing.add(
            String(
                label_room + length + 4,
                baseline,
                text,
                fontName=FONT,
                fontSize=LABEL_SIZE,
                fillColor=INK,
            )
        )
    drawing.add(Line(label_room, 0, label_room, height, strokeColor=RULE, strokeWidth=0.75))
    return drawing
