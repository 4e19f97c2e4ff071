"""One source of truth for first-contact resolution (SPEC 4): the rule set's ``first_contact``
section decides for the desk's resolve option and for the save, so a manager who edits it changes
both; a non-data call is never resolvable."""

from __future__ import annotations

from pathlib import Path

import pytest

from spa_desk.calls.save import save_call
from spa_desk.calls.screening import resolvable, screening
from spa_desk.database import Database
from spa_desk.domain import RouteChoice
from spa_desk.errors import InvalidInput
from spa_desk.vocabulary import ResolutionMethod, Role, Route, Urgency
from tests.spa_desk.calls.helpers import NOW, RULES, answered, new_draft, signed_in
from triage_rules import RuleSet, load_ruleset_text
from triage_rules.loader import default_ruleset_path

VCS_ROUTINE = (RouteChoice(route=Route.VCS, urgency=Urgency.ROUTINE),)


def _rules_without_vcs_resolution() -> RuleSet:
    """The default rule set with one edit: a VCS referral no longer allows resolution."""
    text = default_ruleset_path().read_text("utf-8")
    edited = text.replace("    - {route: vcs}\n", "", 1)
    assert edited != text
    return load_ruleset_text(edited.encode("utf-8"), "edited.yaml")


def test_the_desk_asks_the_rule_set_whether_a_call_may_be_resolved() -> None:
    assert resolvable(RULES, "stream", VCS_ROUTINE)
    assert not resolvable(_rules_without_vcs_resolution(), "stream", VCS_ROUTINE)


def test_a_non_data_call_is_never_resolvable() -> None:
    assert not resolvable(RULES, "non_data", ())
    draft = new_draft(answers={"call_kind": "silent"})
    assert screening(RULES, draft).decision().resolvable_at_first_contact is False


def test_the_save_follows_the_edited_rule_set(database: Database, tmp_path: Path) -> None:
    practitioner = signed_in(database, "dana", Role.PRACTITIONER)
    isolated = answered(new_draft(), isolation=True)  # vcs at routine, on the social care stream
    edited = _rules_without_vcs_resolution()
    decision = screening(edited, isolated).decision()
    assert [(r.route, r.urgency) for r in decision.routes] == [("vcs", "routine")]
    resolving = isolated.model_copy(
        update={"resolve": True, "resolution_method": ResolutionMethod.INFORMATION_ADVICE}
    )
    with pytest.raises(InvalidInput, match="cannot be resolved at first contact"):
        save_call(database, practitioner, resolving, edited, now=NOW)
    saved = save_call(
        database, practitioner, resolving, RULES, now=NOW
    )  # the shipped rules allow it
    assert saved.summary.outcome is not None and saved.summary.outcome.value == "resolved"
