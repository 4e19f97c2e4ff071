"""The rule-set file format, as pydantic models (conditions stay raw here; see ``ruleset.py``).

A rule set is one YAML file that SPA managers can read and edit::

    id, version, title          who the rule set is
    vocabulary                  level-1 outcomes, streams, routes, urgencies (most urgent first)
    facts                       the facts it reasons over: name, type, choices, default, label
    fact_groups                 named lists of facts, for {any_fact_in: GROUP}
    level1.questions            what the call handler asks first, in order, each with ask_when
    level1.rules                first match decides the level-1 outcome (emergencies: and routes)
    streams.rules               first match gives the stream of a level-1 'stream' call
    streams.questions           per stream, the level-2 questions, in order
    level2.rules                every rule that applies adds its routes with an urgency
    level2.floors               per stream, the least urgency any route may have
    level2.fallback             the route when no level-2 rule applies
    first_contact               when a decision may be resolved at first contact
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from triage_rules.facts import FactSpec

Identifier = str
ID_PATTERN = r"^[a-z0-9][a-z0-9_.-]*$"


class Strict(BaseModel):
    """Unknown keys are refused: a misspelt key must not be silently ignored."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Vocabulary(Strict):
    """The identifiers decisions may use."""

    level1: tuple[Identifier, ...]
    streams: tuple[Identifier, ...]
    routes: tuple[Identifier, ...]
    urgencies: tuple[Identifier, ...] = Field(description="most urgent first")


class QuestionSpec(Strict):
    """One question: the fact it sets, its words, why it is asked, and when it is asked."""

    id: str = Field(pattern=ID_PATTERN)
    fact: str
    text: str = Field(min_length=3)
    help: str = ""
    ask_when: Any = None


class RouteSpec(Strict):
    """A route a rule gives: its urgency, raised when a further condition holds."""

    route: Identifier
    urgency: Identifier | None = None
    raised_to: Identifier | None = None
    raised_when: Any = None
    raised_reason: str = ""
    when: Any = None


class Level1RuleSpec(Strict):
    """A level-1 rule: when it matches, the call's level-1 outcome (first match wins)."""

    id: str = Field(pattern=ID_PATTERN)
    when: Any = None
    outcome: Identifier
    routes: tuple[RouteSpec, ...] = ()
    reason: str = Field(min_length=3)


class StreamRuleSpec(Strict):
    """A stream rule: when it matches, the stream of a level-1 'stream' call (first match wins)."""

    id: str = Field(pattern=ID_PATTERN)
    when: Any = None
    stream: Identifier
    reason: str = Field(min_length=3)


class Level2RuleSpec(Strict):
    """A level-2 rule: when it applies it adds its routes (each once, at its highest urgency)."""

    id: str = Field(pattern=ID_PATTERN)
    when: Any
    routes: tuple[RouteSpec, ...] = Field(min_length=1)
    reason: str = Field(min_length=3)


class FloorSpec(Strict):
    """On this stream, no route with an urgency is less urgent than ``minimum``."""

    id: str = Field(pattern=ID_PATTERN)
    stream: Identifier
    minimum: Identifier
    reason: str = Field(min_length=3)


class FallbackSpec(Strict):
    """The route given when no level-2 rule applies."""

    id: str = Field(pattern=ID_PATTERN)
    route: Identifier
    urgency: Identifier | None = None
    reason: str = Field(min_length=3)


class AllowedRoute(Strict):
    """A route that still allows resolution at first contact (at this urgency, when given)."""

    route: Identifier
    urgency: Identifier | None = None


class FirstContactSpec(Strict):
    """A decision is resolvable at first contact when none of these stand in its way."""

    id: str = Field(pattern=ID_PATTERN)
    never_with_level1: tuple[Identifier, ...] = ()
    """Level-1 outcomes that are never resolvable (a non-data call is not about anyone's need)."""
    never_with_urgencies: tuple[Identifier, ...] = ()
    never_with_routes: tuple[Identifier, ...] = ()
    allowed: tuple[AllowedRoute, ...]
    yes_reason: str = Field(min_length=3)
    no_reason: str = Field(min_length=3)


class Level1Spec(Strict):
    """Level 1, the telephony filter."""

    questions: tuple[QuestionSpec, ...]
    rules: tuple[Level1RuleSpec, ...] = Field(min_length=1)


class StreamsSpec(Strict):
    """Choosing the stream, and each stream's level-2 questions."""

    rules: tuple[StreamRuleSpec, ...] = Field(min_length=1)
    questions: dict[Identifier, tuple[QuestionSpec, ...]]


class Level2Spec(Strict):
    """Level 2, screening triage."""

    rules: tuple[Level2RuleSpec, ...] = Field(min_length=1)
    floors: tuple[FloorSpec, ...] = ()
    fallback: FallbackSpec


class RuleSetFile(Strict):
    """The whole rule-set file."""

    id: str = Field(pattern=ID_PATTERN)
    version: str = Field(min_length=1)
    title: str
    description: str = ""
    vocabulary: Vocabulary
    facts: tuple[FactSpec, ...] = Field(min_length=1)
    fact_groups: dict[Identifier, tuple[str, ...]] = {}
    level1: Level1Spec
    streams: StreamsSpec
    level2: Level2Spec
    first_contact: FirstContactSpec
