"""A trainee's session report (SPEC 7) as PDF, for the trainer: every sample call they worked in
the period, its score out of five and each difference with the rule that decides it, the parts
they got right across the session, and their routes learnt worst. Built with the reports' own
PDF pieces (:mod:`spa_desk.reports.pdf`); on a training database every page says TRAINING."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from reportlab.platypus import Flowable, Spacer

from spa_desk.database import Database
from spa_desk.database_marks import is_training
from spa_desk.domain import CurrentUser
from spa_desk.reports.pdf.document import heading, note, para, subheading, unsigned_pdf
from spa_desk.reports.pdf.tables import table
from spa_desk.reports.pdf.words import local_moment
from spa_desk.training.scoring import PARTS, Result, history

PART_WORDS = {
    "level1": "Level 1",
    "stream": "Stream",
    "routes": "Routes",
    "urgency": "Urgency",
    "resolution": "Resolution",
}


def session_report_pdf(
    database: Database,
    actor: CurrentUser,
    trainee_id: uuid.UUID,
    *,
    now: datetime | None = None,
) -> bytes:
    """The trainee's results as a PDF (a trainer's, or the trainee's own)."""
    results = history(database, actor, trainee_id)
    name = results[0].trainee_name if results else "this trainee"
    subject = f"Training results: {name}"
    return unsigned_pdf(
        _story(name, results),
        subject=subject,
        produced_at=now or datetime.now(UTC),
        produced_by=actor.display_name,
        training=is_training(database),
    )


def _story(name: str, results: list[Result]) -> list[Flowable]:
    story: list[Flowable] = [heading(f"Training results: {name}")]
    if not results:
        story.append(para("No practice calls scored yet."))
        return story
    points = sum(r.points for r in results)
    parts = sum(len(r.marks) for r in results)  # a call handed off has no routes to mark
    story.append(
        para(
            f"{len(results)} practice call{'s' if len(results) != 1 else ''}, "
            f"{points} of {parts} parts right ({100 * points / parts:.0f}%)."
        )
    )
    story.append(subheading("Parts right across the session"))
    story.append(
        table(
            ["Part", "Right", "Of", "Share"],
            [_part_row(part, results) for part in PARTS if any(part in r.marks for r in results)],
            widths=[3, 1, 1, 1],
            numeric=[1, 2, 3],
        )
    )
    story.append(Spacer(1, 8))
    story.append(subheading("Each call, newest first"))
    story.append(
        table(
            ["When", "Sample call", "Score", "What differed, and the rule that decides it"],
            [
                [
                    local_moment(r.scored_at),
                    r.title,
                    r.table_words,
                    "\n".join(r.differences) or r.nothing_differed,
                ]
                for r in results
            ],
            widths=[1.6, 2.4, 1.2, 4.8],
        )
    )
    story.append(note("Scores compare the saved call with the sample call's expected decision."))
    return story


def _part_row(part: str, results: list[Result]) -> list[object]:
    """One part's line: right, of the calls that marked it, and the share."""
    marked = [r.marks[part] for r in results if part in r.marks]
    right = sum(marked)
    return [PART_WORDS[part], right, len(marked), f"{100 * right / len(marked):.0f}%"]
