"""The demo call scenarios: SPEC 9 facts only, and each decision as SPEC 4 prescribes.

Decisions are checked against ``tests.triage_rules.reference``, an independent reading of SPEC
section 4 not shared with the application; the screening engine is checked against the same oracle.
"""

from __future__ import annotations

import pytest

from spa_desk.demo import mix
from spa_desk.demo.notes import SCENARIO_NOTES
from spa_desk.demo.scenario_types import CallScenario, ExpectedDecision, ScenarioGroup
from spa_desk.demo.scenarios import SCENARIOS, scenarios_in
from spa_desk.vocabulary import Level1, Line, Route, Stream, Urgency
from tests.triage_rules.reference import BOOL_FACTS, ENUM_FACTS, SET_FACTS, reference_decision


def as_tuple(
    decision: ExpectedDecision,
) -> tuple[str, str | None, list[tuple[str, str | None]], bool]:
    return (
        decision.level1.value,
        decision.stream.value if decision.stream else None,
        [(r.value, u.value if u else None) for r, u in decision.routes],
        decision.resolvable_at_first_contact,
    )


def cases() -> list[tuple[CallScenario, Line]]:
    return [(s, line) for s in SCENARIOS for line in s.lines]


@pytest.mark.parametrize(("scenario", "line"), cases(), ids=lambda v: getattr(v, "name", str(v)))
def test_each_scenario_decides_as_spec_section_4(scenario: CallScenario, line: Line) -> None:
    facts = {**scenario.facts_json(), "line": line.value}
    assert as_tuple(scenario.decision) == reference_decision(facts)


def test_the_reference_itself_on_spec_examples() -> None:
    assert reference_decision({"call_kind": "silent"}) == ("non_data", None, [], False)
    assert reference_decision({"suicidal_thoughts": True, "low_mood_or_anxiety": True}) == (
        "stream", "mental_health", [("mental_health", "soon")], False,
    )  # fmt: skip
    assert reference_decision({"line": "hospital_discharge", "equipment_or_adaptation": True})[
        2
    ] == [("community_therapy", "soon")]
    assert reference_decision({"isolation": True, "line": "health"})[:2] == ("stream", "health")
    assert reference_decision({"information_only": True, "isolation": True})[0] == "stream"


def test_facts_use_only_spec_section_9_names_and_values() -> None:
    for scenario in SCENARIOS:
        for name, value in scenario.facts_json().items():
            if name in BOOL_FACTS:
                assert value is True, (scenario.name, name)
            elif name in SET_FACTS:
                assert isinstance(value, list), (scenario.name, name)
                assert value, (scenario.name, name)
                assert set(value) <= SET_FACTS[name], (scenario.name, name)
            else:
                assert name in ENUM_FACTS, (scenario.name, name)
                assert value in ENUM_FACTS[name], (scenario.name, name)


def test_names_are_unique_and_every_scenario_has_a_note() -> None:
    names = [s.name for s in SCENARIOS]
    assert len(names) == len(set(names))
    assert set(names) == set(SCENARIO_NOTES)


def test_every_route_and_urgency_is_covered() -> None:
    used = {(r, u) for s in SCENARIOS for r, u in s.decision.routes}
    assert {r for r, _ in used} == set(Route)
    assert {u for _, u in used if u is not None} == set(Urgency)
    for group in mix.STREAM_GROUPS:
        stream_routes = {r for s in SCENARIOS if s.group is group for r, _ in s.decision.routes}
        assert len(stream_routes) >= 6, group


def test_each_group_decides_its_own_level1_and_stream() -> None:
    expected_level1 = {
        ScenarioGroup.NON_DATA: Level1.NON_DATA,
        ScenarioGroup.EMERGENCY: Level1.EMERGENCY,
        ScenarioGroup.INFORMATION: Level1.INFORMATION,
    }
    for s in SCENARIOS:
        if s.group in expected_level1:
            assert s.decision.level1 is expected_level1[s.group]
            assert s.decision.stream is None
        else:
            assert s.decision.level1 is Level1.STREAM
            assert s.decision.stream is Stream(s.group.value)


def test_every_line_and_group_in_the_mix_has_scenarios() -> None:
    for line, groups in mix.GROUP_WEIGHTS.items():
        for group, weight in groups.items():
            assert weight > 0
            assert scenarios_in(group, line), (line, group)


def test_resolvable_shares_allow_the_reference_fcr() -> None:
    chances = mix.resolve_probabilities()
    for (stream, out_of_hours), target in mix.FCR_TARGETS.items():
        chance = chances[(stream, out_of_hours)]
        assert 0 < chance < 1, (stream, out_of_hours)
        by_name = {s.name: s for s in SCENARIOS}
        shares = mix.scenario_shares(ScenarioGroup(stream.value))
        expected = sum(
            share * (1.0 if mix.always_resolved(by_name[name]) else chance)
            for name, share in shares.items()
            if by_name[name].decision.resolvable_at_first_contact
        )
        assert expected == pytest.approx(target)


def share_of(group: ScenarioGroup) -> float:
    return sum(
        mix.LINE_WEIGHTS[line] * groups.get(group, 0) / sum(groups.values())
        for line, groups in mix.GROUP_WEIGHTS.items()
    ) / sum(mix.LINE_WEIGHTS.values())


def test_non_data_and_emergencies_are_about_5_and_1_percent_on_every_line() -> None:
    assert 0.04 < share_of(ScenarioGroup.NON_DATA) < 0.06
    assert 0.008 < share_of(ScenarioGroup.EMERGENCY) < 0.013
    for groups in mix.GROUP_WEIGHTS.values():
        assert ScenarioGroup.NON_DATA in groups
        assert ScenarioGroup.EMERGENCY in groups
