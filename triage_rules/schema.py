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

Conditions are checked here only for their shape: where a condition takes one value (a fact's
name, the value it is tested against, a fact group) it must not be given a list or a mapping.
An integer fact's default must be a whole number or null, as the conditions compare it with one.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator
from pydantic_core import PydanticCustomError

from triage_rules.facts import FactSpec

Identifier = str
ID_PATTERN = r"^[a-z0-9][a-z0-9_.-]*$"
MAX_VOCABULARY = 500
"""The most names one vocabulary list may hold (the default's longest has twelve): checking a
list for repeats takes time that grows with the square of its length."""

NESTED_ERROR = "rule_file_value"
"""The type of a schema error found inside a value; its ``ctx["path"]`` goes on from its loc."""

ONE_VALUE_KEYS = frozenset(
    {"fact", "is", "has", "at_least", "below", "any_fact_in", "nothing_at_level2"}
)
"""The keys of a condition that take one value (``in`` takes a list of them)."""


def _nested_error(path: tuple[str | int, ...], message: str) -> PydanticCustomError:
    return PydanticCustomError(NESTED_ERROR, "{message}", {"message": message, "path": path})


def _collection_where_one_value_goes(
    raw: Any, path: tuple[str | int, ...] = ()
) -> tuple[tuple[str | int, ...], str] | None:
    """Where in a condition a list or mapping stands for one value, and which it is; or None.

    Anything else wrong with the condition is left for ``triage_rules.conditions`` to name.
    """
    if not isinstance(raw, dict):
        return None
    for key, value in raw.items():
        here = (*path, key)
        found = None
        if key in ("all", "any") and isinstance(value, list):
            for index, item in enumerate(value):
                found = found or _collection_where_one_value_goes(item, (*here, index))
        elif key == "not":
            found = _collection_where_one_value_goes(value, here)
        elif key == "in" and isinstance(value, list):
            found = next(
                (((*here, index), _kind(item)) for index, item in enumerate(value) if _kind(item)),
                None,
            )
        elif key in ONE_VALUE_KEYS and _kind(value):
            found = here, _kind(value)
        if found:
            return found
    return None


def _kind(value: Any) -> str:
    if isinstance(value, dict):
        return "mapping"
    return "list" if isinstance(value, list) else ""


def _one_value_where_one_goes(raw: Any) -> Any:
    found = _collection_where_one_value_goes(raw)
    if found is not None:
        path, kind = found
        raise _nested_error(path, f"one value is needed here, not a {kind}")
    return raw


RawCondition = Annotated[Any, AfterValidator(_one_value_where_one_goes)]
"""A condition as written in the file; ``triage_rules.conditions`` parses it."""


class Strict(BaseModel):
    """Unknown keys are refused: a misspelt key must not be silently ignored."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Vocabulary(Strict):
    """The identifiers decisions may use."""

    level1: tuple[Identifier, ...] = Field(max_length=MAX_VOCABULARY)
    streams: tuple[Identifier, ...] = Field(max_length=MAX_VOCABULARY)
    routes: tuple[Identifier, ...] = Field(max_length=MAX_VOCABULARY)
    urgencies: tuple[Identifier, ...] = Field(
        max_length=MAX_VOCABULARY, description="most urgent first"
    )


class BoxSpec(Strict):
    """One box of a checklist question: the yes/no fact it sets, its words, when it is shown."""

    fact: str
    label: str = Field(min_length=2)
    ask_when: RawCondition = None


class QuestionSpec(Strict):
    """One question: the fact it sets (or, for a checklist, the yes/no facts its boxes set),
    its words, why it is asked, and when it is asked."""

    id: str = Field(pattern=ID_PATTERN)
    fact: str | None = None
    checklist: tuple[BoxSpec, ...] = Field(default=(), max_length=MAX_VOCABULARY)
    text: str = Field(min_length=3)
    help: str = ""
    ask_when: RawCondition = None

    @model_validator(mode="after")
    def _one_kind(self) -> QuestionSpec:
        if (self.fact is None) == (not self.checklist):
            raise PydanticCustomError(
                "question_kind",
                "a question sets one fact (fact: NAME) or is a checklist (checklist: [boxes]), "
                "never both and never neither",
            )
        return self


class RouteSpec(Strict):
    """A route a rule gives: its urgency, raised when a further condition holds."""

    route: Identifier
    urgency: Identifier | None = None
    raised_to: Identifier | None = None
    raised_when: RawCondition = None
    raised_reason: str = ""
    when: RawCondition = None


class Level1RuleSpec(Strict):
    """A level-1 rule: when it matches, the call's level-1 outcome (first match wins)."""

    id: str = Field(pattern=ID_PATTERN)
    when: RawCondition = None
    outcome: Identifier
    routes: tuple[RouteSpec, ...] = ()
    reason: str = Field(min_length=3)


class StreamRuleSpec(Strict):
    """A stream rule: when it matches, the stream of a level-1 'stream' call (first match wins)."""

    id: str = Field(pattern=ID_PATTERN)
    when: RawCondition = None
    stream: Identifier
    reason: str = Field(min_length=3)


class Level2RuleSpec(Strict):
    """A level-2 rule: when it applies it adds its routes (each once, at its highest urgency)."""

    id: str = Field(pattern=ID_PATTERN)
    when: RawCondition
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

    @model_validator(mode="after")
    def _integer_defaults_are_whole_numbers(self) -> RuleSetFile:
        for index, fact in enumerate(self.facts):
            default = fact.default
            if fact.type == "integer" and (
                isinstance(default, bool) or not isinstance(default, int | None)
            ):
                raise _nested_error(
                    ("facts", index, "default"), f"{default!r} is not a whole number"
                )
        return self
