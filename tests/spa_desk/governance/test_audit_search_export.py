"""Searching and exporting the audit log through the permission-checked functions (the only
public ones), and the audit command line."""

from __future__ import annotations

import ast
import csv
import io
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

import spa_desk
import spa_desk.governance
import spa_desk.governance.export
import spa_desk.governance.search
import ui
from spa_desk.database import Database, open_database
from spa_desk.domain import CurrentUser
from spa_desk.governance.export import export_csv_as
from spa_desk.governance.log import AuditAction
from spa_desk.governance.search import AuditEntry, search_as
from spa_desk.permissions import PermissionDenied
from spa_desk.vocabulary import Role
from tests.cli_process import run_spa_desk
from tests.spa_desk.governance.helpers import (
    ENTRIES,
    START,
    Log,
    add_entry,
    fill_log,
    row_at,
    tamper,
)


def _manager(log: Log) -> CurrentUser:
    """Ben, the log's SPA manager, at the desk (made directly: a log-in would add an entry)."""
    return CurrentUser(
        id=log.ben, username="ben.manager", display_name="Ben", roles=(Role.SPA_MANAGER,)
    )


def _handler(log: Log) -> CurrentUser:
    return CurrentUser(
        id=log.ada, username="ada.handler", display_name="Ada", roles=(Role.CALL_HANDLER,)
    )


def test_only_the_permission_checked_readers_are_public() -> None:
    for module, name in (
        (spa_desk.governance.export, "export_csv"),
        (spa_desk.governance.search, "search"),
        (spa_desk.governance.search, "iter_entries"),
        (spa_desk.governance.search, "user_id_named"),
    ):
        assert not hasattr(module, name), f"{module.__name__}.{name} is unchecked but public"
    for checked in ("search_as", "user_id_named_as"):
        assert hasattr(spa_desk.governance.search, checked)
    assert hasattr(spa_desk.governance.export, "export_csv_as")


def test_the_desk_reads_the_log_only_through_the_checked_functions() -> None:
    """No desk code outside the governance package imports an unchecked reader."""
    public = {"AuditEntry", "search_as", "user_id_named_as", "EXPORT_COLUMNS", "export_csv_as"}
    public.add("record_export")
    readers = {"spa_desk.governance.search", "spa_desk.governance.export"}
    governance = Path(spa_desk.governance.__file__).parent
    offenders = []
    for root in (Path(spa_desk.__file__).parent, Path(ui.__file__).parent):
        for path in sorted(root.rglob("*.py")):
            if path.parent == governance:
                continue
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.ImportFrom) and node.module in readers:
                    names = {alias.name for alias in node.names}
                    offenders += [f"{path}: {name}" for name in sorted(names - public)]
    assert offenders == []


def test_a_call_handler_may_not_read_the_log(database: Database) -> None:
    log = fill_log(database, entries=3)
    with pytest.raises(PermissionDenied, match="may not read the audit log"):
        search_as(database, _handler(log))
    with pytest.raises(PermissionDenied, match="may not read the audit log"):
        export_csv_as(database, _handler(log), io.StringIO())


def test_search_by_person_user_and_period(database: Database) -> None:
    log = fill_log(database)
    manager = _manager(log)

    def search(database: Database, **filters: Any) -> list[AuditEntry]:
        return search_as(database, manager, **filters)

    other_person = uuid.uuid4()
    add_entry(
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
    log = fill_log(database, entries=8)
    manager = _manager(log)

    def export_csv(database: Database, out: io.StringIO, **filters: Any) -> int:
        return export_csv_as(database, manager, out, **filters)

    add_entry(database, AuditAction.LOGIN_FAILED, None, details={"reason": "unknown user name"})
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
    second = row_at(database, 2)
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


def test_audit_command_line(sqlite_database_url: str, isolated_home: Path, tmp_path: Path) -> None:
    database = open_database(sqlite_database_url)
    log = fill_log(database, entries=12)
    # 23:30 UTC on 3 May is 00:30 on 4 May in London (summer time): it belongs to 4 May.
    add_entry(
        database, AuditAction.LOGIN_SUCCEEDED, log.ada, at=datetime(2026, 5, 3, 23, 30, tzinfo=UTC)
    )
    add_entry(
        database, AuditAction.LOGIN_SUCCEEDED, log.ada, at=datetime(2026, 5, 3, 22, 30, tzinfo=UTC)
    )
    database.close()
    url = ("--database", sqlite_database_url)
    as_ben = ("--as", "ben.manager")
    ben_password = "correct horse 2\n"

    intact = run_spa_desk(*url, "audit", "verify", home=isolated_home)
    assert intact.returncode == 0, intact.stderr
    assert intact.stdout.strip() == "Audit log intact: 14 entries (14 keyed, 0 older and unkeyed)."

    target = tmp_path / "audit.csv"
    exported = run_spa_desk(
        *url, "audit", "export", "--from", "2026-05-04", "--to", "2026-05-04",
        "--csv", str(target), "--user", "ada.handler", *as_ben, home=isolated_home,
        stdin=ben_password,
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
        "--csv", "-", "--person", str(log.person), *as_ben, home=isolated_home,
        stdin=ben_password,
    )  # fmt: skip
    assert person_rows.returncode == 0, person_rows.stderr
    assert len(list(csv.DictReader(io.StringIO(person_rows.stdout)))) == 6

    unknown = run_spa_desk(
        *url, "audit", "export", "--from", "2026-05-04", "--to", "2026-05-04",
        "--csv", "-", "--user", "nobody", *as_ben, home=isolated_home, stdin=ben_password,
    )  # fmt: skip
    assert unknown.returncode == 1 and "no user named 'nobody'" in unknown.stderr
    assert "Traceback" not in unknown.stderr

    period = ("--from", "2026-05-04", "--to", "2026-05-04", "--csv", "-")
    handler = run_spa_desk(
        *url, "audit", "export", *period, "--as", "ada.handler", home=isolated_home,
        stdin="correct horse 1\n",
    )  # fmt: skip
    assert handler.returncode == 1 and handler.stdout == ""
    assert "may not read the audit log" in handler.stderr
    wrong = run_spa_desk(
        *url, "audit", "export", *period, *as_ben, home=isolated_home, stdin="guess\n"
    )
    assert wrong.returncode == 1 and "Wrong user name or password." in wrong.stderr
    nobody = run_spa_desk(*url, "audit", "export", *period, home=isolated_home)
    assert nobody.returncode == 2 and "--as" in nobody.stderr

    database = open_database(sqlite_database_url)
    try:
        manager = _manager(log)
        recorded = [e for e in search_as(database, manager) if e.action == "audit_exported"]
        assert [e.details["rows"] for e in recorded] == [6, 9]
        assert recorded[1].details["user_id"] == str(log.ada)
        assert {e.user_id for e in recorded} == {log.ben}  # who exported
        by_ben = search_as(database, manager, user_id=log.ben, start=START + timedelta(days=1))
        since = [e.action for e in by_ben]  # what ben did on the command line
        assert sorted(since) == ["audit_exported"] * 2 + ["login_failed"] + ["login_succeeded"] * 3
        tamper(database, "UPDATE audit_events SET details = '{}' WHERE position = 5")
    finally:
        database.close()

    tampered = run_spa_desk(*url, "audit", "verify", home=isolated_home)
    assert tampered.returncode == 1
    assert tampered.stdout == ""
    assert "Audit log NOT intact: entry 5 was changed" in tampered.stderr
    assert "Traceback" not in tampered.stderr
