"""What demo handlers write: call summaries, outcome phrases, override and consent reasons, gaps.

All text is short, fictional and free of names, as real notes should be in a demo database.
"""

from __future__ import annotations

SCENARIO_NOTES: dict[str, str] = {
    "silent": "Silent call.",
    "wrong_number": "Wrong number.",
    "hang_up": "Caller hung up before speaking.",
    "abusive": "Abusive call ended.",
    "test": "Test call from the telephony team.",
    "not_breathing": "Person collapsed and not breathing normally.",
    "fall_serious_injury": "Fell today, cannot get up, suspected broken hip.",
    "overdose": "Has taken an overdose and says they want to die.",
    "chest_pain": "Sudden chest pain and breathlessness.",
    "assault_in_danger": "Being assaulted at home now; caller frightened.",
    "fall_found_neglected": "Found on the floor injured; home neglected, no food.",
    "blue_badge": "Asked how to apply for a blue badge.",
    "paying_for_care": "Asked how paying for care at home works.",
    "day_centre": "Asked for the contact details of a day centre.",
    "opening_hours": "Asked when the walk-in centre is open.",
    "earlier_referral": "Asked about the progress of an earlier referral.",
    "carers_assessment_info": "Asked what a carer's assessment involves.",
    "service_address": "Asked for the referral address of the falls service.",
    "loneliness": "Lives alone and rarely sees anyone; would like company.",
    "benefits": "Asking what benefits might help with care costs.",
    "debt": "Behind with bills since income dropped; worried about debt.",
    "housing": "Problems with the landlord and damp; asking about housing advice.",
    "practical_help": "Needs help with the garden and small jobs at home.",
    "lonely_and_money": "Isolated since a bereavement and unsure about pension credit.",
    "lunch_club": "Rang for a lunch club number; lonely since moving.",
    "no_new_needs": "Rang to check on things; no care needs identified.",
    "equipment_advice": "Asking where to buy a raised toilet seat and grab rails.",
    "shopping_and_meals": "Can no longer manage shopping and cooking.",
    "package_review": "Care package no longer meets needs; asks for a review.",
    "personal_care": "Struggling to wash and dress since a decline.",
    "care_home": "Family asking about a move into a care home.",
    "meals_and_lonely": "Not eating well and lonely.",
    "carers_assessment": "Carer exhausted and asking for support for themself.",
    "cannot_cope": "Cannot manage at home tonight; needs help with personal care.",
    "carer_in_hospital": "Main carer admitted to hospital; person left alone.",
    "neglect_concern": "Neighbour worried the person is being neglected.",
    "abuse_in_danger": "Person says a relative hits them and is in the house now.",
    "financial_abuse": "Money going missing; a lodger controls the bank card.",
    "personal_care_and_wound": "Needs help washing; a leg wound needs dressing.",
    "carer_low_mood": "Carer feeling low and asking for a break.",
    "end_of_life_care": "In the last weeks of life; family need help with care.",
    "falls_and_meals": "Several falls this year; struggling with meals.",
    "gp_matter": "Asking about a medication review and a repeat prescription.",
    "equipment": "Needs a perching stool and a bath board.",
    "gp_and_lonely": "Ongoing cough to mention to the GP; lonely at home.",
    "equipment_and_practical": "Needs a bed lever and help moving furniture.",
    "rash_question": "Rang for information about a rash of several weeks.",
    "nurse_visit_check": "Rang to check when the nurse is due; no new needs.",
    "leg_ulcer": "Leg ulcer needs regular dressings.",
    "continence": "Needs a continence assessment and products.",
    "catheter_care": "Catheter due for a change.",
    "catheter_blocked": "Catheter blocked and in pain.",
    "bleeding_wound": "Wound dressing soaked through with blood.",
    "injections": "Needs insulin injections at home.",
    "medication_support": "Needs help taking medication safely.",
    "palliative": "Palliative; family want nursing support at home.",
    "eol_symptoms": "End of life; pain not controlled tonight.",
    "mobility": "Walking has got much worse over a month.",
    "falls": "Three falls this year; frightened of falling.",
    "falls_and_washing": "Repeated falls; cannot get in the bath.",
    "fall_no_injury": "Fell yesterday, no injury, shaken.",
    "fall_cannot_cope": "Fell this morning and cannot cope at home.",
    "urgent_medical": "High temperature and confusion since this morning.",
    "rehab": "Home from hospital last week; needs rehabilitation.",
    "mobility_equipment": "Struggling on the stairs; asks for a second rail.",
    "wound_and_gp": "Wound needs dressing; also wants a GP review.",
    "cannot_cope_medication": "Cannot manage tablets and cannot cope at home.",
    "pressure_sore_neglect": "Pressure sore and concern about care by others.",
    "low_mood_and_wound": "Low since a wound would not heal.",
    "low_mood": "Feeling low and anxious for weeks; asks about talking therapies.",
    "known_needs_to_talk": "Known to the team; wanted to talk through a hard evening.",
    "low_mood_lonely": "Low and lonely since retiring.",
    "anxiety_and_debt": "Anxious about debts and not sleeping.",
    "known_low_mood": "Known to the team; mood lower this week.",
    "self_referral_question": "Asked how to refer themself for talking therapies.",
    "reassurance": "Rang for reassurance after a difficult day; no new needs.",
    "suicidal_thoughts": "Having thoughts of ending their life; no plan.",
    "known_suicidal_thoughts": "Known to the team; suicidal thoughts returning.",
    "suicidal_plan": "Has a plan to end their life this week.",
    "psychosis": "Hearing voices and very frightened.",
    "psychosis_carer_breakdown": "Unusual beliefs; carer says they can no longer cope.",
    "self_neglect": "Low mood and not looking after themself or the home.",
    "partner_abuse_in_danger": "Frightened of a partner who is at home now.",
    "low_mood_personal_care": "Low and no longer washing or dressing.",
    "anxiety_and_falls": "Anxious since repeated falls.",
    "discharge_personal_care": "Going home next week; will need help to wash and dress.",
    "discharge_rehab": "Going home tomorrow; needs rehabilitation.",
    "discharge_equipment": "Needs a commode and a frame before going home.",
    "discharge_wound": "Wound will need dressing after discharge.",
    "discharge_catheter": "Going home with a new catheter.",
    "discharge_restart_package": "Care package to restart on discharge.",
    "discharge_meals": "Will need help with meals once home.",
    "discharge_end_of_life": "Going home for end of life care; needs nursing and hospice.",
    "discharge_care_home": "Cannot return home; needs a care home on discharge.",
    "discharge_full_support": "Needs rehab, equipment and personal care once home.",
    "discharge_cannot_cope": "Discharged today and not coping at home.",
    "discharge_neglect": "Concern about care at home before the admission.",
    "discharge_low_mood": "Low mood on the ward; needs help washing once home.",
    "discharge_lonely": "Lives alone and will be isolated once home.",
    "discharge_gp_follow_up": "Needs a blood test at the GP after discharge.",
    "discharge_no_needs": "Discharge notified; no needs at home.",
    "discharge_team_rehab": "Home last week; discharge team asks for rehab.",
    "discharge_team_low_mood": "Low mood since going home; discharge team concerned.",
}
"""One line per scenario, as a handler would sum the call up."""

RESOLUTION_NOTES: dict[str, str] = {
    "information_advice": "Information and advice given.",
    "signposting": "Signposted to {service}.",
    "self_care": "Self-care advice given; to ring back if things change.",
    "equipment_practical": "Advised where to get equipment and how to use it safely.",
    "own_assets": "Agreed family and neighbours will help; to ring back if needed.",
}
"""The phrase a handler adds when a call is resolved at first contact."""

REFERRED_NOTE = "Referred: {routes}."
EMERGENCY_NOTE = "999 called while the caller stayed on the line."

OVERRIDE_RAISE_REASONS = (
    "Situation sounded worse than the answers show; urgency raised.",
    "Lives alone with no one visiting this week; urgency raised.",
    "Second call about this in a few days; urgency raised.",
)
OVERRIDE_ADD_REASONS = (
    "Isolated at home; befriending added.",
    "Carer struggling too; carer support added.",
)
OVERRIDE_LOWER_REASONS = (
    "Already known to the team with a visit booked; urgency lowered.",
    "Person prefers to wait for the planned review; urgency lowered.",
)

LAWFUL_BASIS_REASONS = (
    "Safeguarding concern: consent not sought to avoid increasing the risk.",
    "Vital interests: person unable to give consent at the time of the call.",
    "Person lacks capacity for this decision; acting in their best interests.",
)

SERVICE_GAPS: dict[str, tuple[tuple[str, str, float], ...]] = {
    "older": (
        ("chiropody for older people", "NHS chiropody for toenail cutting", 6),
        ("night sitting service", "Night sitting to give the carer sleep", 3),
        ("weekend dementia day care", "Dementia day care on Saturdays", 2),
        ("hearing aid home visits", "Home visit to fit and repair hearing aids", 1.5),
        ("bereavement support", "One-to-one bereavement support", 1),
    ),
    "younger": (
        ("befriending for younger adults", "Befriending for adults under 65", 3),
        ("hoarding support", "Practical support for hoarding", 2),
        ("bereavement support", "One-to-one bereavement support", 1.5),
        ("night sitting service", "Night sitting to give the carer sleep", 1),
    ),
}
"""Unmet needs by age group: (need, service asked for, weight). Chiropody for older people leads,
as in the reference SPA's own analysis."""
