"""One demo call from ring to saved record: the rows a contact leaves behind (SPEC section 2).

A call gets a line, a kind of call and a scenario, a caller and (for data calls) a person, the
handler on duty, realistic timings, consent, the scenario's decision, an outcome, referrals, now
and then an override or a service gap, and a short note. Rows are appended to buffers that the
generator inserts in batches.
"""

from __future__ import annotations

import math
import random
import uuid
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any, NamedTuple

from spa_desk.demo import mix
from spa_desk.demo import notes as text
from spa_desk.demo.mix import WeightedChoice
from spa_desk.demo.population import PersonCard, Population
from spa_desk.demo.roster import Roster
from spa_desk.demo.scenario_types import CallScenario, ScenarioGroup
from spa_desk.demo.scenarios import SCENARIOS, scenarios_in
from spa_desk.demo.services import ServiceDirectory
from spa_desk.local_time import LONDON
from spa_desk.people.age import age_band, age_on
from spa_desk.vocabulary import (
    CallerType,
    CallKind,
    ConsentBasis,
    ContactStatus,
    Level1,
    Line,
    Outcome,
    ProfessionalRole,
    ResolutionMethod,
    Route,
    Urgency,
)
from triage_rules import default_ruleset

Row = dict[str, Any]
RouteList = list[dict[str, str | None]]

_LOG_TALK, _LOG_WRAP = math.log(360), math.log(120)
_LOG_NON_DATA_TALK, _LOG_NON_DATA_WRAP = math.log(20), math.log(10)
_STEP_UP = {Urgency.ROUTINE.value: Urgency.SOON.value, Urgency.SOON.value: Urgency.URGENT.value}
_SIGNPOST_ROUTES = frozenset({Route.VCS.value, Route.OWN_GP.value, Route.MENTAL_HEALTH.value})
_GAP_GROUPS = {
    age: WeightedChoice(gaps, [weight for _, _, weight in gaps])
    for age, gaps in text.SERVICE_GAPS.items()
}


def routes_json(scenario: CallScenario) -> RouteList:
    """The scenario's routes as stored on a contact: ``[{"route": ..., "urgency": ...}]``."""
    return [
        {"route": r.value, "urgency": u.value if u else None} for r, u in scenario.decision.routes
    ]


def call_timings(
    rng: random.Random, started: datetime, *, non_data: bool
) -> tuple[datetime, datetime, datetime]:
    """When the call was answered, ended and wrapped up.

    Answered 5-60 s after it rang; talk and wrap-up times are lognormal around medians of 6 and
    2 minutes (20 and 10 seconds for a call with no data).
    """
    answered = started + timedelta(seconds=rng.randint(5, 60))
    talk = rng.lognormvariate(_LOG_NON_DATA_TALK if non_data else _LOG_TALK, 0.55)
    wrap = rng.lognormvariate(_LOG_NON_DATA_WRAP if non_data else _LOG_WRAP, 0.6)
    ended = answered + timedelta(seconds=max(3, round(talk)))
    return answered, ended, ended + timedelta(seconds=max(2, round(wrap)))


class _Stored(NamedTuple):
    """A scenario's values as stored on every contact made from it, worked out once."""

    facts: dict[str, object]
    routes: RouteList
    call_kind: str
    level1: str
    stream: str | None
    at_risk: bool

    @classmethod
    def of(cls, scenario: CallScenario) -> _Stored:
        decision = scenario.decision
        routes = {r for r, _ in decision.routes}
        return cls(
            facts=scenario.facts_json(),
            routes=routes_json(scenario),
            call_kind=str(scenario.facts.get("call_kind", CallKind.DATA.value)),
            level1=decision.level1.value,
            stream=decision.stream.value if decision.stream else None,
            at_risk=Route.SAFEGUARDING in routes or decision.level1 is Level1.EMERGENCY,
        )


class DemoDesk:
    """Takes demo calls one after another and keeps the rows they leave until they are inserted."""

    def __init__(
        self,
        *,
        rng: random.Random,
        new_id: Callable[[], uuid.UUID],
        population: Population,
        services: ServiceDirectory,
        roster: Roster,
        practitioner_ids: list[uuid.UUID],
        now: datetime,
    ) -> None:
        self._rng, self._new_id, self._now = rng, new_id, now
        ruleset = default_ruleset()  # the decisions in the scenario table are this rule set's
        self._ruleset = {
            "ruleset_id": ruleset.id,
            "ruleset_version": ruleset.version,
            "ruleset_sha256": ruleset.sha256,
        }
        self._population, self._services, self._roster = population, services, roster
        self._practitioners = practitioner_ids
        self._lines = WeightedChoice.of(mix.LINE_WEIGHTS)
        self._groups = {line: WeightedChoice.of(w) for line, w in mix.GROUP_WEIGHTS.items()}
        self._draft_groups = {
            line: WeightedChoice.of({g: w for g, w in weights.items() if g in mix.STREAM_GROUPS})
            for line, weights in mix.GROUP_WEIGHTS.items()
        }
        self._scenarios = {
            (group, line): WeightedChoice(found, [s.weight for s in found])
            for line, weights in mix.GROUP_WEIGHTS.items()
            for group in weights
            if (found := scenarios_in(group, line))
        }
        self._callers = {line: WeightedChoice.of(w) for line, w in mix.CALLER_WEIGHTS.items()}
        self._roles = WeightedChoice.of(mix.PROFESSIONAL_ROLE_WEIGHTS)
        self._resolve = mix.resolve_probabilities()
        self._stored = {s.name: _Stored.of(s) for s in SCENARIOS}
        self.contacts: list[Row] = []
        self.consents: list[Row] = []
        self.referrals: list[Row] = []
        self.gaps: list[Row] = []

    def take_call(self, started: datetime, *, draft: bool = False) -> bool:
        """Take one call starting at ``started``; False when it would still be going on at now."""
        rng = self._rng
        local = started.astimezone(LONDON)
        out_of_hours = local.weekday() >= 5 or not 8 <= local.hour < 18
        line = self._lines.draw(rng)
        group = (self._draft_groups if draft else self._groups)[line].draw(rng)
        scenario = self._scenarios[(group, line)].draw(rng)
        caller_type = self._callers[line].draw(rng)
        if scenario.caller_types and caller_type not in scenario.caller_types:
            caller_type = rng.choice(scenario.caller_types)
        role: ProfessionalRole | None = None
        if caller_type is CallerType.PROFESSIONAL:
            hospital_line = line is Line.HOSPITAL_DISCHARGE
            role = ProfessionalRole.HOSPITAL if hospital_line else self._roles.draw(rng)
        non_data = group is ScenarioGroup.NON_DATA
        answered, ended, wrapped = call_timings(rng, started, non_data=non_data)
        if wrapped > self._now and not draft:
            return False
        stored = self._stored[scenario.name]
        contact: Row = {
            "id": self._new_id(),
            "started_at": started,
            "answered_at": answered,
            "ended_at": ended,
            "wrap_up_ended_at": wrapped,
            "line": line.value,
            "call_kind": stored.call_kind,
            "caller_type": caller_type.value,
            "caller_id": None,
            "person_id": None,
            "consent_basis": None,
            "consent_reason": None,
            "level1": stored.level1,
            "stream": stored.stream,
            "facts": {},
            **self._ruleset,
            "recommended_routes": stored.routes,
            "final_routes": stored.routes,
            "overridden": False,
            "override_reason": None,
            "outcome": Outcome.NON_DATA.value,
            "resolved_at_first_contact": None,
            "resolution_method": None,
            "signposted_service_id": None,
            "notes": scenario.summary,
            "handler_id": rng.choice(self._roster.on_duty(local)),
            "status": ContactStatus.COMPLETE.value,
            "created_at": started,
            "updated_at": wrapped,
            "version": 1,
        }
        facts: Row = {
            **stored.facts,
            "caller_type": caller_type.value,
            "line": line.value,
            "call_kind": stored.call_kind,
            "out_of_hours": out_of_hours,
        }
        if role is not None:
            facts["professional_role"] = role.value
        contact["facts"] = facts
        self.contacts.append(contact)
        if non_data:
            return True
        person = self._population.person_for(group, started)
        facts["age"] = age_on(person.date_of_birth, local.date())
        contact["person_id"] = person.id
        contact["caller_id"] = self._population.caller_for(caller_type, role, person, started)
        self._record_consent(contact, stored.at_risk, caller_type, person)
        if draft:
            self._leave_as_draft(contact)
        else:
            self._decide(contact, scenario, out_of_hours)
            if group is not ScenarioGroup.EMERGENCY and rng.random() < mix.SERVICE_GAP_SHARE:
                self._record_gap(contact, facts["age"], person)
        return True

    def _record_consent(
        self, contact: Row, at_risk: bool, caller_type: CallerType, person: PersonCard
    ) -> None:
        rng = self._rng
        reason = None
        if rng.random() < (0.25 if at_risk else 0.02):
            basis = ConsentBasis.LAWFUL_BASIS
            reason = rng.choice(text.LAWFUL_BASIS_REASONS)
        elif caller_type is CallerType.SELF or rng.random() < 0.12:
            basis = ConsentBasis.GIVEN_BY_PERSON
        else:
            basis = ConsentBasis.GIVEN_BY_REPRESENTATIVE
        contact["consent_basis"], contact["consent_reason"] = basis.value, reason
        self.consents.append(
            {
                "id": self._new_id(),
                "person_id": person.id,
                "contact_id": contact["id"],
                "user_id": contact["handler_id"],
                "recorded_at": min(
                    contact["answered_at"] + timedelta(seconds=rng.randint(20, 90)),
                    contact["ended_at"],
                ),
                "basis": basis.value,
                "purpose": "Screening and referral",
                "reason": reason,
            }
        )

    def _leave_as_draft(self, contact: Row) -> None:
        """A call still being written up: decision recommended, nothing final yet."""
        contact.update(
            status=ContactStatus.DRAFT.value,
            final_routes=[],
            outcome=None,
            notes=None,
            wrap_up_ended_at=None,
            updated_at=contact["answered_at"],
        )
        if contact["ended_at"] > self._now:
            contact["ended_at"] = None

    def _decide(self, contact: Row, scenario: CallScenario, out_of_hours: bool) -> None:
        rng = self._rng
        decision = scenario.decision
        if decision.level1 is Level1.EMERGENCY:
            contact.update(outcome=Outcome.EMERGENCY.value, resolved_at_first_contact=False)
            contact["notes"] = f"{scenario.summary} {text.EMERGENCY_NOTE}"
            self._refer(contact, by_handler=True)
            return
        resolve = mix.always_resolved(scenario)
        if not resolve and decision.resolvable_at_first_contact:
            chance = (
                1.0 if decision.stream is None else self._resolve[(decision.stream, out_of_hours)]
            )
            resolve = rng.random() < chance
        if resolve:
            method, service_id = self._resolution(contact)
            phrase = text.RESOLUTION_NOTES[method.value]
            if service_id is not None:
                phrase = phrase.format(service=self._services.names[service_id])
            contact.update(
                outcome=Outcome.RESOLVED.value,
                resolved_at_first_contact=True,
                resolution_method=method.value,
                signposted_service_id=service_id,
                notes=f"{scenario.summary} {phrase}",
            )
            return
        if rng.random() < mix.OVERRIDE_SHARE_OF_REFERRED:
            self._override(contact)
        labels = ", ".join(
            f"{Route(r['route']).label} ({r['urgency']})" for r in contact["final_routes"]
        )
        contact.update(outcome=Outcome.REFERRED.value, resolved_at_first_contact=False)
        contact["notes"] = f"{scenario.summary} {text.REFERRED_NOTE.format(routes=labels)}"
        self._refer(contact, by_handler=decision.level1 is not Level1.STREAM)

    def _resolution(self, contact: Row) -> tuple[ResolutionMethod, uuid.UUID | None]:
        rng = self._rng
        routes = [r["route"] for r in contact["final_routes"] if r["route"] != Route.RESOLVED]
        if not routes:
            if contact["level1"] == Level1.INFORMATION.value or rng.random() < 0.6:
                return ResolutionMethod.INFORMATION_ADVICE, None
            return rng.choice((ResolutionMethod.SELF_CARE, ResolutionMethod.OWN_ASSETS)), None
        first = routes[0]
        if first == Route.COMMUNITY_THERAPY.value:
            return ResolutionMethod.EQUIPMENT_PRACTICAL, None
        if first in _SIGNPOST_ROUTES and rng.random() < 0.75:
            if first == Route.MENTAL_HEALTH.value:  # talking therapies, first in the directory
                return ResolutionMethod.SIGNPOSTING, self._services.by_route[first][0]
            return ResolutionMethod.SIGNPOSTING, self._services.pick(rng, first)
        if first == Route.MENTAL_HEALTH.value:
            return ResolutionMethod.SELF_CARE, None
        return ResolutionMethod.OWN_ASSETS, None

    def _override(self, contact: Row) -> None:
        """The practitioner changes the recommendation, with a reason (SPEC 2 step 6)."""
        rng = self._rng
        final = [dict(r) for r in contact["recommended_routes"]]
        changeable = [
            r for r in final if r["urgency"] in _STEP_UP and r["route"] != Route.SAFEGUARDING.value
        ]
        kind = rng.random()
        if kind < 0.2 and any(r["urgency"] == Urgency.SOON.value for r in changeable):
            target = next(r for r in changeable if r["urgency"] == Urgency.SOON.value)
            target["urgency"] = Urgency.ROUTINE.value
            reason = rng.choice(text.OVERRIDE_LOWER_REASONS)
        elif kind < 0.5 and all(r["route"] != Route.VCS.value for r in final):
            final.append({"route": Route.VCS.value, "urgency": Urgency.ROUTINE.value})
            reason = rng.choice(text.OVERRIDE_ADD_REASONS)
        elif changeable:
            changeable[0]["urgency"] = _STEP_UP[str(changeable[0]["urgency"])]
            reason = rng.choice(text.OVERRIDE_RAISE_REASONS)
        else:
            return
        contact.update(final_routes=final, overridden=True, override_reason=reason)

    def _refer(self, contact: Row, *, by_handler: bool) -> None:
        rng = self._rng
        made_by = contact["handler_id"] if by_handler else rng.choice(self._practitioners)
        for route in contact["final_routes"]:
            if route["route"] == Route.RESOLVED.value:
                continue
            self.referrals.append(
                {
                    "id": self._new_id(),
                    "contact_id": contact["id"],
                    "person_id": contact["person_id"],
                    "route": route["route"],
                    "urgency": route["urgency"],
                    "service_id": self._services.pick(rng, str(route["route"]), route["urgency"]),
                    "status": "made",
                    "made_at": contact["ended_at"],
                    "made_by": made_by,
                }
            )

    def _record_gap(self, contact: Row, age: int, person: PersonCard) -> None:
        rng = self._rng
        need, service, _ = _GAP_GROUPS["older" if age >= 65 else "younger"].draw(rng)
        self.gaps.append(
            {
                "id": self._new_id(),
                "contact_id": contact["id"],
                "need": need,
                "service_requested": service,
                "reason": "does_not_exist" if rng.random() < 0.6 else "cannot_take",
                "age_band": age_band(age),
                "area": person.area,
                "recorded_at": contact["wrap_up_ended_at"],
            }
        )
