"""``export contacts``: the SPEC 10 columns, UTC times, local-day ranges and no personal data."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime

from spa_desk.database import Database
from spa_desk.interop.contacts_csv import CONTACT_COLUMNS, export_contacts, person_ref
from tests.factories import add_contact, add_person, add_user


def _rows(database: Database, first: date, last: date) -> list[dict[str, str]]:
    out = io.StringIO()
    count = export_contacts(database, first, last, out)
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert count == len(rows)
    return rows


def test_export_writes_spec_columns_and_values(database: Database) -> None:
    handler = add_user(database, "jbloggs", "pw")
    person = add_person(database)
    started = datetime(2026, 3, 2, 9, 0, 5, tzinfo=UTC)
    contact = add_contact(
        database,
        handler,
        started,
        person_id=person,
        stream="health",
        final_routes=[
            {"route": "community_nursing", "urgency": "soon"},
            {"route": "safeguarding", "urgency": "urgent"},
        ],
        outcome="referred",
        resolved_at_first_contact=False,
        overridden=True,
        override_reason="Nurse asked for it",
    )
    out = io.StringIO()
    export_contacts(database, date(2026, 3, 2), date(2026, 3, 2), out)
    header = out.getvalue().splitlines()[0]
    assert header == ",".join(CONTACT_COLUMNS)
    (row,) = _rows(database, date(2026, 3, 2), date(2026, 3, 2))
    assert row == {
        "contact_id": str(contact),
        "started_at": "2026-03-02T09:00:05Z",
        "ended_at": "2026-03-02T09:06:15Z",
        "caller_type": "self",
        "line": "general",
        "level1": "stream",
        "stream": "health",
        "routes": "community_nursing;safeguarding",
        "urgency": "urgent",
        "outcome": "referred",
        "resolved_at_first_contact": "false",
        "safeguarding": "true",
        "override": "true",
        "handler": "jbloggs",
        "talk_seconds": "360",
        "wrap_seconds": "120",
        "person_ref": person_ref(person),
    }
    assert "9990000026" not in out.getvalue()
    assert "Testperson" not in out.getvalue()


def test_person_ref_is_stable_and_pseudonymous(database: Database) -> None:
    handler = add_user(database, "h", "pw")
    person = add_person(database)
    for hour in (8, 10):
        add_contact(database, handler, datetime(2026, 3, 2, hour, tzinfo=UTC), person_id=person)
    rows = _rows(database, date(2026, 3, 2), date(2026, 3, 2))
    refs = {row["person_ref"] for row in rows}
    assert len(refs) == 1
    assert str(person) not in refs.pop()


def test_dates_are_local_days_and_drafts_are_left_out(database: Database) -> None:
    handler = add_user(database, "h", "pw")
    # 23:30 UTC on 30 June is 00:30 on 1 July in London (BST).
    add_contact(database, handler, datetime(2026, 6, 30, 23, 30, tzinfo=UTC))
    add_contact(database, handler, datetime(2026, 6, 30, 22, 30, tzinfo=UTC))
    add_contact(database, handler, datetime(2026, 7, 1, 9, tzinfo=UTC), status="draft")
    july = _rows(database, date(2026, 7, 1), date(2026, 7, 1))
    june = _rows(database, date(2026, 6, 30), date(2026, 6, 30))
    assert [r["started_at"] for r in july] == ["2026-06-30T23:30:00Z"]
    assert [r["started_at"] for r in june] == ["2026-06-30T22:30:00Z"]


def test_non_data_contact_has_no_routes_or_urgency(database: Database) -> None:
    handler = add_user(database, "h", "pw")
    add_contact(
        database,
        handler,
        datetime(2026, 3, 3, 12, tzinfo=UTC),
        call_kind="silent",
        level1="non_data",
        stream=None,
        final_routes=[],
        recommended_routes=[],
        outcome="non_data",
        resolved_at_first_contact=False,
    )
    (row,) = _rows(database, date(2026, 3, 3), date(2026, 3, 3))
    assert (row["routes"], row["urgency"], row["stream"], row["person_ref"]) == ("", "", "", "")
    assert row["outcome"] == "non_data"
