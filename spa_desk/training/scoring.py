"""Scoring a trainee (SPEC 7): their level 1, stream, routes, urgency and resolution against the
sample call's expected ones, each difference explained by the rules that decide it.

:func:`score_decision` marks the five parts and writes each difference in words with the rule
(its id and its reason, from the rule set in force) that gives the expected answer for the
call's facts. :func:`record_score` keeps the result, :func:`history` gives a trainee's results
(a trainee sees only their own; a trainer anyone's), and :func:`route_accuracy` tells a trainer
which routes trainees learn worst. Results live in the database the trainee worked in: in
training mode, the training database, never the live one.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict
from sqlalchemy import select

from db.models import Contact, Handoff, TrainingResult, User
from spa_desk.database import Database
from spa_desk.domain import CurrentUser
from spa_desk.errors import KnownError
from spa_desk.permissions import Action, PermissionDenied, allowed
from spa_desk.training.sample_calls import SampleCall
from spa_desk.vocabulary import Level1
from triage_rules import RuleSet, evaluate

PARTS = ("level1", "stream", "routes", "urgency", "resolution")
"""What is marked, one mark each."""
HANDED_OFF_PARTS = ("level1", "stream", "resolution")
"""What is marked on a call the trainee handed off at level 2 (SPEC 11): its routes and urgency
are the practitioner's to decide, not the call handler's."""


class GivenRoute(BaseModel):
    """A route the trainee chose, with its urgency."""

    model_config = ConfigDict(frozen=True)

    route: str
    urgency: str | None


class TraineeDecision(BaseModel):
    """What the trainee decided on the call."""

    model_config = ConfigDict(frozen=True)

    level1: str
    stream: str | None
    routes: tuple[GivenRoute, ...]
    resolved_at_first_contact: bool
    handed_off: bool = False
    """Handed off to a practitioner of ``stream`` at level 2 (no routes of the trainee's)."""


class Score(BaseModel):
    """How a trainee did on one sample call."""

    model_config = ConfigDict(frozen=True)

    call_id: str
    title: str
    marks: dict[str, bool]
    """Each part marked (:data:`PARTS`, or :data:`HANDED_OFF_PARTS` for a hand-off), right or
    not."""
    differences: tuple[str, ...]
    """Each difference in words, with the rule that decides it."""

    @property
    def points(self) -> int:
        """Parts right, of the parts marked."""
        return sum(self.marks.values())

    @property
    def words(self) -> str:
        """``4 of 5`` (``3 of 3`` for a call handed off)."""
        return f"{self.points} of {len(self.marks)}"

    @property
    def handed_off(self) -> bool:
        """The call was handed off at level 2: its routes and urgency were not marked."""
        return "routes" not in self.marks

    @property
    def table_words(self) -> str:
        """The score as a results table shows it: ``4 of 5``, ``3 of 3 (handed off)``."""
        return f"{self.words} (handed off)" if self.handed_off else self.words

    @property
    def nothing_differed(self) -> str:
        """What a results table says of a call with no difference."""
        if self.handed_off:
            return "Nothing: level 1 done and handed off to the right stream, as the call needed."
        return "Nothing: all five right."


class Result(Score):
    """A score kept: who, when."""

    id: uuid.UUID
    trainee_id: uuid.UUID
    trainee_name: str
    scored_at: datetime
    expected_routes: tuple[GivenRoute, ...]
    given_routes: tuple[GivenRoute, ...]


def _words(value: str | None) -> str:
    return value.replace("_", " ") if value else "none"


def _route_words(routes: list[tuple[str, str | None]]) -> str:
    return ", ".join(f"{_words(r)} ({u})" if u else _words(r) for r, u in routes) or "none"


def _rules_giving(ruleset: RuleSet, route: str) -> set[str]:
    ids = {rule.id for rule in ruleset.level1_rules if any(r.route == route for r in rule.routes)}
    ids |= {rule.id for rule in ruleset.level2_rules if any(r.route == route for r in rule.routes)}
    if ruleset.fallback.route == route:
        ids.add(ruleset.fallback_id)
    return ids


def score_decision(call: SampleCall, given: TraineeDecision, ruleset: RuleSet) -> Score:
    """Mark ``given`` against ``call``'s expected decision; explain each difference by the rules
    in ``ruleset`` that decide it for the call's facts."""
    decision = evaluate(ruleset, call.facts)
    expected = call.expected
    because = {entry.rule: entry.reason for entry in decision.trace}

    def why(rule_id: str) -> str:
        return f"{because[rule_id]} (rule {rule_id})" if rule_id in because else f"rule {rule_id}"

    marks = dict.fromkeys(HANDED_OFF_PARTS if given.handed_off else PARTS, True)
    differences: list[str] = []
    if given.level1 != expected.level1:
        marks["level1"] = False
        differences.append(
            f"Level 1: you chose {_words(given.level1)}, the rules give "
            f"{_words(expected.level1)}: {why(decision.trace[0].rule)}."
        )
    if given.stream != expected.stream:
        marks["stream"] = False
        stream_rule = next(
            (e.rule for e in decision.trace if e.rule in {r.id for r in ruleset.stream_rules}),
            None,
        )
        reason = f": {why(stream_rule)}" if stream_rule else ""
        differences.append(
            f"Stream: you chose {_words(given.stream)}, the rules give "
            f"{_words(expected.stream)}{reason}."
        )
    wanted = {r.route: r.urgency for r in expected.routes}
    chosen = {r.route: r.urgency for r in given.routes}
    if given.handed_off:  # the practitioner chooses them: nothing of the trainee's to mark
        wanted = chosen = {}
    if set(wanted) != set(chosen):
        marks["routes"] = False
        for route in [r for r in wanted if r not in chosen]:
            rules = [e.rule for e in decision.trace if e.rule in _rules_giving(ruleset, route)]
            reason = "; ".join(why(rule) for rule in rules) or "the rules in force"
            differences.append(f"Missed route {_words(route)}: {reason}.")
        for route in [r for r in chosen if r not in wanted]:
            differences.append(
                f"Route {_words(route)} is not one the rules give for these facts: no rule in "
                "force recommends it here."
            )
    for route, urgency in wanted.items():
        if route in chosen and chosen[route] != urgency:
            marks["urgency"] = False
            rules = [e.rule for e in decision.trace if e.rule in _rules_giving(ruleset, route)]
            floors = [
                e.rule for e in decision.trace if e.rule in {f.id for f in ruleset.floors.values()}
            ]
            reason = "; ".join(why(rule) for rule in [*rules, *floors]) or "the rules in force"
            differences.append(
                f"Urgency of {_words(route)}: you chose {_words(chosen[route])}, the rules give "
                f"{_words(urgency)}: {reason}."
            )
    if given.resolved_at_first_contact != expected.resolvable_at_first_contact:
        marks["resolution"] = False
        said = "resolved" if given.resolved_at_first_contact else "not resolved"
        if given.handed_off:
            said = "not resolved (handed off to a practitioner)"
        should = "can be" if expected.resolvable_at_first_contact else "cannot be"
        differences.append(
            f"Resolution: you recorded the call as {said} at first contact; it {should}: "
            f"{why(decision.trace[-1].rule)}."
        )
    return Score(call_id=call.id, title=call.title, marks=marks, differences=tuple(differences))


def record_score(
    database: Database,
    trainee: CurrentUser,
    call: SampleCall,
    given: TraineeDecision,
    ruleset: RuleSet,
    *,
    now: datetime | None = None,
) -> Result:
    """Score ``given`` and keep it as ``trainee``'s result; the result kept."""
    score = score_decision(call, given, ruleset)
    row = TrainingResult(
        trainee_id=trainee.id,
        sample_call_id=call.id,
        title=call.title[:120],
        scored_at=now or datetime.now(UTC),
        points=score.points,
        marks=score.marks,
        differences=list(score.differences),
        expected={"routes": [r.model_dump() for r in call.expected.routes]},
        given=given.model_dump(mode="json"),
    )
    with database.sessions.begin() as session:
        session.add(row)
        session.flush()
        return _result(row, trainee.display_name)


def _on_the_training_database(database: Database) -> None:
    """Practice is scored on the training database only (SPEC 7: nothing from training reaches
    live data); KnownError otherwise."""
    from spa_desk.database_marks import is_training

    if not is_training(database):
        raise KnownError("Practice calls are scored on the training database only.")


def score_saved_contact(
    database: Database,
    trainee: CurrentUser,
    call: SampleCall,
    contact_id: uuid.UUID,
    ruleset: RuleSet,
) -> Result:
    """Score the contact a trainee just saved while practising ``call``, and keep the result.
    Practice is scored on the training database only (SPEC 7: nothing from training reaches
    live data); KnownError otherwise."""
    _on_the_training_database(database)
    with database.sessions() as session:
        contact = session.get(Contact, contact_id)
        if contact is None or contact.handler_id != trainee.id:
            raise KnownError("The practice call was not saved by you, so it cannot be scored.")
        given = TraineeDecision(
            level1=contact.level1 or "",
            stream=contact.stream,
            routes=tuple(
                GivenRoute(route=r["route"], urgency=r.get("urgency"))
                for r in contact.final_routes or []
            ),
            resolved_at_first_contact=bool(contact.resolved_at_first_contact),
        )
    return record_score(database, trainee, call, given, ruleset)


def score_handed_off(
    database: Database,
    trainee: CurrentUser,
    call: SampleCall,
    handoff_id: uuid.UUID,
    ruleset: RuleSet,
) -> Result:
    """Score the call a trainee just handed off at level 2 while practising ``call``: its level
    1 and stream, and that it was not resolved at first contact (the routes and urgency are the
    practitioner's); keep the result. On the training database only, as
    :func:`score_saved_contact`."""
    _on_the_training_database(database)
    with database.sessions() as session:
        handoff = session.get(Handoff, handoff_id)
        if handoff is None or handoff.handed_by != trainee.id:
            raise KnownError("The practice call was not handed off by you, so it cannot be scored.")
        given = TraineeDecision(
            level1=Level1.STREAM.value,  # only a call at a stream is handed off
            stream=handoff.stream,
            routes=(),
            resolved_at_first_contact=False,
            handed_off=True,
        )
    return record_score(database, trainee, call, given, ruleset)


def _result(row: TrainingResult, name: str) -> Result:
    given: dict[str, Any] = row.given
    return Result(
        id=row.id,
        trainee_id=row.trainee_id,
        trainee_name=name,
        scored_at=row.scored_at,
        call_id=row.sample_call_id,
        title=row.title,
        marks=dict(row.marks),
        differences=tuple(row.differences),
        expected_routes=tuple(GivenRoute(**r) for r in row.expected.get("routes", [])),
        given_routes=tuple(GivenRoute(**r) for r in given.get("routes", [])),
    )


def may_see_results_of(actor: CurrentUser, trainee_id: uuid.UUID) -> None:
    """PermissionDenied unless ``actor`` is the trainee or a trainer."""
    if actor.id != trainee_id and not allowed(actor, Action.TRAINING_LIBRARY):
        raise PermissionDenied("You may see only your own training results.")


def history(database: Database, actor: CurrentUser, trainee_id: uuid.UUID) -> list[Result]:
    """A trainee's results, newest first: their own, or anyone's for a trainer."""
    may_see_results_of(actor, trainee_id)
    with database.sessions() as session:
        rows = session.execute(
            select(TrainingResult, User.display_name)
            .join(User, User.id == TrainingResult.trainee_id)
            .where(TrainingResult.trainee_id == trainee_id)
            .order_by(TrainingResult.scored_at.desc())
        ).all()
        return [_result(row, name) for row, name in rows]


class RouteAccuracy(BaseModel):
    """How often trainees got a route right, where the sample call expected it."""

    model_config = ConfigDict(frozen=True)

    route: str
    expected: int
    """Results whose call expected this route."""
    found: int
    """Of those, the trainee chose the route."""
    right_urgency: int
    """Of those, with the expected urgency too."""

    @property
    def accuracy(self) -> float:
        """Share chosen with the right urgency."""
        return self.right_urgency / self.expected if self.expected else 0.0


def route_accuracy(database: Database, actor: CurrentUser) -> list[RouteAccuracy]:
    """Every route expected in trainees' results, worst learnt first (trainers only)."""
    if not allowed(actor, Action.TRAINING_LIBRARY):
        raise PermissionDenied("Only trainers see the route accuracy across trainees.")
    counts: dict[str, list[int]] = {}
    with database.sessions() as session:
        for expected, given in session.execute(
            select(TrainingResult.expected, TrainingResult.given)
        ):
            if given.get("handed_off"):  # the routes were the practitioner's to choose
                continue
            chosen = {r["route"]: r.get("urgency") for r in given.get("routes", [])}
            for route in expected.get("routes", []):
                tally = counts.setdefault(route["route"], [0, 0, 0])
                tally[0] += 1
                if route["route"] in chosen:
                    tally[1] += 1
                    if chosen[route["route"]] == route.get("urgency"):
                        tally[2] += 1
    table = [
        RouteAccuracy(route=route, expected=e, found=f, right_urgency=r)
        for route, (e, f, r) in counts.items()
    ]
    return sorted(table, key=lambda row: (row.accuracy, -row.expected, row.route))


class TraineeSummary(BaseModel):
    """A trainee with results, for the trainer's list."""

    model_config = ConfigDict(frozen=True)

    id: uuid.UUID
    name: str
    calls: int
    points: int
    parts: int
    """Parts marked over all the calls (five a call; three for a call handed off)."""

    @property
    def share(self) -> float:
        """Parts right, of all parts marked."""
        return self.points / self.parts if self.parts else 0.0


def trainees_with_results(database: Database, actor: CurrentUser) -> list[TraineeSummary]:
    """Every trainee who has results, by name, for a trainer; a trainee sees only themselves."""
    query = (
        select(User.id, User.display_name, TrainingResult.points, TrainingResult.marks)
        .join(TrainingResult, TrainingResult.trainee_id == User.id)
        .order_by(User.display_name, User.id)
    )
    if not allowed(actor, Action.TRAINING_LIBRARY):
        query = query.where(User.id == actor.id)
    summed: dict[uuid.UUID, TraineeSummary] = {}
    with database.sessions() as session:
        for trainee_id, name, points, marks in session.execute(query):
            was = summed.get(trainee_id) or TraineeSummary(
                id=trainee_id, name=name, calls=0, points=0, parts=0
            )
            summed[trainee_id] = was.model_copy(
                update={
                    "calls": was.calls + 1,
                    "points": was.points + points,
                    "parts": was.parts + len(marks),
                }
            )
    return list(summed.values())
