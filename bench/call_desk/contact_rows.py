"""The fictional contacts: one template per kind of call, weighted as the demo mix makes them,
and one chunk of contacts' rows at a time (made in the worker processes that generate rows)."""

from __future__ import annotations

import bisect
import json
import math
import random
from datetime import timedelta
from typing import Any, NamedTuple

from bench.call_desk.people_rows import Chunk, Value, part_count, sorted_ids, worker
from bench.call_desk.settings import CHUNK, END, SEED, YEARS
from spa_desk.demo import mix
from spa_desk.demo.calls import routes_json
from spa_desk.demo.scenario_types import CallScenario, ScenarioGroup
from spa_desk.demo.scenarios import scenarios_in
from spa_desk.vocabulary import (
    CallerType,
    CallKind,
    ConsentBasis,
    ContactStatus,
    Level1,
    Line,
    Outcome,
    ResolutionMethod,
)
from triage_rules import RuleSet

CONTACT_HEAD = (
    "id", "started_at", "answered_at", "ended_at", "wrap_up_ended_at", "person_id", "handler_id",
    "caller_number", "created_at", "updated_at",
)  # fmt: skip
CONTACT_TEMPLATE = (
    "line", "call_kind", "caller_type", "consent_basis", "level1", "stream", "facts",
    "ruleset_id", "ruleset_version", "ruleset_sha256", "recommended_routes", "final_routes",
    "overridden", "outcome", "resolved_at_first_contact", "resolution_method", "notes", "status",
    "version",
)  # fmt: skip
CONTACT_COLUMNS = CONTACT_HEAD + CONTACT_TEMPLATE


def _copy_field(value: Value | bool) -> str:
    """One value in PostgreSQL's COPY text format."""
    if value is None:
        return "\\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    return (
        str(value)
        .replace("\\", "\\\\")
        .replace("\t", "\\t")
        .replace("\n", "\\n")
        .replace("\r", "\\r")
    )


class ContactTemplate(NamedTuple):
    """What contacts of one kind share: everything but times, person, handler and number."""

    values: tuple[Value, ...]
    """In CONTACT_TEMPLATE order, as SQLite stores them."""
    copy_text: str
    """The same as COPY text, with the tab before it and the newline after."""
    weight: float
    with_person: bool
    log_talk: float
    log_wrap: float


def _template(
    scenario: CallScenario,
    *,
    line: Line,
    caller: CallerType,
    outcome: Outcome,
    weight: float,
    ruleset: RuleSet,
) -> ContactTemplate:
    decision = scenario.decision
    non_data = scenario.group is ScenarioGroup.NON_DATA
    call_kind = str(scenario.facts.get("call_kind", CallKind.DATA.value))
    facts = {**scenario.facts_json(), "line": line.value, "call_kind": call_kind}
    if not non_data:
        facts["caller_type"] = caller.value
    routes = json.dumps(routes_json(scenario))
    resolved: bool | None = None
    if outcome is Outcome.RESOLVED:
        resolved = True
    elif outcome in (Outcome.REFERRED, Outcome.EMERGENCY):
        resolved = False
    basis = (
        None
        if non_data
        else ConsentBasis.GIVEN_BY_PERSON.value
        if caller is CallerType.SELF
        else ConsentBasis.GIVEN_BY_REPRESENTATIVE.value
    )
    values: tuple[Value | bool, ...] = (
        line.value,
        call_kind,
        caller.value,
        basis,
        decision.level1.value,
        decision.stream.value if decision.stream else None,
        json.dumps(facts),
        ruleset.id,
        ruleset.version,
        ruleset.sha256,
        routes,
        routes,
        False,
        outcome.value,
        resolved,
        ResolutionMethod.INFORMATION_ADVICE.value if resolved else None,
        scenario.summary,
        ContactStatus.COMPLETE.value,
        1,
    )
    return ContactTemplate(
        values=tuple(int(v) if isinstance(v, bool) else v for v in values),
        copy_text="\t" + "\t".join(_copy_field(v) for v in values) + "\n",
        weight=weight,
        with_person=not non_data,
        log_talk=math.log(20 if non_data else 360),
        log_wrap=math.log(10 if non_data else 120),
    )


def contact_templates(ruleset: RuleSet) -> list[ContactTemplate]:
    """Every (line, scenario, caller, outcome) the demo mix makes, weighted as it makes them."""
    templates = []
    resolve_chance = mix.resolve_probabilities()
    for line, line_weight in mix.LINE_WEIGHTS.items():
        groups = mix.GROUP_WEIGHTS[line]
        callers = mix.CALLER_WEIGHTS[line]
        for group, group_weight in groups.items():
            found = scenarios_in(group, line)
            total = sum(s.weight for s in found)
            for scenario in found:
                share = line_weight * group_weight / sum(groups.values()) * scenario.weight / total
                allowed = {
                    c: w
                    for c, w in callers.items()
                    if not scenario.caller_types or c in scenario.caller_types
                } or {scenario.caller_types[0]: 1.0}
                for caller, caller_weight in allowed.items():
                    weight = share * caller_weight / sum(allowed.values())
                    for outcome, outcome_share in _outcomes(scenario, resolve_chance):
                        templates.append(
                            _template(
                                scenario,
                                line=line,
                                caller=caller,
                                outcome=outcome,
                                weight=weight * outcome_share,
                                ruleset=ruleset,
                            )
                        )
    return [t for t in templates if t.weight > 0]


def _outcomes(
    scenario: CallScenario, resolve_chance: dict[Any, float]
) -> list[tuple[Outcome, float]]:
    decision = scenario.decision
    if scenario.group is ScenarioGroup.NON_DATA:
        return [(Outcome.NON_DATA, 1.0)]
    if decision.level1 is Level1.EMERGENCY:
        return [(Outcome.EMERGENCY, 1.0)]
    if mix.always_resolved(scenario):
        return [(Outcome.RESOLVED, 1.0)]
    if not decision.resolvable_at_first_contact:
        return [(Outcome.REFERRED, 1.0)]
    chance = 1.0 if decision.stream is None else resolve_chance[(decision.stream, False)]
    return [(Outcome.RESOLVED, chance), (Outcome.REFERRED, 1 - chance)]


def _clock_strings() -> tuple[list[str], list[str]]:
    """Day prefixes from the start of the contacts and times of day, as SQLAlchemy stores them."""
    first = (END - timedelta(days=365 * YEARS)).date()
    days = [f"{first + timedelta(days=d)} " for d in range(365 * YEARS + 3)]
    times = [f"{s // 3600:02d}:{s // 60 % 60:02d}:{s % 60:02d}.000000" for s in range(24 * 3600)]
    return days, times


def contact_chunk(part: int, count: int, copy_text: bool) -> Chunk:
    """The rows of the ``part``-th chunk of ``count`` contacts, in CONTACT_COLUMNS order."""
    rng = random.Random(f"{SEED}:contacts:{part}")
    random_, lognormal = rng.random, rng.lognormvariate
    null = "\\N" if copy_text else None
    people, handlers = worker["people"], worker["handlers"]
    templates: list[ContactTemplate] = worker["templates"]
    phones = worker["phones"]
    days, times = _clock_strings()
    cumulative: list[float] = []
    total = 0.0
    for template in templates:
        total += template.weight
        cumulative.append(total)
    span = 365 * YEARS * 86400
    n_people, n_handlers, n_phones, last = len(people), len(handlers), len(phones), len(templates)
    parts = part_count(count)
    heads: list[tuple[Any, ...]] = []
    tails: list[ContactTemplate] = []
    for contact_id in sorted_ids(rng, min(CHUNK, count - part * CHUNK), part, parts):
        template = templates[min(bisect.bisect_right(cumulative, random_() * total), last - 1)]
        started = int(random_() * span)
        answered = started + 5 + int(random_() * 56)
        ended = answered + max(3, int(lognormal(template.log_talk, 0.55)))
        wrapped = ended + max(2, int(lognormal(template.log_wrap, 0.6)))
        s = days[started // 86400] + times[started % 86400]
        w = days[wrapped // 86400] + times[wrapped % 86400]
        heads.append(
            (
                contact_id,
                s,
                days[answered // 86400] + times[answered % 86400],
                days[ended // 86400] + times[ended % 86400],
                w,
                people[int(random_() * n_people)] if template.with_person else null,
                handlers[int(random_() * n_handlers)],
                phones[int(random_() * n_phones)] if random_() < 0.85 else null,
                s,
                w,
            )
        )
        tails.append(template)
    if copy_text:
        text_ = "".join("\t".join(h) + t.copy_text for h, t in zip(heads, tails, strict=True))
        return len(heads), text_
    return len(heads), [h + t.values for h, t in zip(heads, tails, strict=True)]
