"""An independent reading of SPEC section 4 (the default routing procedure): a test oracle.

Written from the specification alone and deliberately not shared with the application, so the
screening engine, the shipped case file and the demo scenarios can all be checked against one
table that was not derived from the code under test.

Readings where SPEC 4 leaves room:

- in an emergency the added safeguarding route takes row 2's urgency (urgent when the adult is in
  danger now, else soon);
- on the hospital_discharge stream the floor lifts routine to soon and leaves ``resolved`` (no
  urgency) as it is;
- non-data calls have no routes and are never resolvable at first contact (SPEC 4: they are not
  about anyone's need, and FCR leaves them out);
- on the general and professional lines serious_injury, uncontrolled_symptoms,
  equipment_or_adaptation and the medical_* facts count as health facts (nursing, therapy,
  end-of-life and medical facts).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

Decision = tuple[str, str | None, list[tuple[str, str | None]], bool]
"""(level1, stream, routes as (route, urgency) in order, resolvable_at_first_contact)."""

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
INTEGER_FACTS = {"age"}
"""Integer-or-null facts."""

ALL_FACTS = BOOL_FACTS | set(SET_FACTS) | set(ENUM_FACTS) | INTEGER_FACTS
"""Every SPEC 9 fact name."""

NON_DATA_KINDS = ENUM_FACTS["call_kind"] - {"data"}
LEVEL1 = ("non_data", "emergency", "information", "stream")
STREAMS = ("social_care", "health", "mental_health", "hospital_discharge")
ROUTES = (
    "adult_social_care", "mental_health", "community_therapy", "community_nursing", "vcs",
    "safeguarding", "crisis_response", "own_gp", "hospice_eol", "emergency_999", "nhs_111",
    "resolved",
)  # fmt: skip
URGENCIES = ("emergency", "urgent", "soon", "routine")

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
    """The (route, urgency) each applying level-2 row (2 to 10) gives, in row order."""
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


def reference_decision(facts: Mapping[str, Any]) -> Decision:
    """SPEC 4 read independently: (level1, stream, routes, resolvable_at_first_contact)."""
    f = {"caller_type": "self", "line": "general", "call_kind": "data", **facts}
    stream: str | None = None
    routes: list[tuple[str, str | None]]
    if f["call_kind"] != "data":
        level1, routes = "non_data", []
    elif f.get("risk_to_life") or (f.get("fall_recent") and f.get("serious_injury")):
        level1, routes = "emergency", [("emergency_999", "emergency")]
        if f.get("abuse_or_neglect"):
            routes.append(("safeguarding", "urgent" if f.get("in_danger_now") else "soon"))
    else:
        rows = level2_rows(f)
        if f.get("information_only") and not rows:
            level1, routes = "information", [("resolved", None)]
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
    return level1, stream, routes, level1 != "non_data" and resolvable(routes)


def resolvable(routes: list[tuple[str, str | None]]) -> bool:
    """SPEC 4 "resolvable at first contact", read literally (true over no routes at all)."""
    return (
        all(u not in ("emergency", "urgent") for _, u in routes)
        and all(r != "safeguarding" for r, _ in routes)
        and all(
            r in ("resolved", "vcs", "own_gp")
            or (r in ("mental_health", "community_therapy") and u == "routine")
            for r, u in routes
        )
    )
