"""Facts in, a screening decision out: level-1 outcome, stream, routes with urgency, whether the
call may be resolved at first contact, and the trace of the rules that fired with their reasons.

Deterministic and pure: no I/O, no clock, no randomness.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from triage_rules.conditions import Context
from triage_rules.facts import FactError, complete_facts

if TYPE_CHECKING:
    from triage_rules.ruleset import Route, RuleSet

__all__ = ["Decision", "FactError", "RouteDecision", "TraceEntry", "evaluate"]


@dataclass(frozen=True, slots=True)
class RouteDecision:
    """A route the rules recommend, with its urgency (None for ``resolved``)."""

    route: str
    urgency: str | None


@dataclass(frozen=True, slots=True)
class TraceEntry:
    """A rule that fired, and why, in words the call handler can read out."""

    rule: str
    reason: str


@dataclass(frozen=True, slots=True)
class Decision:
    """What the rules recommend for one set of facts, and how they got there."""

    level1: str
    stream: str | None
    routes: tuple[RouteDecision, ...]
    resolvable_at_first_contact: bool
    trace: tuple[TraceEntry, ...]
    ruleset_id: str
    ruleset_version: str
    ruleset_sha256: str

    def as_json(self) -> dict[str, Any]:
        """The decision in the shape of ``spa-desk triage`` (SPEC 10)."""
        return {
            "level1": self.level1,
            "stream": self.stream,
            "routes": [{"route": r.route, "urgency": r.urgency} for r in self.routes],
            "resolvable_at_first_contact": self.resolvable_at_first_contact,
            "trace": [{"rule": t.rule, "reason": t.reason} for t in self.trace],
            "ruleset": {
                "id": self.ruleset_id,
                "version": self.ruleset_version,
                "sha256": self.ruleset_sha256,
            },
        }


def evaluate(ruleset: RuleSet, given: Mapping[str, Any]) -> Decision:
    """Screen ``given`` facts with ``ruleset``; FactError names an unknown fact or a bad value."""
    facts = complete_facts(ruleset.facts, given)
    context = Context()
    applied = [rule for rule in ruleset.level2_rules if rule.when(facts, context)]
    context.level2_routes = bool(applied)
    trace: list[TraceEntry] = []

    level1 = next(rule for rule in ruleset.level1_rules if rule.when(facts, context))
    trace.append(TraceEntry(level1.id, level1.reason))
    stream: str | None = None
    best: dict[str, str | None] = {}
    if level1.outcome != "stream":
        _add_routes(
            ruleset,
            level1.routes,
            facts=facts,
            context=context,
            best=best,
            trace=trace,
            rule_id=level1.id,
        )
    else:
        chosen = next(rule for rule in ruleset.stream_rules if rule.when(facts, context))
        stream = chosen.stream
        trace.append(TraceEntry(chosen.id, chosen.reason))
        for rule in applied:
            trace.append(TraceEntry(rule.id, rule.reason))
            _add_routes(
                ruleset,
                rule.routes,
                facts=facts,
                context=context,
                best=best,
                trace=trace,
                rule_id=rule.id,
            )
        floor = ruleset.floors.get(stream)
        if floor is not None:
            lifted = [
                route
                for route, urgency in best.items()
                if urgency is not None and ruleset.rank(urgency) > ruleset.rank(floor.minimum)
            ]
            for route in lifted:
                best[route] = floor.minimum
            if lifted:
                trace.append(TraceEntry(floor.id, floor.reason))
        if not best:
            best[ruleset.fallback.route] = ruleset.fallback.urgency
            trace.append(TraceEntry(ruleset.fallback_id, ruleset.fallback_reason))
    routes = tuple(RouteDecision(route, urgency) for route, urgency in best.items())
    resolvable, reason = first_contact(ruleset, level1.outcome, routes)
    trace.append(TraceEntry(ruleset.first_contact.id, reason))
    return Decision(
        level1=level1.outcome,
        stream=stream,
        routes=routes,
        resolvable_at_first_contact=resolvable,
        trace=tuple(trace),
        ruleset_id=ruleset.id,
        ruleset_version=ruleset.version,
        ruleset_sha256=ruleset.sha256,
    )


def _add_routes(
    ruleset: RuleSet,
    routes: tuple[Route, ...],
    *,
    facts: Mapping[str, Any],
    context: Context,
    best: dict[str, str | None],
    trace: list[TraceEntry],
    rule_id: str,
) -> None:
    """Add each route once, keeping its first position and its most urgent urgency."""
    for route in routes:
        if route.when is not None and not route.when(facts, context):
            continue
        urgency = route.urgency
        if route.raised_when is not None and route.raised_when(facts, context):
            urgency = route.raised_to
            if route.raised_reason:
                trace.append(TraceEntry(rule_id, route.raised_reason))
        if route.route not in best or ruleset.rank(urgency) < ruleset.rank(best[route.route]):
            best[route.route] = urgency


def first_contact(
    ruleset: RuleSet, level1: str, routes: Iterable[RouteDecision]
) -> tuple[bool, str]:
    """Whether a call with this level-1 outcome and these routes (recommended, or chosen by an
    override) may be resolved at first contact, and the reason in words.

    The rule set's ``first_contact`` section is the one place this is decided: the triage
    command, the desk's resolve option, the save and the reports all ask here.
    """
    spec = ruleset.first_contact
    if level1 in spec.never_with_level1:
        return False, f"{spec.no_reason} (a {level1.replace('_', '-')} call is not about a need)."
    allowed = {(a.route, a.urgency) for a in spec.allowed}
    for decision in routes:
        if decision.urgency in spec.never_with_urgencies:
            return False, f"{spec.no_reason} ({_words(decision)} is {decision.urgency})."
        if decision.route in spec.never_with_routes:
            return False, f"{spec.no_reason} (a {_words(decision)} route must be followed up)."
        if (decision.route, None) not in allowed and (
            decision.route,
            decision.urgency,
        ) not in allowed:
            return False, f"{spec.no_reason} ({_words(decision)} needs a referral)."
    return True, spec.yes_reason


def _words(decision: RouteDecision) -> str:
    return decision.route.replace("_", " ")
