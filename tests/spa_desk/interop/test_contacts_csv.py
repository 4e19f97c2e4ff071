"""``export contacts``: the SPEC 10 columns, UTC times, local-day ranges and no personal data;
``person_ref`` keyed with the audit key."""

from __future__ import annotations

import csv
import hashlib
import hmac
import io
import re
import uuid
from datetime import UTC, date, datetime

import pytest

from spa_desk.database import Database
from spa_desk.errors import KnownError
from spa_desk.governance.key import AuditKey, audit_key
from spa_desk.governance.log import AuditAction, record
from spa_desk.interop.contacts_csv import CONTACT_COLUMNS, export_contacts, person_ref
from tests.factories import add_contact, add_person, add_user

KEY = bytes(range(32))
ANOTHER_KEY = bytes(range(1, 33))


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
        "person_ref": person_ref(person, audit_key()),
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


def test_person_ref_is_keyed_with_the_audit_key(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without the key, nobody can tell which person a reference stands for by trying ids."""
    person = uuid.UUID("6f1c1d8e-0000-4000-8000-000000000001")
    key, another = AuditKey(KEY, "test"), AuditKey(ANOTHER_KEY, "test")
    ref = person_ref(person, key)
    assert re.fullmatch(r"P[0-9A-F]{12}", ref)
    documented = hmac.new(KEY, b"spa-desk person " + person.bytes, hashlib.sha256).hexdigest()
    assert ref == "P" + documented[:12].upper()
    assert person_ref(person, AuditKey(KEY, "elsewhere")) == ref  # stable for a given key
    assert person_ref(person, another) != ref
    unkeyed = hashlib.sha256(b"spa-desk person " + person.bytes).hexdigest()
    assert ref != "P" + unkeyed[:12].upper()  # the reference before the key, anyone could make
    assert person_ref(None, key) == ""

    monkeypatch.setenv("SPA_DESK_AUDIT_KEY", KEY.hex())
    assert person_ref(person, audit_key()) == ref


def test_export_refuses_a_key_that_is_not_the_logs(
    database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """References made with another desk's key would not match the SPA's other exports."""
    handler = add_user(database, "h", "pw")
    add_contact(
        database, handler, datetime(2026, 3, 2, 8, tzinfo=UTC), person_id=add_person(database)
    )
    monkeypatch.setenv("SPA_DESK_AUDIT_KEY", KEY.hex())
    with database.sessions.begin() as session:
        record(session, action=AuditAction.LOGIN_SUCCEEDED, user_id=handler)
    assert len(_rows(database, date(2026, 3, 2), date(2026, 3, 2))) == 1

    monkeypatch.setenv("SPA_DESK_AUDIT_KEY", ANOTHER_KEY.hex())
    with pytest.raises(KnownError, match="not the key the audit log is kept with"):
        export_contacts(database, date(2026, 3, 2), date(2026, 3, 2), io.StringIO())


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
