"""Tables for the report PDFs: a header row repeated on every page a table runs over, every
other row shaded, numbers to the right, an optional total row set apart.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeAlias
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Flowable, Paragraph, Table, TableStyle

from spa_desk.reports.pdf.document import FRAME_WIDTH, HEADER_FILL, INK, RULE, STYLES, ZEBRA
from spa_desk.reports.pdf.words import DASH

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
