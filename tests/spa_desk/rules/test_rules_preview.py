"""The preview a manager sees before putting rules in force: the file's problems or cases, what
it changes, and how many of the last 30 days' contacts it would decide differently."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from spa_desk.calls.save import save_call
from spa_desk.database import Database
from spa_desk.domain import CurrentUser
from spa_desk.permissions import PermissionDenied
from spa_desk.rules.preview import preview, read_rule_file_for_desk, rule_changes
from spa_desk.vocabulary import ResolutionMethod, Role
from tests.spa_desk.calls.helpers import RULES, START, answered, new_draft, signed_in
from tests.spa_desk.rules.edited_rules import (
    another_version,
    isolation_soon,
    shipped,
    shipped_cases,
    with_chiropody,
    with_unknown_route,
)
from triage_rules import RuleSetError

NOW = START + timedelta(days=1)


def _resolved_call(
    database: Database, practitioner: CurrentUser, when_days_ago: float, **facts: object
) -> None:
    started = NOW - timedelta(days=when_days_ago)
    draft = answered(new_draft(started_at=started, answered_at=started, ended_at=started), **facts)
    draft = draft.model_copy(
        update={"resolve": True, "resolution_method": ResolutionMethod.INFORMATION_ADVICE}
    )
    save_call(database, practitioner, draft, RULES, now=started + timedelta(minutes=5))


def test_a_preview_counts_the_contacts_the_new_rules_would_decide_differently(
    database: Database,
) -> None:
    manager = signed_in(database, "morgan", Role.SPA_MANAGER)
    dana = signed_in(database, "dana", Role.PRACTITIONER)
    for days in (1, 5, 29):
        _resolved_call(database, dana, days, isolation=True)  # vcs routine now, soon with the new
    _resolved_call(database, dana, 2, medical_non_urgent=True)  # own GP either way
    _resolved_call(database, dana, 3, information_only=True)  # information either way
    _resolved_call(database, dana, 40, isolation=True)  # too long ago to count
    result = preview(database, manager, isolation_soon(), "isolation.yaml", now=NOW)
    assert (result.contacts, result.decided_differently, result.cannot_screen) == (5, 3, 0)
    assert result.changes.changed == ("row-9-vcs",)
    assert result.changes.added == () and result.changes.removed == ()
    example = result.examples[0]
    assert example.before == "social care stream: vcs (routine); may be resolved"
    assert example.after == "social care stream: vcs (soon); may be resolved"
    same = preview(database, manager, another_version(), "same.yaml", now=NOW)
    assert (same.contacts, same.decided_differently) == (5, 0)


def test_only_managers_preview(database: Database) -> None:
    handler = signed_in(database, "sam", Role.CALL_HANDLER)
    with pytest.raises(PermissionDenied):
        preview(database, handler, another_version(), "x.yaml", now=NOW)


def test_a_preview_refuses_rules_the_desk_cannot_use(database: Database) -> None:
    manager = signed_in(database, "morgan", Role.SPA_MANAGER)
    with pytest.raises(RuleSetError, match="podiatry"):
        preview(database, manager, with_unknown_route(), "podiatry.yaml", now=NOW)


def test_what_a_rule_file_adds_and_changes() -> None:
    changes = rule_changes(shipped(), with_chiropody())
    assert changes.added == ("chiropody_need", "row-12-chiropody", "sc-chiropody")
    assert changes.removed == () and changes.changed == ()


def test_a_rule_file_is_read_with_its_problems_or_its_cases(tmp_path: Path) -> None:
    sound = tmp_path / "sound.yaml"
    sound.write_bytes(another_version())
    (tmp_path / "sound.cases.yaml").write_bytes(shipped_cases())
    checked = read_rule_file_for_desk(sound)
    assert checked.sound and checked.case_count == 161 and checked.version == "spa-default 9.0.0"
    broken = tmp_path / "broken.yaml"
    broken.write_bytes(with_unknown_route())
    refused = read_rule_file_for_desk(broken)
    assert not refused.sound
    (problem,) = refused.problems
    assert (problem.line, problem.where) == (14, "vocabulary.routes[0]")
    assert "not one this desk knows" in problem.reason
    failing = tmp_path / "failing.yaml"
    failing.write_bytes(isolation_soon())
    (tmp_path / "failing.cases.yaml").write_bytes(shipped_cases())
    assert read_rule_file_for_desk(failing).failed_cases  # routine was expected
