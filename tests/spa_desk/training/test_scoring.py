"""Scoring a trainee (SPEC 7): the five marks, each difference explained by the rule that decides
it; results kept; a trainee sees only their own, a trainer anyone's and the per-route accuracy,
worst learnt first."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest

from spa_desk.database import Database
from spa_desk.domain import CurrentUser
from spa_desk.permissions import PermissionDenied
from spa_desk.training.sample_calls import LIBRARY, load_sample_call
from spa_desk.training.scoring import (
    GivenRoute,
    TraineeDecision,
    history,
    record_score,
    route_accuracy,
    score_decision,
    trainees_with_results,
)
from spa_desk.vocabulary import Role
from tests.factories import add_user
from triage_rules import default_ruleset

CARER = load_sample_call(LIBRARY / "carer-breakdown-husband-with-dementia.yaml")
RIGHT = TraineeDecision(
    level1="stream",
    stream="social_care",
    routes=(
        GivenRoute(route="crisis_response", urgency="urgent"),
        GivenRoute(route="adult_social_care", urgency="soon"),
        GivenRoute(route="vcs", urgency="routine"),
    ),
    resolved_at_first_contact=False,
)
NOW = datetime(2026, 11, 30, 10, 0, tzinfo=UTC)


def test_the_expected_decision_scores_five_of_five() -> None:
    score = score_decision(CARER, RIGHT, default_ruleset())
    assert score.words == "5 of 5" and score.differences == ()


def test_each_difference_is_explained_by_the_rule_that_decides_it() -> None:
    given = TraineeDecision(
        level1="stream",
        stream="mental_health",
        routes=(
            GivenRoute(route="adult_social_care", urgency="routine"),
            GivenRoute(route="vcs", urgency="routine"),
            GivenRoute(route="community_nursing", urgency="routine"),
        ),
        resolved_at_first_contact=True,
    )
    score = score_decision(CARER, given, default_ruleset())
    assert score.marks == {
        "level1": True,
        "stream": False,
        "routes": False,
        "urgency": False,
        "resolution": False,
    }
    assert score.points == 1
    text = "\n".join(score.differences)
    assert "Stream: you chose mental health, the rules give social care" in text
    assert "(rule stream-social-care-line)" in text
    assert "Missed route crisis response: " in text and "(rule row-4-crisis-response)" in text
    assert "Route community nursing is not one the rules give" in text
    assert "Urgency of adult social care: you chose routine, the rules give soon" in text
    assert "(rule row-8a-social-care-soon)" in text
    assert "Resolution: you recorded the call as resolved at first contact; it cannot be" in text
    assert "(rule first-contact)" in text


def test_a_wrong_level_1_names_the_level_1_rule() -> None:
    given = TraineeDecision(
        level1="non_data", stream=None, routes=(), resolved_at_first_contact=False
    )
    score = score_decision(CARER, given, default_ruleset())
    assert not score.marks["level1"]
    assert "Level 1: you chose non data, the rules give stream" in score.differences[0]
    assert "(rule l1-stream)" in score.differences[0]


def _user(database: Database, name: str, role: Role) -> CurrentUser:
    user_id = add_user(database, name, "pw-long-enough-1", roles=(role.value,), display_name=name)
    return CurrentUser(id=user_id, username=name, display_name=name.title(), roles=(role,))


def test_results_are_kept_and_seen_by_the_trainee_and_trainers_only(database: Database) -> None:
    ruleset = default_ruleset()
    kim = _user(database, "kim", Role.CALL_HANDLER)
    lee = _user(database, "lee", Role.CALL_HANDLER)
    trainer = _user(database, "tess", Role.TRAINER)
    slow = RIGHT.model_copy(
        update={"routes": (*RIGHT.routes[1:], GivenRoute(route="crisis_response", urgency="soon"))}
    )
    record_score(database, kim, CARER, RIGHT, ruleset, now=NOW)
    record_score(database, kim, CARER, slow, ruleset, now=NOW + timedelta(minutes=5))
    missed = RIGHT.model_copy(update={"routes": RIGHT.routes[1:]})
    record_score(database, lee, CARER, missed, ruleset, now=NOW)

    own = history(database, kim, kim.id)
    assert [r.words for r in own] == ["4 of 5", "5 of 5"]  # newest first
    assert own[0].trainee_name == "kim" and own[0].call_id == CARER.id
    assert any("Urgency of crisis response" in d for d in own[0].differences)
    assert [r.words for r in history(database, trainer, lee.id)] == ["4 of 5"]
    with pytest.raises(PermissionDenied):
        history(database, lee, kim.id)
    assert history(database, trainer, uuid.uuid4()) == []

    table = route_accuracy(database, trainer)
    assert [(row.route, row.expected, row.found, row.right_urgency) for row in table] == [
        ("crisis_response", 3, 2, 1),  # learnt worst: first
        ("adult_social_care", 3, 3, 3),
        ("vcs", 3, 3, 3),
    ]
    assert table[0].accuracy == pytest.approx(1 / 3)
    with pytest.raises(PermissionDenied):
        route_accuracy(database, kim)
    # The trainer's list holds every trainee with results; a trainee's holds only themselves.
    assert [(t.name, t.calls, t.points) for t in trainees_with_results(database, trainer)] == [
        ("kim", 2, 9),
        ("lee", 1, 4),
    ]
    assert [t.name for t in trainees_with_results(database, lee)] == ["lee"]
    assert trainees_with_results(database, trainer)[0].share == pytest.approx(9 / 10)


HANDED_OFF = TraineeDecision(
    level1="stream", stream="social_care", routes=(), resolved_at_first_contact=False,
    handed_off=True,
)  # fmt: skip


def test_a_call_handed_off_is_marked_on_the_handlers_part_only(database: Database) -> None:
    ruleset = default_ruleset()
    score = score_decision(CARER, HANDED_OFF, ruleset)
    assert score.marks == {"level1": True, "stream": True, "resolution": True}
    assert score.words == "3 of 3" and score.differences == ()
    wrong = score_decision(CARER, HANDED_OFF.model_copy(update={"stream": "health"}), ruleset)
    assert wrong.words == "2 of 3" and wrong.differences[0].startswith("Stream: you chose health")
    # A call that could have been resolved at first contact is not a hand-off's.
    resolvable = load_sample_call(LIBRARY / "blood-pressure-tablets-own-gp.yaml")
    given = HANDED_OFF.model_copy(update={"stream": "health"})
    early = score_decision(resolvable, given, ruleset)
    assert not early.marks["resolution"] and "handed off to a practitioner" in early.differences[0]

    # Kept: the trainee's share counts the parts marked; the route table leaves hand-offs out.
    kim = _user(database, "kim", Role.CALL_HANDLER)
    trainer = _user(database, "tess", Role.TRAINER)
    record_score(database, kim, CARER, RIGHT, ruleset, now=NOW)
    record_score(database, kim, CARER, HANDED_OFF, ruleset, now=NOW + timedelta(minutes=5))
    assert [r.words for r in history(database, kim, kim.id)] == ["3 of 3", "5 of 5"]
    [summary] = trainees_with_results(database, trainer)
    assert (summary.calls, summary.points, summary.parts) == (2, 8, 8)
    assert summary.share == pytest.approx(1.0)
    table = route_accuracy(database, trainer)
    assert {row.route: row.expected for row in table} == {
        "crisis_response": 1, "adult_social_care": 1, "vcs": 1,
    }  # fmt: skip
