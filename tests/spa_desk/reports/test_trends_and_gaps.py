"""Trends (heat map of mean contacts per hour, peaks and troughs, month on month) and service
gaps (by need, age band and area) against contacts made for the test, on both databases."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from typing import Any

import pytest

from db.models import Contact, ServiceGap
from spa_desk.database import Database
from spa_desk.domain import CurrentUser
from spa_desk.reports.csv_rows import read_csv
from spa_desk.reports.gaps import gaps_csv, service_gaps
from spa_desk.reports.trends import trends, trends_csv
from spa_desk.vocabulary import Role
from tests.factories import add_contact, add_user

MANAGER = CurrentUser(
    id=uuid.uuid4(), username="boss", display_name="Morgan Manager", roles=(Role.SPA_MANAGER,)
)


def _utc(year: int, month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def test_heat_map_means_over_the_week_of_the_october_change(database: Database) -> None:
    handler = add_user(database, "hana", "pw-hana-123456")
    for minute in (5, 20, 40):  # Monday 19 October 10:xx BST = 09:xx UTC
        add_contact(database, handler, _utc(2026, 10, 19, 9, minute))
    add_contact(database, handler, _utc(2026, 10, 25, 0, 30))  # Sunday 01:30 BST
    add_contact(database, handler, _utc(2026, 10, 25, 1, 30))  # Sunday 01:30 GMT
    add_contact(database, handler, _utc(2026, 10, 25, 12, 0), status="draft")  # never saved
    report = trends(database, MANAGER, date(2026, 10, 19), date(2026, 10, 25))

    assert report.contacts == 5
    assert sum(cell.occurrences for cell in report.cells) == 7 * 24 + 1
    monday_ten = report.cell(0, 10)
    assert (monday_ten.contacts, monday_ten.occurrences, monday_ten.mean) == (3, 1, 3.0)
    sunday_one = report.cell(6, 1)
    assert (sunday_one.contacts, sunday_one.occurrences, sunday_one.mean) == (2, 2, 1.0)
    assert report.peaks[0].key == "mon-10" and report.peaks[1].key == "sun-01"
    assert report.peaks[0].words == "Monday 10:00-11:00"
    assert report.troughs[0].mean == 0.0
    rows = read_csv(trends_csv(report))
    value = {(s, k): v for s, k, v in rows}
    assert value[("heatmap", "mon-10")] == "3.0000"
    assert value[("heatmap", "sun-01")] == "1.0000"
    assert value[("heatmap", "tue-03")] == "0.0000"
    assert len([1 for s, _, _ in rows if s == "heatmap"]) == 7 * 24
    assert sum(int(v) for s, _, v in rows if s == "heatmap_contacts") == 5
    assert value[("month_contacts", "2026-10")] == "5"


def test_month_on_month_volume_and_fcr_by_stream(database: Database) -> None:
    handler = add_user(database, "mo", "pw-mo-1234567")
    referred: dict[str, Any] = {"outcome": "referred", "resolved_at_first_contact": False}
    # October: 3 social care (2 resolved), 1 health (resolved). November: 1 health referred.
    add_contact(database, handler, _utc(2026, 10, 2, 10))
    add_contact(database, handler, _utc(2026, 10, 9, 10))
    add_contact(database, handler, _utc(2026, 10, 16, 10), **referred)
    add_contact(database, handler, _utc(2026, 10, 31, 23, 30), stream="health")  # 31 Oct GMT
    add_contact(database, handler, _utc(2026, 11, 1, 0, 30), stream="health", **referred)
    add_contact(database, handler, _utc(2026, 11, 2, 9), level1="information", stream=None)
    non_data: dict[str, Any] = {"call_kind": "non_data", "outcome": "non_data"}
    add_contact(database, handler, _utc(2026, 11, 2, 10), level1="non_data", stream=None,
                resolved_at_first_contact=False, **non_data)  # fmt: skip
    report = trends(database, MANAGER, date(2026, 10, 1), date(2026, 11, 30))
    october, november = report.months
    assert (october.key, october.contacts, october.data_contacts, october.resolved) == (
        "2026-10",
        4,
        4,
        3,
    )
    assert october.streams["social_care"].fcr == pytest.approx(2 / 3)
    assert october.streams["health"].fcr == 1.0
    assert (november.contacts, november.data_contacts) == (3, 2)
    assert november.streams["health"].fcr == 0.0
    rows = read_csv(trends_csv(report))
    value = {(s, k): v for s, k, v in rows}
    assert value[("month_fcr_recorded", "2026-10/social_care")] == "0.6667"
    assert value[("month_fcr_recorded", "2026-11/health")] == "0.0000"
    assert ("month_fcr_recorded", "2026-11/social_care") not in value
    assert value[("month_stream", "2026-11/health")] == "1"
    assert value[("month_stream", "2026-11/none")] == "1"  # information, closed at level 1
    for month in ("2026-10", "2026-11"):  # the streams sum to the month's data contacts
        streams = [int(v) for s, k, v in rows if s == "month_stream" and k.startswith(month)]
        assert sum(streams) == int(value[("month_data_contacts", month)])


def test_a_period_without_contacts_names_no_peaks_or_troughs(database: Database) -> None:
    report = trends(database, MANAGER, date(2027, 5, 1), date(2027, 5, 2))
    assert report.contacts == 0 and report.peaks == () and report.troughs == ()
    sections = {s for s, _, _ in read_csv(trends_csv(report))}
    assert "heatmap" in sections and not sections & {"peak", "trough"}


def _gap(database: Database, contact_id: uuid.UUID, need: str, band: str | None,
         area: str | None) -> None:  # fmt: skip
    with database.sessions.begin() as session:
        session.add(
            ServiceGap(
                contact_id=contact_id,
                need=need,
                reason="does_not_exist",
                age_band=band,
                area=area,
                recorded_at=_utc(2026, 11, 3, 12),
            )
        )


def test_service_gaps_by_need_age_band_and_area(database: Database) -> None:
    handler = add_user(database, "gus", "pw-gus-1234567")
    inside = add_contact(database, handler, _utc(2026, 11, 3, 11))
    outside = add_contact(database, handler, _utc(2026, 12, 3, 11))
    _gap(database, inside, "Chiropody", "75-84", "ZY1")
    _gap(database, inside, " chiropody ", "85+", "ZY1")
    _gap(database, inside, "Chiropody", "75-84", "ZY2")
    _gap(database, inside, "Night sitting", None, None)
    _gap(database, outside, "Chiropody", "75-84", "ZY1")
    report = service_gaps(database, MANAGER, date(2026, 11, 1), date(2026, 11, 30))
    assert report.total == 4
    assert [(n.need, n.count) for n in report.needs] == [("Chiropody", 3), ("Night sitting", 1)]
    assert report.age_bands == {"18-64": 0, "65-74": 0, "75-84": 2, "85+": 1, "unknown": 1}
    assert report.areas == {"ZY1": 2, "ZY2": 1, "unknown": 1}
    rows = read_csv(gaps_csv(report))
    for section in ("need", "age_band", "area"):
        assert sum(int(v) for s, _, v in rows if s == section) == 4
    value = {(s, k): v for s, k, v in rows}
    assert value[("need_age_band", "Chiropody/75-84")] == "2"
    assert value[("summary", "gaps")] == "4"


def test_a_draft_has_no_gaps_in_the_report(database: Database) -> None:
    handler = add_user(database, "gus", "pw-gus-1234567")
    draft = add_contact(database, handler, _utc(2026, 11, 3, 11), status="draft")
    _gap(database, draft, "Chiropody", "75-84", "ZY1")
    assert service_gaps(database, MANAGER, date(2026, 11, 1), date(2026, 11, 30)).total == 0
    with database.sessions() as session:
        assert session.get(Contact, draft) is not None
