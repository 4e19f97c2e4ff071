"""Demo data and the screening engine agree: every demo call scenario, on every line it may come
in on, gets from the default rule set exactly the decision the demo data stores for it."""

from __future__ import annotations

import pytest

from spa_desk.demo.scenarios import SCENARIOS
from triage_rules import default_ruleset, evaluate

CASES = [(scenario, line) for scenario in SCENARIOS for line in scenario.lines]


@pytest.mark.parametrize(
    ("scenario", "line"), CASES, ids=[f"{s.name}-{line.value}" for s, line in CASES]
)
def test_scenario_decision_is_the_engines(scenario: object, line: object) -> None:
    from spa_desk.demo.scenario_types import CallScenario
    from spa_desk.vocabulary import Line

    assert isinstance(scenario, CallScenario) and isinstance(line, Line)
    decision = evaluate(default_ruleset(), {**scenario.facts_json(), "line": line.value})
    expected = scenario.decision
    assert decision.level1 == expected.level1.value
    assert decision.stream == (expected.stream.value if expected.stream else None)
    assert [(r.route, r.urgency) for r in decision.routes] == [
        (route.value, urgency.value if urgency else None) for route, urgency in expected.routes
    ]
    assert decision.resolvable_at_first_contact == expected.resolvable_at_first_contact
