"""``spa-desk users add --stream``, ``users set-streams`` and ``spa-desk queue list [--stream]
[--json]`` (issue 12 items 1 and 7) as real processes."""

from __future__ import annotations

import json
from pathlib import Path

from spa_desk.access.login import authenticate
from spa_desk.database import open_database
from spa_desk.handoff.queue import hand_off
from spa_desk.vocabulary import HandoffKind, Role
from tests.cli_process import run_spa_desk
from tests.spa_desk.calls.helpers import RULES
from tests.spa_desk.handoff.test_handoff import HANDED, _user, fall_call


def test_streams_are_given_on_the_command_line(
    sqlite_database_url: str, isolated_home: Path
) -> None:
    url = ("--database", sqlite_database_url)
    first = run_spa_desk(
        *url, "users", "add", "boss", "--name", "Bo Boss", "--role", "administrator",
        home=isolated_home,
    )  # fmt: skip
    password = first.stdout.split("One-time password: ")[1].split()[0] + "\n"
    added = run_spa_desk(
        *url, "users", "add", "mo", "--name", "Mo Nurse", "--role", "practitioner",
        "--stream", "mental_health", "--stream", "health", "--as", "boss",
        stdin=password, home=isolated_home,
    )  # fmt: skip
    assert added.returncode == 0, added.stderr
    assert "Added 'mo' (Mo Nurse: Practitioner; streams: health, mental health)." in added.stdout
    every = run_spa_desk(
        *url, "users", "add", "al", "--name", "Al Nurse", "--role", "practitioner",
        "--as", "boss", stdin=password, home=isolated_home,
    )  # fmt: skip
    assert "streams: social care, health, mental health, hospital discharge" in every.stdout
    refused = run_spa_desk(
        *url, "users", "add", "cy", "--name", "Cy Handler", "--role", "call_handler",
        "--stream", "health", "--as", "boss", stdin=password, home=isolated_home,
    )  # fmt: skip
    assert refused.returncode == 1 and "Streams: only a practitioner works streams" in (
        refused.stderr
    )
    changed = run_spa_desk(
        *url, "users", "set-streams", "al", "--stream", "hospital_discharge", "--as", "boss",
        stdin=password, home=isolated_home,
    )  # fmt: skip
    assert changed.returncode == 0 and "'al' works: hospital discharge." in changed.stdout
    listed = run_spa_desk(*url, "users", "list", "--as", "boss", stdin=password,
                          home=isolated_home)  # fmt: skip
    assert "practitioner (health+mental_health)" in listed.stdout


def test_queue_list_prints_the_hand_offs_waiting(
    sqlite_database_url: str, isolated_home: Path
) -> None:
    database = open_database(sqlite_database_url)
    try:
        handler = _user(database, "handler", Role.CALL_HANDLER)
        first = hand_off(
            database,
            handler,
            fall_call(database, handler),
            RULES,
            HandoffKind.CALL_BACK,
            now=HANDED,
        )
        second = hand_off(
            database,
            handler,
            fall_call(database, handler, nhs_number=None),
            RULES,
            HandoffKind.WARM,
            now=HANDED,
        )
        assert authenticate(database, "handler", "pass phrase 1")
    finally:
        database.close()
    url = ("--database", sqlite_database_url)
    listed = run_spa_desk(*url, "queue", "list", "--json", home=isolated_home)
    assert listed.returncode == 0, listed.stderr
    rows = json.loads(listed.stdout)
    assert [row["id"] for row in rows] == [str(second.id), str(first.id)]  # warm is due first
    assert rows[0]["kind"] == "warm" and rows[1]["kind"] == "call-back"
    assert rows[0]["stream"] == "health" and rows[0]["attempts"] == 0
    assert rows[0]["due_at"] == "2026-03-02T10:19:00Z" and rows[0]["overdue"] is True
    assert rows[0]["waiting_since"] == "2026-03-02T10:04:00Z"
    assert "Jo" not in listed.stdout and "0770" not in listed.stdout
    table = run_spa_desk(*url, "queue", "list", "--stream", "health", home=isolated_home)
    assert table.returncode == 0 and str(first.id) in table.stdout and "OVERDUE" in table.stdout
    other = run_spa_desk(*url, "queue", "list", "--stream", "mental_health", home=isolated_home)
    assert other.stdout.strip() == "No hand-offs are waiting."
    bad = run_spa_desk(*url, "queue", "list", "--stream", "dentistry", home=isolated_home)
    assert bad.returncode == 2 and "invalid choice" in bad.stderr and "Traceback" not in bad.stderr
