"""The shipped case file of the default rule set: sound in itself, right by SPEC 4, and met by
the engine.

The file and oracle tests need nothing from the engine, so they run (and must pass) on their own;
only ``test_engine_matches_each_case`` imports ``triage_rules``' evaluator.
"""

from __future__ import annotations

from functools import cache
from importlib.resources import files
from typing import TYPE_CHECKING, Any

import pytest
import yaml

from tests.triage_rules.reference import (
    ALL_FACTS,
    BOOL_FACTS,
    ENUM_FACTS,
    INTEGER_FACTS,
    LEVEL1,
    NON_DATA_KINDS,
    ROUTES,
    SET_FACTS,
    STREAMS,
    URGENCIES,
    Decision,
    reference_decision,
)

if TYPE_CHECKING:
    from triage_rules import RuleSet

CASES_RESOURCE = files("triage_rules") / "rulesets" / "spa-default.cases.yaml"
EXPECT_KEYS = {"level1", "stream", "routes", "resolvable_at_first_contact"}


def load_case_file() -> dict[str, Any]:
    document = yaml.safe_load(CASES_RESOURCE.read_text(encoding="utf-8"))
    assert isinstance(document, dict)
    return document


CASE_FILE = load_case_file()
CASES: list[dict[str, Any]] = CASE_FILE["cases"]


def expected(case: dict[str, Any]) -> Decision:
    expect = case["expect"]
    return (
        expect["level1"],
        expect["stream"],
        [(r["route"], r["urgency"]) for r in expect["routes"]],
        expect["resolvable_at_first_contact"],
    )


by_case = pytest.mark.parametrize("case", CASES, ids=[case["name"] for case in CASES])


def test_the_file_is_for_the_default_ruleset_and_has_enough_cases() -> None:
    assert set(CASE_FILE) == {"ruleset", "cases"}
    assert CASE_FILE["ruleset"] == "spa-default"
    assert len(CASES) >= 110


def test_case_names_are_unique_plain_words() -> None:
    names = [case["name"] for case in CASES]
    assert len(names) == len(set(names))
    for name in names:
        assert isinstance(name, str)
        assert name == name.strip()
        assert len(name.split()) >= 3, name


@by_case
def test_case_is_well_formed(case: dict[str, Any]) -> None:
    assert set(case) == {"name", "facts", "expect"}
    assert set(case["expect"]) == EXPECT_KEYS
    for route in case["expect"]["routes"]:
        assert set(route) == {"route", "urgency"}
    assert isinstance(case["expect"]["resolvable_at_first_contact"], bool)


@by_case
def test_case_uses_only_spec_section_9_facts_and_values(case: dict[str, Any]) -> None:
    facts = case["facts"]
    assert isinstance(facts, dict)
    assert set(facts) <= ALL_FACTS, set(facts) - ALL_FACTS
    for name, value in facts.items():
        if name in BOOL_FACTS:
            assert isinstance(value, bool), name
        elif name in SET_FACTS:
            assert isinstance(value, list), name
            assert len(value) == len(set(value)), name
            assert set(value) <= SET_FACTS[name], name
        elif name in ENUM_FACTS:
            assert value in ENUM_FACTS[name], name
        else:
            assert name in INTEGER_FACTS
            assert value is None or (isinstance(value, int) and not isinstance(value, bool))


def test_every_level1_stream_route_and_urgency_is_expected_somewhere() -> None:
    decisions = [expected(case) for case in CASES]
    assert {level1 for level1, _, _, _ in decisions} == set(LEVEL1)
    assert {stream for _, stream, _, _ in decisions} == {*STREAMS, None}
    used = [pair for _, _, routes, _ in decisions for pair in routes]
    assert {route for route, _ in used} == set(ROUTES)
    assert {urgency for _, urgency in used} == {*URGENCIES, None}
    assert {resolvable for _, _, _, resolvable in decisions} == {True, False}


def test_every_non_data_call_kind_has_a_case() -> None:
    kinds = {case["facts"].get("call_kind") for case in CASES}
    assert kinds >= NON_DATA_KINDS


def test_every_line_is_used() -> None:
    lines = {case["facts"].get("line", "general") for case in CASES}
    assert lines == ENUM_FACTS["line"]


def test_the_empty_fact_object_is_a_case() -> None:
    empty = [case for case in CASES if case["facts"] == {}]
    assert [expected(case) for case in empty] == [
        ("stream", "social_care", [("resolved", None)], True)
    ]


@by_case
def test_case_expects_what_spec_section_4_prescribes(case: dict[str, Any]) -> None:
    assert expected(case) == reference_decision(case["facts"])


@cache
def shipped_ruleset() -> RuleSet:
    from triage_rules import default_ruleset

    return default_ruleset()


@by_case
def test_engine_matches_each_case(case: dict[str, Any]) -> None:
    from triage_rules import evaluate

    decision = evaluate(shipped_ruleset(), case["facts"])
    got = (
        decision.level1,
        decision.stream,
        [(r.route, r.urgency) for r in decision.routes],
        decision.resolvable_at_first_contact,
    )
    assert got == expected(case)
    assert decision.trace
