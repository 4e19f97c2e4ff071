"""Each kind of broken rule file is refused with a message naming the file, the line and the
problem in words; the rule set in force stays in force."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.triage_rules.broken_files import default_text, line_of, write_broken
from triage_rules import RuleSetError, default_ruleset, load_ruleset
from triage_rules.in_force import RulesInForce


def _refused(path: Path) -> str:
    with pytest.raises(RuleSetError) as caught:
        load_ruleset(path)
    return str(caught.value)


def _assert_names(message: str, path: Path, line: int, *phrases: str) -> None:
    assert f"{path}:{line}:" in message, message
    for phrase in phrases:
        assert phrase in message, message


def test_the_shipped_rule_set_is_valid() -> None:
    ruleset = default_ruleset()
    assert (ruleset.id, ruleset.version) == ("spa-default", "1.2.0")
    assert len(ruleset.sha256) == 64
    assert set(ruleset.facts) >= {"caller_type", "line", "call_kind", "nursing_need", "age"}


def test_unknown_fact_in_a_condition(tmp_path: Path) -> None:
    path, text = write_broken(
        tmp_path, "when: {fact: carer_own_support}", "when: {fact: carer_own_suport}"
    )
    message = _refused(path)
    _assert_names(
        message,
        path,
        line_of(text, "carer_own_suport"),
        "level2.rules[11].when.fact",
        "unknown fact 'carer_own_suport'",
    )


def test_wrong_type_in_a_condition(tmp_path: Path) -> None:
    path, text = write_broken(
        tmp_path,
        "when: {fact: end_of_life}\n      routes:",
        "when: {fact: end_of_life, is: sometimes}\n      routes:",
    )
    message = _refused(path)
    _assert_names(
        message,
        path,
        line_of(text, "is: sometimes"),
        "fact 'end_of_life' (bool)",
        "not true or false",
    )


def test_unknown_route(tmp_path: Path) -> None:
    path, text = write_broken(
        tmp_path,
        "routes: [{route: nhs_111, urgency: urgent}]",
        "routes: [{route: nhs_112, urgency: urgent}]",
    )
    message = _refused(path)
    _assert_names(message, path, line_of(text, "nhs_112"), "unknown route 'nhs_112'", "route")


def test_unknown_urgency(tmp_path: Path) -> None:
    path, text = write_broken(
        tmp_path,
        "routes: [{route: own_gp, urgency: routine}]",
        "routes: [{route: own_gp, urgency: whenever}]",
    )
    message = _refused(path)
    _assert_names(message, path, line_of(text, "whenever"), "unknown urgency 'whenever'")


def test_question_that_can_never_be_asked(tmp_path: Path) -> None:
    path, text = write_broken(
        tmp_path,
        "ask_when: {fact: abuse_or_neglect}",
        "ask_when: {all: [{fact: abuse_or_neglect}, {not: {fact: abuse_or_neglect}}]}",
    )
    message = _refused(path)
    _assert_names(
        message,
        path,
        line_of(text, "{not: {fact: abuse_or_neglect}}"),
        "question 'q-in-danger' can never be asked",
    )


def test_question_asked_twice_can_never_be_asked_the_second_time(tmp_path: Path) -> None:
    path, text = write_broken(
        tmp_path,
        "- {id: h-falls-history, fact: falls_history,",
        "- {id: h-falls-history, fact: mobility_decline,",
    )
    message = _refused(path)
    _assert_names(
        message,
        path,
        line_of(text, "id: h-falls-history"),
        "question 'h-falls-history' can never be asked",
        "'h-mobility' before it already sets 'mobility_decline'",
    )


def test_a_checklist_box_set_twice_is_named(tmp_path: Path) -> None:
    box = "        - {fact: fall_recent, label: A fall in the last three days}\n"
    path, text = write_broken(tmp_path, box, box + box)  # the fuzz test's repeated line
    message = _refused(path)
    _assert_names(
        message, path, line_of(text, box.strip()) + 1, "another box of this checklist sets"
    )


def test_duplicate_rule_id(tmp_path: Path) -> None:
    path, text = write_broken(tmp_path, "- id: row-10b-own-gp", "- id: row-10a-nhs-111")
    message = _refused(path)
    second = text.splitlines().index("    - id: row-10a-nhs-111", line_of(text, "row-10a-nhs-111"))
    _assert_names(message, path, second + 1, "duplicate rule id 'row-10a-nhs-111'")


def test_rule_that_can_never_fire(tmp_path: Path) -> None:
    path, text = write_broken(
        tmp_path,
        "when: {fact: medical_urgent}",
        "when: {all: [{fact: line, is: health}, {fact: line, is: mental_health}]}",
    )
    message = _refused(path)
    _assert_names(
        message,
        path,
        line_of(text, "{fact: line, is: mental_health}]}"),
        "rule 'row-10a-nhs-111' can never fire",
    )


def test_rule_shadowed_by_a_catch_all_can_never_fire(tmp_path: Path) -> None:
    path, text = write_broken(
        tmp_path,
        "      when: {any: [{fact: line, is: hospital_discharge}, {fact: discharge_planned}]}\n",
        "",
    )
    message = _refused(path)
    assert "rule 'stream-social-care-line' can never fire" in message
    assert "'stream-hospital-discharge' before it has no 'when'" in message
    _assert_names(message, path, line_of(text, "id: stream-social-care-line"))


def test_unknown_key_is_not_silently_ignored(tmp_path: Path) -> None:
    path, text = write_broken(tmp_path, "  floors:\n", "  flors:\n")
    message = _refused(path)
    _assert_names(message, path, line_of(text, "flors:"), "level2.flors", "unknown key 'flors'")


def test_missing_key(tmp_path: Path) -> None:
    path, _ = write_broken(tmp_path, 'version: "1.2.0"\n', "")
    message = _refused(path)
    assert f"{path}:" in message and "missing required key 'version'" in message


def test_invalid_yaml(tmp_path: Path) -> None:
    path, text = write_broken(tmp_path, "  urgencies: [emergency,", "  urgencies: [emergency,,")
    message = _refused(path)
    _assert_names(message, path, line_of(text, "[emergency,,"), "not valid YAML")


def test_duplicate_key(tmp_path: Path) -> None:
    path, text = write_broken(tmp_path, "title: Default", "version: again\ntitle: Default")
    message = _refused(path)
    _assert_names(message, path, line_of(text, "version: again"), "key 'version' appears twice")


def test_missing_file(tmp_path: Path) -> None:
    message = _refused(tmp_path / "nowhere.yaml")
    assert "nowhere.yaml" in message and "cannot read it" in message


def test_every_problem_is_listed(tmp_path: Path) -> None:
    text = default_text().replace("urgency: routine}]", "urgency: sometime}]")
    path = tmp_path / "many.yaml"
    path.write_text(text, encoding="utf-8")
    message = _refused(path)
    assert message.count("unknown urgency 'sometime'") == text.count("urgency: sometime}]") > 3


def test_broken_file_leaves_the_rules_in_force(tmp_path: Path) -> None:
    in_force = RulesInForce(default_ruleset())
    before = in_force.ruleset
    path, _ = write_broken(tmp_path, "route: nhs_111,", "route: nhs_112,")
    with pytest.raises(RuleSetError):
        in_force.replace_from(path)
    assert in_force.ruleset is before


def test_a_sound_file_replaces_the_rules_in_force(tmp_path: Path) -> None:
    in_force = RulesInForce(default_ruleset())
    path, _ = write_broken(tmp_path, 'version: "1.2.0"', 'version: "1.2.1"')
    replaced = in_force.replace_from(path)
    assert in_force.ruleset is replaced and replaced.version == "1.2.1"
    assert replaced.sha256 != default_ruleset().sha256
