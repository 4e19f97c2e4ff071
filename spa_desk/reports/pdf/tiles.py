"""Blocks a report's pages are laid out with: headline tiles (a big figure over what it is), a
full-width coloured banner, and two short blocks side by side.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, Paragraph, Table, TableStyle

from spa_desk.reports.pdf.document import (
    BOLD,
    FRAME_WIDTH,
    INK,
    MUTED,
    NOT_SIGNED_COLOUR,
    STYLES,
    TILE_EDGE,
    TILE_FILL,
)


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
