"""The A4 page every report PDF shares: its geometry, fonts, colours and paragraph styles, the
footer on every page, and :func:`build_pdf`, which turns a list of flowables into the PDF's bytes.

Every page carries the same footer: what the report is about, "Page x of y", when and by whom it
was produced (local time, Europe/London) and, on a report a manager signs, whether it is signed.
Text uses only the PDF base-14 fonts, so a report looks the same on every machine.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate

from spa_desk.reports.pdf.words import local_moment
from spa_desk.vocabulary import TRAINING_MARK

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


# The footer -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Footer:
    """What every page's foot says."""

    subject: str
    """What the report is about, e.g. the shift's title."""
    produced_at: datetime
    produced_by: str
    signed: str | None = None
    """``SIGNED by ... at ...``; None draws ``NOT SIGNED`` (on a report that is signed)."""
    signable: bool = True
    """False for a report no one signs (trends, service gaps): no signed marker at all."""
    training: bool = False
    """From a training database: TRAINING across the top of every page (SPEC 7)."""

    def draw(self, canvas: Any, page: int, pages: int) -> None:
        canvas.saveState()
        if self.training:
            canvas.setFillColor(NOT_SIGNED_COLOUR)
            canvas.setFont(BOLD, 11)
            canvas.drawCentredString(
                PAGE_WIDTH / 2,
                PAGE_HEIGHT - MARGIN / 2 - 4,
                f"{TRAINING_MARK}: practice data from the training database, not live figures",
            )
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
        canvas.drawString(MARGIN, first, clipped(self.subject, FONT, 8, room))
        room = FRAME_WIDTH
        if self.signable:
            marker = self.signed or "NOT SIGNED"
            canvas.setFont(BOLD, 8)
            canvas.setFillColor(SIGNED_COLOUR if self.signed else NOT_SIGNED_COLOUR)
            canvas.drawRightString(right, second, clipped(marker, BOLD, 8, FRAME_WIDTH * 0.6))
            room = FRAME_WIDTH - stringWidth(marker, BOLD, 8) - 0.5 * cm
        produced = f"Produced {local_moment(self.produced_at)} by {self.produced_by}"
        canvas.setFont(FONT, 8)
        canvas.setFillColor(MUTED)
        canvas.drawString(MARGIN, second, clipped(produced, FONT, 8, room))
        canvas.restoreState()


def clipped(text: str, font: str, size: float, width: float) -> str:
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


# The document ---------------------------------------------------------------------------------


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


def unsigned_pdf(
    story: Sequence[Flowable],
    *,
    subject: str,
    produced_at: datetime,
    produced_by: str,
    training: bool = False,
    invariant: bool = False,
) -> bytes:
    """A report that is never signed (trends, service gaps): ``subject`` as its title and on
    every page's footer, with when and by whom it was produced."""
    return build_pdf(
        story,
        title=subject,
        subject=subject,
        footer=Footer(
            subject=subject,
            produced_at=produced_at,
            produced_by=produced_by,
            signable=False,
            training=training,
        ),
        invariant=invariant,
    )
