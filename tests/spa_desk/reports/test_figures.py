"""Every SPEC 6 figure against contacts whose answers are known by construction, on SQLite and
PostgreSQL alike: a day shift with every kind of contact, the two clock-change nights, and
sustained first-contact resolution repeated on day 6 and on day 8."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from db.models import Contact, Handoff, ServiceGap
from spa_desk.database import Database
from spa_desk.domain import CurrentUser
from spa_desk.permissions import PermissionDenied
from spa_desk.reports.csv_rows import read_csv
from spa_desk.reports.figures import hour_labels
from spa_desk.reports.period import period_figures
from spa_desk.reports.shift_report import named_shift, shift_csv, shift_report
from spa_desk.settings import DEFAULT_SHIFTS, Settings
from spa_desk.vocabulary import Role, Route
from tests.factories import add_contact, add_person, add_user

MANAGER = CurrentUser(
    id=uuid.uuid4(), username="boss", display_name="Morgan Manager", roles=(Role.SPA_MANAGER,)
)
AS_OF = datetime(2026, 12, 31, tzinfo=UTC)


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    """A UTC instant (winter: local time is UTC)."""
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=UTC)


def _route(route: str, urgency: str | None = None) -> dict[str, Any]:
    return {"route": route, "urgency": urgency}


def _referred(*routes: dict[str, Any], **fields: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "final_routes": list(routes),
        "recommended_routes": list(routes),
        "outcome": "referred",
        "resolved_at_first_contact": False,
    }
    values.update(fields)
    return values


def _non_data(kind: str = "silent") -> dict[str, Any]:
    return {
        "call_kind": kind,
        "level1": "non_data",
        "stream": None,
        "final_routes": [],
        "recommended_routes": [],
        "outcome": "non_data",
        "resolved_at_first_contact": False,
    }


DAY = date(2026, 11, 24)  # a Tuesday in winter: the early shift is 07:00-15:00 UTC


@pytest.fixture
def early_shift(database: Database) -> dict[str, Any]:
    """The early shift of DAY, made so that every figure is known."""
    ann = add_user(database, "ann", "pw-ann-123456", display_name="Ann Handler")
    ben = add_user(
        database, "ben", "pw-ben-123456", roles=("practitioner",), display_name="Ben Practitioner"
    )
    known: dict[str, Any] = {"ann": ann, "ben": ben}
    # Ann: five social care contacts, talk 60..300 s, wrap 30..150 s; three resolved.
    for index in range(5):
        started = _at(DAY, 7 + index, 5)
        fields: dict[str, Any] = {
            "talk_seconds": 60 * (index + 1),
            "wrap_up_seconds": 30 * (index + 1),
            "answered_at": started + timedelta(seconds=5 + 10 * index),  # 5, 15, 25, 35, 45
            "caller_type": "family" if index % 2 else "self",
        }
        if index >= 3:
            fields.update(_referred(_route("adult_social_care", "soon")))
        add_contact(database, ann, started, **fields)
    # Ben: a health contact with two routes (community nursing urgent + safeguarding soon),
    # an override with its reason, and a mental health crisis.
    add_contact(
        database,
        ben,
        _at(DAY, 9, 30),
        stream="health",
        caller_type="professional",
        talk_seconds=600,
        wrap_up_seconds=300,
        **_referred(
            _route("community_nursing", "urgent"),
            _route("safeguarding", "soon"),
            recommended_routes=[_route("community_nursing", "routine")],
            overridden=True,
            override_reason="Pressure sore seen by the district nurse yesterday is worse",
        ),
    )
    add_contact(
        database,
        ben,
        _at(DAY, 9, 45),
        stream="mental_health",
        caller_type="carer",
        talk_seconds=900,
        wrap_up_seconds=600,
        **_referred(_route("crisis_response", "emergency")),
    )
    # An information call (level 1, no stream), resolved, talk from its timestamps: 4 minutes.
    started = _at(DAY, 10, 15)
    add_contact(
        database,
        ann,
        started,
        level1="information",
        stream=None,
        answered_at=started,
        ended_at=started + timedelta(minutes=4),
        wrap_up_ended_at=started + timedelta(minutes=5),
        final_routes=[_route("resolved")],
        recommended_routes=[_route("resolved")],
    )
    # Two non-data calls and a draft never saved, and a contact of the late shift.
    add_contact(database, ann, _at(DAY, 11, 0), **_non_data("silent"))
    add_contact(database, ann, _at(DAY, 14, 59), **_non_data("wrong_number"))
    add_contact(database, ann, _at(DAY, 12, 0), status="draft", level1=None)
    add_contact(database, ann, _at(DAY, 15, 0))
    with database.sessions.begin() as session:
        contact_ids = list(
            session.scalars(
                Contact.__table__.select()
                .with_only_columns(Contact.id)
                .where(Contact.stream == "mental_health")
            )
        )
        session.add(
            ServiceGap(
                contact_id=contact_ids[0],
                need="Chiropody",
                reason="no_service",
                age_band="75-84",
                area="DN32",
                recorded_at=_at(DAY, 9, 50),
            )
        )
        for handed, claimed in ((_at(DAY, 8), _at(DAY, 8, 10)), (_at(DAY, 9), _at(DAY, 9, 20))):
            session.add(
                Handoff(
                    contact_id=contact_ids[0],
                    stream="mental_health",
                    kind="warm",
                    status="done",
                    handed_at=handed,
                    handed_by=ann,
                    due_at=handed + timedelta(minutes=15),
                    claimed_by=ben,
                    claimed_at=claimed,
                )
            )
        session.add(
            Handoff(
                contact_id=contact_ids[0],
                stream="mental_health",
                kind="call-back",
                status="waiting",
                handed_at=_at(DAY, 14),
                handed_by=ann,
                due_at=_at(DAY, 18),
            )
        )
    return known


def _figures(database: Database, first: datetime, last: datetime) -> Any:
    return period_figures(database, MANAGER, first, last, as_of=AS_OF)


def test_every_figure_of_a_day_shift(database: Database, early_shift: dict[str, Any]) -> None:
    shift = named_shift(DAY, "early", DEFAULT_SHIFTS)
    f = _figures(database, shift.start_utc, shift.end_utc)

    assert (f.contacts, f.data_contacts, f.resolved, f.drafts_open) == (10, 8, 4, 1)
    assert (f.offered, f.answered, f.abandoned) == (11, 11, 0)
    assert f.streams == {
        "social_care": 5,
        "health": 1,
        "mental_health": 1,
        "hospital_discharge": 0,
        "none": 1,
    }
    assert f.caller_types == {"carer": 1, "family": 2, "professional": 1, "self": 4}
    # The two-route contact counts under both routes; every route is there, 0 when none.
    assert f.routes == {route.value: 0 for route in Route} | {
        "adult_social_care": 2,
        "community_nursing": 1,
        "vcs": 3,
        "safeguarding": 1,
        "crisis_response": 1,
        "resolved": 1,
    }
    assert f.urgency == {"emergency": 1, "urgent": 1, "soon": 2, "routine": 3, "none": 3}
    assert (f.safeguarding, f.crisis_responses) == (1, 1)
    assert [(o.recommended, o.final, o.handler) for o in f.overrides] == [
        (
            ("community_nursing:routine",),
            ("community_nursing:urgent", "safeguarding:soon"),
            "Ben Practitioner",
        )
    ]
    assert f.overrides[0].reason.startswith("Pressure sore")
    # Talk of the data contacts: 60, 120, 180, 240, 240 (timestamps), 300, 600, 900.
    assert (f.talk.count, f.talk.median, f.talk.p90) == (8, 240.0, 690.0)
    # Wrap: 30, 60, 60 (timestamps), 90, 120, 150, 300, 600.
    assert (f.wrap.median, f.wrap.p90) == (105.0, 390.0)
    # Answer waits 5, 15, 25, 35, 45 (Ann's five) and 10 (each factory default) for the rest.
    assert f.average_speed_of_answer == pytest.approx(
        (5 + 15 + 25 + 35 + 45 + 10 * 2 + 0 + 10 * 2 + 10) / 11, abs=0.05
    )
    assert f.answered_in_time == 8  # 45 s, 35 s and 25 s are over 20 s
    assert (f.handoffs.made, f.handoffs.claimed, f.handoffs.waiting) == (3, 2, 1)
    assert f.handoffs.claimed_late == 1
    assert [(g.need, g.count) for g in f.gaps] == [("Chiropody", 1)]
    by_name = {h.username: h for h in f.handlers}
    assert (by_name["ann"].contacts, by_name["ann"].data_contacts, by_name["ann"].resolved) == (
        8,
        6,
        4,
    )
    assert by_name["ann"].talk_median == 210.0  # 60, 120, 180, 240, 240, 300
    assert (by_name["ben"].overrides, by_name["ben"].talk_median) == (1, 750.0)
    social = next(row for row in f.fcr if row.stream == "social_care")
    assert (social.data_contacts, social.resolved, social.reference) == (5, 3, 0.73)
    assert social.recorded_fraction == pytest.approx(0.6)
    assert f.fcr_all.resolved == 4 and f.fcr_all.data_contacts == 8
    assert [h.contacts for h in f.hours] == [1, 1, 3, 2, 2, 0, 0, 1]


def test_the_csv_adds_up(database: Database, early_shift: dict[str, Any]) -> None:
    report = shift_report(
        database, MANAGER, named_shift(DAY, "early", DEFAULT_SHIFTS), Settings(), now=AS_OF
    )
    rows = read_csv(shift_csv(report))
    value = {(section, key): v for section, key, v in rows}
    assert value[("shift", "start")] == "2026-11-24T07:00:00Z"
    assert value[("shift", "end")] == "2026-11-24T15:00:00Z"
    assert value[("summary", "contacts")] == "10"
    assert value[("summary", "data_contacts")] == "8"
    assert value[("fcr_recorded", "social_care")] == "0.6000"
    assert value[("fcr_recorded", "all")] == "0.5000"
    assert value[("talk_seconds", "median")] == "240.0"
    assert value[("safeguarding", "concerns")] == "1"
    assert value[("overrides", "count")] == "1"
    streams = sum(int(v) for s, _, v in rows if s == "stream")
    hours = [(k, int(v)) for s, k, v in rows if s == "calls_by_hour"]
    assert streams == 8
    assert sum(n for _, n in hours) == 10
    assert [k for k, _ in hours] == ["07", "08", "09", "10", "11", "12", "13", "14"]
    assert ("fcr_recorded", "hospital_discharge") not in value  # no data contacts there


def test_a_night_across_the_october_change_has_01_00_twice(database: Database) -> None:
    handler = add_user(database, "nina", "pw-nina-123456")
    shift = named_shift(date(2026, 10, 24), "night", DEFAULT_SHIFTS)
    # 01:30 BST is 00:30 UTC; 01:30 GMT is 01:30 UTC; 23:30 BST the evening before.
    for moment in (
        datetime(2026, 10, 24, 22, 30, tzinfo=UTC),
        datetime(2026, 10, 25, 0, 30, tzinfo=UTC),
        datetime(2026, 10, 25, 1, 30, tzinfo=UTC),
        datetime(2026, 10, 25, 6, 59, tzinfo=UTC),
    ):
        add_contact(database, handler, moment)
    f = _figures(database, shift.start_utc, shift.end_utc)
    assert len(f.hours) == 9
    assert hour_labels(f.hours) == [
        "23:00",
        "00:00",
        "01:00 BST",
        "01:00 GMT",
        "02:00",
        "03:00",
        "04:00",
        "05:00",
        "06:00",
    ]
    assert [h.contacts for h in f.hours] == [1, 0, 1, 1, 0, 0, 0, 0, 1]
    report = shift_report(database, MANAGER, shift, Settings(), now=AS_OF)
    hours = [(k, v) for s, k, v in read_csv(shift_csv(report)) if s == "calls_by_hour"]
    assert ("01", "2") in hours and sum(int(v) for _, v in hours) == 4


def test_a_night_across_the_march_change_has_no_01_00(database: Database) -> None:
    handler = add_user(database, "nina", "pw-nina-123456")
    shift = named_shift(date(2027, 3, 27), "night", DEFAULT_SHIFTS)
    add_contact(database, handler, datetime(2027, 3, 28, 0, 45, tzinfo=UTC))  # 00:45 GMT
    add_contact(database, handler, datetime(2027, 3, 28, 1, 15, tzinfo=UTC))  # 02:15 BST
    f = _figures(database, shift.start_utc, shift.end_utc)
    assert hour_labels(f.hours) == ["23:00", "00:00", "02:00", "03:00", "04:00", "05:00", "06:00"]
    assert [h.contacts for h in f.hours] == [0, 1, 1, 0, 0, 0, 0]


def test_sustained_fcr_counts_a_repeat_on_day_6_but_not_on_day_8(database: Database) -> None:
    handler = add_user(database, "sam", "pw-sam-123456")
    day6, day8, other_stream, recent = (
        add_person(database, nhs_number=n)
        for n in ("9990000026", "9990000034", "9990000042", "9990000050")
    )
    first = _at(date(2026, 11, 2), 10)
    as_of = _at(date(2026, 11, 30), 12)
    for person in (day6, day8, other_stream):
        add_contact(database, handler, first, person_id=person)
    add_contact(database, handler, first + timedelta(days=6), person_id=day6, **_referred())
    add_contact(database, handler, first + timedelta(days=8), person_id=day8)
    add_contact(
        database, handler, first + timedelta(days=2), person_id=other_stream, stream="health"
    )
    add_contact(database, handler, as_of - timedelta(days=3), person_id=recent)  # too recent
    f = period_figures(
        database, MANAGER, first, first + timedelta(hours=1), as_of=as_of, sustained_days=7
    )
    social = next(row for row in f.fcr if row.stream == "social_care")
    assert (social.data_contacts, social.resolved, social.sustained) == (3, 3, 2)
    whole = period_figures(database, MANAGER, first, as_of, as_of=as_of, sustained_days=7)
    social = next(row for row in whole.fcr if row.stream == "social_care")
    # day6's first contact is not sustained; the repeat (referred) is not resolved; day8's two
    # contacts are both sustained (the second's 7 days are over); the recent one is not known.
    assert (social.resolved, social.sustained, social.not_yet_known) == (5, 3, 1)


def test_reports_are_for_managers(database: Database) -> None:
    handler = CurrentUser(
        id=uuid.uuid4(), username="h", display_name="Hal", roles=(Role.CALL_HANDLER,)
    )
    with pytest.raises(PermissionDenied):
        period_figures(database, handler, _at(DAY, 7), _at(DAY, 15))


def test_an_unknown_shift_is_named_in_words() -> None:
    with pytest.raises(Exception, match="no 'twilight' shift; the shifts are early, late, night"):
        named_shift(DAY, "twilight", DEFAULT_SHIFTS)
