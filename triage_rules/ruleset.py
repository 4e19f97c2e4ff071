"""A rule set compiled for evaluation, and the checks that make a file one: every name known,
nothing duplicated, no question that can never be asked and no rule that can never fire.

Problems are collected with their path in the file (``("level2", "rules", 3, "when")``) so the
loader can name the line.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from typing import Any

from triage_rules.conditions import ALWAYS, Condition, ConditionError, parse_condition
from triage_rules.facts import Choice, FactSpec
from triage_rules.schema import FirstContactSpec, QuestionSpec, RouteSpec, RuleSetFile

Path = tuple[str | int, ...]
_BROKEN = Condition(lambda _f, _c: False, frozenset(), None)
"""Stands in for a condition that failed to parse (already reported), so checks go on quietly."""


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a rule file: where (a path into the file) and what, in words."""

    path: Path
    message: str


@dataclass(frozen=True)
class Route:
    """A route a rule gives, compiled."""

    route: str
    urgency: str | None
    raised_to: str | None = None
    raised_when: Condition | None = None
    raised_reason: str = ""
    when: Condition | None = None


@dataclass(frozen=True)
class Box:
    """One box of a checklist question: ticked, its yes/no fact is true; shown when it applies."""

    fact: FactSpec
    label: str
    ask_when: Condition


@dataclass(frozen=True)
class Question:
    """A question the desk asks to establish one fact (see ``triage_rules.session``).

    A checklist question ("What is the call about (tick all that apply)?") sets several yes/no
    facts at once, one a box; its ``fact`` is then a stand-in set fact whose choices are the
    boxes' facts, so it is answered like any question of ticks: with the facts ticked.
    """

    id: str
    fact: FactSpec
    text: str
    help: str
    ask_when: Condition
    level: int
    stream: str | None
    boxes: tuple[Box, ...] = ()

    @classmethod
    def for_fact(cls, fact: FactSpec, text: str, help_text: str) -> Question:
        """A question of the desk's own for one fact (a fact it knew, asked again to correct
        it): always asked, at level 1."""
        return cls(f"desk-{fact.name.replace('_', '-')}", fact, text, help_text, ALWAYS, 1, None)

    @property
    def is_checklist(self) -> bool:
        """True for a checklist question."""
        return bool(self.boxes)

    def ticked(self, facts: Mapping[str, Any]) -> list[str]:
        """A checklist's answer as ``facts`` hold it: the facts of its boxes that are true."""
        return [box.fact.name for box in self.boxes if facts.get(box.fact.name)]


@dataclass(frozen=True)
class Level1Rule:
    """First match decides the level-1 outcome."""

    id: str
    when: Condition
    outcome: str
    routes: tuple[Route, ...]
    reason: str


@dataclass(frozen=True)
class StreamRule:
    """First match gives the stream."""

    id: str
    when: Condition
    stream: str
    reason: str


@dataclass(frozen=True)
class Level2Rule:
    """Every level-2 rule that applies adds its routes."""

    id: str
    when: Condition
    routes: tuple[Route, ...]
    reason: str


@dataclass(frozen=True)
class Floor:
    """On ``stream`` no route is less urgent than ``minimum``."""

    id: str
    stream: str
    minimum: str
    reason: str


@dataclass(frozen=True)
class RuleSet:
    """A validated, compiled rule set; ``sha256`` identifies the exact file it came from."""

    id: str
    version: str
    title: str
    sha256: str
    source: str
    facts: Mapping[str, FactSpec]
    level1_outcomes: tuple[str, ...]
    streams: tuple[str, ...]
    routes: tuple[str, ...]
    urgencies: tuple[str, ...]
    level1_questions: tuple[Question, ...]
    level1_rules: tuple[Level1Rule, ...]
    stream_rules: tuple[StreamRule, ...]
    stream_questions: Mapping[str, tuple[Question, ...]]
    level2_rules: tuple[Level2Rule, ...]
    floors: Mapping[str, Floor]
    fallback: Route
    fallback_id: str
    fallback_reason: str
    first_contact: FirstContactSpec
    urgency_rank: Mapping[str, int] = field(default_factory=dict)

    def rank(self, urgency: str | None) -> int:
        """0 for the most urgent; a route with no urgency ranks last."""
        return len(self.urgencies) if urgency is None else self.urgency_rank[urgency]


class _Builder:
    def __init__(
        self, spec: RuleSetFile, allowed: Mapping[str, Collection[str]] | None = None
    ) -> None:
        self.spec = spec
        self.problems: list[Problem] = []
        self.facts: dict[str, FactSpec] = {}
        for index, fact in enumerate(spec.facts):
            if fact.name in self.facts:
                self.problem(("facts", index, "name"), f"fact {fact.name!r} is declared twice")
            self.facts[fact.name] = fact
        self.groups: dict[str, tuple[str, ...]] = {}
        for name, members in spec.fact_groups.items():
            for index, member in enumerate(members):
                if member not in self.facts:
                    self.problem(("fact_groups", name, index), f"unknown fact {member!r}")
            self.groups[name] = tuple(m for m in members if m in self.facts)
        vocabulary = spec.vocabulary
        for key in ("level1", "streams", "routes", "urgencies"):
            values: tuple[str, ...] = getattr(vocabulary, key)
            seen: set[str] = set()
            for index, value in enumerate(values):
                if value in seen:
                    self.problem(("vocabulary", key, index), f"{value!r} is listed twice")
                seen.add(value)
                known = (allowed or {}).get(key)
                if known is not None and value not in known:
                    words = {"level1": "level-1 outcome", "streams": "stream", "routes": "route"}
                    self.problem(
                        ("vocabulary", key, index),
                        f"the {words.get(key, 'urgency')} {value!r} is not one this desk knows "
                        f"(it knows: {', '.join(sorted(known))})",
                    )
        self.rule_ids: dict[str, Path] = {}
        self.question_ids: dict[str, Path] = {}

    def problem(self, path: Path, message: str) -> None:
        self.problems.append(Problem(path, message))

    def condition(self, raw: Any, path: Path) -> Condition:
        if raw is None:
            return ALWAYS
        try:
            return parse_condition(raw, self.facts, self.groups, path)
        except ConditionError as error:
            self.problem(error.path, str(error))
            return _BROKEN

    def known(self, kind: str, value: str | None, path: Path) -> None:
        vocabulary = self.spec.vocabulary
        allowed: tuple[str, ...] = getattr(vocabulary, kind)
        if value is not None and value not in allowed:
            words = {"level1": "level-1 outcome", "streams": "stream", "routes": "route"}
            what = words.get(kind, "urgency")
            self.problem(path, f"unknown {what} {value!r}; known: {', '.join(allowed)}")

    def unique_rule(self, rule_id: str, path: Path) -> None:
        if rule_id in self.rule_ids:
            self.problem(path, f"duplicate rule id {rule_id!r}")
        self.rule_ids[rule_id] = path

    def fires(self, condition: Condition, rule_id: str, path: Path) -> None:
        if not condition.satisfiable:
            self.problem(path, f"rule {rule_id!r} can never fire: its condition contradicts itself")

    def route(self, spec: RouteSpec, path: Path) -> Route:
        self.known("routes", spec.route, (*path, "route"))
        self.known("urgencies", spec.urgency, (*path, "urgency"))
        self.known("urgencies", spec.raised_to, (*path, "raised_to"))
        raised_when = None
        if (spec.raised_to is None) != (spec.raised_when is None):
            self.problem(path, "'raised_to' and 'raised_when' go together")
        elif spec.raised_when is not None:
            raised_when = self.condition(spec.raised_when, (*path, "raised_when"))
        when = None if spec.when is None else self.condition(spec.when, (*path, "when"))
        return Route(
            spec.route, spec.urgency, spec.raised_to, raised_when, spec.raised_reason, when
        )

    def questions(
        self, specs: tuple[QuestionSpec, ...], path: Path, level: int, stream: str | None
    ) -> tuple[Question, ...]:
        asked: dict[str, str] = {}
        built = []
        for index, spec in enumerate(specs):
            here = (*path, index)
            if spec.id in self.question_ids:
                self.problem((*here, "id"), f"duplicate question id {spec.id!r}")
            self.question_ids[spec.id] = here
            ask_when = self.condition(spec.ask_when, (*here, "ask_when"))
            if not ask_when.satisfiable:
                self.problem(
                    (*here, "ask_when"),
                    f"question {spec.id!r} can never be asked: its ask_when contradicts itself",
                )
            if spec.checklist:
                question = self.checklist(spec, here, ask_when, (level, stream), asked)
                if question is not None:
                    built.append(question)
                continue
            assert spec.fact is not None  # the schema asks for a fact or a checklist
            fact = self.facts.get(spec.fact)
            if fact is None:
                self.problem((*here, "fact"), f"unknown fact {spec.fact!r}")
                continue
            self.sets_once(spec.fact, spec.id, asked, (*here, "fact"))
            built.append(Question(spec.id, fact, spec.text, spec.help, ask_when, level, stream))
        return tuple(built)

    def sets_once(self, fact: str, question_id: str, asked: dict[str, str], path: Path) -> None:
        if fact in asked:
            self.problem(
                path,
                f"question {question_id!r} can never be asked: question {asked[fact]!r} "
                f"before it already sets {fact!r}",
            )
        asked[fact] = question_id

    def checklist(
        self,
        spec: QuestionSpec,
        here: Path,
        ask_when: Condition,
        where: tuple[int, str | None],
        asked: dict[str, str],
    ) -> Question | None:
        level, stream = where
        boxes: list[Box] = []
        for index, box in enumerate(spec.checklist):
            path = (*here, "checklist", index)
            fact = self.facts.get(box.fact)
            if fact is None:
                self.problem((*path, "fact"), f"unknown fact {box.fact!r}")
                continue
            if fact.type != "bool":
                self.problem(
                    (*path, "fact"),
                    f"a checklist box sets a yes/no fact; {box.fact!r} is {fact.type}",
                )
                continue
            if any(earlier.fact.name == box.fact for earlier in boxes):
                self.problem((*path, "fact"), f"another box of this checklist sets {box.fact!r}")
                continue
            self.sets_once(box.fact, spec.id, asked, (*path, "fact"))
            boxes.append(Box(fact, box.label, self.condition(box.ask_when, (*path, "ask_when"))))
        if len(boxes) != len(spec.checklist):
            return None
        stand_in = FactSpec(
            name=spec.id.replace("-", "_"),
            type="enum_set",
            label=spec.text,
            choices=tuple(Choice(value=box.fact.name, label=box.label) for box in boxes),
        )
        if stand_in.name in self.facts:
            self.problem((*here, "id"), f"checklist {spec.id!r} has the name of a fact")
            return None
        return Question(
            spec.id, stand_in, spec.text, spec.help, ask_when, level, stream, tuple(boxes)
        )


def build_ruleset(
    spec: RuleSetFile,
    sha256: str,
    source: str,
    allowed: Mapping[str, Collection[str]] | None = None,
) -> tuple[RuleSet, list[Problem]]:
    """Compile ``spec``; the rule set and every problem found (an empty list when it is sound).

    ``allowed`` limits the vocabulary (``level1``, ``streams``, ``routes``, ``urgencies``) to
    what the program running the rules knows: a desk that cannot show a route refuses a rule
    set that names it, in words, instead of failing when the route first comes up.
    """
    b = _Builder(spec, allowed)
    level1_rules = []
    for index, rule in enumerate(spec.level1.rules):
        path: Path = ("level1", "rules", index)
        b.unique_rule(rule.id, (*path, "id"))
        b.known("level1", rule.outcome, (*path, "outcome"))
        when = b.condition(rule.when, (*path, "when"))
        b.fires(when, rule.id, (*path, "when"))
        routes = tuple(b.route(r, (*path, "routes", i)) for i, r in enumerate(rule.routes))
        level1_rules.append(Level1Rule(rule.id, when, rule.outcome, routes, rule.reason))
    _first_match_checks(b, [r.when for r in level1_rules], [r.id for r in level1_rules], "level1")
    if "stream" not in spec.vocabulary.level1:
        b.problem(("vocabulary", "level1"), "the level-1 outcomes must include 'stream'")

    stream_rules = []
    for index, stream_rule in enumerate(spec.streams.rules):
        path = ("streams", "rules", index)
        b.unique_rule(stream_rule.id, (*path, "id"))
        b.known("streams", stream_rule.stream, (*path, "stream"))
        when = b.condition(stream_rule.when, (*path, "when"))
        b.fires(when, stream_rule.id, (*path, "when"))
        stream_rules.append(
            StreamRule(stream_rule.id, when, stream_rule.stream, stream_rule.reason)
        )
    _first_match_checks(b, [r.when for r in stream_rules], [r.id for r in stream_rules], "streams")

    level1_questions = b.questions(spec.level1.questions, ("level1", "questions"), 1, None)
    stream_questions: dict[str, tuple[Question, ...]] = {}
    for stream, questions in spec.streams.questions.items():
        b.known("streams", stream, ("streams", "questions", stream))
        stream_questions[stream] = b.questions(
            questions, ("streams", "questions", stream), 2, stream
        )

    level2_rules = []
    for index, level2_rule in enumerate(spec.level2.rules):
        path = ("level2", "rules", index)
        b.unique_rule(level2_rule.id, (*path, "id"))
        when = b.condition(level2_rule.when, (*path, "when"))
        b.fires(when, level2_rule.id, (*path, "when"))
        routes = tuple(b.route(r, (*path, "routes", i)) for i, r in enumerate(level2_rule.routes))
        level2_rules.append(Level2Rule(level2_rule.id, when, routes, level2_rule.reason))

    floors: dict[str, Floor] = {}
    for index, floor in enumerate(spec.level2.floors):
        path = ("level2", "floors", index)
        b.unique_rule(floor.id, (*path, "id"))
        b.known("streams", floor.stream, (*path, "stream"))
        b.known("urgencies", floor.minimum, (*path, "minimum"))
        if floor.stream in floors:
            b.problem((*path, "stream"), f"stream {floor.stream!r} has two floors")
        floors[floor.stream] = Floor(floor.id, floor.stream, floor.minimum, floor.reason)

    fallback = spec.level2.fallback
    b.unique_rule(fallback.id, ("level2", "fallback", "id"))
    b.known("routes", fallback.route, ("level2", "fallback", "route"))
    b.known("urgencies", fallback.urgency, ("level2", "fallback", "urgency"))

    first = spec.first_contact
    b.unique_rule(first.id, ("first_contact", "id"))
    for index, outcome in enumerate(first.never_with_level1):
        b.known("level1", outcome, ("first_contact", "never_with_level1", index))
    for index, urgency in enumerate(first.never_with_urgencies):
        b.known("urgencies", urgency, ("first_contact", "never_with_urgencies", index))
    for index, route in enumerate(first.never_with_routes):
        b.known("routes", route, ("first_contact", "never_with_routes", index))
    for index, resolvable_route in enumerate(first.allowed):
        path = ("first_contact", "allowed", index)
        b.known("routes", resolvable_route.route, (*path, "route"))
        b.known("urgencies", resolvable_route.urgency, (*path, "urgency"))

    ruleset = RuleSet(
        id=spec.id,
        version=spec.version,
        title=spec.title,
        sha256=sha256,
        source=source,
        facts=b.facts,
        level1_outcomes=spec.vocabulary.level1,
        streams=spec.vocabulary.streams,
        routes=spec.vocabulary.routes,
        urgencies=spec.vocabulary.urgencies,
        level1_questions=level1_questions,
        level1_rules=tuple(level1_rules),
        stream_rules=tuple(stream_rules),
        stream_questions=stream_questions,
        level2_rules=tuple(level2_rules),
        floors=floors,
        fallback=Route(fallback.route, fallback.urgency),
        fallback_id=fallback.id,
        fallback_reason=fallback.reason,
        first_contact=first,
        urgency_rank={u: i for i, u in enumerate(spec.vocabulary.urgencies)},
    )
    return ruleset, b.problems


def _first_match_checks(b: _Builder, whens: list[Condition], ids: list[str], section: str) -> None:
    """In a first-match list, the last rule catches everything, and nothing follows a catch-all."""
    for index, when in enumerate(whens[:-1]):
        if when is ALWAYS:
            shadowed = ids[index + 1]
            b.problem(
                (section, "rules", index + 1, "id"),
                f"rule {shadowed!r} can never fire: rule {ids[index]!r} before it has no "
                "'when', so it always matches first",
            )
            break
    if whens and whens[-1] is not ALWAYS:
        b.problem(
            (section, "rules", len(whens) - 1, "when"),
            f"the last rule ({ids[-1]!r}) must have no 'when', so that every call is decided",
        )
