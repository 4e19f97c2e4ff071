"""The demo calls that reach level 2: the social care, health, mental health and hospital
discharge streams' scenario templates (see :mod:`spa_desk.demo.scenarios`).
"""

from __future__ import annotations

from spa_desk.demo.scenario_types import (
    ALL_LINES,
    ASC,
    CARER,
    CN,
    CR,
    CT,
    E111,
    EOL,
    GP,
    HD_LINE,
    HEALTH_LINE,
    HEALTH_LINES,
    MENTAL_HEALTH_LINES,
    MH,
    MH_LINE,
    RESOLVED,
    SC_LINE,
    SG,
    SOCIAL_CARE_LINES,
    VCS,
    R,
    S,
    ScenarioGroup,
    U,
)
from spa_desk.demo.scenario_types import ScenarioRow as _Row
from spa_desk.demo.scenario_types import scenario_group as _group
from spa_desk.vocabulary import Level1, Stream

SOCIAL_CARE_SCENARIOS = _group(
    ScenarioGroup.SOCIAL_CARE,
    Level1.STREAM,
    Stream.SOCIAL_CARE,
    SOCIAL_CARE_LINES,
    [
        _Row("loneliness", 20, "isolation", [(VCS, R)], True),
        _Row("benefits", 18, "practical_or_financial=benefits", [(VCS, R)], True),
        _Row("debt", 10, "practical_or_financial=debt", [(VCS, R)], True),
        _Row("housing", 8, "practical_or_financial=housing", [(VCS, R)], True),
        _Row("practical_help", 12, "practical_or_financial=practical", [(VCS, R)], True),
        _Row(
            "lonely_and_money",
            6,
            "isolation practical_or_financial=benefits,practical",
            [(VCS, R)],
            True,
        ),
        _Row("lunch_club", 6, "information_only isolation", [(VCS, R)], True),
        _Row("no_new_needs", 12, "", [RESOLVED], True),
        _Row("equipment_advice", 10, "equipment_or_adaptation", [(CT, R)], True, lines=SC_LINE),
        _Row("shopping_and_meals", 3, "daily_living_need", [(ASC, R)], False),
        _Row("package_review", 3, "care_package_review", [(ASC, R)], False),
        _Row("personal_care", 3, "personal_care_need", [(ASC, S)], False),
        _Row("care_home", 1, "care_home_placement", [(ASC, S)], False),
        _Row("meals_and_lonely", 1, "daily_living_need isolation", [(ASC, R), (VCS, R)], False),
        _Row(
            "carers_assessment", 2, "carer_own_support", [(VCS, R), (ASC, R)], False, callers=CARER
        ),
        _Row(
            "cannot_cope", 1, "cannot_cope_at_home personal_care_need", [(CR, U), (ASC, S)], False
        ),
        _Row(
            "carer_in_hospital",
            0.7,
            "carer_breakdown personal_care_need daily_living_need",
            [(CR, U), (ASC, S)],
            False,
        ),
        _Row("neglect_concern", 1.2, "abuse_or_neglect", [(SG, S)], False),
        _Row("abuse_in_danger", 0.4, "abuse_or_neglect in_danger_now", [(SG, U)], False),
        _Row(
            "financial_abuse",
            0.7,
            "abuse_or_neglect practical_or_financial=debt",
            [(SG, S), (VCS, R)],
            False,
        ),
        _Row(
            "personal_care_and_wound",
            1.5,
            "personal_care_need nursing_need=wound",
            [(CN, S), (ASC, S)],
            False,
            lines=SC_LINE,
        ),
        _Row(
            "carer_low_mood",
            1,
            "carer_own_support low_mood_or_anxiety",
            [(MH, R), (VCS, R), (ASC, R)],
            False,
            lines=SC_LINE,
            callers=CARER,
        ),
        _Row(
            "end_of_life_care",
            0.5,
            "end_of_life personal_care_need",
            [(EOL, S), (ASC, S)],
            False,
            lines=SC_LINE,
        ),
        _Row(
            "falls_and_meals",
            1,
            "falls_history daily_living_need",
            [(CT, S), (ASC, R)],
            False,
            lines=SC_LINE,
        ),
    ],
)
"""Social care stream: mostly advice, signposting and VCS; some care, crisis and safeguarding."""


HEALTH_SCENARIOS = _group(
    ScenarioGroup.HEALTH,
    Level1.STREAM,
    Stream.HEALTH,
    HEALTH_LINES,
    [
        _Row("gp_matter", 14, "medical_non_urgent", [(GP, R)], True),
        _Row("equipment", 10, "equipment_or_adaptation", [(CT, R)], True),
        _Row("gp_and_lonely", 2, "medical_non_urgent isolation", [(VCS, R), (GP, R)], True),
        _Row(
            "equipment_and_practical",
            2,
            "equipment_or_adaptation practical_or_financial=practical",
            [(CT, R), (VCS, R)],
            True,
        ),
        _Row("rash_question", 2, "information_only medical_non_urgent", [(GP, R)], True),
        _Row("nurse_visit_check", 2, "", [RESOLVED], True, lines=HEALTH_LINE),
        _Row("leg_ulcer", 8, "nursing_need=wound", [(CN, S)], False),
        _Row("continence", 5, "nursing_need=continence", [(CN, S)], False),
        _Row("catheter_care", 3, "nursing_need=catheter", [(CN, S)], False),
        _Row("catheter_blocked", 3, "nursing_need=catheter catheter_blocked", [(CN, U)], False),
        _Row("bleeding_wound", 2, "nursing_need=wound bleeding_wound", [(CN, U)], False),
        _Row("injections", 3, "nursing_need=injections", [(CN, S)], False),
        _Row("medication_support", 3, "nursing_need=medication", [(CN, S)], False),
        _Row("palliative", 2, "end_of_life nursing_need=palliative", [(EOL, S), (CN, S)], False),
        _Row(
            "eol_symptoms",
            1,
            "end_of_life uncontrolled_symptoms nursing_need=palliative,medication",
            [(EOL, U), (CN, S)],
            False,
        ),
        _Row("mobility", 5, "mobility_decline", [(CT, S)], False),
        _Row("falls", 5, "falls_history", [(CT, S)], False),
        _Row(
            "falls_and_washing", 3, "falls_history personal_care_need", [(CT, S), (ASC, S)], False
        ),
        _Row("fall_no_injury", 3, "fall_recent", [(CT, S)], False),
        _Row("fall_cannot_cope", 2, "fall_recent cannot_cope_at_home", [(CR, U), (CT, S)], False),
        _Row("urgent_medical", 3, "medical_urgent", [(E111, U)], False),
        _Row("rehab", 2, "rehab_after_discharge", [(CT, S)], False),
        _Row("mobility_equipment", 2, "mobility_decline equipment_or_adaptation", [(CT, S)], False),
        _Row("wound_and_gp", 1, "nursing_need=wound medical_non_urgent", [(CN, S), (GP, R)], False),
        _Row(
            "cannot_cope_medication",
            1,
            "cannot_cope_at_home nursing_need=medication",
            [(CR, U), (CN, S)],
            False,
        ),
        _Row(
            "pressure_sore_neglect",
            1,
            "abuse_or_neglect nursing_need=wound",
            [(SG, S), (CN, S)],
            False,
        ),
        _Row(
            "low_mood_and_wound",
            1,
            "low_mood_or_anxiety nursing_need=wound",
            [(MH, R), (CN, S)],
            False,
            lines=HEALTH_LINE,
        ),
    ],
)
"""Health stream: mostly nursing and therapy referrals; GP matters and equipment advice resolve."""


MENTAL_HEALTH_SCENARIOS = _group(
    ScenarioGroup.MENTAL_HEALTH,
    Level1.STREAM,
    Stream.MENTAL_HEALTH,
    MENTAL_HEALTH_LINES,
    [
        _Row("low_mood", 14, "low_mood_or_anxiety", [(MH, R)], True),
        _Row("known_needs_to_talk", 18, "open_to_mental_health", [(MH, R)], True),
        _Row("low_mood_lonely", 5, "low_mood_or_anxiety isolation", [(MH, R), (VCS, R)], True),
        _Row(
            "anxiety_and_debt",
            4,
            "low_mood_or_anxiety practical_or_financial=debt",
            [(MH, R), (VCS, R)],
            True,
        ),
        _Row("known_low_mood", 6, "open_to_mental_health low_mood_or_anxiety", [(MH, R)], True),
        _Row("self_referral_question", 2, "information_only low_mood_or_anxiety", [(MH, R)], True),
        _Row("reassurance", 3, "", [RESOLVED], True, lines=MH_LINE),
        _Row("suicidal_thoughts", 4, "suicidal_thoughts", [(MH, S)], False),
        _Row(
            "known_suicidal_thoughts",
            3,
            "open_to_mental_health suicidal_thoughts",
            [(MH, S)],
            False,
        ),
        _Row("suicidal_plan", 2.5, "suicidal_thoughts suicidal_plan_or_intent", [(MH, U)], False),
        _Row("psychosis", 2, "psychosis_signs", [(MH, U)], False),
        _Row(
            "psychosis_carer_breakdown",
            0.8,
            "psychosis_signs carer_breakdown",
            [(MH, U), (CR, U)],
            False,
        ),
        _Row("self_neglect", 1, "abuse_or_neglect low_mood_or_anxiety", [(SG, S), (MH, R)], False),
        _Row(
            "partner_abuse_in_danger",
            0.4,
            "abuse_or_neglect in_danger_now low_mood_or_anxiety",
            [(SG, U), (MH, R)],
            False,
        ),
        _Row(
            "low_mood_personal_care",
            1,
            "low_mood_or_anxiety personal_care_need",
            [(MH, R), (ASC, S)],
            False,
        ),
        _Row(
            "anxiety_and_falls", 1, "low_mood_or_anxiety falls_history", [(MH, R), (CT, S)], False
        ),
    ],
)
"""Mental health stream: many known callers and talking-therapy enquiries; some crisis."""


HOSPITAL_DISCHARGE_SCENARIOS = _group(
    ScenarioGroup.HOSPITAL_DISCHARGE,
    Level1.STREAM,
    Stream.HOSPITAL_DISCHARGE,
    ALL_LINES,
    [
        _Row(
            "discharge_personal_care", 8, "discharge_planned personal_care_need", [(ASC, S)], False
        ),
        _Row("discharge_rehab", 8, "discharge_planned rehab_after_discharge", [(CT, S)], False),
        _Row(
            "discharge_equipment", 5, "discharge_planned equipment_or_adaptation", [(CT, S)], False
        ),
        _Row("discharge_wound", 4, "discharge_planned nursing_need=wound", [(CN, S)], False),
        _Row("discharge_catheter", 2, "discharge_planned nursing_need=catheter", [(CN, S)], False),
        _Row(
            "discharge_restart_package",
            6,
            "discharge_planned care_package_review",
            [(ASC, S)],
            False,
        ),
        _Row("discharge_meals", 3, "discharge_planned daily_living_need", [(ASC, S)], False),
        _Row(
            "discharge_end_of_life",
            2,
            "discharge_planned end_of_life nursing_need=palliative",
            [(EOL, S), (CN, S)],
            False,
        ),
        _Row("discharge_care_home", 2, "discharge_planned care_home_placement", [(ASC, S)], False),
        _Row(
            "discharge_full_support",
            4,
            "discharge_planned rehab_after_discharge equipment_or_adaptation personal_care_need",
            [(CT, S), (ASC, S)],
            False,
        ),
        _Row(
            "discharge_cannot_cope", 1.5, "discharge_planned cannot_cope_at_home", [(CR, U)], False
        ),
        _Row(
            "discharge_neglect",
            0.7,
            "discharge_planned abuse_or_neglect personal_care_need",
            [(SG, S), (ASC, S)],
            False,
        ),
        _Row(
            "discharge_low_mood",
            1,
            "discharge_planned low_mood_or_anxiety personal_care_need",
            [(MH, S), (ASC, S)],
            False,
        ),
        _Row("discharge_lonely", 2, "discharge_planned isolation", [(VCS, S)], True),
        _Row("discharge_gp_follow_up", 2, "discharge_planned medical_non_urgent", [(GP, S)], True),
        _Row("discharge_no_needs", 1.5, "discharge_planned", [RESOLVED], True),
        _Row("discharge_team_rehab", 3, "rehab_after_discharge", [(CT, S)], False, lines=HD_LINE),
        _Row("discharge_team_low_mood", 1, "low_mood_or_anxiety", [(MH, S)], False, lines=HD_LINE),
    ],
)
"""Hospital discharge stream: the line or discharge_planned; nothing less urgent than soon."""
