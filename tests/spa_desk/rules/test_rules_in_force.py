"""The rules in force are the SPA manager's (SPEC 4): put in force for every desk, audited, kept
and rolled back; refused in words when the desk could not use them; recorded on each contact."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from db.models import AuditEvent
from spa_desk.calls.save import save_call
from spa_desk.calls.screening import screening
from spa_desk.database import Database
from spa_desk.errors import KnownError
from spa_desk.permissions import PermissionDenied
from spa_desk.rules.in_force import kept_rule_sets, put_in_force, roll_back, rules_in_force
from spa_desk.vocabulary import ResolutionMethod, Role
from tests.cli_process import run_spa_desk
from tests.spa_desk.calls.helpers import NOW, contact_row, new_draft, signed_in
from tests.spa_desk.rules.edited_rules import (
    another_version,
    shipped_cases,
    with_chiropody,
    with_unknown_route,
)
from triage_rules import default_ruleset

LATER = NOW + timedelta(hours=1)


def _changes(database: Database) -> list[dict[str, object]]:
    with database.sessions() as session:
        rows = session.scalars(
            select(AuditEvent.details)
            .where(AuditEvent.action == "ruleset_changed")
            .order_by(AuditEvent.position)
        ).all()
    return [dict(row) for row in rows]


def test_the_shipped_rules_are_in_force_until_a_manager_changes_them(database: Database) -> None:
    assert rules_in_force(database) is default_ruleset()


def test_a_manager_puts_rules_in_force_for_every_desk_and_it_is_audited(
    database: Database,
) -> None:
    manager = signed_in(database, "morgan", Role.SPA_MANAGER)
    info = put_in_force(database, manager, another_version(), "spa-9.yaml", shipped_cases())
    assert (info.version, info.in_force, info.added_by) == ("9.0.0", True, "Morgan")
    in_force = rules_in_force(database)
    assert (in_force.version, in_force.sha256) == ("9.0.0", info.sha256)
    (change,) = _changes(database)
    assert change["change"] == "put in force"
    assert (change["from_version"], change["to_version"]) == ("1.2.0", "9.0.0")
    assert [k.version for k in kept_rule_sets(database, manager)] == ["9.0.0"]
    with pytest.raises(KnownError, match="already in force"):
        put_in_force(database, manager, another_version(), "again.yaml")


def test_only_managers_change_the_rules(database: Database) -> None:
    handler = signed_in(database, "sam", Role.CALL_HANDLER)
    with pytest.raises(PermissionDenied):
        put_in_force(database, handler, another_version(), "spa-9.yaml")
    assert rules_in_force(database) is default_ruleset()


def test_a_route_the_desk_does_not_know_is_refused_in_words(database: Database) -> None:
    manager = signed_in(database, "morgan", Role.SPA_MANAGER)
    with pytest.raises(KnownError) as refused:
        put_in_force(database, manager, with_unknown_route(), "podiatry.yaml")
    words = str(refused.value)
    assert "refused" in words and "the rules in force are unchanged" in words
    assert "podiatry.yaml:14: vocabulary.routes[0]: the route 'podiatry' is not one" in words
    assert rules_in_force(database) is default_ruleset()
    assert _changes(database) == []


def test_rules_check_refuses_a_route_the_desk_does_not_know(tmp_path: object) -> None:
    from pathlib import Path

    folder = Path(str(tmp_path))
    rules = folder / "podiatry.yaml"
    rules.write_bytes(with_unknown_route())
    result = run_spa_desk("rules", "check", str(rules), home=folder)
    assert result.returncode == 2
    assert "the route 'podiatry' is not one this desk knows" in result.stderr
    assert "Traceback" not in result.stderr


def test_failing_cases_keep_the_rules_in_force(database: Database) -> None:
    manager = signed_in(database, "morgan", Role.SPA_MANAGER)
    broken_cases = shipped_cases().replace(
        b"resolvable_at_first_contact: false", b"resolvable_at_first_contact: true", 1
    )
    with pytest.raises(KnownError, match="cases do not all pass"):
        put_in_force(database, manager, another_version(), "spa-9.yaml", broken_cases)
    assert rules_in_force(database) is default_ruleset()


def test_an_earlier_rule_set_goes_back_in_force_audited(database: Database) -> None:
    manager = signed_in(database, "morgan", Role.SPA_MANAGER)
    first = put_in_force(database, manager, another_version("9.0.0"), "a.yaml", now=NOW)
    put_in_force(database, manager, another_version("9.0.1"), "b.yaml", now=LATER)
    assert rules_in_force(database).version == "9.0.1"
    back = roll_back(database, manager, first.id, now=LATER + timedelta(minutes=5))
    assert back.in_force and rules_in_force(database).version == "9.0.0"
    assert [c["change"] for c in _changes(database)] == ["put in force"] * 2 + ["rolled back"]
    kept = {k.version: k.in_force for k in kept_rule_sets(database, manager)}
    assert kept == {"9.0.0": True, "9.0.1": False}
    with pytest.raises(KnownError, match="the one in force"):
        roll_back(database, manager, first.id)


def test_each_contact_records_the_rules_it_was_screened_with(database: Database) -> None:
    manager = signed_in(database, "morgan", Role.SPA_MANAGER)
    practitioner = signed_in(database, "dana", Role.PRACTITIONER)
    put_in_force(database, manager, another_version(), "spa-9.yaml")
    rules = rules_in_force(database)
    draft = new_draft(answers={"call_kind": "silent"})
    save_call(database, practitioner, draft, rules, now=NOW)
    stored = contact_row(database, draft.contact_id)
    assert (stored.ruleset_id, stored.ruleset_version, stored.ruleset_sha256) == (
        "spa-default",
        "9.0.0",
        rules.sha256,
    )


def test_a_rule_set_with_a_new_fact_and_question_works_with_no_code_change(
    database: Database,
) -> None:
    manager = signed_in(database, "morgan", Role.SPA_MANAGER)
    practitioner = signed_in(database, "dana", Role.PRACTITIONER)
    put_in_force(database, manager, with_chiropody(), "chiropody.yaml")
    rules = rules_in_force(database)
    asked = []
    draft = new_draft(answers={"call_kind": "data", "caller_type": "self"})
    session = screening(rules, draft)
    while (step := session.next_question()) is not None:
        asked.append(step.question.id)
        fact = step.question.fact
        value: object = fact.name == "chiropody_need" or fact.empty
        session.answer(fact.name, sorted(value) if isinstance(value, frozenset) else value)
    assert "sc-chiropody" in asked
    decision = session.decision()
    assert [(r.route, r.urgency) for r in decision.routes] == [("vcs", "routine")]
    answers = {
        name: sorted(value) if isinstance(value, frozenset) else value
        for name, value in session.answers.items()
    }
    resolved = draft.model_copy(
        update={
            "answers": answers,
            "resolve": True,
            "resolution_method": ResolutionMethod.INFORMATION_ADVICE,
        }
    )
    save_call(database, practitioner, resolved, rules, now=NOW)
    stored = contact_row(database, draft.contact_id)
    assert stored.facts["chiropody_need"] is True
    assert stored.final_routes == [{"route": "vcs", "urgency": "routine"}]
