"""The demo call scenarios: SPEC 9 facts only, and each decision as SPEC 4 prescribes.

``reference_decision`` is a small, independent reading of SPEC section 4, written here and not
shared with the application, so a later screening engine can be checked against the same table.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pytest

from spa_desk.demo import mix
from spa_desk.demo.notes import SCENARIO_NOTES
from spa_desk.demo.scenario_types import CallScenario, ExpectedDecision, ScenarioGroup
from spa_desk.demo.scenarios import SCENARIOS, scenarios_in
from spa_desk.vocabulary import Level1, Line, Route, Stream, Urgency

BOOL_FACTS = {
    "out_of_hours", "information_only", "risk_to_life", "abuse_or_neglect", "in_danger_now",
    "suicidal_thoughts", "suicidal_plan_or_intent", "psychosis_signs", "low_mood_or_anxiety",
    "open_to_mental_health", "fall_recent", "serious_injury", "cannot_cope_at_home",
    "carer_breakdown", "end_of_life", "uncontrolled_symptoms", "catheter_blocked",
    "bleeding_wound", "mobility_decline", "falls_history", "equipment_or_adaptation",
    "rehab_after_discharge", "personal_care_need", "daily_living_need", "care_package_review",
    "care_home_placement", "carer_own_support", "isolation", "medical_non_urgent",
    "medical_urgent", "discharge_planned",
}  # fmt: skip
SET_FACTS = {
    "nursing_need": {"wound", "continence", "catheter", "injections", "palliative", "medication"},
    "practical_or_financial": {"benefits", "debt", "housing", "practical"},
}
ENUM_FACTS = {
    "caller_type": {"self", "family", "carer", "professional"},
    "professional_role": {
        "gp", "hospital", "ambulance", "police", "care_home", "vcs", "other", "none",
    },
    "line": {
        "general", "health", "social_care", "mental_health", "professional", "hospital_discharge",
    },
    "call_kind": {"data", "silent", "wrong_number", "hang_up", "abusive", "test"},
}  # fmt: skip
MENTAL_HEALTH_FACTS = (
    "suicidal_thoughts", "suicidal_plan_or_intent", "psychosis_signs", "low_mood_or_anxiety",
    "open_to_mental_health",
)  # fmt: skip
HEALTH_FACTS = (
    "nursing_need", "catheter_blocked", "bleeding_wound", "mobility_decline", "falls_history",
    "fall_recent", "serious_injury", "equipment_or_adaptation", "rehab_after_discharge",
    "end_of_life", "uncontrolled_symptoms", "medical_urgent", "medical_non_urgent",
)  # fmt: skip
"""Nursing, therapy, end-of-life and medical facts: they make a general-line call a health one."""

RANK = {"emergency": 0, "urgent": 1, "soon": 2, "routine": 3}


def level2_rows(f: Mapping[str, Any]) -> list[tuple[str, str]]:
    """The (route, urgency) each applying level-2 row gives, in row order."""
    rows: list[tuple[str, str]] = []
    if f.get("abuse_or_neglect"):
        rows.append(("safeguarding", "urgent" if f.get("in_danger_now") else "soon"))
    if f.get("suicidal_plan_or_intent") or f.get("psychosis_signs"):
        rows.append(("mental_health", "urgent"))
    if f.get("suicidal_thoughts"):
        rows.append(("mental_health", "soon"))
    if f.get("low_mood_or_anxiety") or f.get("open_to_mental_health"):
        rows.append(("mental_health", "routine"))
    if f.get("cannot_cope_at_home") or f.get("carer_breakdown"):
        rows.append(("crisis_response", "urgent"))
    if f.get("end_of_life"):
        rows.append(("hospice_eol", "urgent" if f.get("uncontrolled_symptoms") else "soon"))
    if f.get("nursing_need") or f.get("catheter_blocked") or f.get("bleeding_wound"):
        urgent = f.get("catheter_blocked") or f.get("bleeding_wound")
        rows.append(("community_nursing", "urgent" if urgent else "soon"))
    if any(
        f.get(k)
        for k in ("mobility_decline", "falls_history", "fall_recent", "rehab_after_discharge")
    ):
        rows.append(("community_therapy", "soon"))
    if f.get("equipment_or_adaptation"):
        rows.append(("community_therapy", "routine"))
    if f.get("personal_care_need") or f.get("care_home_placement"):
        rows.append(("adult_social_care", "soon"))
    if f.get("daily_living_need") or f.get("care_package_review"):
        rows.append(("adult_social_care", "routine"))
    if f.get("carer_own_support"):
        rows += [("vcs", "routine"), ("adult_social_care", "routine")]
    if f.get("isolation") or f.get("practical_or_financial"):
        rows.append(("vcs", "routine"))
    if f.get("medical_urgent"):
        rows.append(("nhs_111", "urgent"))
    if f.get("medical_non_urgent"):
        rows.append(("own_gp", "routine"))
    return rows


def reference_decision(
    facts: Mapping[str, Any],
) -> tuple[str, str | None, list[tuple[str, str | None]], bool]:
    """SPEC 4 read independently: (level1, stream, routes, resolvable_at_first_contact)."""
    f = {"caller_type": "self", "line": "general", "call_kind": "data", **facts}
    routes: list[tuple[str, str | None]]
    if f["call_kind"] != "data":
        level1, stream, routes = "non_data", None, []
    elif f.get("risk_to_life") or (f.get("fall_recent") and f.get("serious_injury")):
        level1, stream, routes = "emergency", None, [("emergency_999", "emergency")]
        if f.get("abuse_or_neglect"):
            routes.append(("safeguarding", "urgent" if f.get("in_danger_now") else "soon"))
    else:
        rows = level2_rows(f)
        if f.get("information_only") and not rows:
            level1, stream, routes = "information", None, [("resolved", None)]
        else:
            level1 = "stream"
            if f["line"] == "hospital_discharge" or f.get("discharge_planned"):
                stream = "hospital_discharge"
            elif f["line"] in ("social_care", "health", "mental_health"):
                stream = f["line"]
            elif any(f.get(k) for k in MENTAL_HEALTH_FACTS):
                stream = "mental_health"
            elif any(f.get(k) for k in HEALTH_FACTS):
                stream = "health"
            else:
                stream = "social_care"
            best: dict[str, str] = {}
            for route, urgency in rows:
                if route not in best or RANK[urgency] < RANK[best[route]]:
                    best[route] = urgency
            if stream == "hospital_discharge":
                best = {r: "soon" if u == "routine" else u for r, u in best.items()}
            routes = list(best.items()) if best else [("resolved", None)]
    resolvable = (
        all(u not in ("emergency", "urgent") for _, u in routes)
        and all(r != "safeguarding" for r, _ in routes)
        and all(
            r in ("resolved", "vcs", "own_gp")
            or (r in ("mental_health", "community_therapy") and u == "routine")
            for r, u in routes
        )
    )
    return level1, stream, routes, resolvable


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
    assert reference_decision({"call_kind": "silent"}) == ("non_data", None, [], True)
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
