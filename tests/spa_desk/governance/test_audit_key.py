"""Where the audit key comes from: SPA_DESK_AUDIT_KEY (hex) when set, else ``audit.key`` in the
settings folder, made on first need with 32 random bytes for its owner only; problems in words."""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path

import pytest

from spa_desk.database import Database
from spa_desk.errors import KnownError
from spa_desk.governance.key import audit_key, existing_audit_key
from spa_desk.governance.verify import verify
from tests.spa_desk.governance.helpers import (
    TEST_KEY,
    all_rows,
    fields_of,
    fill_log,
    key_id,
    keyed_hash,
)


def _key_file(home: Path) -> Path:
    return home / ".config" / "spa-desk" / "audit.key"


def test_the_key_file_is_made_on_first_need_for_its_owner_only(
    database: Database, monkeypatch: pytest.MonkeyPatch, isolated_home: Path
) -> None:
    monkeypatch.delenv("SPA_DESK_AUDIT_KEY")
    path = _key_file(isolated_home)
    assert existing_audit_key() is None and not path.exists()

    fill_log(database, entries=3)

    text = path.read_text(encoding="ascii")
    assert re.fullmatch(r"[0-9a-f]{64}\n", text)  # 32 random bytes, as hex
    if os.name == "posix":
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    secret = bytes.fromhex(text)
    assert secret != TEST_KEY
    assert all(row.hash == keyed_hash(fields_of(row), secret) for row in all_rows(database))
    assert audit_key().key_id == key_id(secret)
    found = existing_audit_key()
    assert found is not None and found.key_id == key_id(secret)
    assert path.read_text(encoding="ascii") == text  # made once, then read
    assert verify(database).ok


def test_the_environment_comes_before_the_file(isolated_home: Path) -> None:
    assert audit_key().key_id == key_id(TEST_KEY)
    assert "SPA_DESK_AUDIT_KEY" in repr(audit_key()) and TEST_KEY.hex() not in repr(audit_key())
    assert not _key_file(isolated_home).exists()


@pytest.mark.parametrize("value", ["not hex at all", "ab" * 16, "abc"])
def test_a_bad_environment_key_is_refused_in_words(
    monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    monkeypatch.setenv("SPA_DESK_AUDIT_KEY", value)
    with pytest.raises(KnownError, match="SPA_DESK_AUDIT_KEY must hold at least 64 hex digits"):
        audit_key()
    with pytest.raises(KnownError, match="SPA_DESK_AUDIT_KEY"):
        existing_audit_key()


@pytest.mark.parametrize("content", ["", "short\n", "zz" * 32 + "\n"])
def test_a_damaged_key_file_is_refused_in_words(
    monkeypatch: pytest.MonkeyPatch, isolated_home: Path, content: str
) -> None:
    monkeypatch.delenv("SPA_DESK_AUDIT_KEY")
    path = _key_file(isolated_home)
    path.parent.mkdir(parents=True)
    path.write_text(content, encoding="ascii")
    path.chmod(0o600)
    with pytest.raises(KnownError) as refused:
        audit_key()
    assert str(refused.value) == (
        f"The audit key file {path} does not hold a key (64 or more hex digits). Put the SPA's "
        "audit.key there again."
    )


@pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")
def test_a_key_file_others_can_read_is_refused(
    monkeypatch: pytest.MonkeyPatch, isolated_home: Path
) -> None:
    monkeypatch.delenv("SPA_DESK_AUDIT_KEY")
    path = _key_file(isolated_home)
    path.parent.mkdir(parents=True)
    path.write_text(TEST_KEY.hex() + "\n", encoding="ascii")
    path.chmod(0o644)
    with pytest.raises(KnownError, match=re.escape(f"chmod 600 {path}")):
        audit_key()
