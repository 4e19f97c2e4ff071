"""A non-data call is never resolvable at first contact (SPEC 4), as the triage command says."""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli_process import run_spa_desk

NON_DATA = ("silent", "wrong_number", "hang_up", "abusive", "test")


def test_triage_says_a_non_data_call_is_not_resolvable(tmp_path: Path) -> None:
    for kind in NON_DATA:
        result = run_spa_desk(
            "triage", "--facts", "-", home=tmp_path, stdin=json.dumps({"call_kind": kind})
        )
        assert result.returncode == 0, result.stderr
        decision = json.loads(result.stdout)
        assert decision["level1"] == "non_data"
        assert decision["resolvable_at_first_contact"] is False, kind
        assert decision["trace"][-1]["rule"] == "first-contact"
