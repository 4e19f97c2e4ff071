"""The mix of demo demand: lines, kinds of call per line, callers, and first-contact resolution.

The resolution targets are the reference SPA's recorded FCR (SPEC 5): social care 73%, mental
health out of hours 67%, health 26%. Only a contact whose scenario is resolvable may be resolved,
so the chance that a handler resolves a resolvable contact is worked out per stream from the
scenario weights, so that the recorded FCR lands on the target.
"""

from __future__ import annotations

import bisect
import random
from collections.abc import Mapping, Sequence
from typing import Generic, TypeVar

from spa_desk.demo.scenario_types import RESOLVED, CallScenario, ScenarioGroup
from spa_desk.demo.scenarios import SCENARIOS, scenarios_in
from spa_desk.vocabulary import CallerType, Line, ProfessionalRole, Stream

T = TypeVar("T")

G = ScenarioGroup
LINE_WEIGHTS: dict[Line, float] = {
    Line.GENERAL: 40,
    Line.SOCIAL_CARE: 15,
    Line.HEALTH: 15,
    Line.MENTAL_HEALTH: 12,
    Line.PROFESSIONAL: 12,
    Line.HOSPITAL_DISCHARGE: 6,
}
"""How calls spread over the telephony lines (per cent)."""

GROUP_WEIGHTS: dict[Line, dict[ScenarioGroup, float]] = {
    Line.GENERAL: {
        G.NON_DATA: 5, G.EMERGENCY: 1.2, G.INFORMATION: 10, G.SOCIAL_CARE: 38, G.HEALTH: 29,
        G.MENTAL_HEALTH: 12.8, G.HOSPITAL_DISCHARGE: 4,
    },
    Line.PROFESSIONAL: {
        G.NON_DATA: 3, G.EMERGENCY: 1.5, G.INFORMATION: 3, G.SOCIAL_CARE: 25, G.HEALTH: 40,
        G.MENTAL_HEALTH: 11, G.HOSPITAL_DISCHARGE: 16.5,
    },
    Line.SOCIAL_CARE: {
        G.NON_DATA: 5, G.EMERGENCY: 0.8, G.INFORMATION: 6, G.SOCIAL_CARE: 85,
        G.HOSPITAL_DISCHARGE: 3.2,
    },
    Line.HEALTH: {
        G.NON_DATA: 5, G.EMERGENCY: 1, G.INFORMATION: 3, G.HEALTH: 86, G.HOSPITAL_DISCHARGE: 5,
    },
    Line.MENTAL_HEALTH: {G.NON_DATA: 6, G.EMERGENCY: 1, G.INFORMATION: 2, G.MENTAL_HEALTH: 91},
    Line.HOSPITAL_DISCHARGE: {
        G.NON_DATA: 3, G.EMERGENCY: 0.3, G.INFORMATION: 1, G.HOSPITAL_DISCHARGE: 95.7,
    },
}  # fmt: skip
"""What kind of call comes in on each line: about 5% non-data and 1% emergencies overall."""

STREAM_GROUPS = (G.SOCIAL_CARE, G.HEALTH, G.MENTAL_HEALTH, G.HOSPITAL_DISCHARGE)

_PUBLIC_CALLERS = {
    CallerType.SELF: 42.7,
    CallerType.FAMILY: 29.4,
    CallerType.CARER: 12.2,
    CallerType.PROFESSIONAL: 15.7,
}
CALLER_WEIGHTS: dict[Line, dict[CallerType, float]] = {
    line: _PUBLIC_CALLERS
    for line in Line
    if line not in (Line.PROFESSIONAL, Line.HOSPITAL_DISCHARGE)
}
CALLER_WEIGHTS[Line.PROFESSIONAL] = {CallerType.PROFESSIONAL: 1}
CALLER_WEIGHTS[Line.HOSPITAL_DISCHARGE] = {CallerType.PROFESSIONAL: 85, CallerType.FAMILY: 15}
"""Who rings on each line; overall about self 35%, family 25%, carer 10%, professional 30%."""

PROFESSIONAL_ROLE_WEIGHTS: dict[ProfessionalRole, float] = {
    ProfessionalRole.GP: 30,
    ProfessionalRole.HOSPITAL: 18,
    ProfessionalRole.AMBULANCE: 8,
    ProfessionalRole.POLICE: 8,
    ProfessionalRole.CARE_HOME: 16,
    ProfessionalRole.VCS: 12,
    ProfessionalRole.OTHER: 8,
}
"""Which professionals ring, except on the hospital discharge line (always hospital staff)."""

FCR_TARGETS: dict[tuple[Stream, bool], float] = {
    (Stream.SOCIAL_CARE, False): 0.73,
    (Stream.SOCIAL_CARE, True): 0.73,
    (Stream.HEALTH, False): 0.26,
    (Stream.HEALTH, True): 0.26,
    (Stream.MENTAL_HEALTH, False): 0.55,
    (Stream.MENTAL_HEALTH, True): 0.67,
    (Stream.HOSPITAL_DISCHARGE, False): 0.05,
    (Stream.HOSPITAL_DISCHARGE, True): 0.05,
}
"""Recorded FCR by (stream, out of hours): the reference figures, and plausible ones elsewhere."""

OVERRIDE_SHARE_OF_REFERRED = 0.045
"""Chance that a practitioner overrides a referral: about 2% of all data contacts."""

SERVICE_GAP_SHARE = 0.03
"""Share of data contacts that record an unmet need."""


class WeightedChoice(Generic[T]):
    """Draws from fixed weighted options with one random number and a binary search."""

    def __init__(self, options: Sequence[T], weights: Sequence[float]) -> None:
        if not options or len(options) != len(weights):
            raise ValueError("a weighted choice needs one weight per option, and some options")
        self.options = tuple(options)
        self._cumulative: list[float] = []
        total = 0.0
        for weight in weights:
            total += weight
            self._cumulative.append(total)
        self._total = total

    @classmethod
    def of(cls, weights: Mapping[T, float]) -> WeightedChoice[T]:
        """A choice among a mapping's keys, weighted by its values."""
        return cls(list(weights), list(weights.values()))

    def draw(self, rng: random.Random) -> T:
        """One option, each with probability proportional to its weight."""
        index = bisect.bisect_right(self._cumulative, rng.random() * self._total)
        return self.options[min(index, len(self.options) - 1)]


def always_resolved(scenario: CallScenario) -> bool:
    """True when the only route is ``resolved``: there is nothing to refer, so it is resolved."""
    return scenario.decision.routes == (RESOLVED,)


def scenario_shares(group: ScenarioGroup) -> dict[str, float]:
    """How often each scenario of a group comes up, over all lines, as shares summing to 1."""
    shares: dict[str, float] = {}
    for line, line_weight in LINE_WEIGHTS.items():
        groups = GROUP_WEIGHTS[line]
        group_share = groups.get(group, 0) / sum(groups.values())
        candidates = scenarios_in(group, line)
        if group_share == 0 or not candidates:
            continue
        total = sum(s.weight for s in candidates)
        for scenario in candidates:
            share = line_weight * group_share * scenario.weight / total
            shares[scenario.name] = shares.get(scenario.name, 0.0) + share
    grand = sum(shares.values())
    return {name: share / grand for name, share in shares.items()}


def resolve_probabilities() -> dict[tuple[Stream, bool], float]:
    """For each (stream, out of hours), the chance a resolvable contact is resolved.

    Recorded FCR = share always resolved + share otherwise resolvable x this chance, so the chance
    is (target - always) / otherwise, kept between 0 and 1.
    """
    by_name = {s.name: s for s in SCENARIOS}
    probabilities: dict[tuple[Stream, bool], float] = {}
    for (stream, out_of_hours), target in FCR_TARGETS.items():
        shares = scenario_shares(ScenarioGroup(stream.value))
        always = sum(v for k, v in shares.items() if always_resolved(by_name[k]))
        optional = sum(
            v
            for k, v in shares.items()
            if by_name[k].decision.resolvable_at_first_contact and not always_resolved(by_name[k])
        )
        chance = (target - always) / optional if optional else 0.0
        probabilities[(stream, out_of_hours)] = min(1.0, max(0.0, chance))
    return probabilities
