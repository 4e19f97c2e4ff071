"""The shape of a demo call scenario: its facts, lines, weight and the SPEC 4 decision.

Facts are written compactly in scenario tables: ``"abuse_or_neglect in_danger_now"`` sets two
flags, and ``"nursing_need=wound,catheter"`` gives an enum set (or an enum value, as for
``call_kind``). Short names for routes and urgencies keep the tables to one line a scenario.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType
from typing import NamedTuple

from spa_desk.demo.notes import SCENARIO_NOTES
from spa_desk.vocabulary import CallerType, Level1, Line, Route, Stream, Urgency

FactValue = bool | str | tuple[str, ...]
"""A fact's value in a template: a flag, an enum value, or an enum set."""

RouteChoice = tuple[Route, Urgency | None]
"""One route of a decision with its urgency (None for ``resolved``)."""

SET_FACTS = frozenset({"nursing_need", "practical_or_financial"})
"""The SPEC 9 facts whose value is a set of enum values."""


class ScenarioGroup(StrEnum):
    """Which part of the demand a scenario belongs to; the stream groups are named as streams."""

    NON_DATA = "non_data"
    EMERGENCY = "emergency"
    INFORMATION = "information"
    SOCIAL_CARE = "social_care"
    HEALTH = "health"
    MENTAL_HEALTH = "mental_health"
    HOSPITAL_DISCHARGE = "hospital_discharge"


@dataclass(frozen=True)
class ExpectedDecision:
    """What SPEC 4 decides for a scenario: level 1, stream, ordered routes, resolvability."""

    level1: Level1
    stream: Stream | None
    routes: tuple[RouteChoice, ...]
    resolvable_at_first_contact: bool


@dataclass(frozen=True)
class CallScenario:
    """One kind of call: its facts, where it may come in, how often, and what SPEC 4 decides.

    ``caller_types``, when not empty, are the only callers who make this call (a carer asking for a
    carer's assessment).
    """

    name: str
    group: ScenarioGroup
    weight: float
    summary: str
    facts: Mapping[str, FactValue]
    lines: tuple[Line, ...]
    decision: ExpectedDecision
    caller_types: tuple[CallerType, ...] = ()

    def facts_json(self) -> dict[str, object]:
        """The facts as stored on a contact: enum sets become JSON lists."""
        return {k: list(v) if isinstance(v, tuple) else v for k, v in self.facts.items()}


def parse_facts(text: str) -> dict[str, FactValue]:
    """Facts from the compact form used in scenario tables."""
    facts: dict[str, FactValue] = {}
    for token in text.split():
        name, _, value = token.partition("=")
        if not value:
            facts[name] = True
        elif name in SET_FACTS:
            facts[name] = tuple(value.split(","))
        else:
            facts[name] = value
    return facts


class ScenarioRow(NamedTuple):
    """One line of a scenario table, before it becomes a CallScenario."""

    name: str
    weight: float
    facts: str
    routes: list[RouteChoice]
    resolvable: bool
    lines: tuple[Line, ...] | None = None
    callers: tuple[CallerType, ...] = ()


def scenario_group(
    group: ScenarioGroup,
    level1: Level1,
    stream: Stream | None,
    lines: tuple[Line, ...],
    rows: list[ScenarioRow],
) -> tuple[CallScenario, ...]:
    """The scenarios of one group; ``lines`` is where they may come in unless a row says."""
    return tuple(
        CallScenario(
            name=row.name,
            group=group,
            weight=row.weight,
            summary=SCENARIO_NOTES[row.name],
            facts=MappingProxyType(parse_facts(row.facts)),
            lines=row.lines or lines,
            decision=ExpectedDecision(level1, stream, tuple(row.routes), row.resolvable),
            caller_types=row.callers,
        )
        for row in rows
    )


ALL_LINES = tuple(Line)
SOCIAL_CARE_LINES = (Line.GENERAL, Line.PROFESSIONAL, Line.SOCIAL_CARE)
HEALTH_LINES = (Line.GENERAL, Line.PROFESSIONAL, Line.HEALTH)
MENTAL_HEALTH_LINES = (Line.GENERAL, Line.PROFESSIONAL, Line.MENTAL_HEALTH)
SC_LINE, HEALTH_LINE = (Line.SOCIAL_CARE,), (Line.HEALTH,)
MH_LINE, HD_LINE = (Line.MENTAL_HEALTH,), (Line.HOSPITAL_DISCHARGE,)
CARER, PROFESSIONAL = (CallerType.CARER,), (CallerType.PROFESSIONAL,)

A, U, S, R = Urgency.EMERGENCY, Urgency.URGENT, Urgency.SOON, Urgency.ROUTINE
ASC, MH = Route.ADULT_SOCIAL_CARE, Route.MENTAL_HEALTH
CT, CN = Route.COMMUNITY_THERAPY, Route.COMMUNITY_NURSING
VCS, SG, CR, GP = Route.VCS, Route.SAFEGUARDING, Route.CRISIS_RESPONSE, Route.OWN_GP
EOL, E999, E111 = Route.HOSPICE_EOL, Route.EMERGENCY_999, Route.NHS_111
RESOLVED: RouteChoice = (Route.RESOLVED, None)
