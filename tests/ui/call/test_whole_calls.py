"""Whole calls driven through the real desk, as a handler drives it: keyboard first.

Each test asserts on what the handler sees and on what is stored.
"""

from __future__ import annotations

import uuid

from PySide6.QtCore import Qt

from db.models import Caller, Service
from spa_desk.governance.search import _search as search
from tests.ui.call_desk import LEVEL1_SELF, NOW, DeskFactory, referrals, saved_one


def test_wrong_number_closes_in_two_keystrokes(desk_for: DeskFactory) -> None:
    desk = desk_for("handler")
    call = desk.new_call()
    screen = call.screen
    assert desk.window.pages.currentWidget() is screen
    assert screen.screening.question_label.text() == "Is this a call about someone's care?"
    assert screen.bar.state_label.text() == "● On call"
    desk.keys("3")  # 3: wrong number
    assert "Ctrl+S" in screen.banner.text()
    desk.save()
    desk.wait_saved()
    [contact] = desk.stored()
    assert contact.call_kind == "wrong_number"
    assert contact.outcome == "non_data" and contact.level1 == "non_data"
    assert contact.person_id is None and contact.final_routes == []
    assert desk.window.pages.currentWidget() is desk.window.shift_page
    desk.qtbot.waitUntil(lambda: desk.window.shift_page.model.rowCount() == 1, timeout=5_000)


def test_information_only_is_resolved_by_the_handler(desk_for: DeskFactory) -> None:
    desk = desk_for("handler")
    call = desk.new_call()
    desk.screen({**LEVEL1_SELF, "information_only": "Y"})
    screen = call.screen
    assert screen.recommendation.headline.text() == "Information only"
    assert "Resolved at first contact" in screen.recommendation.routes_label.text()
    assert screen.outcome.resolve_radio.isEnabled()
    # Focus is on the outcome: Space chooses to resolve; the method is picked by typing.
    desk.keys(Qt.Key.Key_Space)
    assert call.draft.resolve is True
    desk.qtbot.keyClicks(screen.outcome.method_combo, "Information")
    desk.qtbot.keyClicks(screen.outcome.notes, "Asked for the opening hours of the day centre.")
    desk.save()
    desk.wait_saved()
    [contact] = desk.stored()
    assert contact.level1 == "information" and contact.outcome == "resolved"
    assert contact.resolved_at_first_contact is True
    assert contact.resolution_method == "information_advice"
    assert contact.final_routes == [{"route": "resolved", "urgency": None}]
    assert contact.notes == "Asked for the opening hours of the day centre."
    assert referrals(desk.database, contact.id) == []


def test_risk_to_life_goes_to_999_and_saves_at_once(desk_for: DeskFactory) -> None:
    desk = desk_for("handler")
    call = desk.new_call()
    desk.clock.advance(40)
    # A call about care, from family: box 1 of "What is the call about?" (risk to life), Enter.
    desk.keys("1", "2", "1", Qt.Key.Key_Return)
    screen = call.screen
    assert "RISK TO LIFE: call 999 now" in screen.banner.text()
    assert screen.recommendation.headline.text().endswith("Risk to life: 999 now")
    assert "999 — emergency" in screen.recommendation.routes_label.text()
    desk.save()  # nothing more is asked of a handler sending 999
    desk.wait_saved()
    [contact] = desk.stored()
    assert contact.level1 == "emergency" and contact.outcome == "emergency"
    assert contact.caller_type == "family"
    assert referrals(desk.database, contact.id) == [("emergency_999", "emergency")]
    assert contact.answered_at == NOW and contact.ended_at == NOW.replace(second=40)


def test_safeguarding_with_social_care_cannot_drop_safeguarding(
    desk_for: DeskFactory, people: dict[str, uuid.UUID]
) -> None:
    desk = desk_for("practitioner")
    call = desk.new_call()
    desk.screen(
        {
            "call_kind": "1",
            "caller_type": "2",
            "abuse_or_neglect": "Y",
            "personal_care_need": "Y",
        }
    )
    routes = call.screen.recommendation.routes_label.text()
    assert "Safeguarding — soon" in routes and "Adult social care — soon" in routes
    assert not call.screen.outcome.resolve_radio.isEnabled()
    assert call.draft.resolve is False  # the only outcome there can be: refer
    desk.find_and_open("Testperson", consent="2")
    assert "Ada TESTPERSON" in call.screen.person.record_label.text()
    desk.give_caller("Jo Testperson", "Daughter")
    # Overriding the safeguarding route away is refused, in words, and nothing is stored.
    desk.qtbot.keyClick(call.screen, "O", Qt.KeyboardModifier.AltModifier)
    desk.qtbot.waitUntil(lambda: call.draft.override)
    row = next(r for r in call.screen.outcome.override_rows if r.route.value == "safeguarding")
    row.check.setFocus()
    desk.keys(Qt.Key.Key_Space)
    desk.qtbot.keyClicks(call.screen.outcome.override_reason, "Family already spoke to police")
    desk.save()
    problem = call.screen.outcome.problem_label
    desk.qtbot.waitUntil(lambda: "Routes: a safeguarding concern" in problem.text())
    assert desk.stored() == [] and desk.session.call is call
    desk.qtbot.keyClick(call.screen, "A", Qt.KeyboardModifier.AltModifier)  # accept after all
    desk.qtbot.waitUntil(lambda: not call.draft.override)
    contact = saved_one(desk)
    assert contact.person_id == people["ada"]
    assert contact.consent_basis == "given_by_representative"
    assert contact.stream == "social_care" and contact.outcome == "referred"
    assert not contact.overridden
    with desk.database.sessions() as session:
        caller = session.get(Caller, contact.caller_id)
        assert caller is not None
        assert (caller.caller_type, caller.name, caller.relationship) == (
            "family", "Jo Testperson", "Daughter",
        )  # fmt: skip
    assert referrals(desk.database, contact.id) == [
        ("adult_social_care", "soon"),
        ("safeguarding", "soon"),
    ]


def test_mental_health_crisis_is_urgent(desk_for: DeskFactory) -> None:
    desk = desk_for("practitioner")
    call = desk.new_call()
    desk.screen(
        {**LEVEL1_SELF, "low_mood_or_anxiety": "Y", "suicidal_thoughts": "Y"},
        until="suicidal_plan_or_intent",
    )
    assert call.screen.screening.stage_label.text() == "Level 2 · mental health stream"
    desk.screen({"suicidal_plan_or_intent": "Y"})
    assert "Mental health — urgent" in call.screen.recommendation.routes_label.text()
    desk.find_and_open("ZY1 1AA")
    contact = saved_one(desk)
    assert contact.stream == "mental_health"
    assert referrals(desk.database, contact.id) == [("mental_health", "urgent")]


def test_blocked_catheter_goes_to_community_nursing_urgently(desk_for: DeskFactory) -> None:
    desk = desk_for("practitioner")
    call = desk.new_call()
    desk.screen({**LEVEL1_SELF, "nursing_need": ("3", Qt.Key.Key_Return), "catheter_blocked": "Y"})
    assert "Community nursing — urgent" in call.screen.recommendation.routes_label.text()
    desk.find_and_open("9990000026")
    contact = saved_one(desk)
    assert contact.stream == "health"
    assert contact.facts["nursing_need"] == ["catheter"]
    assert referrals(desk.database, contact.id) == [("community_nursing", "urgent")]


def test_falls_go_to_community_therapy(desk_for: DeskFactory) -> None:
    desk = desk_for("practitioner")
    call = desk.new_call()
    desk.screen({**LEVEL1_SELF, "mobility_decline": "Y", "falls_history": "Y"})
    assert "Community therapy — soon" in call.screen.recommendation.routes_label.text()
    desk.find_and_open("12/03/1941")
    contact = saved_one(desk)
    assert referrals(desk.database, contact.id) == [("community_therapy", "soon")]
    assert contact.resolved_at_first_contact is False


def test_lonely_caller_is_signposted_to_befriending_and_resolved(desk_for: DeskFactory) -> None:
    desk = desk_for("practitioner")
    call = desk.new_call()
    desk.screen({**LEVEL1_SELF, "isolation": "Y"})
    outcome = call.screen.outcome
    assert "Voluntary and community sector — routine" in (
        call.screen.recommendation.routes_label.text()
    )
    assert outcome.resolve_radio.isEnabled()
    desk.keys(Qt.Key.Key_Space)  # resolve now
    desk.qtbot.keyClicks(outcome.method_combo, "Signposted")
    desk.qtbot.waitUntil(lambda: outcome.service_combo.count() > 1)
    desk.qtbot.keyClicks(outcome.service_combo, "Saltmarsh")
    contact = saved_one(desk)
    assert contact.outcome == "resolved" and contact.resolved_at_first_contact is True
    assert contact.resolution_method == "signposting"
    with desk.database.sessions() as session:
        service = session.get(Service, contact.signposted_service_id)
        assert service is not None and service.name == "Saltmarsh Befriending"
    assert referrals(desk.database, contact.id) == []


def test_an_override_needs_its_reason_and_keeps_both_decisions(desk_for: DeskFactory) -> None:
    desk = desk_for("practitioner")
    call = desk.new_call()
    desk.screen({**LEVEL1_SELF, "mobility_decline": "Y"})
    desk.find_and_open("Testperson")
    outcome = call.screen.outcome
    desk.qtbot.keyClick(call.screen, "O", Qt.KeyboardModifier.AltModifier)
    desk.qtbot.waitUntil(lambda: call.draft.override)
    vcs = next(r for r in outcome.override_rows if r.route.value == "vcs")
    vcs.check.setFocus()
    desk.keys(Qt.Key.Key_Space)
    vcs.urgency.setFocus()
    desk.qtbot.keyClicks(vcs.urgency, "routine")
    desk.save()
    desk.qtbot.waitUntil(lambda: "Override reason" in outcome.problem_label.text())
    assert desk.stored() == []
    desk.qtbot.keyClicks(outcome.override_reason, "Lives alone; befriending agreed with her")
    contact = saved_one(desk)
    assert contact.overridden
    assert contact.override_reason == "Lives alone; befriending agreed with her"
    assert contact.recommended_routes == [{"route": "community_therapy", "urgency": "soon"}]
    assert contact.final_routes == [
        {"route": "community_therapy", "urgency": "soon"},
        {"route": "vcs", "urgency": "routine"},
    ]
    assert referrals(desk.database, contact.id) == [
        ("community_therapy", "soon"),
        ("vcs", "routine"),
    ]
    entries = search(desk.database, user_id=desk.session.user.id if desk.session.user else None)
    assert [e.action for e in entries].count("override_made") == 1


def test_professional_referral_from_a_hospital_ward(desk_for: DeskFactory) -> None:
    desk = desk_for("practitioner")
    call = desk.new_call()
    desk.screen({"call_kind": "1", "caller_type": "4"}, until="professional_role")
    caller = call.screen.caller
    assert caller.name_edit.isVisible() and caller.phone_edit.isVisible()
    desk.screen({"professional_role": "2", "discharge_planned": "Y", "rehab_after_discharge": "Y"})
    assert call.screen.recommendation.headline.text() == "Screening · Hospital discharge stream"
    desk.qtbot.keyClicks(caller.name_edit, "Jo Pemberton")
    desk.qtbot.keyClicks(caller.organisation_edit, "Saltmarsh General, Ward 7")
    desk.qtbot.keyClicks(caller.job_edit, "Discharge nurse")
    desk.find_and_open("Testperson")
    desk.save()
    problem = call.screen.outcome.problem_label
    desk.qtbot.waitUntil(lambda: problem.text().startswith("Call-back number"))
    assert caller.phone_edit.hasFocus()
    desk.qtbot.keyClicks(caller.phone_edit, "01632 960 123")
    contact = saved_one(desk)
    assert contact.caller_type == "professional" and contact.stream == "hospital_discharge"
    assert referrals(desk.database, contact.id) == [("community_therapy", "soon")]
    with desk.database.sessions() as session:
        stored = session.get(Caller, contact.caller_id)
        assert stored is not None
        assert (stored.name, stored.organisation, stored.job_title, stored.phone) == (
            "Jo Pemberton",
            "Saltmarsh General, Ward 7",
            "Discharge nurse",
            "01632960123",
        )
        assert stored.professional_role == "hospital"
