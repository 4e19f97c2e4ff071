"""Appending to the audit log: the hash chain, what an entry may hold, and two desks at once."""

from __future__ import annotations

import hashlib
import itertools
import threading
import uuid
from datetime import datetime, timedelta
from typing import Any

import pytest

import spa_desk.governance.verify
from spa_desk.database import Database
from spa_desk.governance.log import GENESIS_HASH, AuditAction, record
from spa_desk.governance.verify import verify
from tests.factories import add_user
from tests.spa_desk.governance.helpers import (
    ENTRIES,
    START,
    all_rows,
    fields_of,
    fill_log,
    key_id,
    keyed_hash,
)


def test_entries_form_a_chain_that_verifies(
    database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    fill_log(database)
    rows = all_rows(database)
    assert [row.position for row in rows] == list(range(1, ENTRIES + 1))
    assert rows[0].prev_hash == GENESIS_HASH == "0" * 64
    for before, after in itertools.pairwise(rows):
        assert after.prev_hash == before.hash
    for row in rows:
        assert row.hash == keyed_hash(fields_of(row))  # the documented algorithm, exactly
        assert (row.hash_scheme, row.key_id) == ("hmac-sha256", key_id())
    assert rows[7].occurred_at == START + timedelta(minutes=7, microseconds=7)

    monkeypatch.setattr(spa_desk.governance.verify, "_BATCH", 7)  # several batches
    outcome = verify(database)
    assert outcome.ok and outcome.entries == outcome.keyed == ENTRIES
    assert outcome.first_bad_position is None and outcome.problem is None
    assert outcome.newest is not None and outcome.newest.hash == rows[-1].hash


def test_an_empty_log_verifies(database: Database) -> None:
    outcome = verify(database)
    assert outcome.ok and outcome.entries == 0


def test_entries_belong_to_the_callers_transaction(database: Database) -> None:
    user = add_user(database, "cara.handler", "correct horse 3")
    with database.sessions.begin() as session:
        record(session, action=AuditAction.LOGIN_SUCCEEDED, user_id=user)
        record(session, action=AuditAction.PERSON_VIEWED, user_id=user, entity_type="person")
    with pytest.raises(RuntimeError), database.sessions.begin() as session:
        record(session, action=AuditAction.LOGIN_FAILED, user_id=user)
        raise RuntimeError("the action failed, so its audit entry goes too")
    assert [row.action for row in all_rows(database)] == ["login_succeeded", "person_viewed"]
    assert [row.position for row in all_rows(database)] == [1, 2]
    assert verify(database).ok


PERSONAL = [
    {"nhs": "9990000026"},
    {"nhs": "999 000 0026"},
    {"nhs": "999-000-0026"},
    {"nhs": 9990000026},
    {"mobile": "07700 900001"},
    {"mobile": "07700900001"},
    {"mobile": "+44 7700 900001"},
    {"mobile": "+44 (0)7700 900001"},
    {"landline": "(01632) 960123"},
    {"landline": "020 7946 0123"},
    {"note": "rang back on 01632 960123 today"},
    {"fields": ["postcode", "07700 900002"]},
    {"nested": {"phone": "07700900003"}},
    {"07700900004": "as a key"},
]


@pytest.mark.parametrize("details", PERSONAL, ids=str)
def test_record_refuses_details_that_look_like_personal_data(
    database: Database, details: dict[str, Any]
) -> None:
    refused = pytest.raises(ValueError, match="looks like an NHS or phone number")
    with refused, database.sessions.begin() as session:
        record(session, action=AuditAction.PERSON_CHANGED, user_id=None, details=details)
    assert all_rows(database) == []


def test_record_refuses_other_unsafe_input(database: Database) -> None:
    with database.sessions.begin() as session:
        with pytest.raises(ValueError, match="NHS or phone number"):
            record(session, action=AuditAction.PERSON_VIEWED, user_id=None, entity_id="9990000026")
        with pytest.raises(ValueError, match="not float"):
            record(session, action=AuditAction.CONTACT_SAVED, user_id=None, details={"m": 1.5})
        with pytest.raises(ValueError, match="timezone-aware"):
            record(session, action=AuditAction.LOGIN_FAILED, user_id=None, at=datetime(2026, 5, 4))
    assert all_rows(database) == []


def test_record_accepts_ids_codes_and_field_names(database: Database) -> None:
    ids = [
        uuid.UUID("01234567-8901-4234-8567-890123456789"),  # digit groups that are not numbers
        uuid.UUID("99900000-2612-4345-8678-077009000010"),
    ] + [uuid.uuid4() for _ in range(200)]
    details = {
        "contact_id": ids[0],  # a UUID is stored as its text
        "ids": [str(each) for each in ids],
        "fields": ["nhs_number", "phone_primary", "date_of_birth"],
        "route": AuditAction.PERSON_CHANGED,
        "failures": 5,
        "at": "2026-05-04T09:00:00.123456+00:00",
        "hash": hashlib.sha256(b"x").hexdigest(),
        "overridden": True,
        "note": None,
    }
    with database.sessions.begin() as session:
        record(session, action=AuditAction.PERSON_CHANGED, user_id=None, details=details)
    (row,) = all_rows(database)
    assert row.details["contact_id"] == str(ids[0])
    assert row.details["route"] == "person_changed"
    assert verify(database).ok


def test_two_desks_appending_at_once(database: Database) -> None:
    users = [add_user(database, f"desk.{n}", "correct horse 4") for n in range(2)]
    failures: list[BaseException] = []

    def desk(user: uuid.UUID) -> None:
        try:
            for index in range(100):
                with database.sessions.begin() as session:
                    record(
                        session,
                        action=AuditAction.CONTACT_SAVED,
                        user_id=user,
                        entity_type="contact",
                        entity_id=str(uuid.uuid4()),
                        details={"n": index},
                    )
        except BaseException as error:
            failures.append(error)

    threads = [threading.Thread(target=desk, args=(user,)) for user in users]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=90)
    assert not any(thread.is_alive() for thread in threads)
    assert failures == []
    rows = all_rows(database)
    assert [row.position for row in rows] == list(range(1, 201))
    assert sorted(row.details["n"] for row in rows if row.user_id == users[0]) == list(range(100))
    outcome = verify(database)
    assert outcome.ok and outcome.entries == 200
