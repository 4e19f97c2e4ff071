"""The shift report's PDF, read back with pypdf: the first page says which shift, whether it is
signed and the headline figures; every page's footer numbers the pages; a long overrides table
runs over pages with its header on each; the October night shows 01:00 twice; an empty shift says
so in words."""

from __future__ import annotations

import io
import uuid
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from pypdf import PdfReader

from spa_desk.database import Database
from spa_desk.domain import CurrentUser
from spa_desk.reports.figures import (
    GapCount,
    HandlerFigures,
    HandoffFigures,
    HourCount,
    OverrideRow,
    Percentiles,
    PeriodFigures,
    StreamFcr,
)
from spa_desk.reports.pdf.shift import shift_pdf
from spa_desk.reports.pdf.words import local_clock, minutes_seconds, percent
from spa_desk.reports.shift_report import ShiftReport, Signature, named_shift, shift_report
from spa_desk.reports.shifts import Shift
from spa_desk.settings import DEFAULT_SHIFTS, Settings
from spa_desk.vocabulary import Role
from tests.factories import add_contact, add_user

DAY = date(2026, 11, 24)  # a Tuesday in winter: local time is UTC
EARLY = named_shift(DAY, "early", DEFAULT_SHIFTS)
PRODUCED = datetime(2026, 11, 24, 15, 5, tzinfo=UTC)
MANAGER = CurrentUser(
    id=uuid.uuid4(), username="boss", display_name="Morgan Manager", roles=(Role.SPA_MANAGER,)
)


def _hours(shift: Shift, counts: list[int]) -> tuple[HourCount, ...]:
    return tuple(
        HourCount(start_utc=shift.start_utc + timedelta(hours=i), contacts=n)
        for i, n in enumerate(counts)
    )


def _figures(shift: Shift = EARLY, **changes: Any) -> PeriodFigures:
    """A day shift whose every figure is known: 12 contacts, 10 of them data contacts."""
    values: dict[str, Any] = {
        "start_utc": shift.start_utc,
        "end_utc": shift.end_utc,
        "as_of": PRODUCED,
        "sustained_days": 7,
        "service_level_seconds": 20,
        "contacts": 12,
        "data_contacts": 10,
        "resolved": 6,
        "drafts_open": 1,
        "offered": 13,
        "answered": 13,
        "abandoned": 0,
        "average_speed_of_answer": 17.4,
        "answered_in_time": 11,
        "talk": Percentiles(count=10, median=372.0, p90=745.0),
        "wrap": Percentiles(count=10, median=95.0, p90=241.0),
        "fcr": (
            StreamFcr(
                stream="social_care",
                data_contacts=6,
                resolved=4,
                sustained=3,
                not_yet_known=1,
                reference=0.73,
            ),
            StreamFcr(
                stream="health",
                data_contacts=3,
                resolved=1,
                sustained=1,
                not_yet_known=0,
                reference=0.26,
            ),
            StreamFcr(stream="none", data_contacts=1, resolved=1, sustained=1, not_yet_known=0),
        ),
        "fcr_all": StreamFcr(
            stream="all", data_contacts=10, resolved=6, sustained=5, not_yet_known=1
        ),
        "hours": _hours(shift, [1, 2, 3, 0, 2, 1, 2, 1]),
        "caller_types": {"carer": 1, "family": 3, "professional": 2, "self": 4},
        "streams": {
            "social_care": 6,
            "health": 3,
            "mental_health": 0,
            "hospital_discharge": 0,
            "none": 1,
        },
        "routes": {"adult_social_care": 3, "vcs": 4, "safeguarding": 2, "resolved": 2},
        "urgency": {"emergency": 0, "urgent": 2, "soon": 3, "routine": 4, "none": 3},
        "safeguarding": 2,
        "crisis_responses": 0,
        "overrides": (_override(0, "Carer at breaking point; urgency raised."),),
        "handoffs": HandoffFigures(made=3, claimed=2, waiting=1, claimed_late=1),
        "gaps": (GapCount(need="Chiropody for older people", count=2),),
        "gaps_recorded": 2,
        "handlers": (
            HandlerFigures(
                user_id=uuid.uuid4(),
                username="ann",
                name="Ann Handler",
                contacts=7,
                data_contacts=6,
                resolved=4,
                overrides=1,
                talk_median=300.0,
                wrap_median=90.0,
            ),
            HandlerFigures(
                user_id=uuid.uuid4(),
                username="ben",
                name="Ben Practitioner",
                contacts=5,
                data_contacts=4,
                resolved=2,
                overrides=0,
                talk_median=420.0,
                wrap_median=100.0,
            ),
        ),
    }
    values.update(changes)
    return PeriodFigures(**values)


def _override(index: int, reason: str) -> OverrideRow:
    return OverrideRow(
        contact_id=uuid.uuid4(),
        started_at=EARLY.start_utc + timedelta(minutes=5 * index + 3),
        handler="Ann Handler",
        recommended=("community_nursing:routine",),
        final=("community_nursing:urgent", "safeguarding:soon"),
        reason=reason,
    )


def _report(
    figures: PeriodFigures | None = None, signature: Signature | None = None, shift: Shift = EARLY
) -> ShiftReport:
    return ShiftReport(
        shift=shift,
        figures=figures or _figures(shift),
        produced_at=PRODUCED,
        produced_by="Morgan Manager",
        signature=signature,
    )


def _pages(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


def _flat(text: str) -> str:
    return " ".join(text.split())


def test_the_first_page_says_which_shift_not_signed_and_the_headlines() -> None:
    pdf = shift_pdf(_report())
    first = _flat(_pages(pdf)[0])

    assert "Early shift, Tue 24 Nov 2026, 07:00-15:00" in first
    assert "NOT SIGNED" in first
    for figure in (
        "12 Contacts",  # the tile's number over its caption
        "10 Data contacts",
        "60% Recorded FCR",
        "50% Sustained FCR",
        "1 not yet known",
        "84.6% Service level",  # 11 of 13 offered
        "0:17 Average speed of answer",
        "2 Safeguarding concerns",
        "1 Drafts left open",
    ):
        assert figure in first, figure
    # FCR by stream beside the reference, a dash where the reference SPA has none.
    assert "Social care 6 66.7% 50% (1 not yet known) 73%" in first
    assert "Health 3 33.3% 33.3% 26%" in first
    assert "No stream (level 1) 1 100% 100% -" in first
    assert "All streams 10 60% 50% (1 not yet known) -" in first
    info = PdfReader(io.BytesIO(pdf)).metadata
    assert info is not None
    assert info.title == "Shift report: Early shift, Tue 24 Nov 2026, 07:00-15:00"
    assert info.author == "SPA Desk"
    assert "not signed" in (info.subject or "")


def test_a_signed_report_names_the_signer_on_the_first_page_and_every_footer() -> None:
    signature = Signature(
        username="boss", name="Morgan Manager", signed_at=datetime(2026, 11, 24, 15, 32, tzinfo=UTC)
    )
    pages = [_flat(text) for text in _pages(shift_pdf(_report(signature=signature)))]

    signed = "SIGNED by Morgan Manager at 15:32 GMT, Tue 24 Nov 2026"
    assert signed in pages[0]
    assert "NOT SIGNED" not in " ".join(pages)
    assert all(signed in page for page in pages)


def test_every_page_footer_numbers_the_pages_and_says_who_produced_it() -> None:
    pages = [_flat(text) for text in _pages(shift_pdf(_report()))]

    assert len(pages) >= 3
    for number, page in enumerate(pages, start=1):
        assert f"Page {number} of {len(pages)}" in page
        assert "Shift report: Early shift, Tue 24 Nov 2026, 07:00-15:00" in page
        assert "Produced 15:05 GMT, Tue 24 Nov 2026 by Morgan Manager" in page
        assert "NOT SIGNED" in page


def test_the_sections_add_up_in_words() -> None:
    text = _flat(" ".join(_pages(shift_pdf(_report()))))

    assert "The hours add up to 12; the shift had 12 contacts." in text
    assert "Total 10 100%" in text  # caller types and streams: the data contacts
    assert "Total 12 100%" in text  # urgency: the contacts
    assert "Voluntary and community sector 4" in text  # routes in words
    assert "07:03 Ann Handler Community nursing (routine)" in text
    assert "Community nursing (urgent) Safeguarding (soon)" in text
    assert "Chiropody for older people 2 Total 2" in text
    assert "Claimed after their urgency clock ran out 1" in text
    assert "All staff 12 10 60% 6:12 1:35 1" in text
    assert "Talk time 10 6:12 12:25" in text
    assert "1 call started this shift was never saved." in text


def test_a_long_overrides_table_runs_over_pages_with_its_header_on_each() -> None:
    overrides = tuple(
        _override(
            i,
            f"Reason {i:02d}: the carer said the person has not eaten for two days "
            "and the district nurse is not due until next week; urgency raised.",
        )
        for i in range(80)
    )
    pages = [_flat(text) for text in _pages(shift_pdf(_report(_figures(overrides=overrides))))]

    holding = [
        index
        for index, page in enumerate(pages)
        if any(f"Reason {i:02d}:" in page for i in range(80))
    ]
    assert len(holding) >= 3
    assert holding == list(range(holding[0], holding[-1] + 1))
    for index in holding:
        assert "Time Handler Recommended Final Reason" in pages[index]
    text = " ".join(pages)
    assert all(f"Reason {i:02d}:" in text for i in range(80))  # no row lost at a page break
    assert "80 contacts ended on routes other than the rules recommended" in text


def test_what_staff_typed_stays_text() -> None:
    figures = _figures(overrides=(_override(1, "Said <b>urgent</b> & meant it"),))
    text = _flat(" ".join(_pages(shift_pdf(_report(figures)))))

    assert "Said <b>urgent</b> & meant it" in text


def test_an_empty_shift_says_so_in_words() -> None:
    figures = _figures(
        contacts=0,
        data_contacts=0,
        resolved=0,
        drafts_open=0,
        offered=0,
        answered=0,
        average_speed_of_answer=None,
        answered_in_time=0,
        talk=Percentiles(),
        wrap=Percentiles(),
        fcr=(),
        fcr_all=StreamFcr(stream="all", data_contacts=0, resolved=0, sustained=0, not_yet_known=0),
        hours=_hours(EARLY, [0] * 8),
        caller_types={},
        streams=dict.fromkeys(
            ("social_care", "health", "mental_health", "hospital_discharge", "none"), 0
        ),
        routes={},
        urgency=dict.fromkeys(("emergency", "urgent", "soon", "routine", "none"), 0),
        safeguarding=0,
        overrides=(),
        handoffs=HandoffFigures(),
        gaps=(),
        gaps_recorded=0,
        handlers=(),
    )
    pages = [_flat(text) for text in _pages(shift_pdf(_report(figures)))]
    text = " ".join(pages)

    for words in (
        "No contacts started this shift.",
        "No data contacts this shift, so no first-contact resolution.",
        "No overrides this shift.",
        "No service gaps recorded this shift.",
        "No drafts left open",
        "No hand-offs this shift.",
        "No contacts this shift, so no figures per handler.",
        "No data contacts this shift, so no talk or wrap-up time.",
    ):
        assert words in text, words
    assert "0 Contacts" in pages[0]
    assert "- Recorded FCR" in pages[0]  # a fraction of nothing is a dash, not 0%


def test_the_october_night_shows_01_00_bst_and_01_00_gmt(database: Database) -> None:
    handler = add_user(database, "nina", "pw-nina-123456", display_name="Nina Nights")
    for moment in (
        datetime(2026, 10, 24, 22, 30, tzinfo=UTC),  # 23:30 BST
        datetime(2026, 10, 25, 0, 30, tzinfo=UTC),  # 01:30 BST
        datetime(2026, 10, 25, 1, 30, tzinfo=UTC),  # 01:30 GMT
        datetime(2026, 10, 25, 6, 59, tzinfo=UTC),
    ):
        add_contact(database, handler, moment)
    shift = named_shift(date(2026, 10, 24), "night", DEFAULT_SHIFTS)
    report = shift_report(
        database, MANAGER, shift, Settings(), now=datetime(2026, 12, 1, tzinfo=UTC)
    )
    pages = [_flat(text) for text in _pages(shift_pdf(report))]
    text = " ".join(pages)

    assert "Night shift, Sat 24 Oct 2026, 23:00-07:00" in pages[0]
    assert "01:00 BST" in text and "01:00 GMT" in text
    assert "01:00 came twice, first BST, then GMT" in text
    assert "The hours add up to 4; the shift had 4 contacts." in text


def test_the_same_report_gives_the_same_bytes_when_asked() -> None:
    report = _report()
    assert shift_pdf(report, invariant=True) == shift_pdf(report, invariant=True)


@pytest.mark.parametrize(
    ("value", "words"),
    [(None, "-"), (0.73, "73%"), (0.445, "44.5%"), (2 / 3, "66.7%"), (0.0, "0%"), (1.0, "100%")],
)
def test_percentages(value: float | None, words: str) -> None:
    assert percent(value) == words


def test_minutes_and_seconds_and_local_clock() -> None:
    assert [minutes_seconds(s) for s in (None, 0, 59.6, 371.5, 3725)] == [
        "-",
        "0:00",
        "1:00",
        "6:12",
        "1:02:05",
    ]
    assert local_clock(datetime(2026, 10, 25, 0, 30, tzinfo=UTC)) == "01:30 BST"
    assert local_clock(datetime(2026, 10, 25, 1, 30, tzinfo=UTC)) == "01:30 GMT"
    assert local_clock(datetime(2026, 7, 1, 12, 0, tzinfo=UTC)) == "13:00"
