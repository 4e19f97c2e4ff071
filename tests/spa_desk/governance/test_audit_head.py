"""The head of the audit log, written out and checked later (SPEC 8): ``spa-desk audit head --out
FILE`` anchors the newest entry outside the database, and ``audit verify --head FILE`` catches a
log shortened or re-written after it, which the chain alone cannot show."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

from spa_desk.database import Database, open_database
from spa_desk.governance.head import AuditHead
from spa_desk.governance.log import AuditAction
from spa_desk.governance.verify import AuditVerification, verify
from tests.cli_process import run_spa_desk
from tests.spa_desk.governance.helpers import add_entry, fill_log, row_at, tamper

WRITTEN = datetime(2026, 5, 4, 9, 30, tzinfo=UTC)


def _head(outcome: AuditVerification) -> AuditHead:
    assert outcome.ok and outcome.newest is not None
    return AuditHead(**outcome.newest.model_dump(), written_at=WRITTEN)


def test_audit_head_then_verify_against_it(
    sqlite_database_url: str, isolated_home: Path, tmp_path: Path
) -> None:
    url = ("--database", sqlite_database_url)
    database = open_database(sqlite_database_url)
    try:
        fill_log(database, entries=12)
        newest = row_at(database, 12)
    finally:
        database.close()
    head_file = tmp_path / "head.json"

    wrote = run_spa_desk(*url, "audit", "head", "--out", str(head_file), home=isolated_home)
    assert wrote.returncode == 0, wrote.stderr
    assert wrote.stdout == f"Wrote the head of the audit log (entry 12) to {head_file}.\n"
    head = json.loads(head_file.read_text(encoding="utf-8"))
    assert set(head) == {"position", "id", "hash", "written_at"}
    assert (head["position"], head["id"], head["hash"]) == (12, str(newest.id), newest.hash)
    written_at = datetime.fromisoformat(head["written_at"])
    assert head["written_at"].endswith("Z")
    assert abs(datetime.now(UTC) - written_at) < timedelta(minutes=5)
    when = f"{written_at:%Y-%m-%d %H:%M} UTC"

    database = open_database(sqlite_database_url)
    try:
        for _ in range(2):
            add_entry(database, AuditAction.LOGIN_SUCCEEDED, None)
    finally:
        database.close()
    grown = run_spa_desk(*url, "audit", "verify", "--head", str(head_file), home=isolated_home)
    assert grown.returncode == 0, grown.stderr
    assert grown.stdout.splitlines() == [
        "Audit log intact: 14 entries (14 keyed, 0 older and unkeyed).",
        f"The head written {when} (entry 12) is still in place; 2 entries were added since.",
    ]

    database = open_database(sqlite_database_url)
    try:  # the newest three go, as someone with the table owner's rights could make them
        tamper(database, "DELETE FROM audit_events WHERE position >= 12")
    finally:
        database.close()
    plain = run_spa_desk(*url, "audit", "verify", home=isolated_home)
    assert plain.returncode == 0, plain.stderr  # the chain alone cannot tell
    caught = run_spa_desk(*url, "audit", "verify", "--head", str(head_file), home=isolated_home)
    assert caught.returncode == 1
    assert caught.stdout == ""
    assert caught.stderr == (
        f"Audit log NOT intact: the log ends at entry 11, but the head written {when} names "
        "entry 12: the log was shortened after the head was written.\n"
    )


def test_a_shortened_log_is_caught_by_its_head(database: Database) -> None:
    fill_log(database, entries=10)
    head = _head(verify(database))
    tamper(database, "DELETE FROM audit_events WHERE position = 10")
    assert verify(database).ok  # the chain alone cannot tell
    outcome = verify(database, head=head)
    assert not outcome.ok and outcome.first_bad_position == 10
    assert outcome.problem == (
        "the log ends at entry 9, but the head written 2026-05-04 09:30 UTC names entry 10: the "
        "log was shortened after the head was written"
    )


def test_a_log_rewritten_after_its_head_is_caught(database: Database) -> None:
    log = fill_log(database, entries=10)
    head = _head(verify(database))
    # Someone with the key and the table owner's rights replaces the newest entry with another,
    # correctly chained and keyed.
    tamper(database, "DELETE FROM audit_events WHERE position = 10")
    add_entry(database, AuditAction.PERSON_VIEWED, log.ben, entity_type="person")
    assert verify(database).ok
    outcome = verify(database, head=head)
    assert not outcome.ok and outcome.first_bad_position == 10
    assert outcome.problem == (
        "entry 10 is not the entry the head written 2026-05-04 09:30 UTC names: the log was "
        "re-written at or before entry 10"
    )


def test_a_log_that_only_grew_passes_its_head(database: Database) -> None:
    fill_log(database, entries=4)
    head = _head(verify(database))
    add_entry(database, AuditAction.LOGIN_FAILED, None)
    outcome = verify(database, head=head)
    assert outcome.ok and outcome.entries == 5
    assert outcome.newest is not None and outcome.newest.position == 5


def test_audit_head_refuses_an_empty_or_broken_log(
    sqlite_database_url: str, isolated_home: Path, tmp_path: Path
) -> None:
    url = ("--database", sqlite_database_url)
    head_file = tmp_path / "head.json"
    empty = run_spa_desk(*url, "audit", "head", "--out", str(head_file), home=isolated_home)
    assert empty.returncode == 1
    assert "The audit log has no entries yet: there is no head to write." in empty.stderr
    assert not head_file.exists()

    database = open_database(sqlite_database_url)
    try:
        fill_log(database, entries=5)
        tamper(database, "UPDATE audit_events SET action = 'login_failed' WHERE position = 2")
    finally:
        database.close()
    broken = run_spa_desk(*url, "audit", "head", "--out", str(head_file), home=isolated_home)
    assert broken.returncode == 1
    assert "Audit log NOT intact: entry 2 was changed" in broken.stderr
    assert "no head was written" in broken.stderr
    assert not head_file.exists() and "Traceback" not in broken.stderr


def test_a_bad_head_file_is_named(
    sqlite_database_url: str, isolated_home: Path, tmp_path: Path
) -> None:
    url = ("--database", sqlite_database_url)
    missing = tmp_path / "missing.json"
    garbled = tmp_path / "garbled.json"
    garbled.write_text('{"position": 3, "id": "not an id"}', encoding="utf-8")
    for path, words in (
        (missing, "cannot be read"),
        (garbled, "is not a head that spa-desk audit head wrote"),
    ):
        result = run_spa_desk(*url, "audit", "verify", "--head", str(path), home=isolated_home)
        assert result.returncode == 2, result.stderr
        assert f"The head file {path} {words}" in result.stderr
        assert "Traceback" not in result.stderr
