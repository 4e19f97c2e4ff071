"""Every audit log test runs with a known audit key (SPA_DESK_AUDIT_KEY), so that the tests can
compute the documented keyed hash themselves; the key tests take it away again."""

from __future__ import annotations

import pytest

from tests.spa_desk.governance.helpers import TEST_KEY


@pytest.fixture(autouse=True)
def audit_key_in_environment(monkeypatch: pytest.MonkeyPatch) -> str:
    """SPA_DESK_AUDIT_KEY set to the tests' key, for this process and the commands it runs."""
    monkeypatch.setenv("SPA_DESK_AUDIT_KEY", TEST_KEY.hex())
    return TEST_KEY.hex()
