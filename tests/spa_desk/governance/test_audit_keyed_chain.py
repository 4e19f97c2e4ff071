"""The keyed chain (SPEC 8): each entry's hash is an HMAC-SHA-256 made with the audit key, which is
kept outside the database, so someone who can write the table cannot recompute the chain; entries
from before the key keep their plain SHA-256 and are checked by it."""

from __future__ import annotations

from pathlib import Path

import pytest

from spa_desk.database import Database
from spa_desk.errors import KnownError
from spa_desk.governance.log import AuditAction
from spa_desk.governance.verify import verify
from tests.cli_process import run_spa_desk
from tests.spa_desk.governance.helpers import (
    OTHER_KEY,
    add_entry,
    all_rows,
    attacker_hash,
    fields_of,
    fill_log,
    key_id,
    keyed_hash,
    tamper,
)


def _rewrite_from(database: Database, first: int, *, hash_of: str, mark_unkeyed: bool) -> None:
    """Change entry ``first``'s action and recompute the hash and link of it and every entry after
    it, with the plain SHA-256 anyone can compute (or, ``hash_of="key"``, with the audit key)."""
    rows = all_rows(database)
    statements = []
    params: dict[str, str] = {}
    prev_hash = rows[first - 2].hash if first > 1 else "0" * 64
    for row in rows[first - 1 :]:
        fields = fields_of(row) | {"prev_hash": prev_hash}
        if row.position == first:
            fields["action"] = "report_signed"
        new_hash = keyed_hash(fields) if hash_of == "key" else attacker_hash(fields)
        n = row.position
        params |= {f"action{n}": fields["action"], f"prev{n}": prev_hash, f"hash{n}": new_hash}
        scheme = ", hash_scheme = 'sha256', key_id = NULL" if mark_unkeyed else ""
        statements.append(
            f"UPDATE audit_events SET action = :action{n}, prev_hash = :prev{n}, "
            f"hash = :hash{n}{scheme} WHERE position = {n}"
        )
        prev_hash = new_hash
    tamper(database, *statements, **params)


def test_entries_are_keyed_with_the_audit_key(database: Database) -> None:
    fill_log(database, entries=8)
    rows = all_rows(database)
    assert {(row.hash_scheme, row.key_id) for row in rows} == {("hmac-sha256", key_id())}
    for row in rows:
        assert row.hash == keyed_hash(fields_of(row))  # the documented algorithm, exactly
        assert row.hash != attacker_hash(fields_of(row))
    outcome = verify(database)
    assert outcome.ok and (outcome.entries, outcome.keyed, outcome.unkeyed) == (8, 8, 0)


def test_a_chain_rewritten_without_the_key_is_caught(database: Database) -> None:
    """Before the key, re-writing an entry and every hash after it went unnoticed."""
    fill_log(database)
    _rewrite_from(database, 17, hash_of="sha256", mark_unkeyed=False)
    outcome = verify(database)
    assert not outcome.ok
    assert outcome.first_bad_position == 17, outcome.problem
    assert outcome.problem is not None and "entry 17 was changed" in outcome.problem


def test_entries_passed_off_as_older_unkeyed_ones_are_caught(database: Database) -> None:
    fill_log(database)
    _rewrite_from(database, 17, hash_of="sha256", mark_unkeyed=True)
    outcome = verify(database)
    assert not outcome.ok and outcome.first_bad_position == 17
    assert outcome.problem == (
        "entry 17 has a plain, unkeyed hash but comes after keyed entries: it was written or "
        "re-written without the audit key"
    )


def test_only_someone_with_the_key_can_rewrite_the_chain(database: Database) -> None:
    """What the key cannot stop, an anchored head can (test_audit_head)."""
    fill_log(database)
    _rewrite_from(database, 17, hash_of="key", mark_unkeyed=False)
    assert verify(database).ok


def test_a_desk_with_another_key_may_not_append(
    database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    log = fill_log(database, entries=5)
    monkeypatch.setenv("SPA_DESK_AUDIT_KEY", OTHER_KEY.hex())
    with pytest.raises(KnownError) as refused:
        add_entry(database, AuditAction.LOGIN_SUCCEEDED, log.ada)
    message = str(refused.value)
    assert f"this desk's audit key (key id {key_id(OTHER_KEY)})" in message
    assert f"the key the audit log is kept with (key id {key_id()})" in message
    assert "SPA_DESK_AUDIT_KEY" in message
    assert len(all_rows(database)) == 5  # nothing appended

    outcome = verify(database)
    assert not outcome.ok and outcome.first_bad_position == 1
    assert outcome.problem == (
        f"entry 1 was keyed with another audit key (key id {key_id()}; this desk's is "
        f"{key_id(OTHER_KEY)}): this desk has the wrong audit key, or the entry was changed"
    )


def test_verify_without_the_key_says_so_in_words(
    database: Database, monkeypatch: pytest.MonkeyPatch, isolated_home: Path
) -> None:
    fill_log(database, entries=5)
    monkeypatch.delenv("SPA_DESK_AUDIT_KEY")
    outcome = verify(database)
    assert not outcome.ok and outcome.needs_key
    assert outcome.first_bad_position is None and outcome.entries == 0
    assert outcome.problem is not None
    assert outcome.problem.startswith(
        "entries 1 to 5 are keyed, and this desk has no audit key to check them"
    )
    key_file = isolated_home / ".config" / "spa-desk" / "audit.key"
    assert "SPA_DESK_AUDIT_KEY" in outcome.problem and str(key_file) in outcome.problem
    assert not key_file.exists()  # checking never makes a key of its own

    said = run_spa_desk("--database", database.url, "audit", "verify", home=isolated_home)
    assert said.returncode == 1 and said.stdout == ""
    assert said.stderr == f"Audit log cannot be verified: {outcome.problem}.\n"
    assert not key_file.exists()
