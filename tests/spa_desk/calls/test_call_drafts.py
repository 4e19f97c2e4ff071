"""Call drafts kept for their handler, and what the desk reads from the draft on screen."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest

from db.models import Contact
from spa_desk.calls.draft import (
    CallDraft,
    CallerDetails,
    GapNote,
    discard_draft,
    given_facts,
    save_draft,
    unfinished_calls,
)
from spa_desk.calls.screening import resolvable, screening
from spa_desk.database import Database
from spa_desk.domain import RouteChoice
from spa_desk.errors import KnownError
from spa_desk.permissions import PermissionDenied
from spa_desk.vocabulary import Line, Role, Route, Urgency
from tests.spa_desk.calls.helpers import (
    RULES,
    START,
    choices,
    contact_row,
    new_draft,
    opened_for_call,
    signed_in,
    snapshot,
)
from triage_rules import evaluate

# --- drafts -------------------------------------------------------------------------------------


def test_draft_round_trips_exactly_for_its_handler_only(database: Database) -> None:
    handler = signed_in(database, "handler", Role.CALL_HANDLER)
    other = signed_in(database, "other", Role.CALL_HANDLER)
    summer = timezone(timedelta(hours=1))
    first = CallDraft(
        started_at=datetime(2026, 6, 1, 9, 30, 5, 123456, tzinfo=summer),
        answered_at=datetime(2026, 6, 1, 9, 30, 17, 654321, tzinfo=summer),
        ended_at=datetime(2026, 6, 1, 8, 41, 0, tzinfo=UTC),
        telephony_ref="call-0042",
        caller_number="+447700900123",
        line=Line.PROFESSIONAL,
        caller=CallerDetails(
            name="PC Example", organisation="Police", job_title="Constable", phone="01632 960 999"
        ),
        search_text="Testperson, A",
        answers={
            "call_kind": "data",
            "caller_type": "professional",
            "professional_role": "police",
            "nursing_need": ["wound", "catheter"],
            "age": 84,
            "abuse_or_neglect": True,
        },
        override=True,
        override_routes=choices((Route.SAFEGUARDING, Urgency.URGENT)),
        override_reason="Police are at the door",
        resolve=False,
        gaps=(GapNote(need="night sitting", reason="cannot_take"),),
        notes="Neighbour heard shouting.\nPolice attending.",
    )
    second = new_draft(started_at=START + timedelta(days=200), answers={"call_kind": "silent"})
    theirs = new_draft(answers={"call_kind": "test"})
    save_draft(database, handler, second, now=START)
    save_draft(database, handler, first, now=START)
    save_draft(database, other, theirs, now=START)

    offered = unfinished_calls(database, handler)
    assert offered == [first, second]  # oldest first
    assert offered[0].model_dump() == first.model_dump()
    assert offered[0].started_at.utcoffset() == timedelta(hours=1)
    assert unfinished_calls(database, other) == [theirs]

    changed = first.model_copy(update={"notes": "Police attending; daughter on her way."})
    save_draft(database, handler, changed, now=START + timedelta(seconds=1))
    assert unfinished_calls(database, handler) == [changed, second]
    contact = contact_row(database, first.contact_id)
    assert (contact.status, contact.handler_id, contact.caller_type, contact.call_kind) == (
        "draft", handler.id, "professional", "data",
    )  # fmt: skip
    assert (contact.line, contact.caller_number) == ("professional", "+447700900123")


def test_drafts_need_permission_to_log_calls(database: Database) -> None:
    manager = signed_in(database, "manager", Role.SPA_MANAGER)
    with pytest.raises(PermissionDenied, match="may not log a call"):
        save_draft(database, manager, new_draft())
    with pytest.raises(PermissionDenied, match="may not log a call"):
        unfinished_calls(database, manager)


def test_discard_draft(database: Database) -> None:
    handler = signed_in(database, "handler", Role.CALL_HANDLER)
    other = signed_in(database, "other", Role.CALL_HANDLER)
    mistake = new_draft()
    save_draft(database, handler, mistake, now=START)
    with pytest.raises(KnownError, match="Only your own unsaved call"):
        discard_draft(database, other, mistake.contact_id)
    discard_draft(database, handler, mistake.contact_id)
    assert unfinished_calls(database, handler) == []
    with database.sessions() as session:
        assert session.get(Contact, mistake.contact_id) is None
    discard_draft(database, handler, mistake.contact_id)  # already gone: nothing to do

    opened = opened_for_call(database, handler, new_draft())
    before = snapshot(database)
    with pytest.raises(KnownError, match="record was opened on this call, so it must be saved"):
        discard_draft(database, handler, opened.contact_id)
    assert snapshot(database) == before
    assert unfinished_calls(database, handler) == [opened]


# --- the pieces the desk shows while the call is on screen -------------------------------------


@pytest.mark.parametrize(
    ("started", "out_of_hours"),
    [
        (datetime(2026, 3, 2, 7, 59, tzinfo=UTC), True),
        (datetime(2026, 3, 2, 8, 0, tzinfo=UTC), False),
        (datetime(2026, 3, 2, 17, 59, tzinfo=UTC), False),
        (datetime(2026, 3, 2, 18, 0, tzinfo=UTC), True),
        (datetime(2026, 6, 1, 7, 30, tzinfo=UTC), False),  # 08:30 in London (summer time)
        (datetime(2026, 6, 1, 17, 30, tzinfo=UTC), True),  # 18:30 in London
        (datetime(2026, 3, 7, 12, 0, tzinfo=UTC), True),  # Saturday
    ],
)
def test_given_facts_are_the_line_and_london_office_hours(
    started: datetime, out_of_hours: bool
) -> None:
    draft = CallDraft(started_at=started, line=Line.MENTAL_HEALTH)
    assert given_facts(draft) == {"line": "mental_health", "out_of_hours": out_of_hours}


def test_screening_ignores_answers_the_desk_gives_itself() -> None:
    draft = new_draft(line=Line.SOCIAL_CARE, answers={"call_kind": "data", "line": "mental_health"})
    decision = screening(RULES, draft).decision()
    assert decision.stream == "social_care"


@pytest.mark.parametrize(
    "facts",
    [
        {"information_only": True},
        {"isolation": True},
        {"line": "social_care", "daily_living_need": True},
        {"line": "mental_health", "low_mood_or_anxiety": True},
        {"line": "mental_health", "suicidal_thoughts": True},
        {"line": "health", "equipment_or_adaptation": True},
        {"line": "health", "falls_history": True},
        {"line": "health", "medical_non_urgent": True},
        {"line": "health", "medical_urgent": True},
        {"line": "social_care", "abuse_or_neglect": True},
        {"line": "social_care", "practical_or_financial": ["debt"], "carer_own_support": True},
        {"line": "hospital_discharge", "equipment_or_adaptation": True},
        {"risk_to_life": True},
    ],
)
def test_resolvable_agrees_with_the_default_rules(facts: dict[str, Any]) -> None:
    decision = evaluate(RULES, facts)
    routes = tuple(
        RouteChoice.model_validate({"route": r.route, "urgency": r.urgency})
        for r in decision.routes
    )
    assert resolvable(RULES, decision.level1, routes) is decision.resolvable_at_first_contact


def test_resolvable_by_route_and_urgency() -> None:
    assert resolvable(
        RULES, "stream", choices((Route.RESOLVED, None), (Route.VCS, Urgency.ROUTINE))
    )
    assert resolvable(RULES, "stream", choices((Route.OWN_GP, Urgency.SOON)))
    assert resolvable(RULES, "stream", choices((Route.MENTAL_HEALTH, Urgency.ROUTINE)))
    assert not resolvable(RULES, "stream", choices((Route.MENTAL_HEALTH, Urgency.SOON)))
    assert not resolvable(RULES, "stream", choices((Route.COMMUNITY_THERAPY, Urgency.SOON)))
    assert not resolvable(RULES, "stream", choices((Route.VCS, Urgency.URGENT)))
    assert not resolvable(RULES, "stream", choices((Route.SAFEGUARDING, Urgency.ROUTINE)))
    assert not resolvable(RULES, "stream", choices((Route.ADULT_SOCIAL_CARE, Urgency.ROUTINE)))
