"""The trends and service-gaps PDFs, read back with pypdf: the trends report names its busiest
and quietest hours in words, labels its heat map's weekdays and hours and gives month on month
volume and FCR by stream beside the reference; the service-gaps report gives the needs, age
bands, areas and each need by age band; every page's footer numbers the pages; an empty period
says so in words. Reports are built directly, so these stay fast; one test goes through the
database and :mod:`spa_desk.reports.files` as the desk and the command line do."""

from __future__ import annotations

import io
import threading
import uuid
from datetime import UTC, date, datetime

import pytest
from pypdf import PdfReader

from spa_desk.database import Database
from spa_desk.domain import CurrentUser
from spa_desk.reports.files import Cancelled, cancellable, gaps_files, trends_files
from spa_desk.reports.gaps import GapsReport, NeedByBand, NeedCount
from spa_desk.reports.pdf.gaps import gaps_pdf
from spa_desk.reports.pdf.trends import trends_pdf
from spa_desk.reports.trends import HeatCell, MonthFigures, StreamMonth, Trends
from spa_desk.vocabulary import Role
from tests.factories import add_contact, add_user

PRODUCED = datetime(2026, 12, 1, 9, 30, tzinfo=UTC)
MANAGER = CurrentUser(
    id=uuid.uuid4(), username="boss", display_name="Morgan Manager", roles=(Role.SPA_MANAGER,)
)
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def _pages(pdf: bytes) -> list[str]:
    return [" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf)).pages]


def _assert_numbered(pages: list[str]) -> None:
    for number, text in enumerate(pages, start=1):
        assert f"Page {number} of {len(pages)}" in text
        assert "Produced 09:30 GMT, Tue 1 Dec 2026 by Morgan Manager" in text
        assert "NOT SIGNED" not in text


def _cells() -> tuple[HeatCell, ...]:
    """Five of each weekday-hour: Monday 09:00 the busiest (50.8 an hour), Sunday 04:00 the
    quietest (0.4), the rest between."""
    cells = []
    for day in range(7):
        for hour in range(24):
            contacts = 20 + (day * 24 + hour) % 37
            if (day, hour) == (0, 9):
                contacts = 254
            elif (day, hour) == (0, 10):
                contacts = 240
            elif (day, hour) == (6, 4):
                contacts = 2
            elif (day, hour) == (6, 5):
                contacts = 5
            cells.append(HeatCell(weekday=day, hour=hour, contacts=contacts, occurrences=5))
    return tuple(cells)


def _month(month: date, social: tuple[int, int], health: tuple[int, int]) -> MonthFigures:
    streams = {
        "social_care": StreamMonth(data_contacts=social[0], resolved=social[1]),
        "health": StreamMonth(data_contacts=health[0], resolved=health[1]),
    }
    data = social[0] + health[0]
    return MonthFigures(
        month=month,
        contacts=data + 40,
        data_contacts=data,
        resolved=social[1] + health[1],
        streams=streams,
    )


def _trends(**changes: object) -> Trends:
    cells = _cells()
    months = (
        _month(date(2026, 10, 1), (300, 220), (200, 50)),
        _month(date(2026, 11, 1), (320, 240), (180, 40)),
    )
    values: dict[str, object] = {
        "first": date(2026, 10, 1),
        "last": date(2026, 11, 30),
        "start_utc": datetime(2026, 9, 30, 23, tzinfo=UTC),
        "end_utc": datetime(2026, 12, 1, tzinfo=UTC),
        "produced_at": PRODUCED,
        "produced_by": "Morgan Manager",
        "contacts": sum(cell.contacts for cell in cells),
        "cells": cells,
        "months": months,
    }
    values.update(changes)
    return Trends.model_validate(values)


def test_trends_name_the_peaks_and_troughs_and_label_the_heat_map() -> None:
    pages = _pages(trends_pdf(_trends()))
    first = pages[0]

    assert "TRENDS REPORT" in first and "Thu 1 Oct 2026 to Mon 30 Nov 2026" in first
    assert "Busiest: Monday 09:00-10:00, 50.8 contacts an hour on average" in first
    assert "then Monday 10:00-11:00 (48.0)" in first
    assert "Quietest: Sunday 04:00-05:00, 0.4 contacts an hour on average" in first
    assert "Sunday 05:00-06:00 (1.0)" in first
    assert "Demand by weekday and hour" in first and "Mean contacts per hour" in first
    for weekday in WEEKDAYS:
        assert weekday in first
    hours = " ".join(f"{hour:02d}" for hour in range(24))
    assert hours in first  # the column labels, in order across the top
    assert "50.8" in first and "48.0" in first  # the values in their cells
    _assert_numbered(pages)


def test_trends_give_month_on_month_volume_and_fcr_by_stream_beside_the_reference() -> None:
    text = " ".join(_pages(trends_pdf(_trends()))[1:])

    assert "Contacts month on month" in text
    assert "2026-10 540 500 270 54%" in text  # contacts, data contacts, resolved, FCR
    assert "2026-11 540 500 280 56%" in text
    assert "Whole period 1,080 1,000 550 55%" in text
    assert "Recorded FCR by stream, month on month" in text
    assert "Social care (reference 73%)" in text and "Health (reference 26%)" in text
    assert "2026-10 73.3% 25%" in text and "2026-11 75% 22.2%" in text
    assert "Reference SPA 73% 26%" in text


def test_trends_of_an_empty_period_say_so() -> None:
    empty = _trends(
        contacts=0,
        cells=tuple(cell.model_copy(update={"contacts": 0}) for cell in _cells()),
        months=(
            MonthFigures(
                month=date(2026, 10, 1), contacts=0, data_contacts=0, resolved=0, streams={}
            ),
        ),
    )
    pages = _pages(trends_pdf(empty))

    assert len(pages) == 1
    assert "No contacts started in this period" in pages[0]
    assert "Busiest" not in pages[0]
    _assert_numbered(pages)


def _gaps(**changes: object) -> GapsReport:
    by_band = [
        ("chiropody for older people", "65-74", 12),
        ("chiropody for older people", "75-84", 30),
        ("chiropody for older people", "85+", 18),
        ("night sitting service", "18-64", 4),
        ("night sitting service", "85+", 9),
        ("befriending for younger adults", "18-64", 7),
        ("befriending for younger adults", "unknown", 2),
    ]
    values: dict[str, object] = {
        "first": date(2026, 10, 1),
        "last": date(2026, 10, 31),
        "start_utc": datetime(2026, 9, 30, 23, tzinfo=UTC),
        "end_utc": datetime(2026, 11, 1, tzinfo=UTC),
        "produced_at": PRODUCED,
        "produced_by": "Morgan Manager",
        "total": 82,
        "needs": (
            NeedCount(need="chiropody for older people", count=60),
            NeedCount(need="night sitting service", count=13),
            NeedCount(need="befriending for younger adults", count=9),
        ),
        "age_bands": {"18-64": 11, "65-74": 12, "75-84": 30, "85+": 27, "unknown": 2},
        "areas": {"ZY4": 50, "ZY1": 30, "unknown": 2},
        "needs_by_band": tuple(
            NeedByBand(need=need, age_band=band, count=count) for need, band, count in by_band
        ),
    }
    values.update(changes)
    return GapsReport.model_validate(values)


def test_service_gaps_by_need_age_band_and_area() -> None:
    pages = _pages(gaps_pdf(_gaps()))
    text = " ".join(pages)

    assert "SERVICE GAPS REPORT" in pages[0] and "Thu 1 Oct 2026 to Sat 31 Oct 2026" in pages[0]
    assert "Unmet needs recorded" in pages[0] and "82" in pages[0]
    assert "chiropody for older people 60 73.2%" in text  # need, times recorded, share
    assert "night sitting service 13 15.9%" in text
    assert "Total 82 100%" in text
    for band, count in (("18-64", 11), ("65-74", 12), ("75-84", 30), ("85+", 27)):
        assert f"{band} {count} " in text
    assert "Unknown 2 2.4%" in text
    assert "ZY4 50 61%" in text and "ZY1 30 36.6%" in text
    _assert_numbered(pages)


def test_each_need_by_age_band_shows_the_gap_for_older_people_at_a_glance() -> None:
    text = " ".join(_pages(gaps_pdf(_gaps())))

    assert "The largest gap: chiropody for older people, for people aged 75-84 (30 of" in text
    assert "Need 18-64 65-74 75-84 85+ Unknown Total" in text
    assert "chiropody for older people 0 12 30 18 0 60" in text
    assert "befriending for younger adults 7 0 0 0 2 9" in text
    assert "Total 11 12 30 27 2 82" in text


def test_service_gaps_of_an_empty_period_say_so() -> None:
    empty = _gaps(total=0, needs=(), age_bands={}, areas={}, needs_by_band=())
    pages = _pages(gaps_pdf(empty))

    assert len(pages) == 1
    assert "No unmet needs were recorded in this period." in pages[0]
    _assert_numbered(pages)


def test_the_same_report_gives_the_same_bytes_when_invariant() -> None:
    assert trends_pdf(_trends(), invariant=True) == trends_pdf(_trends(), invariant=True)
    assert gaps_pdf(_gaps(), invariant=True) == gaps_pdf(_gaps(), invariant=True)


def test_the_files_of_a_period_from_the_database(database: Database) -> None:
    handler = add_user(database, "hana", "pw-hana-123456")
    for minute in (5, 25, 45):  # Monday 2 November 2026, 09:xx GMT
        add_contact(database, handler, datetime(2026, 11, 2, 9, minute, tzinfo=UTC))
    trends = trends_files(database, MANAGER, date(2026, 11, 2), date(2026, 11, 8))
    pages = _pages(trends.pdf)

    assert "Busiest: Monday 09:00-10:00, 3.0 contacts an hour on average" in pages[0]
    assert "2026-11 3 3 3 100%" in " ".join(pages)
    assert all(f"Page {n} of {len(pages)}" in page for n, page in enumerate(pages, start=1))
    gaps = gaps_files(database, MANAGER, date(2026, 11, 2), date(2026, 11, 8))
    assert "No unmet needs were recorded in this period." in _pages(gaps.pdf)[0]


def test_progress_goes_only_forward_to_the_end_and_a_cancel_stops_the_report(
    database: Database,
) -> None:
    handler = add_user(database, "hana", "pw-hana-123456")
    add_contact(database, handler, datetime(2026, 11, 2, 9, 5, tzinfo=UTC))
    for make in (trends_files, gaps_files):
        told: list[float] = []

        def tell(done: int, steps: int, told: list[float] = told) -> None:
            told.append(done / steps)

        make(database, MANAGER, date(2026, 10, 1), date(2026, 11, 30), progress=tell)
        assert told == sorted(told) and told[-1] == 1.0 and len(told) >= 4, (make, told)
        stop = threading.Event()

        def cancel_at_half(done: int, steps: int, stop: threading.Event = stop) -> None:
            if done / steps >= 0.5:
                stop.set()

        with pytest.raises(Cancelled):
            make(database, MANAGER, date(2026, 10, 1), date(2026, 11, 30),
                 progress=cancellable(cancel_at_half, stop))  # fmt: skip
