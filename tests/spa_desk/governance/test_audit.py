"""The audit log: a hash chain that ``verify`` checks, entries written directly into the database
(changed, deleted, inserted, swapped) caught with the right first bad entry, personal data refused,
search and export for managers, and appends from two desks at once."""

from __future__ import annotations

import csv
import hashlib
import io
import itertools
import json
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Uuid, bindparam, select, text

import spa_desk.governance.verify
from db.models import AuditEvent
from db.types import JSONDocument, UTCDateTime
from spa_desk.database import Database, open_database
from spa_desk.governance.export import export_csv
from spa_desk.governance.log import GENESIS_HASH, AuditAction, record
from spa_desk.governance.search import search
from spa_desk.governance.verify import verify
from tests.cli_process import run_spa_desk
from tests.factories import add_user

START = datetime(2026, 5, 4, 8, 0, tzinfo=UTC)
ENTRIES = 50
ACTIONS = (
    AuditAction.LOGIN_SUCCEEDED,
    AuditAction.PERSON_VIEWED,
    AuditAction.PERSON_CHANGED,
    AuditAction.CONTACT_SAVED,
)

INSERT = text(
    "INSERT INTO audit_events (id, position, occurred_at, user_id, action, entity_type, "
    "entity_id, details, prev_hash, hash) VALUES (:id, :position, :occurred_at, :user_id, "
    ":action, :entity_type, :entity_id, :details, :prev_hash, :hash)"
).bindparams(
    bindparam("id", type_=Uuid()),
    bindparam("occurred_at", type_=UTCDateTime()),
    bindparam("user_id", type_=Uuid()),
    bindparam("details", type_=JSONDocument),
)


@dataclass(frozen=True)
class Log:
    """A log of ENTRIES entries made by two fictional users about one fictional person."""

    ada: uuid.UUID
    ben: uuid.UUID
    person: uuid.UUID


def _record(database: Database, action: AuditAction, user: uuid.UUID | None, **kw: Any) -> None:
    with database.sessions.begin() as session:
        record(session, action=action, user_id=user, **kw)


def _fill(database: Database, entries: int = ENTRIES) -> Log:
    log = Log(
        ada=add_user(database, "ada.handler", "correct horse 1"),
        ben=add_user(database, "ben.manager", "correct horse 2", roles=("spa_manager",)),
        person=uuid.UUID("6f1c1d8e-0000-4000-8000-000000000001"),
    )
    for index in range(entries):
        action = ACTIONS[index % len(ACTIONS)]
        about_person = action in (AuditAction.PERSON_VIEWED, AuditAction.PERSON_CHANGED)
        _record(
            database,
            action,
            log.ada if index % 3 else log.ben,
            entity_type="person" if about_person else None,
            entity_id=str(log.person) if about_person else None,
            details={"fields": ["postcode", "phone_primary"]} if about_person else {"n": index},
            at=START + timedelta(minutes=index, microseconds=index),
        )
    return log


def _rows(database: Database) -> list[AuditEvent]:
    with database.sessions() as session:
        return list(session.execute(select(AuditEvent).order_by(AuditEvent.position)).scalars())


def _row(database: Database, position: int) -> AuditEvent:
    with database.sessions() as session:
        return session.execute(
            select(AuditEvent).where(AuditEvent.position == position)
        ).scalar_one()


def attacker_hash(fields: dict[str, Any]) -> str:
    """The entry hash computed from the documented algorithm, as an attacker (or auditor) would."""
    payload = dict(fields)
    payload["id"] = str(fields["id"])
    payload["user_id"] = None if fields["user_id"] is None else str(fields["user_id"])
    payload["occurred_at"] = (
        fields["occurred_at"].astimezone(UTC).isoformat(timespec="microseconds")
    )
    canonical = json.dumps(payload, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def _fields(event: AuditEvent) -> dict[str, Any]:
    return {
        "id": event.id,
        "position": event.position,
        "occurred_at": event.occurred_at,
        "user_id": event.user_id,
        "action": event.action,
        "entity_type": event.entity_type,
        "entity_id": event.entity_id,
        "details": event.details,
        "prev_hash": event.prev_hash,
    }


def _sql(database: Database, *statements: str, **params: Any) -> None:
    """Tamper with the table directly, as someone with the database password could."""
    with database.engine.begin() as connection:
        for statement in statements:
            connection.execute(text(statement), params)


def test_entries_form_a_chain_that_verifies(
    database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    _fill(database)
    rows = _rows(database)
    assert [row.position for row in rows] == list(range(1, ENTRIES + 1))
    assert rows[0].prev_hash == GENESIS_HASH == "0" * 64
    for before, after in itertools.pairwise(rows):
        assert after.prev_hash == before.hash
    for row in rows:
        assert row.hash == attacker_hash(_fields(row))  # the documented algorithm, exactly
    assert rows[7].occurred_at == START + timedelta(minutes=7, microseconds=7)

    monkeypatch.setattr(spa_desk.governance.verify, "_BATCH", 7)  # several batches
    outcome = verify(database)
    assert outcome.ok and outcome.entries == ENTRIES
    assert outcome.first_bad_position is None and outcome.problem is None


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
    assert [row.action for row in _rows(database)] == ["login_succeeded", "person_viewed"]
    assert [row.position for row in _rows(database)] == [1, 2]
    assert verify(database).ok


def _change_action(database: Database, log: Log) -> None:
    _sql(database, "UPDATE audit_events SET action = 'report_signed' WHERE position = 17")


def _change_details(database: Database, log: Log) -> None:
    statement = text("UPDATE audit_events SET details = :details WHERE position = 17")
    with database.engine.begin() as connection:
        connection.execute(
            statement.bindparams(bindparam("details", type_=JSONDocument)),
            {"details": {"fields": ["postcode"]}},
        )


def _change_occurred_at(database: Database, log: Log) -> None:
    statement = text("UPDATE audit_events SET occurred_at = :at WHERE position = 17")
    with database.engine.begin() as connection:
        connection.execute(
            statement.bindparams(bindparam("at", type_=UTCDateTime())),
            {"at": START + timedelta(minutes=16, seconds=30)},
        )


def _change_user(database: Database, log: Log) -> None:
    statement = text("UPDATE audit_events SET user_id = :user WHERE position = 17")
    user = log.ben if _row(database, 17).user_id == log.ada else log.ada
    with database.engine.begin() as connection:
        connection.execute(statement.bindparams(bindparam("user", type_=Uuid())), {"user": user})


def _clear_user(database: Database, log: Log) -> None:
    _sql(database, "UPDATE audit_events SET user_id = NULL WHERE position = 17")


def _change_hash_only(database: Database, log: Log) -> None:
    _sql(database, "UPDATE audit_events SET hash = :forged WHERE position = 17", forged="f" * 64)


def _rewrite_one_entry(database: Database, log: Log) -> None:
    """Change entry 17 and recompute its hash, but not the entries after it."""
    fields = _fields(_row(database, 17)) | {"action": "report_signed"}
    _sql(
        database,
        "UPDATE audit_events SET action = 'report_signed', hash = :hash WHERE position = 17",
        hash=attacker_hash(fields),
    )


def _delete_middle(database: Database, log: Log) -> None:
    _sql(database, "DELETE FROM audit_events WHERE position = 25")


def _delete_first(database: Database, log: Log) -> None:
    _sql(database, "DELETE FROM audit_events WHERE position = 1")


def _delete_and_close_the_gap(database: Database, log: Log) -> None:
    _sql(
        database,
        "DELETE FROM audit_events WHERE position = 25",
        "UPDATE audit_events SET position = -(position - 1) WHERE position > 25",
        "UPDATE audit_events SET position = -position WHERE position < 0",
    )


def _make_room_after(database: Database, position: int) -> None:
    _sql(
        database,
        "UPDATE audit_events SET position = -(position + 1) WHERE position > :after",
        "UPDATE audit_events SET position = -position WHERE position < 0",
        after=position,
    )


def _forged(database: Database, log: Log, position: int, **overrides: Any) -> dict[str, Any]:
    before = _row(database, position - 1)
    fields: dict[str, Any] = {
        "id": uuid.uuid4(),
        "position": position,
        "occurred_at": before.occurred_at + timedelta(seconds=20),
        "user_id": log.ben,
        "action": "person_viewed",
        "entity_type": "person",
        "entity_id": str(log.person),
        "details": {},
        "prev_hash": before.hash,
    }
    fields.update(overrides)
    return fields


def _insert_naive_forgery(database: Database, log: Log) -> None:
    """A forged entry 21 that copies entry 20's hash as prev_hash but cannot make its own."""
    _make_room_after(database, 20)
    fields = _forged(database, log, 21)
    with database.engine.begin() as connection:
        connection.execute(INSERT, fields | {"hash": "a" * 64})


def _insert_correct_looking_forgery(database: Database, log: Log) -> None:
    """A forged entry 21 with a valid hash and link; the entries after it are not re-written."""
    _make_room_after(database, 20)
    fields = _forged(database, log, 21)
    with database.engine.begin() as connection:
        connection.execute(INSERT, fields | {"hash": attacker_hash(fields)})


def _insert_forgery_with_wrong_link(database: Database, log: Log) -> None:
    _make_room_after(database, 20)
    fields = _forged(database, log, 21, prev_hash="b" * 64)
    with database.engine.begin() as connection:
        connection.execute(INSERT, fields | {"hash": attacker_hash(fields)})


def _insert_before_the_first(database: Database, log: Log) -> None:
    first = _row(database, 1)
    fields = _fields(first) | {"id": uuid.uuid4(), "position": 0}
    with database.engine.begin() as connection:
        connection.execute(INSERT, fields | {"hash": attacker_hash(fields)})


def _append_naive_forgery(database: Database, log: Log) -> None:
    fields = _forged(database, log, ENTRIES + 1)
    with database.engine.begin() as connection:
        connection.execute(INSERT, fields | {"hash": "c" * 64})


def _swap(database: Database, log: Log) -> None:
    _sql(
        database,
        "UPDATE audit_events SET position = -1 WHERE position = 10",
        "UPDATE audit_events SET position = 10 WHERE position = 30",
        "UPDATE audit_events SET position = 30 WHERE position = -1",
    )


def _swap_neighbours(database: Database, log: Log) -> None:
    _sql(
        database,
        "UPDATE audit_events SET position = -1 WHERE position = 10",
        "UPDATE audit_events SET position = 10 WHERE position = 11",
        "UPDATE audit_events SET position = 11 WHERE position = -1",
    )


def _restart_the_chain(database: Database, log: Log) -> None:
    """Entry 1 given a prev_hash other than zeros, with its own hash recomputed."""
    fields = _fields(_row(database, 1)) | {"prev_hash": "d" * 64}
    _sql(
        database,
        "UPDATE audit_events SET prev_hash = :prev, hash = :hash WHERE position = 1",
        prev="d" * 64,
        hash=attacker_hash(fields),
    )


Tamper = Callable[[Database, Log], None]

TAMPERING: dict[str, tuple[Tamper, int, str]] = {
    "changed action": (_change_action, 17, "entry 17 was changed (its hash does not match"),
    "changed details": (_change_details, 17, "entry 17 was changed"),
    "changed occurred_at": (_change_occurred_at, 17, "entry 17 was changed"),
    "changed user_id": (_change_user, 17, "entry 17 was changed"),
    "cleared user_id": (_clear_user, 17, "entry 17 was changed"),
    "changed hash": (_change_hash_only, 17, "entry 17 was changed"),
    "re-written entry": (_rewrite_one_entry, 18, "entry 18 does not follow entry 17"),
    "deleted middle": (_delete_middle, 25, "entry 25 is missing (positions jump from 24 to 26)"),
    "deleted first": (_delete_first, 1, "entry 1 is missing (the log starts at entry 2)"),
    "deleted, gap closed": (_delete_and_close_the_gap, 25, "recorded as entry 26"),
    "naive forgery": (_insert_naive_forgery, 21, "entry 21 was changed"),
    "correct-looking forgery": (
        _insert_correct_looking_forgery,
        21,
        "entry 21 was inserted or the entries after it were re-written",
    ),
    "forgery, wrong link": (_insert_forgery_with_wrong_link, 21, "entry 21 does not follow"),
    "inserted before first": (_insert_before_the_first, 0, "entry 0 was inserted before entry 1"),
    "appended naive forgery": (_append_naive_forgery, ENTRIES + 1, "was changed"),
    "swapped": (_swap, 10, "entry 10 was moved, deleted or swapped"),
    "swapped neighbours": (_swap_neighbours, 10, "recorded as entry 11"),
    "restarted chain": (_restart_the_chain, 1, "entry 1 does not start the chain"),
}


@pytest.mark.parametrize("case", list(TAMPERING))
def test_verify_names_the_first_bad_entry(database: Database, case: str) -> None:
    tamper, first_bad, words = TAMPERING[case]
    log = _fill(database)
    assert verify(database).ok
    tamper(database, log)
    outcome = verify(database)
    assert not outcome.ok
    assert outcome.first_bad_position == first_bad, outcome.problem
    assert outcome.problem is not None and words in outcome.problem


def test_deleting_the_last_entry_needs_an_anchor_outside_the_chain(database: Database) -> None:
    """The documented limit: the chain alone cannot show that its newest entry was removed."""
    _fill(database)
    _sql(database, "DELETE FROM audit_events WHERE position = :last", last=ENTRIES)
    assert verify(database) == spa_desk.governance.verify.AuditVerification(
        ok=True, entries=ENTRIES - 1
    )


@pytest.mark.parametrize(
    ("column", "garbage"), [("details", "{broken"), ("occurred_at", "not a time")]
)
def test_an_unreadable_entry_is_named(sqlite_database_url: str, column: str, garbage: str) -> None:
    database = open_database(sqlite_database_url)
    try:
        _fill(database, entries=10)
        _sql(
            database,
            f"UPDATE audit_events SET {column} = :garbage WHERE position = 4",
            garbage=garbage,
        )
        outcome = verify(database)
    finally:
        database.close()
    assert not outcome.ok and outcome.first_bad_position == 4
    assert (
        outcome.problem is not None and "entry 4 was changed: it cannot be read" in outcome.problem
    )


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
    assert _rows(database) == []


def test_record_refuses_other_unsafe_input(database: Database) -> None:
    with database.sessions.begin() as session:
        with pytest.raises(ValueError, match="NHS or phone number"):
            record(session, action=AuditAction.PERSON_VIEWED, user_id=None, entity_id="9990000026")
        with pytest.raises(ValueError, match="not float"):
            record(session, action=AuditAction.CONTACT_SAVED, user_id=None, details={"m": 1.5})
        with pytest.raises(ValueError, match="timezone-aware"):
            record(session, action=AuditAction.LOGIN_FAILED, user_id=None, at=datetime(2026, 5, 4))
    assert _rows(database) == []


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
    (row,) = _rows(database)
    assert row.details["contact_id"] == str(ids[0])
    assert row.details["route"] == "person_changed"
    assert verify(database).ok


def test_search_by_person_user_and_period(database: Database) -> None:
    log = _fill(database)
    other_person = uuid.uuid4()
    _record(
        database,
        AuditAction.PERSON_VIEWED,
        log.ada,
        entity_type="person",
        entity_id=str(other_person),
        at=START + timedelta(hours=2),
    )

    about = search(database, person_id=log.person)
    assert len(about) == ENTRIES // 2  # the viewed and changed entries about them
    assert {(e.entity_type, e.entity_id) for e in about} == {("person", str(log.person))}
    assert [e.occurred_at for e in about] == sorted((e.occurred_at for e in about), reverse=True)
    assert [e.entity_id for e in search(database, person_id=other_person)] == [str(other_person)]

    by_ben = search(database, user_id=log.ben)
    assert len(by_ben) == len(range(0, ENTRIES, 3))
    assert {e.username for e in by_ben} == {"ben.manager"}

    window = search(
        database, start=START + timedelta(minutes=10), end=START + timedelta(minutes=20)
    )
    assert [e.position for e in window] == list(range(20, 10, -1))  # minutes 10 to 19, newest first
    both = search(
        database,
        person_id=log.person,
        user_id=log.ada,
        start=START + timedelta(minutes=10),
        end=START + timedelta(minutes=20),
    )
    assert [e.position for e in both] == [18, 15, 14, 11]
    assert len(search(database, limit=5)) == 5
    assert search(database)[0].entity_id == str(other_person)  # newest first
    assert search(database, person_id=uuid.uuid4()) == []


def test_export_writes_the_entries(database: Database) -> None:
    log = _fill(database, entries=8)
    _record(database, AuditAction.LOGIN_FAILED, None, details={"reason": "unknown user name"})
    out = io.StringIO()
    count = export_csv(database, out, start=START, end=START + timedelta(minutes=5))
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert count == len(rows) == 5
    assert list(rows[0]) == [
        "position",
        "occurred_at",
        "username",
        "action",
        "entity_type",
        "entity_id",
        "details",
        "hash",
    ]
    assert [row["position"] for row in rows] == ["1", "2", "3", "4", "5"]  # oldest first
    second = _row(database, 2)
    assert rows[1] == {
        "position": "2",
        "occurred_at": "2026-05-04T08:01:00Z",
        "username": "ada.handler",
        "action": "person_viewed",
        "entity_type": "person",
        "entity_id": str(log.person),
        "details": '{"fields": ["postcode", "phone_primary"]}',
        "hash": second.hash,
    }
    everything = io.StringIO()
    assert export_csv(database, everything) == 9
    last = list(csv.DictReader(io.StringIO(everything.getvalue())))[-1]
    assert (last["username"], last["action"]) == ("", "login_failed")
    by_person = io.StringIO()
    assert export_csv(database, by_person, person_id=log.person, user_id=log.ben) == 1


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
    rows = _rows(database)
    assert [row.position for row in rows] == list(range(1, 201))
    assert sorted(row.details["n"] for row in rows if row.user_id == users[0]) == list(range(100))
    outcome = verify(database)
    assert outcome.ok and outcome.entries == 200


def test_audit_command_line(sqlite_database_url: str, isolated_home: Path, tmp_path: Path) -> None:
    database = open_database(sqlite_database_url)
    log = _fill(database, entries=12)
    # 23:30 UTC on 3 May is 00:30 on 4 May in London (summer time): it belongs to 4 May.
    _record(
        database, AuditAction.LOGIN_SUCCEEDED, log.ada, at=datetime(2026, 5, 3, 23, 30, tzinfo=UTC)
    )
    _record(
        database, AuditAction.LOGIN_SUCCEEDED, log.ada, at=datetime(2026, 5, 3, 22, 30, tzinfo=UTC)
    )
    database.close()
    url = ("--database", sqlite_database_url)

    intact = run_spa_desk(*url, "audit", "verify", home=isolated_home)
    assert intact.returncode == 0, intact.stderr
    assert intact.stdout.strip() == "Audit log intact: 14 entries."

    target = tmp_path / "audit.csv"
    exported = run_spa_desk(
        *url, "audit", "export", "--from", "2026-05-04", "--to", "2026-05-04",
        "--csv", str(target), "--user", "ada.handler", home=isolated_home,
    )  # fmt: skip
    assert exported.returncode == 0, exported.stderr
    assert "Exported 9 audit entries." in exported.stderr
    with target.open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert {row["username"] for row in rows} == {"ada.handler"}
    assert rows[-1]["occurred_at"] == "2026-05-03T23:30:00Z"
    assert not target.with_name("audit.csv.part").exists()

    person_rows = run_spa_desk(
        *url, "audit", "export", "--from", "2026-05-01", "--to", "2026-05-31",
        "--csv", "-", "--person", str(log.person), home=isolated_home,
    )  # fmt: skip
    assert person_rows.returncode == 0, person_rows.stderr
    assert len(list(csv.DictReader(io.StringIO(person_rows.stdout)))) == 6

    unknown = run_spa_desk(
        *url, "audit", "export", "--from", "2026-05-04", "--to", "2026-05-04",
        "--csv", "-", "--user", "nobody", home=isolated_home,
    )  # fmt: skip
    assert unknown.returncode == 1 and "no user named 'nobody'" in unknown.stderr
    assert "Traceback" not in unknown.stderr

    database = open_database(sqlite_database_url)
    try:
        recorded = [e for e in search(database) if e.action == "audit_exported"]
        assert [e.details["rows"] for e in recorded] == [6, 9]
        assert recorded[1].details["user_id"] == str(log.ada)
        _sql(database, "UPDATE audit_events SET details = '{}' WHERE position = 5")
    finally:
        database.close()

    tampered = run_spa_desk(*url, "audit", "verify", home=isolated_home)
    assert tampered.returncode == 1
    assert tampered.stdout == ""
    assert "Audit log NOT intact: entry 5 was changed" in tampered.stderr
    assert "Traceback" not in tampered.stderr
