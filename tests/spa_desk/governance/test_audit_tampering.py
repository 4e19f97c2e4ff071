"""Verifying the audit log: rows changed, deleted, inserted or swapped in the table are caught.

Each tampering is done as someone with the table owner's rights would do it: the append-only
triggers switched off first (:func:`tests.spa_desk.governance.helpers.tamper`). Without the audit
key, a re-written entry is caught where it was changed; someone who also holds the key can make a
changed entry look right, and is caught at the next entry, or by the head (test_audit_head).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import Uuid, bindparam, text

from db.types import JSONDocument, UTCDateTime
from spa_desk.database import Database, open_database
from spa_desk.governance.head import AuditHead
from spa_desk.governance.verify import verify
from tests.spa_desk.governance.helpers import (
    ENTRIES,
    START,
    Log,
    attacker_hash,
    fields_of,
    fill_log,
    key_id,
    keyed_hash,
    row_at,
    tamper,
    triggers_off,
)

INSERT = text(
    "INSERT INTO audit_events (id, position, occurred_at, user_id, action, entity_type, "
    "entity_id, details, prev_hash, hash, hash_scheme, key_id) VALUES (:id, :position, "
    ":occurred_at, :user_id, :action, :entity_type, :entity_id, :details, :prev_hash, :hash, "
    ":hash_scheme, :key_id)"
).bindparams(
    bindparam("id", type_=Uuid()),
    bindparam("occurred_at", type_=UTCDateTime()),
    bindparam("user_id", type_=Uuid()),
    bindparam("details", type_=JSONDocument),
)


KEYED = {"hash_scheme": "hmac-sha256", "key_id": key_id()}
"""The scheme columns of an entry keyed with the tests' audit key."""

UNKEYED = {"hash_scheme": "sha256", "key_id": None}
"""The scheme columns of an entry from before revision 0005."""


def _insert(database: Database, fields: dict[str, Any], hash_: str, scheme: dict[str, Any]) -> None:
    with database.engine.begin() as connection:  # an INSERT is allowed: it is how the log grows
        connection.execute(INSERT, fields | {"hash": hash_} | scheme)


def _change_action(database: Database, log: Log) -> None:
    tamper(database, "UPDATE audit_events SET action = 'report_signed' WHERE position = 17")


def _change_details(database: Database, log: Log) -> None:
    statement = text("UPDATE audit_events SET details = :details WHERE position = 17")
    with database.engine.begin() as connection, triggers_off(connection):
        connection.execute(
            statement.bindparams(bindparam("details", type_=JSONDocument)),
            {"details": {"fields": ["postcode"]}},
        )


def _change_occurred_at(database: Database, log: Log) -> None:
    statement = text("UPDATE audit_events SET occurred_at = :at WHERE position = 17")
    with database.engine.begin() as connection, triggers_off(connection):
        connection.execute(
            statement.bindparams(bindparam("at", type_=UTCDateTime())),
            {"at": START + timedelta(minutes=16, seconds=30)},
        )


def _change_user(database: Database, log: Log) -> None:
    statement = text("UPDATE audit_events SET user_id = :user WHERE position = 17")
    user = log.ben if row_at(database, 17).user_id == log.ada else log.ada
    with database.engine.begin() as connection, triggers_off(connection):
        connection.execute(statement.bindparams(bindparam("user", type_=Uuid())), {"user": user})


def _clear_user(database: Database, log: Log) -> None:
    tamper(database, "UPDATE audit_events SET user_id = NULL WHERE position = 17")


def _change_hash_only(database: Database, log: Log) -> None:
    tamper(database, "UPDATE audit_events SET hash = :forged WHERE position = 17", forged="f" * 64)


def _rewrite_one_entry(database: Database, log: Log) -> None:
    """Change entry 17 and recompute its hash without the key, as anyone could."""
    fields = fields_of(row_at(database, 17)) | {"action": "report_signed"}
    tamper(
        database,
        "UPDATE audit_events SET action = 'report_signed', hash = :hash WHERE position = 17",
        hash=attacker_hash(fields),
    )


def _rewrite_one_entry_as_unkeyed(database: Database, log: Log) -> None:
    """Change entry 17 and pass it off as an entry from before the key, with a plain hash."""
    fields = fields_of(row_at(database, 17)) | {"action": "report_signed"}
    tamper(
        database,
        "UPDATE audit_events SET action = 'report_signed', hash = :hash, hash_scheme = 'sha256', "
        "key_id = NULL WHERE position = 17",
        hash=attacker_hash(fields),
    )


def _rewrite_one_entry_with_the_key(database: Database, log: Log) -> None:
    """Change entry 17 and recompute its hash with the key, but not the entries after it."""
    fields = fields_of(row_at(database, 17)) | {"action": "report_signed"}
    tamper(
        database,
        "UPDATE audit_events SET action = 'report_signed', hash = :hash WHERE position = 17",
        hash=keyed_hash(fields),
    )


def _delete_middle(database: Database, log: Log) -> None:
    tamper(database, "DELETE FROM audit_events WHERE position = 25")


def _delete_first(database: Database, log: Log) -> None:
    tamper(database, "DELETE FROM audit_events WHERE position = 1")


def _delete_and_close_the_gap(database: Database, log: Log) -> None:
    tamper(
        database,
        "DELETE FROM audit_events WHERE position = 25",
        "UPDATE audit_events SET position = -(position - 1) WHERE position > 25",
        "UPDATE audit_events SET position = -position WHERE position < 0",
    )


def _make_room_after(database: Database, position: int) -> None:
    tamper(
        database,
        "UPDATE audit_events SET position = -(position + 1) WHERE position > :after",
        "UPDATE audit_events SET position = -position WHERE position < 0",
        after=position,
    )


def _forged(database: Database, log: Log, position: int, **overrides: Any) -> dict[str, Any]:
    before = row_at(database, position - 1)
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
    _insert(database, _forged(database, log, 21), "a" * 64, KEYED)


def _insert_keyless_forgery(database: Database, log: Log) -> None:
    """A forged entry 21 with the plain hash anyone can compute and a correct link."""
    _make_room_after(database, 20)
    fields = _forged(database, log, 21)
    _insert(database, fields, attacker_hash(fields), KEYED)


def _insert_keyless_forgery_as_unkeyed(database: Database, log: Log) -> None:
    _make_room_after(database, 20)
    fields = _forged(database, log, 21)
    _insert(database, fields, attacker_hash(fields), UNKEYED)


def _insert_correct_looking_forgery(database: Database, log: Log) -> None:
    """A forged entry 21 with a valid keyed hash and link (made with the key); the entries after
    it are not re-written."""
    _make_room_after(database, 20)
    fields = _forged(database, log, 21)
    _insert(database, fields, keyed_hash(fields), KEYED)


def _insert_forgery_with_wrong_link(database: Database, log: Log) -> None:
    _make_room_after(database, 20)
    fields = _forged(database, log, 21, prev_hash="b" * 64)
    _insert(database, fields, keyed_hash(fields), KEYED)


def _insert_before_the_first(database: Database, log: Log) -> None:
    first = row_at(database, 1)
    fields = fields_of(first) | {"id": uuid.uuid4(), "position": 0}
    _insert(database, fields, keyed_hash(fields), KEYED)


def _append_naive_forgery(database: Database, log: Log) -> None:
    _insert(database, _forged(database, log, ENTRIES + 1), "c" * 64, KEYED)


def _append_keyless_forgery(database: Database, log: Log) -> None:
    fields = _forged(database, log, ENTRIES + 1)
    _insert(database, fields, attacker_hash(fields), UNKEYED)


def _swap(database: Database, log: Log) -> None:
    tamper(
        database,
        "UPDATE audit_events SET position = -1 WHERE position = 10",
        "UPDATE audit_events SET position = 10 WHERE position = 30",
        "UPDATE audit_events SET position = 30 WHERE position = -1",
    )


def _swap_neighbours(database: Database, log: Log) -> None:
    tamper(
        database,
        "UPDATE audit_events SET position = -1 WHERE position = 10",
        "UPDATE audit_events SET position = 10 WHERE position = 11",
        "UPDATE audit_events SET position = 11 WHERE position = -1",
    )


def _restart_the_chain(database: Database, log: Log) -> None:
    """Entry 1 given a prev_hash other than zeros, with its own hash recomputed with the key."""
    fields = fields_of(row_at(database, 1)) | {"prev_hash": "d" * 64}
    tamper(
        database,
        "UPDATE audit_events SET prev_hash = :prev, hash = :hash WHERE position = 1",
        prev="d" * 64,
        hash=keyed_hash(fields),
    )


Tamper = Callable[[Database, Log], None]

TAMPERING: dict[str, tuple[Tamper, int, str]] = {
    "changed action": (_change_action, 17, "entry 17 was changed (its hash does not match"),
    "changed details": (_change_details, 17, "entry 17 was changed"),
    "changed occurred_at": (_change_occurred_at, 17, "entry 17 was changed"),
    "changed user_id": (_change_user, 17, "entry 17 was changed"),
    "cleared user_id": (_clear_user, 17, "entry 17 was changed"),
    "changed hash": (_change_hash_only, 17, "entry 17 was changed"),
    "re-written entry": (_rewrite_one_entry, 17, "entry 17 was changed"),
    "re-written entry passed off as unkeyed": (
        _rewrite_one_entry_as_unkeyed,
        17,
        "entry 17 has a plain, unkeyed hash but comes after keyed entries",
    ),
    "re-written entry, with the key": (
        _rewrite_one_entry_with_the_key,
        18,
        "entry 18 does not follow entry 17",
    ),
    "deleted middle": (_delete_middle, 25, "entry 25 is missing (positions jump from 24 to 26)"),
    "deleted first": (_delete_first, 1, "entry 1 is missing (the log starts at entry 2)"),
    "deleted, gap closed": (_delete_and_close_the_gap, 25, "recorded as entry 26"),
    "naive forgery": (_insert_naive_forgery, 21, "entry 21 was changed"),
    "keyless forgery": (_insert_keyless_forgery, 21, "entry 21 was changed"),
    "keyless forgery passed off as unkeyed": (
        _insert_keyless_forgery_as_unkeyed,
        21,
        "entry 21 has a plain, unkeyed hash but comes after keyed entries",
    ),
    "correct-looking forgery": (
        _insert_correct_looking_forgery,
        21,
        "entry 21 was inserted or the entries after it were re-written",
    ),
    "forgery, wrong link": (_insert_forgery_with_wrong_link, 21, "entry 21 does not follow"),
    "inserted before first": (_insert_before_the_first, 0, "entry 0 was inserted before entry 1"),
    "appended naive forgery": (_append_naive_forgery, ENTRIES + 1, "was changed"),
    "appended keyless forgery": (_append_keyless_forgery, ENTRIES + 1, "plain, unkeyed hash"),
    "swapped": (_swap, 10, "entry 10 was moved, deleted or swapped"),
    "swapped neighbours": (_swap_neighbours, 10, "recorded as entry 11"),
    "restarted chain": (_restart_the_chain, 1, "entry 1 does not start the chain"),
}


@pytest.mark.parametrize("case", list(TAMPERING))
def test_verify_names_the_first_bad_entry(database: Database, case: str) -> None:
    tamper, first_bad, words = TAMPERING[case]
    log = fill_log(database)
    assert verify(database).ok
    tamper(database, log)
    outcome = verify(database)
    assert not outcome.ok
    assert outcome.first_bad_position == first_bad, outcome.problem
    assert outcome.problem is not None and words in outcome.problem


def test_deleting_the_last_entry_needs_an_anchor_outside_the_chain(database: Database) -> None:
    """The documented limit: the chain alone cannot show that its newest entry was removed; the
    head written out before can."""
    fill_log(database)
    newest = verify(database).newest
    assert newest is not None
    head = AuditHead(**newest.model_dump(), written_at=START + timedelta(days=1))
    tamper(database, "DELETE FROM audit_events WHERE position = :last", last=ENTRIES)
    alone = verify(database)
    assert (alone.ok, alone.entries, alone.keyed, alone.problem) == (
        True,
        ENTRIES - 1,
        ENTRIES - 1,
        None,
    )
    outcome = verify(database, head=head)
    assert not outcome.ok and outcome.first_bad_position == ENTRIES
    assert outcome.problem is not None and "the log was shortened" in outcome.problem


@pytest.mark.parametrize(
    ("column", "garbage"), [("details", "{broken"), ("occurred_at", "not a time")]
)
def test_an_unreadable_entry_is_named(sqlite_database_url: str, column: str, garbage: str) -> None:
    database = open_database(sqlite_database_url)
    try:
        fill_log(database, entries=10)
        tamper(
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
