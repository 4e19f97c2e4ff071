"""The shift report's sections on what was decided and by whom (SPEC 6): the overrides with
their reasons, the service gaps, drafts left open, hand-offs and the figures per handler. Each
section says so in words when it has nothing to show.
"""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.platypus import Flowable

from spa_desk.reports.figures import PeriodFigures
from spa_desk.reports.pdf.document import heading, note, para
from spa_desk.reports.pdf.shift_sections import adds_up, route_words
from spa_desk.reports.pdf.tables import Cell, table
from spa_desk.reports.pdf.tiles import HALF_WIDTH
from spa_desk.reports.pdf.words import count_words, local_clock, minutes_seconds, percent


def overrides(f: PeriodFigures) -> list[Flowable]:
    parts: list[Flowable] = [heading("Overrides and their reasons")]
    if not f.overrides:
        return [*parts, para("No overrides this shift.")]
    rows: list[list[Cell]] = [
        [
            local_clock(row.started_at),
            row.handler,
            _choices_words(row.recommended),
            _choices_words(row.final),
            row.reason or "(no reason recorded)",
        ]
        for row in f.overrides
    ]
    return [
        *parts,
        para(
            f"{count_words(len(f.overrides), 'contact')} ended on routes other than the rules "
            "recommended, each with the handler's reason."
        ),
        table(
            ["Time", "Handler", "Recommended", "Final", "Reason"],
            rows,
            widths=[1.3, 2.3, 2.9, 2.9, 5.6],
        ),
    ]


def service_gaps(f: PeriodFigures) -> list[Flowable]:
    parts: list[Flowable] = [heading("Service gaps")]
    if not f.gaps:
        return [*parts, para("No service gaps recorded this shift.")]
    rows: list[list[Cell]] = [[gap.need, gap.count] for gap in f.gaps]
    total = sum(gap.count for gap in f.gaps)
    rows.append(["Total", total])
    return [
        *parts,
        table(["Unmet need", "Times recorded"], rows, widths=[4, 1.2], numeric=(1,), total=True),
        note(
            "Needs the SPA had no service for, as the handlers wrote them (the same words in "
            "any case counted together). "
            + adds_up(total, f.gaps_recorded, "service gaps recorded")
        ),
    ]


def drafts(f: PeriodFigures) -> list[Flowable]:
    parts: list[Flowable] = [heading("Drafts left open")]
    if f.drafts_open == 0:
        return [*parts, para("No drafts left open: every call started this shift was saved.")]
    return [
        *parts,
        para(
            f"{count_words(f.drafts_open, 'call')} started this shift "
            f"{'was' if f.drafts_open == 1 else 'were'} never saved. They count as offered and "
            "answered, but not as contacts."
        ),
    ]


def handoffs(f: PeriodFigures) -> list[Flowable]:
    parts: list[Flowable] = [heading("Hand-offs")]
    h = f.handoffs
    if h.made == 0:
        return [*parts, para("No hand-offs this shift.")]
    rows: list[list[Cell]] = [
        ["Made", h.made],
        ["Claimed", h.claimed],
        ["Still waiting (or with the SPA manager)", h.waiting],
        ["Claimed after their urgency clock ran out", h.claimed_late],
    ]
    return [
        *parts,
        table(["", "Hand-offs"], rows, widths=[4, 1.2], numeric=(1,), width=HALF_WIDTH * 1.3),
        note("Hand-offs made this shift, as they stand now."),
    ]


def handlers(f: PeriodFigures) -> list[Flowable]:
    parts: list[Flowable] = [heading("Per handler")]
    if not f.handlers:
        return [*parts, para("No contacts this shift, so no figures per handler.")]
    rows: list[list[Cell]] = [
        [
            h.name,
            h.contacts,
            h.data_contacts,
            percent(h.fcr),
            minutes_seconds(h.talk_median),
            minutes_seconds(h.wrap_median),
            h.overrides,
        ]
        for h in f.handlers
    ]
    contacts = sum(h.contacts for h in f.handlers)
    rows.append(
        [
            "All staff",
            contacts,
            sum(h.data_contacts for h in f.handlers),
            percent(f.fcr_all.recorded_fraction),
            minutes_seconds(f.talk.median),
            minutes_seconds(f.wrap.median),
            sum(h.overrides for h in f.handlers),
        ]
    )
    return [
        *parts,
        table(
            [
                "Handler",
                "Contacts",
                "Data contacts",
                "Recorded FCR",
                "Median talk",
                "Median wrap-up",
                "Overrides",
            ],
            rows,
            widths=[3.4, 1.3, 1.3, 1.3, 1.3, 1.3, 1.3],
            numeric=range(1, 7),
            total=True,
        ),
        note(
            "By who took the call. FCR, talk and wrap-up time are of the handler's data "
            "contacts; talk and wrap-up in m:ss. " + adds_up(contacts, f.contacts, "contacts")
        ),
    ]


def _choices_words(choices: Sequence[str]) -> str:
    """``community_nursing:urgent`` as ``Community nursing (urgent)``, one a line."""
    if not choices:
        return "(none)"
    words = []
    for choice in choices:
        route, _, urgency = choice.partition(":")
        text = route_words(route)
        words.append(f"{text} ({urgency})" if urgency else text)
    return "\n".join(words)
