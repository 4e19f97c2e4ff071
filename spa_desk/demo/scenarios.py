"""The calls the demo desk takes: a weighted table of scenario templates (SPEC sections 4 and 9).

Each scenario is data: the facts a handler would establish (SPEC 9 names and values), the lines the
call may come in on, its weight within its group, and the decision the default routing procedure
(SPEC 4) gives for those facts on those lines, written out by hand: level 1, stream, the routes in
row order (each once, at its highest urgency; nothing below soon on the hospital discharge stream)
and whether the contact may be resolved at first contact. Facts the procedure does not look at
(caller type, age, out of hours) are added by the generator for each call.
"""

from __future__ import annotations

from spa_desk.demo.scenario_types import (
    ALL_LINES,
    CARER,
    E999,
    PROFESSIONAL,
    RESOLVED,
    SG,
    A,
    CallScenario,
    S,
    ScenarioGroup,
    U,
)
from spa_desk.demo.scenario_types import ScenarioRow as _Row
from spa_desk.demo.scenario_types import scenario_group as _group
from spa_desk.demo.stream_scenarios import (
    HEALTH_SCENARIOS,
    HOSPITAL_DISCHARGE_SCENARIOS,
    MENTAL_HEALTH_SCENARIOS,
    SOCIAL_CARE_SCENARIOS,
)
from spa_desk.vocabulary import Level1, Line

NON_DATA_SCENARIOS = _group(
    ScenarioGroup.NON_DATA,
    Level1.NON_DATA,
    None,
    ALL_LINES,
    [
        _Row("silent", 35, "call_kind=silent", [], False),
        _Row("wrong_number", 25, "call_kind=wrong_number", [], False),
        _Row("hang_up", 25, "call_kind=hang_up", [], False),
        _Row("abusive", 5, "call_kind=abusive", [], False),
        _Row("test", 10, "call_kind=test", [], False),
    ],
)
"""Level 1: calls with no data end at once, with no person and no routes."""


EMERGENCY_SCENARIOS = _group(
    ScenarioGroup.EMERGENCY,
    Level1.EMERGENCY,
    None,
    ALL_LINES,
    [
        _Row("not_breathing", 4, "risk_to_life", [(E999, A)], False),
        _Row("fall_serious_injury", 3, "fall_recent serious_injury", [(E999, A)], False),
        _Row(
            "overdose",
            1.5,
            "risk_to_life suicidal_plan_or_intent suicidal_thoughts",
            [(E999, A)],
            False,
        ),
        _Row("chest_pain", 1, "risk_to_life medical_urgent", [(E999, A)], False),
        _Row(
            "assault_in_danger",
            0.6,
            "risk_to_life abuse_or_neglect in_danger_now",
            [(E999, A), (SG, U)],
            False,
        ),
        _Row(
            "fall_found_neglected",
            0.4,
            "fall_recent serious_injury abuse_or_neglect",
            [(E999, A), (SG, S)],
            False,
        ),
    ],
)
"""Level 1: immediate risk to life goes to 999 at once, with safeguarding when abuse is reported."""


INFORMATION_SCENARIOS = _group(
    ScenarioGroup.INFORMATION,
    Level1.INFORMATION,
    None,
    ALL_LINES,
    [
        _Row("blue_badge", 3, "information_only", [RESOLVED], True),
        _Row("paying_for_care", 3, "information_only", [RESOLVED], True),
        _Row("day_centre", 2, "information_only", [RESOLVED], True),
        _Row("opening_hours", 2, "information_only", [RESOLVED], True),
        _Row("earlier_referral", 3, "information_only", [RESOLVED], True),
        _Row("carers_assessment_info", 2, "information_only", [RESOLVED], True, callers=CARER),
        _Row("service_address", 2, "information_only", [RESOLVED], True, callers=PROFESSIONAL),
    ],
)
"""Level 1: information requests for which no level-2 row applies."""


SCENARIOS: tuple[CallScenario, ...] = (
    *NON_DATA_SCENARIOS,
    *EMERGENCY_SCENARIOS,
    *INFORMATION_SCENARIOS,
    *SOCIAL_CARE_SCENARIOS,
    *HEALTH_SCENARIOS,
    *MENTAL_HEALTH_SCENARIOS,
    *HOSPITAL_DISCHARGE_SCENARIOS,
)
"""Every scenario the demo desk can take."""


def scenarios_in(group: ScenarioGroup, line: Line) -> tuple[CallScenario, ...]:
    """The scenarios of ``group`` that may come in on ``line``."""
    return tuple(s for s in SCENARIOS if s.group is group and line in s.lines)
